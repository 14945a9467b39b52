//! Finite differences: derivatives from function values alone.
//!
//! A difference quotient `Σⱼ wⱼ·f(x + oⱼh)/hⁿ` approximates `f⁽ⁿ⁾(x)` with a truncation
//! error `O(hᵖ)` that shrinks with `h` and a rounding error `O(ε/hⁿ)` that grows as `h`
//! shrinks. Every operator here manages that trade-off for you:
//!
//! * [`Stencil`]: weights for any offsets and any order, by Fornberg's algorithm, with the
//!   order of accuracy and the powers of `h` in the error read off the moments;
//!   [`Scheme`] names the usual ones (forward, backward, central, five-point).
//! * [`Step`]: by default the optimum of each scheme's error model,
//!   `h ∝ ε^{1/(n+p)}·max(|x|, 1)`, made exactly representable (`(x + h) − x == h`). An
//!   [`Interval`] bound keeps every evaluation inside the function's domain, switching to a
//!   one-sided stencil of the same accuracy near an end.
//! * Richardson extrapolation (the default): the scheme at steps `h₀, h₀/2, h₀/4…` from
//!   `h₀ = max(|x|, 1)/16` (larger for high orders), combined to cancel the error terms one
//!   by one. Only steps where the differences behave as the error model says are trusted:
//!   successive changes of one sign, shrinking by about `2ᵖ`, small beside the terms that
//!   cancel, and consistent at one step off the halving sequence (against aliasing of a
//!   periodic `f`). Until then the step jumps down by 16 (`sin x` at `x = 10⁵`, a pole or a
//!   domain edge within reach, where `f` is NaN). It stops when the error estimate stops
//!   falling or reaches the rounding floor, within an evaluation cap that scales with the
//!   stencil (48 for a first derivative; a median of 12 on the accuracy suite).
//! * One difference (`extrapolate: false`) at the model's optimal step, with its truncation
//!   error read off the same stencil at `2h, 4h, 8h`, tested the same way.
//! * Either way the error bound covers rounding (of `f`'s values and of its argument,
//!   `ε|x|·|f′|`) and truncation; an answer the differences cannot vouch for comes back with
//!   an infinite error and a [`Status`] that says why, never as a confident wrong number.
//! * [`complex_step`]: `f′(x) = Im f(x + ih)/h`, exact to rounding for analytic `f`, on
//!   [`Complex`], which implements [`Scalar`](crate::Scalar) and carries the name of any
//!   non-analytic op met.
//! * [`gradient`], [`jacobian`], [`hessian`], [`jvp`], [`hvp`] with per-coordinate steps;
//!   [`sampled_derivative`] for data on a grid; [`step_study`] for the error-vs-step plot.
//!
//! Only `f64` values of the function are used (closures `Fn(f64) -> f64`,
//! `Fn(&[f64]) -> f64`, `Fn(&[f64]) -> Vec<f64>`), so finite differences stay an independent
//! check of the derivative rules of the op table.
//!
//! ```
//! use weifen::numeric;
//!
//! let d = numeric::derivative(|x| (x * x).sin(), 1.5).unwrap();
//! let exact = 2.0 * 1.5 * (1.5f64 * 1.5).cos();
//! assert!((d.value - exact).abs() <= d.error && d.error < 1e-11);
//! ```

mod complex;
pub mod complex_step;
mod derivative;
mod error;
mod estimate;
mod hessian;
mod model;
mod multivariate;
mod richardson;
mod sampled;
mod scheme;
mod single;
mod stencil;
mod step;
mod study;

pub use complex::Complex;
pub use derivative::{
    Params, derivative, derivative_with, nth_derivative, nth_derivative_with, second_derivative,
    value_and_derivative,
};
pub use error::NumericError;
pub use estimate::{Estimate, Status};
pub use hessian::{hessian, hessian_with, hvp, hvp_with};
pub use multivariate::{gradient, gradient_with, jacobian, jacobian_with, jvp, jvp_with};
/// The complex type inside [`Complex`], re-exported so that callers need no `num-complex`.
pub use num_complex::Complex64;
pub use sampled::{Accuracy, Grid, sampled_derivative};
pub use scheme::Scheme;
pub use stencil::{Stencil, fornberg_weights};
pub use step::{Interval, Step, default_step, representable_step, scale};
pub use study::{SchemeStudy, StudyParams, step_study};
