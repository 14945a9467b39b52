//! The element types a tensor can hold: `f64` (the default) and `f32`.
//!
//! The op table's kernels and rules are written for `f64`; an `f32` tensor stores `f32` and
//! evaluates each element's kernel in `f64`, rounding the result to `f32` (so each op is
//! correctly rounded to `f32` wherever the `f64` kernel is accurate). Matrix products and
//! reductions run in the element type. The fused path (`elementwise`, `map_fn`) computes
//! `f32` elements in `f32` lanes: the same bits for arithmetic, `exp` within 1 ulp (see
//! `lanes32`).

use std::fmt::{Debug, Display};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for f32 {}
}

/// `f64` or `f32`: the element type of a [`Tensor`](super::Tensor).
pub trait Element:
    sealed::Sealed + ndarray::LinalgScalar + PartialOrd + Debug + Display + Send + Sync
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
    /// The elements as `f32` when this type is `f32` (the fused path has `f32` lanes of its
    /// own), else `None`.
    #[doc(hidden)]
    fn as_f32(s: &[Self]) -> Option<&[f32]>;
    /// As [`as_f32`](Element::as_f32), mutable.
    #[doc(hidden)]
    fn as_f32_mut(s: &mut [Self]) -> Option<&mut [f32]>;
}

impl Element for f64 {
    const NAME: &'static str = "f64";
    fn pool() -> &'static std::sync::Mutex<Vec<Vec<f64>>> {
        static POOL: std::sync::Mutex<Vec<Vec<f64>>> = std::sync::Mutex::new(Vec::new());
        &POOL
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
}

impl Element for f32 {
    const NAME: &'static str = "f32";
    fn pool() -> &'static std::sync::Mutex<Vec<Vec<f32>>> {
        static POOL: std::sync::Mutex<Vec<Vec<f32>>> = std::sync::Mutex::new(Vec::new());
        &POOL
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
}
