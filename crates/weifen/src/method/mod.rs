//! Run-time choice of method: the grid of verbs on a [`Backend`] value.
//!
//! The operators of [`forward`](crate::forward), [`reverse`](crate::reverse),
//! [`numeric`](crate::numeric) and [`symbolic`](crate::symbolic) are chosen at compile time
//! by their path. A [`Backend`] chooses at run time: it carries the method and its
//! parameters, and every verb of the grid (`derivative`, `second_derivative`,
//! `nth_derivative`, `gradient`, `jacobian`, `hessian`, `jvp`, `vjp`, `hvp`, each with a
//! `value_and_` form, and `value_gradient_and_hessian`) is one of its methods, generic over
//! the function traits, returning an [`Outcome`] of the same shape for every backend.
//! Invariants: every dispatch is one exhaustive `match` on the backend (a new backend does
//! not compile until every verb handles it); a verb a backend lacks is composed from its
//! other verbs where that is honest, or is [`MethodError::Unsupported`]; every verb asks the
//! function for its arity first, so a formula of the wrong shape is an error, never a panic.
//!
//! [`Method`] names the presets (`"richardson"`, `"central"`, …): the command line's method
//! names come from it. [`derivative`], [`gradient`], [`hessian`] and [`jacobian`] are the
//! grid on a parsed [`Expr`](crate::symbolic::Expr) with named variables; [`compare`] runs
//! every method against the symbolic derivative; [`trace`] lists the evaluation trace of a
//! formula on a tape, with forward tangents and reverse adjoints.
//!
//! ```
//! use weifen::method::{self, Method};
//! use weifen::symbolic::Expr;
//!
//! let f: Expr = "x^3*y".parse().unwrap();
//! let at = [("x", 2.0), ("y", 5.0)];
//! for m in Method::ALL {
//!     let d = method::derivative(&f, "x", &at, 1, m).unwrap();
//!     assert!((d.derivative - 60.0).abs() < 1e-5, "{m}: {}", d.derivative); // 3x²y
//! }
//! ```

mod backend;
mod compare;
mod derivative;
mod error;
mod grid;
mod multivariate;
mod trace;

pub use backend::{Backend, Outcome, Verb};
pub use compare::{Comparison, compare};
pub use derivative::{Derivative, Slice, derivative, derivative_along, derivative_fn};
pub use error::{MethodError, UnknownMethod};
pub use grid::ValueGradientHessian;
pub use multivariate::{Gradient, Jacobian, Matrix, gradient, hessian, jacobian};
pub use trace::{TraceRow, trace, trace_fn};

use crate::numeric::{Params, Scheme};
use std::fmt;
use std::str::FromStr;

/// A way to compute derivatives, chosen at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Differentiate the expression, then evaluate the derivative.
    Symbolic,
    /// Forward-mode AD: dual numbers, Taylor jets for higher orders.
    Forward,
    /// Reverse-mode AD: a tape and a backward sweep (forward over reverse for orders 2, 3).
    Reverse,
    /// Richardson extrapolation of central differences (the numeric default).
    Richardson,
    /// One central difference at the error model's optimal step.
    Central,
    /// One forward difference at the error model's optimal step.
    ForwardDifference,
    /// One backward difference at the error model's optimal step.
    BackwardDifference,
    /// One five-point difference at the error model's optimal step.
    FivePoint,
    /// The complex step `Im f(x + ih)/h` (first derivatives only).
    ComplexStep,
    /// Let weifen choose: forward mode for derivatives and Jacobians, reverse mode for
    /// gradients and Hessians.
    Auto,
}

impl Method {
    /// Every method, `Auto` last.
    pub const ALL: [Method; 10] = [
        Method::Symbolic,
        Method::Forward,
        Method::Reverse,
        Method::Richardson,
        Method::Central,
        Method::ForwardDifference,
        Method::BackwardDifference,
        Method::FivePoint,
        Method::ComplexStep,
        Method::Auto,
    ];

    /// The backend this name stands for (the numeric presets with their parameters).
    pub fn backend(self) -> Backend {
        let once = |scheme| {
            Backend::Numeric(Params {
                scheme,
                extrapolate: false,
                ..Params::default()
            })
        };
        match self {
            Method::Symbolic => Backend::Symbolic,
            Method::Forward => Backend::Forward,
            Method::Reverse => Backend::Reverse,
            Method::Richardson => Backend::Numeric(Params::default()),
            Method::Central => once(Scheme::Central),
            Method::ForwardDifference => once(Scheme::Forward),
            Method::BackwardDifference => once(Scheme::Backward),
            Method::FivePoint => once(Scheme::FivePoint),
            Method::ComplexStep => Backend::ComplexStep,
            Method::Auto => Backend::Auto,
        }
    }

    /// The name, as the command line spells it (its backend's [`name`](Backend::name)).
    pub fn name(self) -> &'static str {
        self.backend().name()
    }

    /// The highest derivative order (`None`: any order); see [`Backend::max_order`].
    pub fn max_order(self) -> Option<usize> {
        self.backend().max_order()
    }

    /// Whether the method computes derivatives exactly (up to rounding), with no error
    /// estimate and no count of evaluations.
    pub fn is_exact(self) -> bool {
        self.backend().is_exact()
    }

    /// The finite-difference parameters of a numeric method (`None` for the others).
    pub fn params(self) -> Option<Params> {
        match self.backend() {
            Backend::Numeric(p) => Some(p),
            Backend::Symbolic
            | Backend::Forward
            | Backend::Reverse
            | Backend::ComplexStep
            | Backend::Auto => None,
        }
    }

    /// The names of every method, comma separated (for messages and help texts).
    pub fn names() -> String {
        let names: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
        names.join(", ")
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// ```
/// use weifen::method::Method;
///
/// assert_eq!("five-point".parse::<Method>(), Ok(Method::FivePoint));
/// let err = "spline".parse::<Method>().unwrap_err();
/// assert!(err.to_string().contains("complex-step"));
/// ```
impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Method, UnknownMethod> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| UnknownMethod {
                name: s.to_string(),
            })
    }
}
