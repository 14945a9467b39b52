//! Hessians and Hessian–vector products by central second differences, extrapolated over a
//! common step scale `t` (each coordinate steps by `t·max(|xᵢ|, 1)`).

use super::derivative::{estimate, plan};
use super::model::{Outcome, Row};
use super::multivariate::{check_points, direction_scale, sized};
use super::step::scale;
use super::{Estimate, NumericError, Params, Scheme};
use crate::error::check_length;
use ndarray::Array2;
use std::cell::Cell;

/// Returns the Hessian `H[i][j] = ∂²f/∂xᵢ∂xⱼ` with the default [`Params`].
///
/// # Errors
/// As [`hessian_with`].
///
/// ```
/// use weifen::numeric;
///
/// // f = x²y + y³: H = [[2y, 2x], [2x, 6y]]
/// let h = numeric::hessian(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]).unwrap();
/// let exact = ndarray::array![[4.0, 2.0], [2.0, 12.0]];
/// assert!((&h.value - &exact).iter().all(|e| e.abs() < 1e-9));
/// ```
pub fn hessian(
    f: impl Fn(&[f64]) -> f64,
    x: &[f64],
) -> Result<Estimate<Array2<f64>>, NumericError> {
    hessian_with(f, x, &Params::default())
}

/// Returns the Hessian with the given [`Params`].
///
/// With steps `hᵢ = t·max(|xᵢ|, 1)`, the diagonal is `(f(x + hᵢeᵢ) − 2f(x) + f(x − hᵢeᵢ))/hᵢ²`
/// and the rest `(f(++) − f(+−) − f(−+) + f(−−))/(4hᵢhⱼ)`; both have errors in `t², t⁴…`, so
/// the whole matrix is extrapolated over `t` at once: `2n²` evaluations per row, with as
/// many rows as a scalar second derivative gets from `max_evaluations`. A fixed step is the
/// (first) scale `t`.
///
/// # Errors
/// [`NumericError::Unsupported`] for a scheme other than central or a domain bound;
/// [`NumericError::NonFinitePoint`] for a coordinate that is not finite.
pub fn hessian_with(
    f: impl Fn(&[f64]) -> f64,
    x: &[f64],
    params: &Params,
) -> Result<Estimate<Array2<f64>>, NumericError> {
    check_supported(params, "hessian")?;
    check_points(x)?;
    let n = x.len();
    let count = Cell::new(0);
    let f = |p: &[f64]| {
        count.set(count.get() + 1);
        f(p)
    };
    let f0 = f(x);
    let second = Scheme::Central.cached(2)?;
    let (stencil, t) = plan(params, &second, 0.0, 1.0)?;
    let scales: Vec<f64> = x.iter().map(|&xi| scale(xi)).collect();
    let r = estimate(params, &stencil, 0.0, t, |t| -> Outcome {
        let row = || -> Result<Row, f64> {
            let h: Vec<f64> = scales.iter().map(|s| t * s).collect();
            let at = |steps: &[(usize, f64)]| {
                let mut p = x.to_vec();
                for &(i, d) in steps {
                    p[i] += d;
                }
                f(&p)
            };
            let mut row = Row {
                value: vec![0.0; n * n],
                rounding: vec![0.0; n * n],
                size: vec![0.0; n * n],
            };
            let mut sides = Vec::with_capacity(n);
            for (i, &hi) in h.iter().enumerate() {
                let (fp, fm) = (at(&[(i, hi)]), at(&[(i, -hi)]));
                finite(&[fp, fm], t)?;
                sides.push((fp, fm));
            }
            // A formula rounds its arguments: as if each xₖ moved by ε|xₖ|, an error of
            // ε·Σₖ|xₖ|·|∂f/∂xₖ| in every value (the slopes from the same differences).
            let argument: f64 = (0..n)
                .map(|k| x[k].abs() * (sides[k].0 - sides[k].1).abs() / (2.0 * h[k]))
                .sum();
            let mut put = |i: usize, j: usize, value: f64, terms: f64, denominator: f64| {
                for (a, b) in [(i, j), (j, i)] {
                    row.value[a * n + b] = value;
                    row.size[a * n + b] = terms / denominator;
                    row.rounding[a * n + b] = f64::EPSILON * (terms + 4.0 * argument) / denominator;
                }
            };
            for i in 0..n {
                let (fp, fm) = sides[i];
                let d = finite(&[fp, fm, f0], t)? + f0.abs();
                put(i, i, (fp - 2.0 * f0 + fm) / (h[i] * h[i]), d, h[i] * h[i]);
                for j in i + 1..n {
                    let pp = at(&[(i, h[i]), (j, h[j])]);
                    let pm = at(&[(i, h[i]), (j, -h[j])]);
                    let mp = at(&[(i, -h[i]), (j, h[j])]);
                    let mm = at(&[(i, -h[i]), (j, -h[j])]);
                    let d = finite(&[pp, pm, mp, mm], t)?;
                    let hij = 4.0 * h[i] * h[j];
                    put(i, j, (pp - pm - mp + mm) / hij, d, hij);
                }
            }
            Ok(row)
        };
        row().into()
    })?;
    let r = sized(r, n * n);
    let shape = |v: Vec<f64>| Array2::from_shape_vec((n, n), v).expect("n·n entries");
    Ok(Estimate {
        value: shape(r.value),
        error: shape(r.error),
        evaluations: count.get(),
        status: r.status,
    })
}

/// Returns `H(x)·v` with the default [`Params`], without forming `H`.
///
/// # Errors
/// As [`hvp_with`].
///
/// ```
/// use weifen::numeric;
///
/// // f = x²y + y³: H(1, 2)·(1, 1) = (6, 14)
/// let hv = numeric::hvp(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0], &[1.0, 1.0]).unwrap();
/// assert!((hv.value[0] - 6.0).abs() < 1e-9 && (hv.value[1] - 14.0).abs() < 1e-9);
/// ```
pub fn hvp(
    f: impl Fn(&[f64]) -> f64,
    x: &[f64],
    v: &[f64],
) -> Result<Estimate<Vec<f64>>, NumericError> {
    hvp_with(f, x, v, &Params::default())
}

/// Returns `H(x)·v` with the given [`Params`]: entry `i` is the mixed difference
/// `(f(x + hᵢeᵢ + uv) − f(x + hᵢeᵢ − uv) − f(x − hᵢeᵢ + uv) + f(x − hᵢeᵢ − uv))/(4hᵢu)`
/// with `hᵢ = t·max(|xᵢ|, 1)` and `u = t·minₖ max(|xₖ|, 1)/|vₖ|`, extrapolated over `t`:
/// `4n` evaluations per row. A fixed step is the (first) scale `t`.
///
/// # Errors
/// [`NumericError::Length`] if `v` and `x` differ in length, and the errors of
/// [`hessian_with`].
pub fn hvp_with(
    f: impl Fn(&[f64]) -> f64,
    x: &[f64],
    v: &[f64],
    params: &Params,
) -> Result<Estimate<Vec<f64>>, NumericError> {
    check_length("hvp vector", "the input x", x.len(), v.len())?;
    check_supported(params, "hvp")?;
    check_points(x)?;
    let n = x.len();
    let count = Cell::new(0);
    let f = |p: &[f64]| {
        count.set(count.get() + 1);
        f(p)
    };
    let second = Scheme::Central.cached(2)?;
    let (stencil, t) = plan(params, &second, 0.0, 1.0)?;
    let along = direction_scale(x, v);
    let r = estimate(params, &stencil, 0.0, t, |t| -> Outcome {
        let row = || -> Result<Row, f64> {
            let u = t * along;
            let at = |i: usize, hi: f64, uv: f64| {
                let mut p: Vec<f64> = x.iter().zip(v).map(|(xk, vk)| xk + uv * vk).collect();
                p[i] += hi;
                f(&p)
            };
            let mut row = Row {
                value: vec![0.0; n],
                rounding: vec![0.0; n],
                size: Vec::new(),
            };
            for (i, &xi) in x.iter().enumerate() {
                let hi = t * scale(xi);
                let (pp, pm, mp, mm) = (at(i, hi, u), at(i, hi, -u), at(i, -hi, u), at(i, -hi, -u));
                let d = finite(&[pp, pm, mp, mm], t)?;
                row.value[i] = (pp - pm - mp + mm) / (4.0 * hi * u);
                row.rounding[i] = f64::EPSILON * d / (4.0 * hi * u);
            }
            Ok(row)
        };
        row().into()
    })?;
    let r = sized(r, n);
    Ok(Estimate {
        value: r.value,
        error: r.error,
        evaluations: count.get(),
        status: r.status,
    })
}

/// The central second differences need a central scheme and no domain bound.
fn check_supported(params: &Params, op: &'static str) -> Result<(), NumericError> {
    if params.scheme != Scheme::Central {
        let what = if op == "hessian" {
            "a non-central scheme in hessian"
        } else {
            "a non-central scheme in hvp"
        };
        return Err(NumericError::Unsupported { what });
    }
    if !params.domain.is_unbounded() {
        let what = if op == "hessian" {
            "a domain bound in hessian"
        } else {
            "a domain bound in hvp"
        };
        return Err(NumericError::Unsupported { what });
    }
    Ok(())
}

/// `Σ|yₖ|` (for the rounding bound), or `Err(t)` if a value is not finite.
fn finite(y: &[f64], t: f64) -> Result<f64, f64> {
    if y.iter().all(|v| v.is_finite()) {
        Ok(y.iter().map(|v| v.abs()).sum())
    } else {
        Err(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f = sin(x)·e^y + x³y²: H = [[−sin x·eʸ + 6xy², cos x·eʸ + 6x²y], [·, sin x·eʸ + 2x³]].
    fn f(x: &[f64]) -> f64 {
        x[0].sin() * x[1].exp() + x[0].powi(3) * x[1] * x[1]
    }

    #[test]
    fn hessians_match_the_analytic_second_derivatives() {
        let (a, b): (f64, f64) = (0.7, -0.4);
        let exact = ndarray::array![
            [
                -a.sin() * b.exp() + 6.0 * a * b * b,
                a.cos() * b.exp() + 6.0 * a * a * b
            ],
            [
                a.cos() * b.exp() + 6.0 * a * a * b,
                a.sin() * b.exp() + 2.0 * a.powi(3)
            ]
        ];
        let h = hessian(f, &[a, b]).unwrap();
        for (e, (got, bound)) in exact.iter().zip(h.value.iter().zip(&h.error)) {
            assert!((got - e).abs() < 1e-9, "{h:?}");
            assert!((got - e).abs() <= *bound, "{h:?}");
        }
        assert_eq!(h.value[[0, 1]], h.value[[1, 0]]);
    }

    #[test]
    fn hvps_match_the_hessian_times_the_vector() {
        let (x, v) = ([0.7, -0.4], [2.0, -0.5]);
        let h = hessian(f, &x).unwrap().value;
        let hv = hvp(f, &x, &v).unwrap();
        for i in 0..2 {
            assert!(
                (hv.value[i] - (h[[i, 0]] * v[0] + h[[i, 1]] * v[1])).abs() < 1e-8,
                "{hv:?}"
            );
        }
    }

    #[test]
    fn unsupported_options_are_errors() {
        let p = Params {
            scheme: Scheme::Forward,
            ..Params::default()
        };
        assert_eq!(
            hessian_with(f, &[1.0, 2.0], &p).unwrap_err().to_string(),
            "a non-central scheme in hessian is not supported"
        );
        assert!(matches!(
            hvp(f, &[1.0, 2.0], &[1.0]),
            Err(NumericError::Length(_))
        ));
    }
}
