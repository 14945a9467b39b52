//! Step sizes: from the error model or the caller, exactly representable, and placed so that
//! every stencil point lies in the domain bound.

use super::error::check_step;
use super::scheme::one_sided;
use super::{NumericError, Stencil};
use std::borrow::Cow;

/// The step `h` of a finite difference (for Richardson extrapolation, the first step).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Step {
    /// From the error model: `h = h*·max(|x|, 1)` with `h*` the scheme's
    /// [`optimal_step`](Stencil::optimal_step), or a large first step for Richardson.
    #[default]
    Auto,
    /// This step, in the units of `x` (made exactly representable at `x`).
    Fixed(f64),
}

/// A closed interval `[lo, hi]` where the function is defined: no stencil point falls
/// outside it. Near an end, the stencil becomes one-sided (same accuracy), and the step
/// shrinks if even that does not fit.
///
/// ```
/// use weifen::numeric::{self, Interval, Params};
///
/// // √x is defined on [0, ∞): its derivative at 1e-3 never evaluates at x < 0.
/// let params = Params { domain: Interval::new(0.0, f64::INFINITY), ..Params::default() };
/// let d = numeric::derivative_with(|x| { assert!(x >= 0.0); x.sqrt() }, 1e-3, &params).unwrap();
/// assert!((d.value - 0.5 / 1e-3f64.sqrt()).abs() < 1e-9);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The lower end (may be `-inf`).
    pub lo: f64,
    /// The upper end (may be `+inf`).
    pub hi: f64,
}

impl Default for Interval {
    fn default() -> Self {
        Interval::REAL
    }
}

impl Interval {
    /// The whole real line: no bound.
    pub const REAL: Interval = Interval {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
    };

    /// The interval `[lo, hi]`.
    pub const fn new(lo: f64, hi: f64) -> Interval {
        Interval { lo, hi }
    }

    /// Whether `x` lies in `[lo, hi]`.
    pub fn contains(&self, x: f64) -> bool {
        x >= self.lo && x <= self.hi
    }

    /// Whether this is the whole real line.
    pub fn is_unbounded(&self) -> bool {
        *self == Interval::REAL
    }
}

/// The scale of `x` that steps are relative to: `max(|x|, 1)`, so that the step is relative
/// for large `|x|` and absolute near 0 (where a relative step would vanish).
pub fn scale(x: f64) -> f64 {
    x.abs().max(1.0)
}

/// `h` rounded so that `(x + h) − x == h` exactly: the step the differences really take.
///
/// Without this, `f(x + h) − f(x)` is divided by an `h` that differs from the actual
/// spacing by up to `ulp(x)/h`, which for `h ≈ 1e-8` at `x ≈ 1` is a relative error of
/// `1e-8`, larger than the rest of a forward difference's error.
///
/// ```
/// let (x, h) = (0.1, 1e-7);
/// let h = weifen::numeric::representable_step(x, h);
/// assert_eq!((x + h) - x, h);
/// ```
pub fn representable_step(x: f64, h: f64) -> f64 {
    let r = (x + h) - x;
    if r > 0.0 { r } else { h }
}

/// The default step for `stencil` at `x`: the model's optimum times `max(|x|, 1)`.
pub fn default_step(stencil: &Stencil, x: f64) -> f64 {
    representable_step(x, stencil.optimal_step() * scale(x))
}

/// Checks `x` against the domain and returns the stencil and step to use there: the stencil
/// itself if all its points fit; else the same stencil with the step shrunk to fit, if that
/// step is still above the scheme's optimal one (so rounding does not take over); else the
/// one-sided stencil of the same accuracy towards the larger side, shrunk if need be.
pub(crate) fn place(
    stencil: &Stencil,
    x: f64,
    h: f64,
    domain: Interval,
) -> Result<(Cow<'_, Stencil>, f64), NumericError> {
    check_step(h)?;
    let outside = NumericError::OutsideDomain {
        x,
        lo: domain.lo,
        hi: domain.hi,
    };
    if !domain.contains(x) || domain.lo >= domain.hi {
        return Err(outside);
    }
    if let Some(hc) = fit(stencil, x, h, domain)
        && (hc == h || hc >= stencil.optimal_step() * scale(x))
    {
        return Ok((Cow::Borrowed(stencil), hc));
    }
    let side = one_sided(stencil, domain.hi - x >= x - domain.lo);
    let h = fit(&side, x, h, domain).ok_or(outside)?;
    Ok((Cow::Owned(side), h))
}

/// The largest representable step `≤ h` that keeps every point of `stencil` in the domain,
/// if it is positive.
fn fit(stencil: &Stencil, x: f64, h: f64, domain: Interval) -> Option<f64> {
    let limit = stencil.offsets().iter().fold(h, |m, &o| {
        let room = if o > 0.0 {
            (domain.hi - x) / o
        } else {
            (x - domain.lo) / -o
        };
        if o == 0.0 { m } else { m.min(room) }
    });
    let mut h = representable_step(x, limit);
    // Rounding may push the far point just past the end: shrink by ulps until it fits.
    while !stencil.offsets().iter().all(|o| domain.contains(x + o * h)) {
        h = representable_step(x, h * (1.0 - 4.0 * f64::EPSILON));
        if h <= 0.0 || h.is_nan() {
            return None;
        }
    }
    (h > 0.0).then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::Scheme;

    #[test]
    fn default_steps_are_representable_and_relative_for_large_x() {
        let central = Scheme::Central.stencil(1).unwrap();
        for x in [0.0, 0.1, 1.0, 3.7, -2.5e8, 1e-8] {
            let h = default_step(&central, x);
            assert_eq!((x + h) - x, h, "x = {x}");
            let expected = central.optimal_step() * scale(x);
            assert!((h / expected - 1.0).abs() < 1e-3, "x = {x}");
        }
    }

    #[test]
    fn stencils_near_a_bound_turn_one_sided_and_stay_inside() {
        let central = Scheme::Central.stencil(1).unwrap();
        let domain = Interval::new(0.0, 1.0);
        let (s, h) = place(&central, 1e-9, 1e-3, domain).unwrap();
        assert!(s.offsets().iter().all(|&o| o >= 0.0));
        assert_eq!(s.accuracy(), 2);
        assert!(s.offsets().iter().all(|o| domain.contains(1e-9 + o * h)));
        let (s, _) = place(&central, 1.0, 1e-3, domain).unwrap();
        assert!(s.offsets().iter().all(|&o| o <= 0.0));
        // With room for a central step above the optimal one, the stencil stays central.
        let (s, h) = place(&central, 1e-3, 0.25, domain).unwrap();
        assert_eq!(s.offsets(), central.offsets());
        assert!(h <= 1e-3 && 1e-3 - h >= 0.0);
    }

    #[test]
    fn steps_shrink_to_fit_a_narrow_domain() {
        let central = Scheme::Central.stencil(2).unwrap();
        let domain = Interval::new(0.0, 1e-6);
        let (s, h) = place(&central, 0.0, 0.1, domain).unwrap();
        assert!(s.offsets().iter().all(|o| domain.contains(o * h)));
    }

    #[test]
    fn points_outside_the_domain_are_errors() {
        let central = Scheme::Central.stencil(1).unwrap();
        let err = place(&central, 2.0, 1e-3, Interval::new(0.0, 1.0)).unwrap_err();
        assert_eq!(
            err,
            NumericError::OutsideDomain {
                x: 2.0,
                lo: 0.0,
                hi: 1.0
            }
        );
        let err = place(&central, 0.5, f64::NAN, Interval::REAL).unwrap_err();
        assert!(matches!(err, NumericError::InvalidStep { .. }));
    }
}
