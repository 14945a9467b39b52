//! Broadcasting (NumPy's rule) and its adjoint, the reduction of a gradient back to an
//! input's shape.
//!
//! Shapes are aligned on the right; a dimension of length 1 (or a missing one) stretches to
//! the other's length. The adjoint of broadcasting `x` to a shape is `sum_to(x.shape)`: sum
//! over the dimensions that were added or stretched. Each is the other's backward rule, and
//! both are recorded, so broadcasting is differentiable to any order.

use super::error::or_panic;
use super::graph::record;
use super::{Element, Tensor, TensorError, buffer};
use ndarray::{ArrayD, Axis, IxDyn};

/// The shape that `a` and `b` broadcast to.
pub(super) fn broadcast_shape(
    op: &'static str,
    a: &[usize],
    b: &[usize],
) -> Result<Vec<usize>, TensorError> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        let da = if i < n - a.len() {
            1
        } else {
            a[i - (n - a.len())]
        };
        let db = if i < n - b.len() {
            1
        } else {
            b[i - (n - b.len())]
        };
        out[i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => {
                return Err(TensorError::ShapeMismatch {
                    op,
                    lhs: a.to_vec(),
                    rhs: b.to_vec(),
                });
            }
        };
    }
    Ok(out)
}

impl<T: Element> Tensor<T> {
    /// The tensor broadcast to `shape` (PyTorch's `expand`, materialised).
    ///
    /// # Panics
    /// As [`try_expand`](Tensor::try_expand) errs, with the same message.
    #[track_caller]
    pub fn expand(&self, shape: &[usize]) -> Tensor<T> {
        or_panic(self.try_expand(shape))
    }

    /// [`expand`](Tensor::expand), returning an error instead of panicking.
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] if `self` does not broadcast to `shape`.
    pub fn try_expand(&self, shape: &[usize]) -> Result<Tensor<T>, TensorError> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let view = self
            .data
            .broadcast(IxDyn(shape))
            .ok_or_else(|| TensorError::ShapeMismatch {
                op: "expand",
                lhs: self.shape().to_vec(),
                rhs: shape.to_vec(),
            })?;
        let from = self.shape().to_vec();
        // Pooled memory (a fresh array is fresh pages; the gradient of a sum expands its
        // scalar to the input's shape at every pass), one value filled in parallel.
        let out = if self.len() == 1 {
            buffer::full(shape, *self.data.iter().next().expect("one element"))
        } else {
            buffer::copy_of(view)
        };
        Ok(record(
            "expand",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.sum_to(&from))]),
        ))
    }

    /// The sum over the dimensions that broadcasting `shape` to `self.shape()` would add or
    /// stretch: the adjoint of [`expand`](Tensor::expand) (PyTorch's `sum_to_size`).
    ///
    /// # Panics
    /// As [`try_sum_to`](Tensor::try_sum_to) errs, with the same message.
    #[track_caller]
    pub fn sum_to(&self, shape: &[usize]) -> Tensor<T> {
        or_panic(self.try_sum_to(shape))
    }

    /// [`sum_to`](Tensor::sum_to), returning an error instead of panicking.
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] if `shape` does not broadcast to `self.shape()`.
    pub fn try_sum_to(&self, shape: &[usize]) -> Result<Tensor<T>, TensorError> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let mismatch = || TensorError::ShapeMismatch {
            op: "sum_to",
            lhs: self.shape().to_vec(),
            rhs: shape.to_vec(),
        };
        if broadcast_shape("sum_to", shape, self.shape())
            .ok()
            .as_deref()
            != Some(self.shape())
        {
            return Err(mismatch());
        }
        let lead = self.ndim() - shape.len();
        let mut out: ArrayD<T> = (**self.data).clone();
        for _ in 0..lead {
            out = out.sum_axis(Axis(0));
        }
        for (i, &n) in shape.iter().enumerate() {
            if n == 1 && out.shape()[i] != 1 {
                out = out.sum_axis(Axis(i)).insert_axis(Axis(i));
            }
        }
        let from = self.shape().to_vec();
        Ok(record(
            "sum_to",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.expand(&from))]),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::broadcast_shape;

    #[test]
    fn broadcast_aligns_on_the_right_and_stretches_ones() {
        assert_eq!(broadcast_shape("t", &[3, 1], &[4]).unwrap(), vec![3, 4]);
        assert_eq!(broadcast_shape("t", &[], &[2, 2]).unwrap(), vec![2, 2]);
        assert!(broadcast_shape("t", &[3], &[4]).is_err());
    }
}
