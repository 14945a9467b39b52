//! Derivatives of functions `ℝ → ℝ`: first, second and n-th.

use super::{Dual, Jet};
use crate::Scalar;

/// Returns `f′(x)`, by one evaluation of `f` on a dual number.
///
/// `S` is the scalar type of `x`: `f64`, or a dual number when this derivative is itself
/// inside a differentiated function.
///
/// ```
/// use weifen::{forward, Scalar};
///
/// let d = forward::derivative(|x| x.sin() * x, 2.0);
/// assert_eq!(d, 2f64.cos() * 2.0 + 2f64.sin());
/// ```
pub fn derivative<S: Scalar>(f: impl Fn(Dual<S>) -> Dual<S>, x: S) -> S {
    f(Dual::variable(x)).tangent
}

/// Returns `(f(x), f′(x))` from one evaluation.
///
/// ```
/// use weifen::{forward, Scalar};
///
/// let (y, d) = forward::value_and_derivative(|x| x.exp(), 1.0);
/// assert_eq!((y, d), (1f64.exp(), 1f64.exp()));
/// ```
pub fn value_and_derivative<S: Scalar>(f: impl Fn(Dual<S>) -> Dual<S>, x: S) -> (S, S) {
    let y = f(Dual::variable(x));
    (y.value, y.tangent)
}

/// Returns `f″(x)`, by one evaluation on a dual number of dual numbers.
///
/// ```
/// use weifen::{forward, Scalar};
///
/// let d2 = forward::second_derivative(|x| x.powi(3), 2.0);
/// assert_eq!(d2, 12.0); // 6x
/// ```
pub fn second_derivative<S: Scalar>(f: impl Fn(Dual<Dual<S>>) -> Dual<Dual<S>>, x: S) -> S {
    let x = Dual::new(Dual::variable(x), Dual::lift(S::constant(1.0)));
    f(x).tangent.tangent
}

/// Returns the Taylor coefficients `f⁽ᵏ⁾(x)/k!` for `k = 0..=n`, from one evaluation on a
/// [`Jet`] of order `n`.
///
/// ```
/// use weifen::{forward, Scalar};
///
/// let c = forward::taylor_coefficients(|x| x.exp(), 0.0, 3);
/// assert_eq!(c, vec![1.0, 1.0, 0.5, 1.0 / 6.0]);
/// ```
pub fn taylor_coefficients<S: Scalar>(f: impl Fn(Jet<S>) -> Jet<S>, x: S, n: usize) -> Vec<S> {
    let mut c = f(Jet::variable(x, n)).into_coefficients();
    c.resize(n + 1, S::constant(0.0));
    c
}

/// Returns the n-th derivative `f⁽ⁿ⁾(x)`, from one evaluation on a [`Jet`] of order `n`
/// (cost `O(n²)` per operation, against `2ⁿ` for `n` nested dual numbers).
///
/// ```
/// use weifen::{forward, Scalar};
///
/// // d⁴/dx⁴ sin = sin
/// let d4 = forward::nth_derivative(|x| x.sin(), 0.5, 4);
/// assert!((d4 - 0.5f64.sin()).abs() < 1e-15);
/// ```
pub fn nth_derivative<S: Scalar>(f: impl Fn(Jet<S>) -> Jet<S>, x: S, n: usize) -> S {
    let c = taylor_coefficients(f, x, n);
    c[n].clone() * factorial(n)
}

fn factorial(n: usize) -> f64 {
    (1..=n).map(|k| k as f64).product()
}
