//! Tensors with PyTorch-style autograd.
//!
//! A [`Tensor`] is an n-dimensional `f64` array (`ndarray` storage; `Tensor<f32>` holds
//! `f32`, see [`Element`]) that records the ops made on it when it requires grad. Reverse mode then runs [`backward`](Tensor::backward) or
//! [`grad`] over that graph. The graph is held by the tensors themselves: each result holds a
//! reference-counted node naming its inputs' nodes, and is freed when the last tensor that can
//! reach it drops.
//!
//! Element-wise maths comes from the [op table](crate::ops): `Tensor` implements
//! [`Scalar`](crate::Scalar), the forward kernel is the op's `f64` kernel over the array, and
//! the backward rule is the op's own rule evaluated on tensors — so with
//! [`GradOptions::create_graph`] the backward pass is recorded and can be differentiated again.
//! This module adds what is its own: broadcasting and the reduction of gradients to an input's
//! shape, and the rules of the structural ops (matmul, sums, reshapes, indexing, cat).
//!
//! A function written once over `Scalar` and applied element by element can also be one node:
//! [`Tensor::map_fn`] computes `f` and `f′` in one SIMD pass (see [`elementwise`]) and its
//! backward pass is one product.
//!
//! The module imports only the spine (`Scalar`, `ops`): none of the other methods.
//!
//! ```
//! use weifen::tensor::{grad, GradOptions, Tensor};
//! use weifen::Scalar;
//!
//! fn f<S: Scalar>(x: S) -> S {
//!     let x2 = x.clone().powi(2);
//!     (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
//! }
//! let x = Tensor::linspace(0.0, 5.0, 1000).requires_grad_(true);
//! let y = f(x.clone());
//! let options = GradOptions { create_graph: true, ..Default::default() };
//! let dydx = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], options).unwrap().remove(0);
//! let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
//! for (d, x) in dydx.to_vec().into_iter().zip(x.to_vec()) {
//!     assert!((d - exact(x)).abs() < 1e-14);
//! }
//! assert!(dydx.requires_grad()); // create_graph: f″ is one more grad away
//! ```

/// Runs a lane-generic kernel on the instructions `isa` names (a `lanes::Isa`, which must
/// name only instructions the CPU has): `simd!(isa, f::<…, Lanes>(args))` calls the caller's
/// module's copy of `f` for AVX-512 or AVX2 (`avx512::f`, `avx2::f`, made by
/// [`simd_copies!`]) and returns, or goes on to the baseline call as written.
macro_rules! simd {
    ($isa:expr, $f:ident $(::<$($g:ty),*>)? ($($a:expr),*)) => {{
        #[cfg(target_arch = "x86_64")]
        match $isa {
            $crate::tensor::lanes::Isa::Avx512 => {
                #[allow(unsafe_code)]
                // SAFETY: `$isa` names only instructions the CPU has.
                unsafe {
                    avx512::$f($($a),*)
                };
                return;
            }
            $crate::tensor::lanes::Isa::Avx2 => {
                #[allow(unsafe_code)]
                // SAFETY: as above.
                unsafe {
                    avx2::$f($($a),*)
                };
                return;
            }
            $crate::tensor::lanes::Isa::Baseline => {}
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = $isa;
        $f $(::<$($g),*>)? ($($a),*)
    }};
}

/// The copies of a module's lane-generic kernels that [`simd!`] calls: for each
/// `fn f<…>(args) { body }`, `avx2::f` compiled with AVX2 enabled and `avx512::f` with
/// AVX-512F enabled (the compiler's own vectors in those widths too). In `body`, `Wide` is
/// the widest lanes of the copy (`Avx`, `Avx512`) and `Avx` the four-lane ones; each copy
/// sees the module's items (`super::*`).
macro_rules! simd_copies {
    (@copy $m:ident, $feature:literal, $wide:ty,
        $(fn $f:ident <$($g:ident : $b:path),*> ($($a:ident : $t:ty),*) $body:block)*) => {
        #[cfg(target_arch = "x86_64")]
        mod $m {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::tensor::avx::Avx;
            #[allow(dead_code)]
            type Wide = $wide;
            $(
                #[target_feature(enable = $feature)]
                pub(super) fn $f<$($g: $b),*>($($a: $t),*) $body
            )*
        }
    };
    // After the arm above, which the copies' own calls must match first.
    ($($fns:tt)*) => {
        simd_copies!(@copy avx2, "avx2", $crate::tensor::avx::Avx, $($fns)*);
        simd_copies!(@copy avx512, "avx512f", $crate::tensor::avx512::Avx512, $($fns)*);
    };
}

/// The tests of a lane type `$ty` of `$n` lanes that needs the target feature `$feature`
/// (present when `$has()`): every op of the table gives the bits of the baseline lanes, and
/// a tangent product keeps the zero lanes as `times` on `f64` does.
#[cfg(test)]
macro_rules! lane_type_tests {
    ($ty:ty, $n:literal, $feature:literal, $has:path) => {
        use super::super::lanes::Lane;
        use super::super::lanes::tests::{
            assert_same_as_f64_times, same_bits_as_the_baseline_lanes, tangent_products,
        };
        use crate::Scalar;
        use crate::ops::{Binary, Unary};

        #[target_feature(enable = $feature)]
        fn unary_on(op: Unary, a: &[f64]) -> Vec<f64> {
            let mut o = [0.0; $n];
            <$ty>::load(a).unary(op).store(&mut o);
            o.to_vec()
        }

        #[target_feature(enable = $feature)]
        fn binary_on(op: Binary, a: &[f64], b: &[f64]) -> Vec<f64> {
            let mut o = [0.0; $n];
            <$ty>::load(a).binary(op, <$ty>::load(b)).store(&mut o);
            o.to_vec()
        }

        #[target_feature(enable = $feature)]
        fn times_on(t: &[f64], d: &[f64]) -> Vec<f64> {
            let mut o = [0.0; $n];
            crate::ops::times(<$ty>::load(t), <$ty>::load(d)).store(&mut o);
            o.to_vec()
        }

        #[test]
        fn every_op_gives_the_bits_of_the_baseline_lanes() {
            if !$has() {
                return; // nothing to compare on this CPU: the kernels use other lanes
            }
            same_bits_as_the_baseline_lanes(
                $n,
                // SAFETY: the target feature checked above.
                |op, a| unsafe { unary_on(op, a) },
                |op, a, b| unsafe { binary_on(op, a, b) },
            );
        }

        #[test]
        fn a_tangent_product_skips_the_zero_lanes_as_f64_does() {
            if !$has() {
                return;
            }
            let (t, d) = tangent_products($n);
            for (t, d) in t.chunks_exact($n).zip(d.chunks_exact($n)) {
                // SAFETY: the target feature checked above.
                let got = unsafe { times_on(t, d) };
                assert_same_as_f64_times(t, d, &got);
            }
        }
    };
}

mod activation;
#[cfg(target_arch = "x86_64")]
mod avx;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod backward;
mod buffer;
mod concat;
mod construct;
mod dual;
mod element;
pub mod elementwise;
mod engine;
mod error;
pub mod functional;
mod fused;
mod fusion;
mod gather;
mod graph;
mod kernel;
mod lanes;
mod lazy;
mod linalg;
mod pointwise;
mod reduce;
mod shape;
mod structural;
#[allow(clippy::module_inception)] // the type's own file; `tensor::Tensor` is the public path
mod tensor;

pub use backward::grad;
pub use buffer::release_buffers;
pub use element::Element;
pub use engine::GradOptions;
pub use error::TensorError;
pub use graph::{GradModeGuard, enable_grad, is_grad_enabled, no_grad};
pub use tensor::Tensor;

#[doc(hidden)]
pub use ndarray as __ndarray;
