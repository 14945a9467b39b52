//! Gradients, Jacobians and directional derivatives of functions of several variables, by
//! differences along each coordinate (or direction) with its own step.

use super::derivative::{estimate, nth_derivative_with, plan};
use super::error::check_point;
use super::model::Row;
use super::richardson::Extrapolated;
use super::step::scale;
use super::{Estimate, NumericError, Params, Status, Stencil};
use crate::error::check_length;
use ndarray::Array2;
use std::cell::Cell;

/// Returns `∇f(x)` with the default [`Params`]: per coordinate, Richardson extrapolation of
/// central differences with a step relative to `max(|xᵢ|, 1)`.
///
/// # Errors
/// As [`gradient_with`].
///
/// ```
/// use weifen::numeric;
///
/// // Rosenbrock: ∇f(1, 1) = 0; ∇f(0, 0) = (−2, 0)
/// let f = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
/// let g = numeric::gradient(f, &[0.0, 0.0]).unwrap();
/// assert!((g.value[0] + 2.0).abs() < 1e-12 && g.value[1].abs() < 1e-12);
/// ```
pub fn gradient(f: impl Fn(&[f64]) -> f64, x: &[f64]) -> Result<Estimate<Vec<f64>>, NumericError> {
    gradient_with(f, x, &Params::default())
}

/// Returns `∇f(x)`: the derivative along each coordinate by the scalar method of `params`
/// (its domain bounds every coordinate; `max_evaluations` applies per coordinate).
///
/// # Errors
/// [`NumericError::NonFinitePoint`] naming the first coordinate that is not finite, and the
/// errors of [`nth_derivative_with`](super::nth_derivative_with).
pub fn gradient_with(
    f: impl Fn(&[f64]) -> f64,
    x: &[f64],
    params: &Params,
) -> Result<Estimate<Vec<f64>>, NumericError> {
    check_points(x)?;
    let mut out = empty(Vec::new());
    for i in 0..x.len() {
        let d = nth_derivative_with(
            |t| {
                let mut point = x.to_vec();
                point[i] = t;
                f(&point)
            },
            x[i],
            1,
            params,
        )?;
        out.value.push(d.value);
        out.error.push(d.error);
        out.evaluations += d.evaluations;
        merge_status(&mut out.status, d.status);
    }
    Ok(out)
}

/// Returns the Jacobian `J[i][j] = ∂fᵢ/∂xⱼ` of `f: ℝⁿ → ℝᵐ`, of shape `(m, n)`, with the
/// default [`Params`]: one column per coordinate, each extrapolated as a whole (the step
/// stops when the largest entry error stops falling).
///
/// # Errors
/// As [`jacobian_with`].
///
/// ```
/// use weifen::numeric;
///
/// let f = |x: &[f64]| vec![x[0] * x[1], x[0].sin()];
/// let j = numeric::jacobian(f, &[2.0, 3.0]).unwrap();
/// assert!((j.value[[0, 0]] - 3.0).abs() < 1e-12 && (j.value[[0, 1]] - 2.0).abs() < 1e-12);
/// assert!((j.value[[1, 0]] - 2f64.cos()).abs() < 1e-12 && j.value[[1, 1]] == 0.0);
/// ```
pub fn jacobian(
    f: impl Fn(&[f64]) -> Vec<f64>,
    x: &[f64],
) -> Result<Estimate<Array2<f64>>, NumericError> {
    jacobian_with(f, x, &Params::default())
}

/// Returns the Jacobian with the given [`Params`] (the domain bounds every coordinate;
/// `max_evaluations` applies per column).
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for a coordinate that is not finite, and the errors of
/// [`nth_derivative_with`](super::nth_derivative_with).
pub fn jacobian_with(
    f: impl Fn(&[f64]) -> Vec<f64>,
    x: &[f64],
    params: &Params,
) -> Result<Estimate<Array2<f64>>, NumericError> {
    check_points(x)?;
    let count = Cell::new(0);
    let f = |p: &[f64]| {
        count.set(count.get() + 1);
        f(p)
    };
    let m = f(x).len();
    let (mut value, mut error) = (Array2::zeros((m, x.len())), Array2::zeros((m, x.len())));
    let mut status = Status::Ok;
    let stencil = params.scheme.cached(1)?;
    for j in 0..x.len() {
        let mut unit = vec![0.0; x.len()];
        unit[j] = 1.0;
        let (stencil, h) = plan(params, &stencil, x[j], scale(x[j]))?;
        let r = estimate(params, &stencil, x[j], h, |h| {
            along(&f, x, &unit, &stencil, h).into()
        })?;
        let r = sized(r, m);
        value
            .column_mut(j)
            .assign(&ndarray::ArrayView1::from(&r.value));
        error
            .column_mut(j)
            .assign(&ndarray::ArrayView1::from(&r.error));
        merge_status(&mut status, r.status);
    }
    Ok(Estimate {
        value,
        error,
        evaluations: count.get(),
        status,
    })
}

/// Returns `J(x)·v`, the derivative of `f` along `v`, with the default [`Params`]: the
/// derivative of `t ↦ f(x + t·v)` at 0, whose step is relative to `minᵢ max(|xᵢ|, 1)/|vᵢ|`
/// so that each coordinate moves by about its own scale.
///
/// # Errors
/// As [`jvp_with`].
///
/// ```
/// use weifen::numeric;
///
/// let f = |x: &[f64]| vec![x[0] * x[1], x[0] + x[1]];
/// let jv = numeric::jvp(f, &[2.0, 3.0], &[1.0, -1.0]).unwrap();
/// assert!((jv.value[0] - 1.0).abs() < 1e-12 && jv.value[1].abs() < 1e-12);
/// ```
pub fn jvp(
    f: impl Fn(&[f64]) -> Vec<f64>,
    x: &[f64],
    v: &[f64],
) -> Result<Estimate<Vec<f64>>, NumericError> {
    jvp_with(f, x, v, &Params::default())
}

/// Returns `J(x)·v` with the given [`Params`]; a fixed step is the step in `t` of
/// `t ↦ f(x + t·v)`.
///
/// # Errors
/// [`NumericError::Length`] if `v` and `x` differ in length; [`NumericError::Unsupported`]
/// for a domain bound (a direction has no single coordinate to bound);
/// [`NumericError::NonFinitePoint`] for a coordinate that is not finite.
pub fn jvp_with(
    f: impl Fn(&[f64]) -> Vec<f64>,
    x: &[f64],
    v: &[f64],
    params: &Params,
) -> Result<Estimate<Vec<f64>>, NumericError> {
    check_length("jvp direction", "the input x", x.len(), v.len())?;
    check_points(x)?;
    if !params.domain.is_unbounded() {
        return Err(NumericError::Unsupported {
            what: "a domain bound in jvp",
        });
    }
    let count = Cell::new(0);
    let f = |p: &[f64]| {
        count.set(count.get() + 1);
        f(p)
    };
    let base = params.scheme.cached(1)?;
    let (stencil, h) = plan(params, &base, 0.0, direction_scale(x, v))?;
    let r = estimate(params, &stencil, 0.0, h, |h| {
        along(&f, x, v, &stencil, h).into()
    })?;
    let m = r.value.len();
    let r = sized(r, m);
    Ok(Estimate {
        value: r.value,
        error: r.error,
        evaluations: count.get(),
        status: r.status,
    })
}

/// The scale of the step along `v`: `minᵢ max(|xᵢ|, 1)/|vᵢ|` over `vᵢ ≠ 0` (1 for `v = 0`).
pub(crate) fn direction_scale(x: &[f64], v: &[f64]) -> f64 {
    let s = x
        .iter()
        .zip(v)
        .filter(|(_, vi)| **vi != 0.0)
        .map(|(xi, vi)| scale(*xi) / vi.abs())
        .fold(f64::INFINITY, f64::min);
    if s.is_finite() { s } else { 1.0 }
}

/// The stencil applied along `dir` from `x` with step `h`: `Σⱼ wⱼ·f(x + oⱼh·dir) / hⁿ`,
/// entry by entry, with its rounding bound.
fn along(
    f: &impl Fn(&[f64]) -> Vec<f64>,
    x: &[f64],
    dir: &[f64],
    stencil: &Stencil,
    h: f64,
) -> Result<Row, f64> {
    let hn = h.powi(stencil.order() as i32);
    let mut value: Vec<f64> = Vec::new();
    let mut size: Vec<f64> = Vec::new();
    let mut previous: Option<(f64, Vec<f64>)> = None;
    let mut slope: Vec<f64> = Vec::new();
    let mut weights = 0.0;
    for (o, w) in stencil.points() {
        let point: Vec<f64> = x.iter().zip(dir).map(|(xi, di)| xi + o * h * di).collect();
        let y = f(&point);
        if y.iter().any(|yi| !yi.is_finite()) {
            return Err(o * h);
        }
        value.resize(y.len(), 0.0);
        size.resize(y.len(), 0.0);
        slope.resize(y.len(), 0.0);
        weights += w.abs();
        for (k, yk) in y.iter().enumerate() {
            value[k] += w * yk;
            size[k] += (w * yk).abs();
        }
        if let Some((o0, y0)) = &previous {
            for k in 0..y.len() {
                slope[k] = slope[k].max((y[k] - y0[k]).abs() / ((o - o0).abs() * h));
            }
        }
        previous = Some((o, y));
    }
    // A formula rounds its arguments, as if x moved by ε|x|: along the direction, a move of
    // ε·maxᵢ |xᵢ|/|dirᵢ| in t, an error of that times the slope (as for scalar rows).
    let reach = x
        .iter()
        .zip(dir)
        .filter(|(_, d)| **d != 0.0)
        .fold(0.0f64, |m, (xi, d)| m.max(xi.abs() / d.abs()));
    Ok(Row {
        value: value.iter().map(|v| v / hn).collect(),
        rounding: (0..value.len())
            .map(|k| f64::EPSILON * (size[k] + weights * reach * slope[k]) / hn)
            .collect(),
        size: size.iter().map(|s| s / hn).collect(),
    })
}

/// Checks every coordinate of `x`.
pub(crate) fn check_points(x: &[f64]) -> Result<(), NumericError> {
    x.iter()
        .enumerate()
        .try_for_each(|(i, &xi)| check_point(i, xi))
}

/// A result of `m` entries (a non-finite result comes back with one NaN entry).
pub(crate) fn sized(mut r: Extrapolated, m: usize) -> Extrapolated {
    if r.value.len() != m {
        r.value = vec![f64::NAN; m];
        r.error = vec![f64::INFINITY; m];
    }
    r
}

/// Keeps the first status that is not `Ok`.
pub(crate) fn merge_status(out: &mut Status, new: Status) {
    if *out == Status::Ok {
        *out = new;
    }
}

fn empty<T>(value: T) -> Estimate<T>
where
    T: Clone,
{
    Estimate {
        value: value.clone(),
        error: value,
        evaluations: 0,
        status: Status::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradients_use_each_coordinates_own_scale() {
        // f = ln(x₀) + x₁²: ∂₀ = 1/x₀ at 1e8, ∂₁ = 2x₁ at 1e-3.
        let g = gradient(|x| x[0].ln() + x[1] * x[1], &[1e8, 1e-3]).unwrap();
        assert!((g.value[0] * 1e8 - 1.0).abs() < 1e-10, "{g:?}");
        assert!((g.value[1] - 2e-3).abs() < 1e-13, "{g:?}");
        assert!(g.is_ok());
    }

    #[test]
    fn jacobians_of_linear_maps_are_their_matrices() {
        let f = |x: &[f64]| vec![2.0 * x[0] - x[1], 3.0 * x[1], x[0] + x[1] + x[2]];
        let j = jacobian(f, &[0.3, -1.2, 5.0]).unwrap();
        let expected = ndarray::array![[2.0, -1.0, 0.0], [0.0, 3.0, 0.0], [1.0, 1.0, 1.0]];
        assert!(
            (&j.value - &expected).iter().all(|e| e.abs() < 1e-13),
            "{j:?}"
        );
    }

    #[test]
    fn jvps_match_the_jacobian_times_the_direction() {
        let f = |x: &[f64]| vec![x[0].exp() * x[1], (x[0] * x[1]).sin()];
        let (x, v) = ([0.4, 1.3], [0.5, -2.0]);
        let j = jacobian(f, &x).unwrap().value;
        let jv = jvp(f, &x, &v).unwrap();
        for i in 0..2 {
            let expected = j[[i, 0]] * v[0] + j[[i, 1]] * v[1];
            assert!((jv.value[i] - expected).abs() < 1e-11, "{jv:?}");
        }
        assert_eq!(jvp(f, &x, &[0.0, 0.0]).unwrap().value, vec![0.0, 0.0]);
    }

    #[test]
    fn wrong_lengths_and_bad_points_are_errors() {
        let f = |x: &[f64]| vec![x[0]];
        assert!(matches!(
            jvp(f, &[1.0, 2.0], &[1.0]),
            Err(NumericError::Length(_))
        ));
        let err = gradient(|x| x[0], &[1.0, f64::INFINITY]).unwrap_err();
        assert_eq!(
            err,
            NumericError::NonFinitePoint {
                index: 1,
                x: f64::INFINITY
            }
        );
    }
}
