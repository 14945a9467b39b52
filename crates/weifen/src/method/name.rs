//! The named presets of the backends: what the command line and the comparison table call
//! the methods.

use super::{Backend, UnknownMethod};
use crate::numeric::{Params, Scheme};
use std::fmt;
use std::str::FromStr;

/// A way to compute derivatives, by name: each is a preset [`Backend`].
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

/// ```
/// use weifen::method::Backend;
///
/// assert_eq!("reverse".parse::<Backend>(), Ok(Backend::Reverse));
/// assert!("spline".parse::<Backend>().is_err());
/// ```
impl FromStr for Backend {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Backend, UnknownMethod> {
        s.parse::<Method>().map(Method::backend)
    }
}
