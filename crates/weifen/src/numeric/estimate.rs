//! The result of a finite-difference operator: a value, an error bound, a cost and a status.

use std::fmt;

/// A derivative estimated from function values: the estimate, a bound on its error, and the
/// number of evaluations of `f` it cost.
///
/// `T` is `f64` for a derivative, `Vec<f64>` for a gradient or a JVP, and an
/// `ndarray::Array2<f64>` for a Jacobian or a Hessian; `error` has the same shape, entry by
/// entry.
///
/// With Richardson extrapolation (the default) and the complex step, `error` is the method's
/// estimate of the whole error; a single difference at a fixed step (`extrapolate: false`)
/// cannot see its own truncation error, so there `error` is only the rounding part.
///
/// Read [`status`](Estimate::status) before trusting `value`: a function that was not finite
/// at a stencil point gives a NaN value and [`Status::NonFinite`], never a silent number.
///
/// ```
/// use weifen::numeric::{self, Status};
///
/// let d = numeric::derivative(|x| x.exp(), 1.0).unwrap();
/// assert_eq!(d.status, Status::Ok);
/// assert!((d.value - 1f64.exp()).abs() <= d.error);
/// assert!(d.evaluations <= 30);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate<T = f64> {
    /// The estimated derivative.
    pub value: T,
    /// An estimated bound on `|value − exact|` (entry-wise).
    pub error: T,
    /// The number of evaluations of `f`.
    pub evaluations: usize,
    /// Whether the estimate is sound, and if not, why.
    pub status: Status,
}

impl Status {
    /// A short name for tables and JSON: `ok`, `non-finite`, `evaluation-cap`,
    /// `no-convergence`, `singular`, `non-analytic`.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NonFinite { .. } => "non-finite",
            Status::EvaluationCap => "evaluation-cap",
            Status::NoConvergence => "no-convergence",
            Status::Singular { .. } => "singular",
            Status::NonAnalytic { .. } => "non-analytic",
        }
    }
}

/// One line for people: what the status says and what to do about it.
///
/// ```
/// use weifen::numeric::Status;
///
/// assert!(Status::NoConvergence.to_string().contains("exact method"));
/// ```
impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Ok => f.write_str("the estimate is sound"),
            Status::NonFinite { at } => write!(
                f,
                "f is not finite at {}, where it was evaluated, nor at any smaller step tried: \
                 no estimate (is the point at a pole or a domain edge?)",
                Short(*at)
            ),
            Status::EvaluationCap => f.write_str(
                "Richardson extrapolation used its evaluation cap before its error estimate \
                 settled: the value is not vouched for (raise max_evaluations, or use an exact \
                 method: forward, reverse, symbolic)",
            ),
            Status::NoConvergence => f.write_str(
                "the differences never shrank as the error model says at any step tried (f \
                 varies faster than the steps, e.g. near a pole, or is noisy): the value is \
                 not vouched for; use an exact method (forward, reverse, symbolic, \
                 complex-step)",
            ),
            Status::Singular { at } => write!(
                f,
                "f has a pole or a branch point at {}: the complex step gives a number there but \
                 no derivative (the derivative is infinite or does not exist)",
                Short(*at)
            ),
            Status::NonAnalytic { op } => write!(
                f,
                "the complex step went through {op}, which is not analytic: the value is the \
                 derivative away from its kink"
            ),
        }
    }
}

/// A number printed plainly between `10⁻⁴` and `10⁶`, in exponent form beyond.
struct Short(f64);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0.abs();
        if a == 0.0 || !a.is_finite() || (1e-4..1e6).contains(&a) {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{:e}", self.0)
        }
    }
}

impl<T> Estimate<T> {
    /// Whether [`status`](Estimate::status) is [`Status::Ok`].
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }
}

/// What an [`Estimate`] says about itself.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Status {
    /// The estimate is sound: `error` is the method's error estimate.
    Ok,
    /// `f` returned NaN or ±∞ at the point `at` of a stencil, so no finite estimate could
    /// be formed there; `value` is NaN (Richardson reports this only if no finite row was
    /// left after shrinking the step).
    NonFinite {
        /// The evaluation point (for `jacobian`, `jvp`, `hessian` and `hvp`, the displacement
        /// along the coordinate or direction).
        at: f64,
    },
    /// Richardson extrapolation used up `max_evaluations` (or steps representable at `x`)
    /// while its error estimate was still falling, or before it had settled (below `1e-6`
    /// relative for a first derivative, looser for higher ones, or at the rounding floor):
    /// `value` is the best estimate so far and `error` is infinite, since nothing says the
    /// next steps would not have moved it. Raise `max_evaluations`, or use an exact method.
    EvaluationCap,
    /// The differences never shrank as the error model says they must (`D(h) − D(h/2)`
    /// falling like `hᵖ`) at any step tried: every step was larger than the scale `f` varies
    /// on (a pole or a domain edge very near, fast oscillation), or `f` is noisier than
    /// rounding. `value` is the last difference computed and `error` is infinite: nothing is
    /// vouched for. Use an exact method (forward, reverse, symbolic, complex step).
    NoConvergence,
    /// The complex step's real part is not `f(x) + O(h²)`: `f` has a pole or a branch point
    /// at `x` itself (`√x` at 0), where `Im f(x + ih)/h` is finite but no derivative. `value`
    /// is that quotient and `error` is infinite.
    Singular {
        /// The point.
        at: f64,
    },
    /// The complex step went through an op that is not complex-analytic (`abs`, `sign`,
    /// `min`, `max`): `value` is the derivative away from the op's kink and the op table's
    /// convention at it, not a guaranteed-exact derivative.
    NonAnalytic {
        /// The first such op met (its op-table name).
        op: &'static str,
    },
}
