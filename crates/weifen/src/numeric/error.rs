//! The typed error of the finite-difference operators: what was wrong with the input.

use crate::LengthError;
use std::fmt;

/// Bad input to a finite-difference operator. Each variant names the argument at fault and
/// carries the offending value; the message is one line.
///
/// A function that returns NaN is not an error: the [`Estimate`](super::Estimate) says so in
/// its [`Status`](super::Status).
///
/// ```
/// use weifen::numeric::{self, NumericError, Params, Step};
///
/// let params = Params { step: Step::Fixed(-1e-3), ..Params::default() };
/// let err = numeric::derivative_with(|x| x.sin(), 1.0, &params).unwrap_err();
/// assert_eq!(err, NumericError::InvalidStep { h: -1e-3 });
/// assert_eq!(err.to_string(), "step h = -0.001 must be positive and finite");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum NumericError {
    /// A step `h ≤ 0`, NaN or infinite.
    InvalidStep {
        /// The step given.
        h: f64,
    },
    /// The point `x` (or a coordinate of it) is NaN or infinite.
    NonFinitePoint {
        /// The coordinate at fault (0 for a scalar point).
        index: usize,
        /// Its value.
        x: f64,
    },
    /// The point lies outside the domain bound `[lo, hi]`, or the bound is empty.
    OutsideDomain {
        /// The point.
        x: f64,
        /// Lower end of the bound.
        lo: f64,
        /// Upper end of the bound.
        hi: f64,
    },
    /// A derivative order that the scheme cannot give (order 0, or above its maximum).
    UnsupportedOrder {
        /// The scheme's name.
        scheme: &'static str,
        /// The order asked for.
        order: usize,
        /// The highest order the scheme gives.
        max: usize,
    },
    /// A stencil with too few points for the derivative order: `n` needs `n + 1` points.
    TooFewPoints {
        /// The number of distinct offsets given.
        points: usize,
        /// The derivative order asked for.
        order: usize,
    },
    /// A stencil offset that is repeated or not finite.
    InvalidOffset {
        /// The offset at fault.
        offset: f64,
    },
    /// An evaluation cap too small for even one estimate.
    EvaluationCap {
        /// The cap given.
        cap: usize,
        /// The evaluations one estimate needs.
        needed: usize,
    },
    /// An option that this operator does not support (e.g. a domain bound for `hessian`).
    Unsupported {
        /// What is not supported, e.g. `"a domain bound in hessian"`.
        what: &'static str,
    },
    /// A direction or vector of the wrong length.
    Length(LengthError),
    /// Sampled data: the grid does not match the samples, or is not strictly increasing.
    Grid {
        /// What is wrong with the grid, in a few words.
        reason: &'static str,
        /// The grid index (or length) at fault.
        index: usize,
    },
    /// Sampled data: fewer samples along the axis than the stencil needs.
    TooFewSamples {
        /// The samples along the axis.
        found: usize,
        /// The samples needed.
        needed: usize,
    },
    /// Sampled data: an axis the array does not have.
    AxisOutOfRange {
        /// The axis asked for.
        axis: usize,
        /// The array's number of dimensions.
        ndim: usize,
    },
}

impl fmt::Display for NumericError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use NumericError::*;
        match self {
            InvalidStep { h } => write!(f, "step h = {h} must be positive and finite"),
            NonFinitePoint { index, x } => {
                write!(
                    f,
                    "coordinate {index} of the point is {x}; it must be finite"
                )
            }
            OutsideDomain { x, lo, hi } => {
                write!(
                    f,
                    "point {x} is outside the domain bound [{lo}, {hi}] (or the bound is \
                     empty); give a point inside it"
                )
            }
            UnsupportedOrder { scheme, order, max } => write!(
                f,
                "the {scheme} scheme cannot give a derivative of order {order}; it gives orders 1 to {max}"
            ),
            TooFewPoints { points, order } => write!(
                f,
                "a stencil of {points} points cannot give a derivative of order {order}; it needs at least {} points",
                order + 1
            ),
            InvalidOffset { offset } => write!(
                f,
                "stencil offset {offset} is repeated or not finite; offsets must be distinct and finite"
            ),
            EvaluationCap { cap, needed } => write!(
                f,
                "max_evaluations = {cap} is too small; one estimate needs {needed} evaluations \
                 (None, the default, allows 24 rows of the stencil)"
            ),
            Unsupported { what } => write!(f, "{what} is not supported"),
            Length(e) => e.fmt(f),
            Grid { reason, index } => write!(
                f,
                "the grid {reason} (at index {index}); give one strictly increasing coordinate \
                 per sample"
            ),
            TooFewSamples { found, needed } => write!(
                f,
                "{found} samples along the axis are too few; this stencil needs at least {needed}"
            ),
            AxisOutOfRange { axis, ndim } => {
                write!(
                    f,
                    "axis {axis} is out of range for an array of {ndim} dimensions"
                )
            }
        }
    }
}

impl std::error::Error for NumericError {}

impl From<LengthError> for NumericError {
    fn from(e: LengthError) -> Self {
        NumericError::Length(e)
    }
}

/// Checks that `x` is finite, naming its coordinate otherwise.
pub(crate) fn check_point(index: usize, x: f64) -> Result<(), NumericError> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(NumericError::NonFinitePoint { index, x })
    }
}

/// Checks that a step is positive and finite.
pub(crate) fn check_step(h: f64) -> Result<(), NumericError> {
    if h > 0.0 && h.is_finite() {
        Ok(())
    } else {
        Err(NumericError::InvalidStep { h })
    }
}
