//! Derivatives of `f: ℝ → ℝ` from its values: first, second and n-th, by a fixed stencil or
//! by Richardson extrapolation (the default).

use super::error::{check_point, check_step};
use super::model::{Outcome, Row};
use super::richardson::{Extrapolated, RATIO, extrapolate, settled_threshold};
use super::single::single;
use super::step::{place, representable_step, scale};
use super::{Estimate, Interval, NumericError, Scheme, Stencil, Step};
use std::borrow::Cow;

/// The tuning knobs of the finite-difference operators.
///
/// ```
/// use weifen::numeric::{self, Params, Scheme};
///
/// // A single five-point difference at the model's optimal step (4 evaluations), and the
/// // same stencil at 2h, 4h, 8h and 1.38h for its truncation error (16 more).
/// let params = Params { scheme: Scheme::FivePoint, extrapolate: false, ..Params::default() };
/// let d = numeric::derivative_with(|x| x.sin(), 0.5, &params).unwrap();
/// assert!((d.value - 0.5f64.cos()).abs() <= d.error && d.error < 1e-11);
/// assert_eq!(d.evaluations, 20);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// The difference scheme (with `extrapolate`, the base of the tableau). Default: central.
    pub scheme: Scheme,
    /// The step (with `extrapolate`, the first step). Default: from the error model.
    pub step: Step,
    /// Where `f` may be evaluated. Default: the whole line.
    pub domain: Interval,
    /// Richardson extrapolation over halved steps (default `true`); `false` applies the
    /// scheme once, at one step (and at two larger ones for the error estimate).
    pub extrapolate: bool,
    /// The most evaluations of `f` that one derivative may cost. Default `None`: 24 rows of
    /// the stencil (48 for a central first derivative, 193 for an eighth), which scales with
    /// the order; most derivatives stop after 5 to 8 rows. Multivariate operators allow this
    /// many per coordinate or direction.
    pub max_evaluations: Option<usize>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            scheme: Scheme::Central,
            step: Step::Auto,
            domain: Interval::REAL,
            extrapolate: true,
            max_evaluations: None,
        }
    }
}

/// The first Richardson step, relative to `max(|x|, 1)`, divided by the stencil's reach.
///
/// Large enough that the tableau reaches high order before rounding noise dominates (a
/// column of order q is best near `h ≈ ε^{1/(q+1)}`, 0.02 for q = 8), small enough not to
/// jump over the features of a function of unit scale. On the accuracy suite, 1/4 and 1/8
/// gave the same accuracy for two to four more evaluations; 1/16 reaches the rounding floor
/// in a median of 12 (10 before the asymptotic test added its fourth row and its
/// off-sequence row). Functions that vary faster (large `|x|` with `sin x`, a pole near
/// `x`) are found by the tableau's asymptotic test, which then jumps to smaller steps.
const RICHARDSON_START: f64 = 0.0625;

/// Rows of the stencil allowed by the default evaluation cap.
const AUTO_ROWS: usize = 24;

/// Returns `f′(x)` by Richardson extrapolation of central differences, with an error bound
/// and at most 48 evaluations (a median of 12 on the accuracy suite).
///
/// # Errors
/// [`NumericError::NonFinitePoint`] if `x` is NaN or infinite.
///
/// ```
/// use weifen::numeric;
///
/// let d = numeric::derivative(|x| x.sin(), 1.0).unwrap();
/// assert!((d.value - 1f64.cos()).abs() < 1e-13);
/// assert!((d.value - 1f64.cos()).abs() <= d.error);
/// ```
pub fn derivative(f: impl Fn(f64) -> f64, x: f64) -> Result<Estimate, NumericError> {
    nth_derivative_with(f, x, 1, &Params::default())
}

/// Returns `f′(x)` with the given [`Params`].
///
/// # Errors
/// As [`nth_derivative_with`].
pub fn derivative_with(
    f: impl Fn(f64) -> f64,
    x: f64,
    params: &Params,
) -> Result<Estimate, NumericError> {
    nth_derivative_with(f, x, 1, params)
}

/// Returns `(f(x), f′(x))`; `f(x)` costs one evaluation more (counted).
///
/// # Errors
/// As [`derivative`].
///
/// ```
/// use weifen::numeric;
///
/// let (y, d) = numeric::value_and_derivative(|x| x.exp(), 0.0).unwrap();
/// assert_eq!(y, 1.0);
/// assert!((d.value - 1.0).abs() < 1e-13);
/// ```
pub fn value_and_derivative(
    f: impl Fn(f64) -> f64,
    x: f64,
) -> Result<(f64, Estimate), NumericError> {
    let mut d = derivative(&f, x)?;
    d.evaluations += 1;
    Ok((f(x), d))
}

/// Returns `f″(x)` by Richardson extrapolation of central second differences.
///
/// # Errors
/// As [`derivative`].
///
/// ```
/// use weifen::numeric;
///
/// let d2 = numeric::second_derivative(|x| x.powi(3), 2.0).unwrap();
/// assert!((d2.value - 12.0).abs() < 1e-10);
/// ```
pub fn second_derivative(f: impl Fn(f64) -> f64, x: f64) -> Result<Estimate, NumericError> {
    nth_derivative_with(f, x, 2, &Params::default())
}

/// Returns `f⁽ⁿ⁾(x)` with the default [`Params`].
///
/// # Errors
/// As [`nth_derivative_with`].
///
/// ```
/// use weifen::numeric;
///
/// // d⁴/dx⁴ sin = sin
/// let d4 = numeric::nth_derivative(|x| x.sin(), 0.5, 4).unwrap();
/// assert!((d4.value - 0.5f64.sin()).abs() < 1e-6);
/// ```
pub fn nth_derivative(f: impl Fn(f64) -> f64, x: f64, n: usize) -> Result<Estimate, NumericError> {
    nth_derivative_with(f, x, n, &Params::default())
}

/// Returns `f⁽ⁿ⁾(x)` with the given [`Params`]: the scheme's stencil for order `n`, placed in
/// the domain, either applied once (`extrapolate: false`; `error` is then the truncation
/// error read off the same stencil at `2h`, `4h`, `8h`, plus the rounding error; an
/// automatic step shrinks if those do not behave as the error model says) or
/// extrapolated. Either way an answer the differences cannot vouch for has an infinite
/// `error` and a [`Status`](super::Status) saying why.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for `x` not finite; [`NumericError::InvalidStep`] for a
/// fixed step `≤ 0` or not finite; [`NumericError::UnsupportedOrder`] or
/// [`NumericError::TooFewPoints`] for an order the scheme cannot give;
/// [`NumericError::OutsideDomain`] for `x` outside the domain;
/// [`NumericError::EvaluationCap`] if `max_evaluations` is too small for four rows (two
/// tests of the error model).
pub fn nth_derivative_with(
    f: impl Fn(f64) -> f64,
    x: f64,
    n: usize,
    params: &Params,
) -> Result<Estimate, NumericError> {
    check_point(0, x)?;
    let base = params.scheme.cached(n)?;
    let (stencil, h) = plan(params, &base, x, scale(x))?;
    let mut eval = Evaluator::new(&f, x);
    let r = estimate(params, &stencil, x, h, |h| eval.apply(&stencil, h))?;
    Ok(Estimate {
        value: r.value[0],
        error: r.error[0],
        evaluations: eval.evaluations,
        status: r.status,
    })
}

/// The step for `stencil` at `x` (whose steps are relative to `scale`), placed in the
/// domain: the stencil to use and its (first) step.
pub(crate) fn plan<'a>(
    params: &Params,
    stencil: &'a Stencil,
    x: f64,
    scale: f64,
) -> Result<(Cow<'a, Stencil>, f64), NumericError> {
    let reach = stencil.offsets().iter().fold(0.0f64, |m, o| m.max(o.abs()));
    let h = match params.step {
        Step::Fixed(h) => {
            check_step(h)?;
            representable_step(x, h)
        }
        Step::Auto if params.extrapolate => {
            // Near a domain bound, f often varies on the scale of the distance to it (ln x
            // near 0): start no farther than that, nor below the single-step optimum.
            let d = (x - params.domain.lo).min(params.domain.hi - x);
            let floor = stencil.optimal_step() * scale;
            // High orders divide rounding by hⁿ: start where one row's rounding error is
            // √ε·|f| (h = 0.21 for n = 8), so that a few halvings still leave digits.
            let n = stencil.order() as i32;
            let sum: f64 = stencil.weights().iter().map(|w| w.abs()).sum();
            let rounding = (f64::EPSILON.sqrt() * sum).powf(1.0 / f64::from(n)) * scale;
            let start = (RICHARDSON_START * scale / reach).max(rounding);
            representable_step(x, start.min(d.max(floor)))
        }
        Step::Auto => representable_step(x, stencil.optimal_step() * scale),
    };
    place(stencil, x, h, params.domain)
}

/// Applies the difference once at `h` (with its error estimate from `2h`, `4h`), or
/// extrapolates it over `h, h/2, h/4…` within the evaluation cap. `apply(h)` gives the
/// difference quotient (a vector) and its rounding bound, or the point where `f` was not
/// finite.
pub(crate) fn estimate(
    params: &Params,
    stencil: &Stencil,
    x: f64,
    h: f64,
    mut apply: impl FnMut(f64) -> Outcome,
) -> Result<Extrapolated, NumericError> {
    if !params.extrapolate {
        return Ok(single(params, stencil, x, h, apply));
    }
    let fixed = usize::from(stencil.uses_centre());
    let per_row = stencil.evaluations_off_centre();
    let needed = fixed + 5 * per_row;
    let cap = params
        .max_evaluations
        .unwrap_or(fixed + AUTO_ROWS * per_row);
    if cap < needed {
        return Err(NumericError::EvaluationCap { cap, needed });
    }
    // One row is kept for the off-sequence check of `extrapolate`.
    let max_rows = (cap - fixed) / per_row - 1;
    let settled = settled_threshold(stencil.order());
    Ok(extrapolate(
        stencil.error_exponents(),
        max_rows,
        settled,
        |k| {
            let s = representable_step(x, h / RATIO.powf(k));
            if x + s == x {
                Outcome::StepUnderflow
            } else {
                apply(s)
            }
        },
    ))
}

/// Evaluates `f` at stencil points around `x`, caching `f(x)` and counting evaluations.
pub(crate) struct Evaluator<'f, F> {
    f: &'f F,
    x: f64,
    centre: Option<f64>,
    pub evaluations: usize,
}

impl<'f, F: Fn(f64) -> f64> Evaluator<'f, F> {
    pub fn new(f: &'f F, x: f64) -> Self {
        Evaluator {
            f,
            x,
            centre: None,
            evaluations: 0,
        }
    }

    fn at(&mut self, offset: f64, h: f64) -> f64 {
        if offset == 0.0
            && let Some(y) = self.centre
        {
            return y;
        }
        self.evaluations += 1;
        let y = (self.f)(self.x + offset * h);
        if offset == 0.0 {
            self.centre = Some(y);
        }
        y
    }

    /// `Σ wⱼ f(x + oⱼh) / hⁿ` and its rounding bound, or the point where `f` was not finite.
    ///
    /// The bound is `ε·(Σ|wⱼ f(x + oⱼh)| + Σ|wⱼ|·|x|·s)/hⁿ`, with `s` the largest slope
    /// between two stencil points: the values are rounded (`ε|f|`), and a formula evaluated
    /// in floating point also rounds its argument and intermediates, which shows as a
    /// perturbation of `x` by `ε|x|`, i.e. an error of `ε|x|·|f′|` (`tan(x¹⁰)` at 2.7 is
    /// computed to `4·10⁵ ε`, not `ε`).
    pub fn apply(&mut self, stencil: &Stencil, h: f64) -> Outcome {
        let (mut sum, mut size, mut weights) = (0.0, 0.0, 0.0);
        let mut values = Vec::with_capacity(stencil.offsets().len());
        for (o, w) in stencil.points() {
            let y = self.at(o, h);
            if !y.is_finite() {
                return Outcome::NonFinite(self.x + o * h);
            }
            sum += w * y;
            size += (w * y).abs();
            weights += w.abs();
            values.push((o, y));
        }
        let slope = values.windows(2).fold(0.0f64, |m, pair| {
            let ((o1, y1), (o2, y2)) = (pair[0], pair[1]);
            m.max((y2 - y1).abs() / ((o2 - o1).abs() * h))
        });
        let argument = weights * self.x.abs() * slope;
        let hn = h.powi(stencil.order() as i32);
        Outcome::Row(Row {
            value: vec![sum / hn],
            rounding: vec![f64::EPSILON * (size + argument) / hn],
            size: vec![size / hn],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::Status;

    #[test]
    fn richardson_is_accurate_within_the_default_cap() {
        let d = derivative(|x| x.exp(), 0.5).unwrap();
        assert!((d.value / 0.5f64.exp() - 1.0).abs() < 1e-13, "{d:?}");
        assert!(d.evaluations <= 30);
    }

    #[test]
    fn higher_orders_are_extrapolated_too() {
        for (n, exact) in [(2, -0.5f64.sin()), (3, -0.5f64.cos()), (4, 0.5f64.sin())] {
            let d = nth_derivative(|x| x.sin(), 0.5, n).unwrap();
            assert!((d.value - exact).abs() < 1e-6, "order {n}: {d:?}");
            assert!((d.value - exact).abs() <= d.error, "order {n}: {d:?}");
        }
    }

    #[test]
    fn a_nan_at_a_stencil_point_is_reported_not_hidden() {
        let params = Params {
            extrapolate: false,
            ..Params::default()
        };
        let d = derivative_with(|x| if x > 1.0 { f64::NAN } else { x }, 1.0, &params).unwrap();
        assert!(d.value.is_nan());
        assert!(matches!(d.status, Status::NonFinite { at } if at > 1.0));
        let d = derivative(|_| f64::NAN, 1.0).unwrap();
        assert!(matches!(d.status, Status::NonFinite { .. }));
        assert!(d.evaluations <= 30);
    }

    #[test]
    fn functions_singular_at_a_domain_bound_are_differentiated_near_it() {
        let p = Params {
            domain: Interval::new(0.0, f64::INFINITY),
            ..Params::default()
        };
        let ln = |x: f64| {
            assert!(x >= 0.0, "evaluated outside the domain at {x}");
            x.ln()
        };
        let d = derivative_with(ln, 1e-6, &p).unwrap();
        assert!((d.value * 1e-6 - 1.0).abs() < 1e-10, "{d:?}");
        assert!(d.is_ok());
        // Closer: the tableau jumps down to steps on the scale of the distance to 0.
        let d = derivative_with(ln, 1e-9, &p).unwrap();
        assert!((d.value - 1e9).abs() <= d.error && d.error < 10.0, "{d:?}");
        assert!(d.is_ok());
        // A cap too small for that is said, with an infinite error.
        let capped = Params {
            max_evaluations: Some(12),
            ..p
        };
        let d = derivative_with(ln, 1e-12, &capped).unwrap();
        assert!(!d.is_ok() && d.error == f64::INFINITY, "{d:?}");
    }

    #[test]
    fn zero_derivatives_settle_at_the_rounding_floor() {
        // The floor: 16ε per value (the rounding margin), over h = 1/16, through the tableau.
        let d = derivative(|x| x.cos(), 0.0).unwrap();
        assert!(d.value.abs() <= d.error && d.error < 1e-11, "{d:?}");
        assert!(d.is_ok());
    }

    #[test]
    fn richardson_never_exceeds_its_cap_even_on_noise() {
        // Deterministic noise of size 1e-3: the error estimate never settles.
        let noisy = |x: f64| x.sin() + 1e-3 * ((x * 1e7).sin() * 43758.5453).fract();
        for cap in [4, 5, 7, 12, 30, 31, 100] {
            let p = Params {
                max_evaluations: Some(cap),
                ..Params::default()
            };
            for n in 1..=4 {
                let Ok(d) = nth_derivative_with(noisy, 0.4, n, &p) else {
                    continue;
                };
                assert!(
                    d.evaluations <= cap,
                    "cap {cap}, order {n}: {}",
                    d.evaluations
                );
            }
        }
    }

    #[test]
    fn bad_input_gives_errors_that_name_it() {
        let f = |x: f64| x;
        assert!(matches!(
            derivative(f, f64::NAN),
            Err(NumericError::NonFinitePoint { index: 0, .. })
        ));
        assert!(matches!(
            derivative(f, f64::INFINITY),
            Err(NumericError::NonFinitePoint { .. })
        ));
        for h in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let p = Params {
                step: Step::Fixed(h),
                ..Params::default()
            };
            assert!(matches!(
                derivative_with(f, 1.0, &p),
                Err(NumericError::InvalidStep { .. })
            ));
        }
        let p = Params {
            max_evaluations: Some(3),
            ..Params::default()
        };
        assert_eq!(
            derivative_with(f, 1.0, &p),
            Err(NumericError::EvaluationCap { cap: 3, needed: 10 })
        );
        assert!(matches!(
            nth_derivative(f, 1.0, 0),
            Err(NumericError::UnsupportedOrder { .. })
        ));
    }
}
