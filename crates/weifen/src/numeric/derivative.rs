//! Derivatives of `f: ℝ → ℝ` from its values: first, second and n-th, by a fixed stencil or
//! by Richardson extrapolation (the default).

use super::error::{check_point, check_step};
use super::richardson::{Extrapolated, RATIO, Row, extrapolate, settled_threshold};
use super::step::{place, representable_step, scale};
use super::{Estimate, Interval, NumericError, Scheme, Status, Stencil, Step};
use std::borrow::Cow;

/// The tuning knobs of the finite-difference operators.
///
/// ```
/// use weifen::numeric::{self, Params, Scheme};
///
/// // A single five-point difference at the model's optimal step: 4 evaluations.
/// let params = Params { scheme: Scheme::FivePoint, extrapolate: false, ..Params::default() };
/// let d = numeric::derivative_with(|x| x.sin(), 0.5, &params).unwrap();
/// assert!((d.value - 0.5f64.cos()).abs() < 1e-12);
/// assert_eq!(d.evaluations, 4);
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
    /// scheme once.
    pub extrapolate: bool,
    /// The most evaluations of `f` that one derivative may cost (default 30). Multivariate
    /// operators allow this many per coordinate or direction.
    pub max_evaluations: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            scheme: Scheme::Central,
            step: Step::Auto,
            domain: Interval::REAL,
            extrapolate: true,
            max_evaluations: 30,
        }
    }
}

/// The first Richardson step, relative to `max(|x|, 1)`, divided by the stencil's reach.
///
/// Large enough that the tableau reaches high order before rounding noise dominates (a
/// column of order q is best near `h ≈ ε^{1/(q+1)}`, 0.02 for q = 8), small enough not to
/// jump over the features of a function of unit scale. On the accuracy suite, 1/4 and 1/8
/// gave the same accuracy for two to four more evaluations; 1/16 reaches the rounding floor
/// in a median of 10.
const RICHARDSON_START: f64 = 0.0625;

/// Returns `f′(x)` by Richardson extrapolation of central differences, with an error bound
/// and at most 30 evaluations.
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
/// the domain, either applied once (`extrapolate: false`; then `error` is only the rounding
/// part, since one step cannot see its own truncation error) or extrapolated.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for `x` not finite; [`NumericError::InvalidStep`] for a
/// fixed step `≤ 0` or not finite; [`NumericError::UnsupportedOrder`] or
/// [`NumericError::TooFewPoints`] for an order the scheme cannot give;
/// [`NumericError::OutsideDomain`] for `x` outside the domain;
/// [`NumericError::EvaluationCap`] if `max_evaluations` is too small for two rows.
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
            representable_step(x, (RICHARDSON_START * scale / reach).min(d.max(floor)))
        }
        Step::Auto => representable_step(x, stencil.optimal_step() * scale),
    };
    place(stencil, x, h, params.domain)
}

/// Applies the difference once at `h`, or extrapolates it over `h, h/2, h/4…` within the
/// evaluation cap. `apply(h)` gives the difference quotient (a vector) and its rounding
/// bound, or the point where `f` was not finite.
pub(crate) fn estimate(
    params: &Params,
    stencil: &Stencil,
    x: f64,
    h: f64,
    mut apply: impl FnMut(f64) -> Result<Row, f64>,
) -> Result<Extrapolated, NumericError> {
    if !params.extrapolate {
        return Ok(match apply(h) {
            Ok(row) => Extrapolated {
                value: row.value,
                error: row.rounding,
                status: Status::Ok,
            },
            Err(at) => Extrapolated {
                value: vec![f64::NAN],
                error: vec![f64::INFINITY],
                status: Status::NonFinite { at },
            },
        });
    }
    let fixed = usize::from(stencil.uses_centre());
    let per_row = stencil.evaluations_off_centre();
    let needed = fixed + 2 * per_row;
    if params.max_evaluations < needed {
        return Err(NumericError::EvaluationCap {
            cap: params.max_evaluations,
            needed,
        });
    }
    let max_rows = (params.max_evaluations - fixed) / per_row;
    let settled = settled_threshold(stencil.order());
    Ok(extrapolate(
        stencil.error_exponents(),
        max_rows,
        settled,
        |i| apply(representable_step(x, h / RATIO.powi(i as i32))),
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
        if offset == 0.0 {
            if let Some(y) = self.centre {
                return y;
            }
        }
        self.evaluations += 1;
        let y = (self.f)(self.x + offset * h);
        if offset == 0.0 {
            self.centre = Some(y);
        }
        y
    }

    /// `Σ wⱼ f(x + oⱼh) / hⁿ` and its rounding bound `ε·Σ|wⱼ f(x + oⱼh)| / hⁿ`, or the
    /// point where `f` was not finite.
    pub fn apply(&mut self, stencil: &Stencil, h: f64) -> Result<Row, f64> {
        let (mut sum, mut size) = (0.0, 0.0);
        for (o, w) in stencil.points() {
            let y = self.at(o, h);
            if !y.is_finite() {
                return Err(self.x + o * h);
            }
            sum += w * y;
            size += (w * y).abs();
        }
        let hn = h.powi(stencil.order() as i32);
        Ok(Row {
            value: vec![sum / hn],
            rounding: vec![f64::EPSILON * size / hn],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Too close for the cap: the estimate says it did not settle.
        let d = derivative_with(ln, 1e-9, &p).unwrap();
        assert_eq!(d.status, Status::EvaluationCap);
    }

    #[test]
    fn zero_derivatives_settle_at_the_rounding_floor() {
        let d = derivative(|x| x.cos(), 0.0).unwrap();
        assert!(d.value.abs() <= d.error && d.error < 1e-13, "{d:?}");
        assert!(d.is_ok());
    }

    #[test]
    fn richardson_never_exceeds_its_cap_even_on_noise() {
        // Deterministic noise of size 1e-3: the error estimate never settles.
        let noisy = |x: f64| x.sin() + 1e-3 * ((x * 1e7).sin() * 43758.5453).fract();
        for cap in [4, 5, 7, 12, 30, 31, 100] {
            let p = Params {
                max_evaluations: cap,
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
            max_evaluations: 3,
            ..Params::default()
        };
        assert_eq!(
            derivative_with(f, 1.0, &p),
            Err(NumericError::EvaluationCap { cap: 3, needed: 4 })
        );
        assert!(matches!(
            nth_derivative(f, 1.0, 0),
            Err(NumericError::UnsupportedOrder { .. })
        ));
    }
}
