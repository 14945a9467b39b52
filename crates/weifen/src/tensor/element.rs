//! The element types a tensor can hold: `f64` (the default) and `f32`.
//!
//! The op table's kernels and rules are written for `f64`. An `f32` tensor stores `f32` and
//! computes in `f32`: its arithmetic ops give the `f64` kernel's result rounded to `f32`
//! (for `+ − × ÷ √` of `f32` operands, the correctly rounded `f32` result), and its ops on
//! lanes, fused regions and fused functions run on `f32` lanes (`lanes32`: `exp` by an `f32`
//! kernel within 1 ulp, every other op by its `f64` kernel per element, rounded). Matrix
//! products and reductions run in the element type.

use std::fmt::{Debug, Display};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for f32 {}
}

/// `f64` or `f32`: the element type of a [`Tensor`](super::Tensor).
pub trait Element:
    sealed::Sealed + ndarray::LinalgScalar + PartialOrd + Debug + Display + Send + Sync + 'static
{
    /// The type's name (`"f64"`, `"f32"`).
    const NAME: &'static str;
    /// The value as `f64` (exact).
    fn to_f64(self) -> f64;
    /// `v` rounded to this type.
    fn from_f64(v: f64) -> Self;
    /// The pool of freed buffers of this type (see the `buffer` module).
    #[doc(hidden)]
    fn pool() -> &'static std::sync::Mutex<Vec<Vec<Self>>>;
    /// This thread's freed small buffers of this type (see the `buffer` module).
    #[doc(hidden)]
    fn local() -> &'static std::thread::LocalKey<std::cell::RefCell<Vec<Vec<Self>>>>;
    /// The elements as `f32` when this type is `f32` (the fused path has `f32` lanes of its
    /// own), else `None`.
    #[doc(hidden)]
    fn as_f32(s: &[Self]) -> Option<&[f32]>;
    /// As [`as_f32`](Element::as_f32), mutable.
    #[doc(hidden)]
    fn as_f32_mut(s: &mut [Self]) -> Option<&mut [f32]>;
    /// The elements as `f64` when this type is `f64`, else `None`.
    #[doc(hidden)]
    fn as_f64(s: &[Self]) -> Option<&[f64]>;
    /// As [`as_f64`](Element::as_f64), mutable.
    #[doc(hidden)]
    fn as_f64_mut(s: &mut [Self]) -> Option<&mut [f64]>;
}

impl Element for f64 {
    const NAME: &'static str = "f64";
    fn pool() -> &'static std::sync::Mutex<Vec<Vec<f64>>> {
        static POOL: std::sync::Mutex<Vec<Vec<f64>>> = std::sync::Mutex::new(Vec::new());
        &POOL
    }
    fn local() -> &'static std::thread::LocalKey<std::cell::RefCell<Vec<Vec<f64>>>> {
        thread_local! {
            static LOCAL: std::cell::RefCell<Vec<Vec<f64>>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        &LOCAL
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn as_f32(_: &[f64]) -> Option<&[f32]> {
        None
    }
    #[inline(always)]
    fn as_f32_mut(_: &mut [f64]) -> Option<&mut [f32]> {
        None
    }
    #[inline(always)]
    fn as_f64(s: &[f64]) -> Option<&[f64]> {
        Some(s)
    }
    #[inline(always)]
    fn as_f64_mut(s: &mut [f64]) -> Option<&mut [f64]> {
        Some(s)
    }
}

impl Element for f32 {
    const NAME: &'static str = "f32";
    fn pool() -> &'static std::sync::Mutex<Vec<Vec<f32>>> {
        static POOL: std::sync::Mutex<Vec<Vec<f32>>> = std::sync::Mutex::new(Vec::new());
        &POOL
    }
    fn local() -> &'static std::thread::LocalKey<std::cell::RefCell<Vec<Vec<f32>>>> {
        thread_local! {
            static LOCAL: std::cell::RefCell<Vec<Vec<f32>>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        &LOCAL
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    #[inline(always)]
    fn as_f32(s: &[f32]) -> Option<&[f32]> {
        Some(s)
    }
    #[inline(always)]
    fn as_f32_mut(s: &mut [f32]) -> Option<&mut [f32]> {
        Some(s)
    }
    #[inline(always)]
    fn as_f64(_: &[f32]) -> Option<&[f64]> {
        None
    }
    #[inline(always)]
    fn as_f64_mut(_: &mut [f32]) -> Option<&mut [f64]> {
        None
    }
}
