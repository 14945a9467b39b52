//! Indexing by a list along the last dimension: `take` (gather, `x[..., idx]`) and its
//! adjoint `scatter_add` (`out[..., idx[j]] += x[..., j]` into zeros).
//!
//! The two are each other's transpose, so each one's rule is the other: the gradient of a
//! gather is scattered back (positions taken twice add up), and the gradient of a scatter is
//! gathered. Both are written with the ops themselves, so they differentiate again. Building a
//! structured matrix from a parameter vector (a triangular factor from its packed entries) is
//! one `scatter_add` into the flattened matrix.

use super::error::or_panic;
use super::graph::record;
use super::{Element, Tensor, TensorError};
use ndarray::{ArrayD, IxDyn};
use std::sync::Arc;

impl<T: Element> Tensor<T> {
    /// The elements at `indices` along the last dimension: `y[..., j] = x[..., indices[j]]`
    /// (`torch.index_select(x, -1, indices)`). An index may repeat.
    ///
    /// ```
    /// use weifen::tensor;
    /// let x = tensor![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
    /// assert_eq!(x.take(&[2, 0, 2]).to_vec(), vec![3.0, 1.0, 3.0, 6.0, 4.0, 6.0]);
    /// ```
    ///
    /// # Panics
    /// As [`try_take`](Tensor::try_take) errs.
    #[track_caller]
    pub fn take(&self, indices: &[usize]) -> Tensor<T> {
        or_panic(self.try_take(indices))
    }

    /// [`take`](Tensor::take).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] for a 0-d tensor; [`TensorError::IndexOutOfRange`] for
    /// an index past the last dimension.
    pub fn try_take(&self, indices: &[usize]) -> Result<Tensor<T>, TensorError> {
        let width = self.last_width("take")?;
        check_indices("take", indices, width)?;
        let idx: Arc<[usize]> = indices.into();
        let out = gather_rows(&self.data, &idx, width);
        Ok(record(
            "take",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.scatter_add(&idx, width))]),
        ))
    }

    /// Zeros of length `len` along the last dimension with `x[..., j]` added at
    /// `indices[j]`: the adjoint of [`take`](Tensor::take).
    ///
    /// ```
    /// use weifen::tensor;
    /// let x = tensor![1.0, 2.0, 3.0];
    /// assert_eq!(x.scatter_add(&[3, 0, 3], 4).to_vec(), vec![2.0, 0.0, 0.0, 4.0]);
    /// ```
    ///
    /// # Panics
    /// As [`try_scatter_add`](Tensor::try_scatter_add) errs.
    #[track_caller]
    pub fn scatter_add(&self, indices: &[usize], len: usize) -> Tensor<T> {
        or_panic(self.try_scatter_add(indices, len))
    }

    /// [`scatter_add`](Tensor::scatter_add).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] for a 0-d tensor; [`TensorError::ShapeMismatch`] if
    /// `indices` is not as long as the last dimension; [`TensorError::IndexOutOfRange`] for
    /// an index `≥ len`.
    pub fn try_scatter_add(&self, indices: &[usize], len: usize) -> Result<Tensor<T>, TensorError> {
        let width = self.last_width("scatter_add")?;
        if indices.len() != width {
            return Err(TensorError::ShapeMismatch {
                op: "scatter_add",
                lhs: self.shape().to_vec(),
                rhs: vec![indices.len()],
            });
        }
        check_indices("scatter_add", indices, len)?;
        let idx: Arc<[usize]> = indices.into();
        let out = scatter_rows(&self.data, &idx, len);
        Ok(record(
            "scatter_add",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.take(&idx))]),
        ))
    }

    /// The length of the last dimension, or an error for a 0-d tensor.
    fn last_width(&self, op: &'static str) -> Result<usize, TensorError> {
        self.shape()
            .last()
            .copied()
            .ok_or(TensorError::DimOutOfRange {
                op,
                dim: 0,
                ndim: 0,
            })
    }
}

fn check_indices(op: &'static str, indices: &[usize], len: usize) -> Result<(), TensorError> {
    match indices.iter().find(|&&i| i >= len) {
        Some(&index) => Err(TensorError::IndexOutOfRange { op, index, len }),
        None => Ok(()),
    }
}

/// `shape` with its last dimension replaced by `len`, and the number of rows before it.
fn with_last(shape: &[usize], len: usize) -> (Vec<usize>, usize) {
    let mut shape = shape.to_vec();
    *shape.last_mut().expect("checked: at least 1-d") = len;
    let rows = shape[..shape.len() - 1].iter().product();
    (shape, rows)
}

/// `out[r, j] = x[r, idx[j]]` over the rows `r` of the last dimension.
fn gather_rows<T: Element>(x: &ArrayD<T>, idx: &[usize], width: usize) -> ArrayD<T> {
    let (shape, rows) = with_last(x.shape(), idx.len());
    let x = x.as_standard_layout();
    let src = x.as_slice().expect("standard layout");
    let mut out = Vec::with_capacity(rows * idx.len());
    if width > 0 {
        for row in src.chunks_exact(width) {
            out.extend(idx.iter().map(|&i| row[i]));
        }
    }
    ArrayD::from_shape_vec(IxDyn(&shape), out).expect("rows times the index count")
}

/// `out[r, idx[j]] += x[r, j]` over the rows `r`, into zeros of last dimension `len`.
fn scatter_rows<T: Element>(x: &ArrayD<T>, idx: &[usize], len: usize) -> ArrayD<T> {
    let (shape, rows) = with_last(x.shape(), len);
    let x = x.as_standard_layout();
    let src = x.as_slice().expect("standard layout");
    let mut out = vec![T::zero(); rows * len];
    if !idx.is_empty() && len > 0 {
        for (row, o) in src.chunks_exact(idx.len()).zip(out.chunks_exact_mut(len)) {
            for (&v, &i) in row.iter().zip(idx) {
                o[i] = o[i] + v;
            }
        }
    }
    ArrayD::from_shape_vec(IxDyn(&shape), out).expect("rows times the new length")
}

#[cfg(test)]
mod tests {
    use crate::tensor::{GradOptions, Tensor, grad};

    #[test]
    fn take_and_scatter_add_are_adjoint() {
        // <take(x), y> = <x, scatter_add(y)> for every x, y: the defining property.
        let idx = [4, 1, 1, 0];
        let x = Tensor::randn(&[3, 5], 1);
        let y = Tensor::randn(&[3, 4], 2);
        let lhs = (x.take(&idx) * y.clone()).sum().item();
        let rhs = (x * y.scatter_add(&idx, 5)).sum().item();
        assert!((lhs - rhs).abs() < 1e-12, "{lhs} vs {rhs}");
    }

    #[test]
    fn gradients_of_take_add_up_at_repeated_indices() {
        // y = Σ_j w_j x[idx_j], so ∂y/∂x_i = Σ_{j: idx_j = i} w_j.
        let x = Tensor::from(vec![1.0, 2.0, 3.0]).requires_grad_(true);
        let w = Tensor::from(vec![10.0, 20.0, 30.0, 40.0]);
        let y = (x.take(&[2, 0, 2, 2]) * w).sum();
        let g = grad(
            &[&y],
            &[&x],
            &[&Tensor::scalar(1.0)],
            GradOptions::default(),
        )
        .unwrap();
        assert_eq!(g[0].to_vec(), vec![20.0, 0.0, 80.0]);
    }

    #[test]
    fn scatter_add_gradient_gathers_and_differentiates_again() {
        // y = Σ_r Σ_i c_i · s[r, i]², s = scatter_add(x, idx, 3), so
        // ∂y/∂x[r, j] = 2 c_{idx_j} s[r, idx_j] and ∂²y/∂x[r, j]∂x[r, j'] = 2 c_i when both map to i.
        let x = Tensor::from_shape_vec(&[2, 2], vec![1.0, 2.0, 3.0, 4.0])
            .unwrap()
            .requires_grad_(true);
        let c = Tensor::from(vec![1.0, 5.0, 7.0]);
        let s = x.scatter_add(&[2, 2], 3);
        assert_eq!(s.to_vec(), vec![0.0, 0.0, 3.0, 0.0, 0.0, 7.0]);
        let y = (s.clone() * s * c).sum();
        let options = GradOptions {
            create_graph: true,
            ..Default::default()
        };
        let g = grad(&[&y], &[&x], &[&Tensor::scalar(1.0)], options)
            .unwrap()
            .remove(0);
        assert_eq!(g.to_vec(), vec![42.0, 42.0, 98.0, 98.0]);
        let h = grad(
            &[&g.sum()],
            &[&x],
            &[&Tensor::scalar(1.0)],
            GradOptions::default(),
        )
        .unwrap()
        .remove(0);
        // Σ_j' ∂²y/∂x[r,j]∂x[r,j'] = 2·7·2 = 28 for every entry.
        assert_eq!(h.to_vec(), vec![28.0; 4]);
    }

    #[test]
    fn bad_indices_are_typed_errors() {
        let x = Tensor::from(vec![1.0, 2.0]);
        assert!(x.try_take(&[2]).is_err());
        assert!(
            x.try_scatter_add(&[0], 3).is_err(),
            "one index for two entries"
        );
        assert!(x.try_scatter_add(&[0, 3], 3).is_err());
        assert!(Tensor::scalar(1.0).try_take(&[0]).is_err());
    }
}
