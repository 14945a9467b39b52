//! Typed errors of the tensor module: one kind per mistake, each with a one-line message that
//! names the op and the shapes (or the input) at fault and, where there is one, the fix.

use std::fmt;

/// What went wrong in a tensor operation or a backward pass.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TensorError {
    /// Two shapes that the op cannot combine (broadcasting, matmul, cat, …).
    ShapeMismatch {
        /// The op, e.g. `"mul"`.
        op: &'static str,
        /// The left (first) operand's shape.
        lhs: Vec<usize>,
        /// The right (second) operand's shape, or the requested shape.
        rhs: Vec<usize>,
    },
    /// A dimension index past the tensor's number of dimensions.
    DimOutOfRange {
        /// The op, e.g. `"sum"`.
        op: &'static str,
        /// The dimension asked for.
        dim: usize,
        /// The tensor's number of dimensions.
        ndim: usize,
    },
    /// An index or a range past the end of a dimension.
    IndexOutOfRange {
        /// The op, e.g. `"get"`.
        op: &'static str,
        /// The index (or the range's end) asked for.
        index: usize,
        /// The dimension's length.
        len: usize,
    },
    /// An argument the op cannot use (an empty list for `cat`, a non-permutation, …).
    InvalidArgument {
        /// The op.
        op: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// `backward()` on a tensor with more than one element and no output gradient.
    NonScalarBackward {
        /// The output's shape.
        shape: Vec<usize>,
    },
    /// A tensor to differentiate (output, or input of `grad`) that does not require grad.
    NoGrad {
        /// Which tensor, e.g. `"output 0"` or `"input 1"`.
        what: String,
    },
    /// `grad` with respect to an input the outputs do not depend on.
    UnusedInput {
        /// The input's position in `inputs`.
        index: usize,
    },
    /// A second backward pass through a graph whose saved buffers the first one freed.
    BuffersFreed {
        /// The op whose buffers are gone.
        op: &'static str,
    },
}

impl fmt::Display for TensorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TensorError::ShapeMismatch { op, lhs, rhs } => {
                write!(f, "{op}: shapes {lhs:?} and {rhs:?} do not match")
            }
            TensorError::DimOutOfRange { op, dim, ndim } => write!(
                f,
                "{op}: dimension {dim} is out of range for a tensor with {ndim} dimension(s)"
            ),
            TensorError::IndexOutOfRange { op, index, len } => {
                write!(
                    f,
                    "{op}: index {index} is out of range for a dimension of length {len}"
                )
            }
            TensorError::InvalidArgument { op, reason } => write!(f, "{op}: {reason}"),
            TensorError::NonScalarBackward { shape } => write!(
                f,
                "backward: the gradient can be implied only for scalar outputs, but the output \
                 has shape {shape:?}; pass an output gradient (backward_with)"
            ),
            TensorError::NoGrad { what } => write!(
                f,
                "grad: {what} does not require grad and has no grad_fn; call requires_grad_(true) \
                 on the inputs before computing the outputs"
            ),
            TensorError::UnusedInput { index } => write!(
                f,
                "grad: input {index} was not used to compute the outputs; set allow_unused if \
                 this is intended"
            ),
            TensorError::BuffersFreed { op } => write!(
                f,
                "backward: trying to go through the graph a second time (at {op}), but its saved \
                 buffers were freed by the first pass; pass retain_graph: true to the first \
                 backward or grad call"
            ),
        }
    }
}

impl std::error::Error for TensorError {}

/// Unwraps a tensor result, panicking with the error's message at the caller's location.
#[track_caller]
pub(crate) fn or_panic<T>(r: Result<T, TensorError>) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}
