//! Errors of the sparse operators.

use crate::LengthError;
use std::fmt;

/// What went wrong in a sparse operator: a pattern that does not fit the function or the
/// point, or a pattern that the evaluation shows to be wrong.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SparseError {
    /// The point or the function's output differs in length from the pattern.
    Length(LengthError),
    /// A matrix or a list of rows of the wrong size.
    Shape {
        /// What was given, e.g. `"the Hessian pattern's columns"`.
        what: &'static str,
        /// The size it must have.
        expected: usize,
        /// The size it has.
        found: usize,
    },
    /// A column index outside the pattern.
    IndexOutOfRange {
        /// The row.
        row: usize,
        /// The offending column.
        column: usize,
        /// The number of columns.
        ncols: usize,
    },
    /// The evaluation found a nonzero derivative where the pattern has none: output `row`
    /// (the row of the compressed matrix) depends on an input of colour `color` that the
    /// pattern says it does not. The function took another branch than where the pattern was
    /// detected; detect it again at this point.
    PatternChanged {
        /// The row of the compressed matrix (an output for a forward Jacobian or a Hessian,
        /// an input for a reverse Jacobian).
        row: usize,
        /// The colour group in which the unexpected nonzero appeared.
        color: usize,
        /// The compressed value found, where 0 was expected.
        value: f64,
    },
    /// An operator that needs a diagonal Hessian was given a pattern with an entry off the
    /// diagonal.
    OffDiagonal {
        /// The entry's row.
        row: usize,
        /// The entry's column.
        column: usize,
    },
}

impl fmt::Display for SparseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SparseError::Length(e) => e.fmt(f),
            SparseError::Shape {
                what,
                expected,
                found,
            } => write!(f, "{what} has size {found}, expected {expected}"),
            SparseError::IndexOutOfRange { row, column, ncols } => write!(
                f,
                "pattern entry ({row}, {column}) is out of range: the pattern has {ncols} columns"
            ),
            SparseError::PatternChanged { row, color, value } => write!(
                f,
                "the sparsity pattern does not hold at this point: row {row} of the compressed \
                 matrix has {value} in colour group {color}, where the pattern has no entry; \
                 the function took another branch, detect the pattern again at this point"
            ),
            SparseError::OffDiagonal { row, column } => write!(
                f,
                "the Hessian pattern has the entry ({row}, {column}) off its diagonal; \
                 compute it with sparse_hessian_with instead"
            ),
        }
    }
}

impl std::error::Error for SparseError {}

impl From<LengthError> for SparseError {
    fn from(e: LengthError) -> Self {
        SparseError::Length(e)
    }
}
