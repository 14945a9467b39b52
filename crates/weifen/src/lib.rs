//! # weifen: differentiation on computers
//!
//! One function, written once against the [`Scalar`] trait, differentiated by the method you
//! choose. Every method evaluates the function through the same scalar interface, and every
//! elementary operation has its derivative written once, in the [op table](ops).
//!
//! ```
//! use weifen::{forward, Scalar};
//!
//! /// f(x) = (−2x² + 4x + 1)·exp(−x²/2)
//! fn f<S: Scalar>(x: S) -> S {
//!     let x2 = x.clone().powi(2);
//!     (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
//! }
//!
//! // f′(x) = (2x³ − 4x² − 5x + 4)·exp(−x²/2), by hand.
//! let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
//!
//! let x = 1.3;
//! let d = forward::derivative(f, x);
//! assert!((d - exact(x)).abs() < 1e-15);
//!
//! // Higher orders come from the same rules: second derivative by nesting dual numbers,
//! // and the n-th by Taylor arithmetic.
//! let d2 = forward::second_derivative(f, x);
//! let d2_taylor = forward::nth_derivative(f, x, 2);
//! assert!((d2 - d2_taylor).abs() < 1e-13);
//! ```
//!
//! ## Choosing a method
//!
//! | method | cost for f: ℝⁿ → ℝᵐ | exact? | higher orders | use it when |
//! |---|---|---|---|---|
//! | [`forward`] (dual numbers) | ≈ n/8 evaluations (chunks of 8 directions) | to rounding | nested duals, Taylor jets | few inputs, many outputs; any derivative of ℝ → ℝ |
//! | [`symbolic`] (expression DAG) | one derivative expression per input, linear in the DAG's size; then a compiled program per point | exact formula | `nth_diff`, `hessian` | you want the formula itself (to print, inspect or compile), or to evaluate a derivative at very many points |
//!
//! The other methods of weifen's design (finite differences, tensors) are not in this crate
//! yet.
//!
//! ## A function written once
//!
//! A generic `fn` item is passed straight to an operator, which instantiates it with its own
//! scalar type. A function that carries data implements [`ScalarFn`], [`MultivariateFn`] or
//! [`VectorFn`] and is passed as `|x| f.eval(x)`.
#![doc(test(attr(deny(warnings))))]

#[macro_use]
mod macros;

mod error;
pub mod forward;
mod function;
pub mod ops;
pub mod reverse;
mod scalar;
pub mod symbolic;

pub use error::LengthError;
pub use function::{MultivariateFn, ScalarFn, VectorFn};
pub use scalar::{Real, Scalar};
