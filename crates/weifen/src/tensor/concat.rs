//! Concatenation: `cat` along an existing dimension, and `stack` along a new one. The rule
//! of `cat` hands each input its slice of the gradient, that of `stack` its index.

use super::error::or_panic;
use super::graph::record;
use super::{Element, Tensor, TensorError};
use ndarray::Axis;

impl<T: Element> Tensor<T> {
    /// Concatenation along `dim` (`torch.cat`).
    ///
    /// # Panics
    /// As [`try_cat`](Tensor::try_cat) errs.
    #[track_caller]
    pub fn cat(tensors: &[&Tensor<T>], dim: usize) -> Tensor<T> {
        or_panic(Tensor::try_cat(tensors, dim))
    }

    /// [`cat`](Tensor::cat).
    ///
    /// # Errors
    /// [`TensorError::InvalidArgument`] for no tensors, [`TensorError::DimOutOfRange`],
    /// [`TensorError::ShapeMismatch`] if the shapes differ outside `dim`.
    pub fn try_cat(tensors: &[&Tensor<T>], dim: usize) -> Result<Tensor<T>, TensorError> {
        let first = tensors
            .first()
            .ok_or_else(|| TensorError::InvalidArgument {
                op: "cat",
                reason: "no tensors to concatenate".into(),
            })?;
        first.dim_in_range("cat", dim, first.ndim())?;
        let mut starts = Vec::with_capacity(tensors.len());
        let mut len = 0;
        for t in tensors {
            let same = t.ndim() == first.ndim()
                && (0..t.ndim()).all(|d| d == dim || t.shape()[d] == first.shape()[d]);
            if !same {
                return Err(TensorError::ShapeMismatch {
                    op: "cat",
                    lhs: first.shape().to_vec(),
                    rhs: t.shape().to_vec(),
                });
            }
            starts.push((len, t.shape()[dim]));
            len += t.shape()[dim];
        }
        let views: Vec<_> = tensors.iter().map(|t| t.data.view()).collect();
        let out = ndarray::concatenate(Axis(dim), &views).expect("shapes checked above");
        Ok(record(
            "cat",
            tensors,
            out,
            Box::new(move |inputs, _, g| {
                inputs
                    .iter()
                    .zip(&starts)
                    .map(|(x, &(s, n))| x.requires_grad().then(|| g.slice(dim, s, s + n)))
                    .collect()
            }),
        ))
    }

    /// The tensors, all of one shape, stacked along a new dimension `dim` (`torch.stack`).
    ///
    /// # Panics
    /// As [`try_stack`](Tensor::try_stack) errs.
    #[track_caller]
    pub fn stack(tensors: &[&Tensor<T>], dim: usize) -> Tensor<T> {
        or_panic(Tensor::try_stack(tensors, dim))
    }

    /// [`stack`](Tensor::stack).
    ///
    /// # Errors
    /// As [`try_cat`](Tensor::try_cat), and [`TensorError::DimOutOfRange`] if `dim > ndim`.
    pub fn try_stack(tensors: &[&Tensor<T>], dim: usize) -> Result<Tensor<T>, TensorError> {
        let Some(first) = tensors.first() else {
            return Err(TensorError::InvalidArgument {
                op: "stack",
                reason: "no tensors to stack".into(),
            });
        };
        if let Some(t) = tensors.iter().find(|t| t.shape() != first.shape()) {
            return Err(TensorError::ShapeMismatch {
                op: "stack",
                lhs: first.shape().to_vec(),
                rhs: t.shape().to_vec(),
            });
        }
        first.dim_in_range("stack", dim, first.ndim() + 1)?;
        // One node, not an unsqueeze per tensor and a `cat`: its rule selects each
        // tensor's gradient.
        let views: Vec<_> = tensors.iter().map(|t| t.data.view()).collect();
        let out = ndarray::stack(Axis(dim), &views).expect("shapes checked above");
        Ok(record(
            "stack",
            tensors,
            out,
            Box::new(move |inputs, _, g| {
                (0..inputs.len())
                    .map(|k| inputs[k].requires_grad().then(|| g.select(dim, k)))
                    .collect()
            }),
        ))
    }
}
