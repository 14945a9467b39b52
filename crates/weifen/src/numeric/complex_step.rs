//! The complex step: `f′(x) = Im f(x + ih)/h + O(h²)`, with no subtractive cancellation.
//!
//! For `f` analytic and real on the real line, `f(x + ih) = f(x) + ih·f′(x) − h²/2·f″(x) − …`,
//! so the imaginary part divided by `h` is `f′(x)` with error `O(h²)`, and no difference of
//! nearby values is taken: `h` can be `1e-20·|x|` (within `[1e-290, 1e-10]`), which puts the truncation far below
//! rounding. One evaluation per derivative, exact to rounding.
//!
//! The function must be generic over [`Scalar`](crate::Scalar), evaluated here on
//! [`Complex`], which implements it with the analytic extension of each op. It must not use
//! non-analytic operations; those of the op table (`abs`, `sign`, `min`, `max`) give the right
//! value away from their kink, and the result carries their name, reported as
//! [`Status::NonAnalytic`].

use super::complex::Complex;
use super::error::{check_point, check_step};
use super::step::scale;
use super::{Estimate, NumericError, Status};
use crate::error::check_length;

/// The imaginary step relative to `|x|`: small enough that `h²·f‴/f′` is far below `ε`,
/// large enough that `h·f′(x)` does not underflow.
pub const STEP: f64 = 1e-20;

/// The largest imaginary step. A step relative to `|x|` assumes `f` varies on the scale of
/// `x`; `sin x` at `x = 10¹⁵` varies on the scale 1, and `h = 10⁻⁵` would leave a truncation
/// error `h²/6 ≈ 2·10⁻¹¹`. Capped at `10⁻¹⁰`, the truncation stays below `ε` for any `f`
/// varying on a scale above `10⁻²`; where `h·f′` then falls among the subnormal numbers
/// (`ln x` at `10³⁰⁰`), the error bound includes their spacing.
pub const MAX_STEP: f64 = 1e-10;

/// The smallest imaginary step: below it `h·f′` is subnormal for `|f′| ≲ 1`.
const MIN_STEP: f64 = 1e-290;

/// The imaginary step for a point of scale `scale`: `10⁻²⁰·scale`, within
/// `[MIN_STEP, MAX_STEP]`.
fn step(scale: f64) -> f64 {
    (STEP * scale).clamp(MIN_STEP, MAX_STEP)
}

/// The scale of the step at `x`: `|x|` (1 at 0). Unlike a difference, the complex step takes
/// no difference of nearby values, so a step relative to a tiny `|x|` costs no accuracy, and
/// keeps `x + ih` away from a singularity at 0 (`ln x` at `10⁻³⁰`).
fn point_scale(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { x.abs() }
}

/// The error of `Im f/h` from the spacing of subnormal numbers (a few of their ulps, over h).
fn underflow(h: f64) -> f64 {
    16.0 * f64::from_bits(1) / h
}

/// The relative rounding error reported, against `max(|f′|, |f|/max(|x|, 1))`: a few units
/// in the last place per op of a moderately long function.
const ROUNDING: f64 = 16.0 * f64::EPSILON;

/// Returns `f′(x)` from one evaluation of `f(x + ih)`.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] if `x` is not finite.
///
/// ```
/// use weifen::{numeric::complex_step, Scalar};
///
/// fn f<S: Scalar>(x: S) -> S {
///     x.clone().exp() / (x.clone().sin().powi(3) + x.cos().powi(3)).sqrt()
/// }
/// let d = complex_step::derivative(f, 1.5).unwrap();
/// assert_eq!(d.evaluations, 1);
/// assert!(d.is_ok());
/// assert!((d.value - 4.0534278938986201).abs() < 1e-14);
/// ```
pub fn derivative(f: impl Fn(Complex) -> Complex, x: f64) -> Result<Estimate, NumericError> {
    derivative_with_step(f, x, step(point_scale(x)))
}

/// Returns `f′(x)` with the imaginary step `h`.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for `x` not finite, [`NumericError::InvalidStep`] for
/// `h ≤ 0` or not finite.
pub fn derivative_with_step(
    f: impl Fn(Complex) -> Complex,
    x: f64,
    h: f64,
) -> Result<Estimate, NumericError> {
    check_point(0, x)?;
    check_step(h)?;
    Ok(value_and_step(&f, x, h).1)
}

/// Returns `(f(x), f′(x))` from the same evaluation: the real part is `f(x) + O(h²)`.
///
/// # Errors
/// As [`derivative`].
pub fn value_and_derivative(
    f: impl Fn(Complex) -> Complex,
    x: f64,
) -> Result<(f64, Estimate), NumericError> {
    check_point(0, x)?;
    Ok(value_and_step(&f, x, step(point_scale(x))))
}

/// Returns `f′(x)` as [`derivative`] does, given `f(x)` evaluated on `f64` (`fx`, which a
/// caller often has at no cost): where the real part of `f(x + ih)` is not `f(x) + O(h²)`, `f`
/// has a pole or a branch point at `x` and the estimate says so ([`Status::Singular`], or
/// [`Status::NonFinite`] if `fx` is not finite), with an infinite error.
///
/// # Errors
/// As [`derivative`].
///
/// ```
/// use weifen::{numeric::{complex_step, Status}, Scalar};
///
/// // √x at 0: Im √(ih)/h = 1/√(2h) is finite, but √x has no derivative there.
/// let d = complex_step::derivative_given_value(|z| z.sqrt(), 0.0, 0.0).unwrap();
/// assert_eq!(d.status, Status::Singular { at: 0.0 });
/// assert_eq!(d.error, f64::INFINITY);
/// let d = complex_step::derivative_given_value(|z| z.sqrt(), 4.0, 2.0).unwrap();
/// assert!(d.is_ok() && (d.value - 0.25).abs() < 1e-15);
/// ```
pub fn derivative_given_value(
    f: impl Fn(Complex) -> Complex,
    x: f64,
    fx: f64,
) -> Result<Estimate, NumericError> {
    check_point(0, x)?;
    let h = step(point_scale(x));
    let (re, mut d) = value_and_step(&f, x, h);
    if !fx.is_finite() && d.status == Status::Ok {
        d.status = Status::NonFinite { at: x };
        d.error = f64::INFINITY;
        return Ok(d);
    }
    // Re f(x + ih) = f(x) − h²·f″(x)/2 + …: allow h² times a generous f″, and rounding.
    let allowed = h * h * (1.0 + fx.abs() + d.value.abs() * point_scale(x))
        + ROUNDING * fx.abs().max(re.abs());
    if (re - fx).abs() > allowed && d.status == Status::Ok {
        d.status = Status::Singular { at: x };
        d.error = f64::INFINITY;
    }
    Ok(d)
}

/// Returns `∇f(x)` by one complex step per coordinate (`n` evaluations), each step
/// relative to its own coordinate.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] naming the first coordinate that is not finite.
///
/// ```
/// use weifen::{numeric::complex_step, Scalar};
///
/// let g = complex_step::gradient(|x| x[0] * x[1].clone().sin(), &[2.0, 0.0]).unwrap();
/// assert_eq!(g.value, vec![0.0, 2.0]);
/// ```
pub fn gradient(
    f: impl Fn(&[Complex]) -> Complex,
    x: &[f64],
) -> Result<Estimate<Vec<f64>>, NumericError> {
    for (i, &xi) in x.iter().enumerate() {
        check_point(i, xi)?;
    }
    let mut z: Vec<Complex> = x.iter().map(|&xi| Complex::new(xi, 0.0)).collect();
    let mut out = Estimate {
        value: vec![],
        error: vec![],
        evaluations: 0,
        status: Status::Ok,
    };
    for i in 0..x.len() {
        let h = step(point_scale(x[i]));
        z[i].z.im = h;
        let (_, d) = value_and_step(&|zi: Complex| f(&with(&z, i, zi)), x[i], h);
        z[i].z.im = 0.0;
        merge(&mut out, d);
    }
    Ok(out)
}

/// Returns `J(x)·v` for `f: ℝⁿ → ℝᵐ` from one evaluation at `x + ih·v`.
///
/// # Errors
/// [`NumericError::Length`] if `v` and `x` differ in length, [`NumericError::NonFinitePoint`]
/// if a coordinate of `x` is not finite.
///
/// ```
/// use weifen::{numeric::complex_step, Scalar};
///
/// let jv = complex_step::jvp(|x| vec![x[0] * x[1], x[0].clone().exp()], &[2.0, 3.0], &[1.0, 0.0]).unwrap();
/// assert_eq!(jv.value[0], 3.0);
/// assert!((jv.value[1] - 2f64.exp()).abs() < 1e-15 * 2f64.exp());
/// ```
pub fn jvp(
    f: impl Fn(&[Complex]) -> Vec<Complex>,
    x: &[f64],
    v: &[f64],
) -> Result<Estimate<Vec<f64>>, NumericError> {
    let size = x.iter().fold(1.0f64, |m, xi| m.max(xi.abs()));
    let norm = v.iter().fold(0.0f64, |m, vi| m.max(vi.abs()));
    let h = if norm > 0.0 { step(size) / norm } else { STEP };
    jvp_with_step(f, x, v, h)
}

/// Returns `J(x)·v` from one evaluation at `x + ih·v`, with the step `h` given.
///
/// # Errors
/// As [`jvp`], and [`NumericError::InvalidStep`] for `h ≤ 0` or not finite.
pub fn jvp_with_step(
    f: impl Fn(&[Complex]) -> Vec<Complex>,
    x: &[f64],
    v: &[f64],
    h: f64,
) -> Result<Estimate<Vec<f64>>, NumericError> {
    check_length("jvp direction", "the input x", x.len(), v.len())?;
    for (i, &xi) in x.iter().enumerate() {
        check_point(i, xi)?;
    }
    check_step(h)?;
    let z: Vec<Complex> = x
        .iter()
        .zip(v)
        .map(|(&xi, &vi)| Complex::new(xi, h * vi))
        .collect();
    let y = f(&z);
    let value: Vec<f64> = y.iter().map(|yi| yi.im() / h).collect();
    let status = status_of(&y, x.first().copied().unwrap_or(0.0));
    let error = value
        .iter()
        .map(|d| ROUNDING * d.abs() + underflow(h))
        .collect();
    Ok(Estimate {
        value,
        error,
        evaluations: 1,
        status,
    })
}

/// One complex step at `x` with step `h`: `(Re f, the estimate)`.
fn value_and_step(f: &impl Fn(Complex) -> Complex, x: f64, h: f64) -> (f64, Estimate) {
    let y = f(Complex::new(x, h));
    let status = status_of(&[y], x);
    let value = if status == (Status::NonFinite { at: x }) {
        f64::NAN
    } else {
        y.im() / h
    };
    // Rounding is relative to the size of the terms, which for a derivative that cancels
    // (x⁵ − 3x³ + x at 1.3) is nearer |f|/max(|x|, 1) than |f′|.
    let size = value.abs().max(y.re().abs() / scale(x));
    let error = if value.is_nan() {
        f64::INFINITY
    } else {
        ROUNDING * size + underflow(h)
    };
    (
        y.re(),
        Estimate {
            value,
            error,
            evaluations: 1,
            status,
        },
    )
}

/// NonAnalytic if a non-analytic op ran (the outputs carry its name), else NonFinite if an
/// output is not finite, else Ok.
fn status_of(y: &[Complex], x: f64) -> Status {
    if let Some(op) = y.iter().find_map(|yi| yi.non_analytic) {
        Status::NonAnalytic { op }
    } else if y
        .iter()
        .any(|yi| !yi.re().is_finite() || !yi.im().is_finite())
    {
        Status::NonFinite { at: x }
    } else {
        Status::Ok
    }
}

fn with(z: &[Complex], i: usize, zi: Complex) -> Vec<Complex> {
    let mut z = z.to_vec();
    z[i] = zi;
    z
}

/// Appends a coordinate's estimate to a gradient's, keeping the first non-Ok status.
fn merge(out: &mut Estimate<Vec<f64>>, d: Estimate) {
    out.value.push(d.value);
    out.error.push(d.error);
    out.evaluations += d.evaluations;
    if out.status == Status::Ok {
        out.status = d.status;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;

    #[test]
    fn the_complex_step_is_exact_to_rounding_for_analytic_functions() {
        let d = derivative(|x| x.exp() * x.sin(), 0.7).unwrap();
        let exact = 0.7f64.exp() * (0.7f64.sin() + 0.7f64.cos());
        assert!((d.value - exact).abs() <= 2.0 * f64::EPSILON * exact);
        assert!((d.value - exact).abs() <= d.error);
    }

    #[test]
    fn non_analytic_ops_are_flagged_but_give_the_derivative_away_from_kinks() {
        let d = derivative(|x: Complex| Scalar::abs(x) * x, -2.0).unwrap();
        assert_eq!(d.value, 4.0); // d/dx (−x²) at −2
        assert_eq!(d.status, Status::NonAnalytic { op: "abs" });
        let d = derivative(|x: Complex| Scalar::max(x, Complex::new(0.0, 0.0)), 0.0).unwrap();
        assert_eq!(d.value, 0.5); // the tie convention
        assert!(!d.is_ok());
    }

    #[test]
    fn a_function_that_is_not_finite_says_so() {
        let d = derivative(|x: Complex| x * f64::NAN, 1.0).unwrap();
        assert!(d.value.is_nan());
        assert_eq!(d.status, Status::NonFinite { at: 1.0 });
    }

    #[test]
    fn bad_steps_and_points_are_errors() {
        let f = |x: Complex| x;
        assert_eq!(
            derivative_with_step(f, 1.0, 0.0),
            Err(NumericError::InvalidStep { h: 0.0 })
        );
        assert!(matches!(
            derivative(f, f64::NAN),
            Err(NumericError::NonFinitePoint { .. })
        ));
    }
}
