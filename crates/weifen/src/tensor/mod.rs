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

#[macro_use]
mod simd;
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
mod lanes32;
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
