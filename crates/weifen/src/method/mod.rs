//! Run-time choice of method: differentiate a parsed formula by a method named at run time.
//!
//! The operators of [`forward`](crate::forward), [`reverse`](crate::reverse),
//! [`numeric`](crate::numeric) and [`symbolic`](crate::symbolic) are chosen at compile time
//! by their path. A command line or a comparison table chooses at run time: [`Method`] names
//! every method, and [`derivative`], [`gradient`], [`hessian`] and [`jacobian`] dispatch on it
//! for a parsed [`Expr`](crate::symbolic::Expr), which every method can evaluate. [`compare`]
//! runs them all against the symbolic derivative; [`trace`] lists the evaluation trace of a
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

mod compare;
mod derivative;
mod error;
mod multivariate;
mod trace;

pub use compare::{Comparison, compare};
pub use derivative::{Derivative, Slice, derivative, derivative_along, derivative_fn};
pub use error::{MethodError, UnknownMethod};
pub use multivariate::{Gradient, Jacobian, Matrix, gradient, hessian, jacobian};
pub use trace::{TraceRow, trace};

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

    /// The name, as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Method::Symbolic => "symbolic",
            Method::Forward => "forward",
            Method::Reverse => "reverse",
            Method::Richardson => "richardson",
            Method::Central => "central",
            Method::ForwardDifference => "forward-difference",
            Method::BackwardDifference => "backward-difference",
            Method::FivePoint => "five-point",
            Method::ComplexStep => "complex-step",
            Method::Auto => "auto",
        }
    }

    /// The highest derivative order of a univariate [`derivative`] (`None`: any order).
    ///
    /// Reverse mode nests dual numbers by type (forward over reverse), so its orders are
    /// fixed at compile time; the complex step gives first derivatives (higher orders need
    /// multicomplex numbers). Finite differences divide rounding errors by `hⁿ`, so each
    /// order costs digits: at order 4 Richardson extrapolation vouches for about three
    /// (its honest error bound for `sin` at 0.5 is 0.16 % at order 4, 40 % at order 6), a
    /// single difference for about four. Beyond order 4 they are refused rather than
    /// answered with noise; forward mode and symbolic differentiation take any order.
    pub fn max_order(self) -> Option<usize> {
        match self {
            Method::ComplexStep => Some(1),
            Method::Richardson
            | Method::Central
            | Method::FivePoint
            | Method::ForwardDifference
            | Method::BackwardDifference => Some(4),
            _ => None,
        }
    }

    /// Whether the method computes derivatives exactly (up to rounding), with no error
    /// estimate and no count of evaluations.
    pub fn is_exact(self) -> bool {
        matches!(
            self,
            Method::Symbolic | Method::Forward | Method::Reverse | Method::Auto
        )
    }

    /// The finite-difference parameters of a numeric method (`None` for the others).
    pub fn params(self) -> Option<Params> {
        let once = |scheme| Params {
            scheme,
            extrapolate: false,
            ..Params::default()
        };
        match self {
            Method::Richardson => Some(Params::default()),
            Method::Central => Some(once(Scheme::Central)),
            Method::ForwardDifference => Some(once(Scheme::Forward)),
            Method::BackwardDifference => Some(once(Scheme::Backward)),
            Method::FivePoint => Some(once(Scheme::FivePoint)),
            _ => None,
        }
    }

    /// The names of every method, comma separated (for messages).
    pub fn names() -> String {
        let names: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
        names.join(", ")
    }

    fn check_order(self, order: usize) -> Result<(), MethodError> {
        match self.max_order() {
            _ if order == 0 => Err(MethodError::UnsupportedOrder {
                method: self.name(),
                order,
                max: self.max_order(),
            }),
            Some(max) if order > max => Err(MethodError::UnsupportedOrder {
                method: self.name(),
                order,
                max: Some(max),
            }),
            _ => Ok(()),
        }
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
