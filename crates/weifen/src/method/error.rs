//! The errors of run-time dispatch.

use super::Verb;
use crate::LengthError;
use crate::numeric::NumericError;
use crate::symbolic::EvalError;
use std::fmt;

/// A method name that is not one of [`Method::ALL`](super::Method::ALL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMethod {
    /// The name given.
    pub name: String,
}

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown method {:?}; the methods are: {}",
            self.name,
            super::Method::names()
        )
    }
}

impl std::error::Error for UnknownMethod {}

/// Why a method could not compute what was asked.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MethodError {
    /// A derivative order the method cannot give.
    UnsupportedOrder {
        /// The method's name.
        method: &'static str,
        /// The order asked for.
        order: usize,
        /// The highest order it gives (`None`: any order from 1).
        max: Option<usize>,
    },
    /// A verb the backend does not provide, e.g. a Hessian by the complex step.
    Unsupported {
        /// The backend's name.
        method: &'static str,
        /// The verb asked for.
        verb: Verb,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// A vector argument of the wrong length, or a function given as many inputs or outputs
    /// as it does not have (a two-output formula used as a gradient's objective).
    Length(LengthError),
    /// The formula cannot be evaluated with the variables given.
    Eval(EvalError),
    /// A finite-difference method rejected its input.
    Numeric(NumericError),
}

impl fmt::Display for MethodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MethodError::UnsupportedOrder {
                method,
                order,
                max: Some(1),
            } => write!(
                f,
                "the {method} method gives first derivatives only, not order {order}; \
                 use forward, symbolic or richardson"
            ),
            MethodError::UnsupportedOrder {
                method,
                order,
                max: Some(max),
            } => write!(
                f,
                "the {method} method gives derivatives of order 1 to {max}, not {order}; \
                 use forward or symbolic, which take any order"
            ),
            MethodError::UnsupportedOrder { order, .. } => {
                write!(
                    f,
                    "derivative order {order} is not supported; it starts at 1"
                )
            }
            MethodError::Unsupported {
                method,
                verb,
                reason,
            } => write!(
                f,
                "the {method} method does not compute {}: {reason}",
                verb.noun()
            ),
            MethodError::Length(e) => e.fmt(f),
            MethodError::Eval(e) => e.fmt(f),
            MethodError::Numeric(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for MethodError {}

impl From<EvalError> for MethodError {
    fn from(e: EvalError) -> Self {
        MethodError::Eval(e)
    }
}

impl From<NumericError> for MethodError {
    fn from(e: NumericError) -> Self {
        MethodError::Numeric(e)
    }
}

impl From<LengthError> for MethodError {
    fn from(e: LengthError) -> Self {
        MethodError::Length(e)
    }
}
