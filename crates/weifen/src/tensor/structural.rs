//! Structural ops: reshapes, permutations, slices, indexing, concatenation.
//!
//! Each moves values without arithmetic, and its rule moves the gradient back the other way,
//! written in these same ops: `reshape` ↔ `reshape`, `permute` ↔ the inverse permutation,
//! `slice` ↔ `pad` (zeros around), `select` ↔ `place` (zeros around one index), `cat` ↔
//! slices, `stack` ↔ selects. `get`, `squeeze` and `unsqueeze` are compositions of them and
//! need no rule.

use super::buffer::{self, Buffer};
use super::error::or_panic;
use super::fusion::Fusion;
use super::graph::{record, record_node};
use super::{Element, Tensor, TensorError, lazy};
use ndarray::{Axis, IxDyn, Slice};
use std::sync::Arc;

impl<T: Element> Tensor<T> {
    /// The same values in a new shape (row-major order), like `torch.reshape`.
    ///
    /// # Panics
    /// As [`try_reshape`](Tensor::try_reshape) errs.
    #[track_caller]
    pub fn reshape(&self, shape: &[usize]) -> Tensor<T> {
        or_panic(self.try_reshape(shape))
    }

    /// [`reshape`](Tensor::reshape).
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] if `shape` holds a different number of elements.
    pub fn try_reshape(&self, shape: &[usize]) -> Result<Tensor<T>, TensorError> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let out = self
            .data
            .to_shape(IxDyn(shape))
            .map_err(|_| TensorError::ShapeMismatch {
                op: "reshape",
                lhs: self.shape().to_vec(),
                rhs: shape.to_vec(),
            })?
            .into_owned();
        let from = self.shape().to_vec();
        Ok(record(
            "reshape",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.reshape(&from))]),
        ))
    }

    /// The dimensions reordered: result dimension `i` is input dimension `axes[i]`.
    ///
    /// # Panics
    /// As [`try_permute`](Tensor::try_permute) errs.
    #[track_caller]
    pub fn permute(&self, axes: &[usize]) -> Tensor<T> {
        or_panic(self.try_permute(axes))
    }

    /// [`permute`](Tensor::permute).
    ///
    /// # Errors
    /// [`TensorError::InvalidArgument`] if `axes` is not a permutation of `0..ndim`.
    pub fn try_permute(&self, axes: &[usize]) -> Result<Tensor<T>, TensorError> {
        let mut seen = vec![false; self.ndim()];
        let ok = axes.len() == self.ndim()
            && axes
                .iter()
                .all(|&a| a < seen.len() && !std::mem::replace(&mut seen[a], true));
        if !ok {
            return Err(TensorError::InvalidArgument {
                op: "permute",
                reason: format!(
                    "{axes:?} is not a permutation of the {} dimensions of shape {:?}",
                    self.ndim(),
                    self.shape()
                ),
            });
        }
        let out = self
            .data
            .view()
            .permuted_axes(IxDyn(axes))
            .as_standard_layout()
            .into_owned();
        let mut inverse = vec![0; axes.len()];
        for (i, &a) in axes.iter().enumerate() {
            inverse[a] = i;
        }
        Ok(record(
            "permute",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.permute(&inverse))]),
        ))
    }

    /// Dimensions `d0` and `d1` swapped.
    ///
    /// # Panics
    /// If either is out of range.
    #[track_caller]
    pub fn transpose(&self, d0: usize, d1: usize) -> Tensor<T> {
        or_panic(self.try_transpose(d0, d1))
    }

    /// [`transpose`](Tensor::transpose).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] if either dimension is out of range.
    pub fn try_transpose(&self, d0: usize, d1: usize) -> Result<Tensor<T>, TensorError> {
        let mut axes: Vec<usize> = (0..self.ndim()).collect();
        for d in [d0, d1] {
            self.dim_in_range("transpose", d, self.ndim())?;
        }
        axes.swap(d0, d1);
        self.try_permute(&axes)
    }

    pub(super) fn dim_in_range(
        &self,
        op: &'static str,
        dim: usize,
        n: usize,
    ) -> Result<(), TensorError> {
        if dim < n {
            Ok(())
        } else {
            Err(TensorError::DimOutOfRange {
                op,
                dim,
                ndim: self.ndim(),
            })
        }
    }

    /// Dimension `dim`, of length 1, removed.
    ///
    /// # Panics
    /// If `dim` is out of range or its length is not 1.
    #[track_caller]
    pub fn squeeze(&self, dim: usize) -> Tensor<T> {
        or_panic(self.try_squeeze(dim))
    }

    /// [`squeeze`](Tensor::squeeze).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`]; [`TensorError::InvalidArgument`] if the length is not 1.
    pub fn try_squeeze(&self, dim: usize) -> Result<Tensor<T>, TensorError> {
        self.dim_in_range("squeeze", dim, self.ndim())?;
        if self.shape()[dim] != 1 {
            return Err(TensorError::InvalidArgument {
                op: "squeeze",
                reason: format!(
                    "dimension {dim} of shape {:?} has length {}, not 1",
                    self.shape(),
                    self.shape()[dim]
                ),
            });
        }
        let mut shape = self.shape().to_vec();
        shape.remove(dim);
        self.try_reshape(&shape)
    }

    /// A dimension of length 1 inserted at `dim` (`0..=ndim`).
    ///
    /// # Panics
    /// If `dim > ndim`.
    #[track_caller]
    pub fn unsqueeze(&self, dim: usize) -> Tensor<T> {
        or_panic(self.try_unsqueeze(dim))
    }

    /// [`unsqueeze`](Tensor::unsqueeze).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] if `dim > ndim`.
    pub fn try_unsqueeze(&self, dim: usize) -> Result<Tensor<T>, TensorError> {
        self.dim_in_range("unsqueeze", dim, self.ndim() + 1)?;
        let mut shape = self.shape().to_vec();
        shape.insert(dim, 1);
        self.try_reshape(&shape)
    }

    /// The elements `start..end` along `dim` (`x[.., start:end, ..]`).
    ///
    /// # Panics
    /// As [`try_slice`](Tensor::try_slice) errs.
    #[track_caller]
    pub fn slice(&self, dim: usize, start: usize, end: usize) -> Tensor<T> {
        or_panic(self.try_slice(dim, start, end))
    }

    /// [`slice`](Tensor::slice).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`]; [`TensorError::IndexOutOfRange`] if `start > end` or
    /// `end` is past the dimension's length.
    pub fn try_slice(
        &self,
        dim: usize,
        start: usize,
        end: usize,
    ) -> Result<Tensor<T>, TensorError> {
        self.dim_in_range("slice", dim, self.ndim())?;
        let len = self.shape()[dim];
        if start > end || end > len {
            return Err(TensorError::IndexOutOfRange {
                op: "slice",
                index: end.max(start),
                len,
            });
        }
        // Along a dimension with only dimensions of length 1 before it, the slice is a run of
        // the input's elements in row-major order: its values can stay pending (`lazy.rs`),
        // and the engine can read it in place and write its gradient into the input's
        // (`fusion.rs`).
        let shape = self.shape();
        let offset = (shape[..dim].iter().all(|&n| n == 1))
            .then(|| start * shape[dim + 1..].iter().product::<usize>());
        let (fusion, data) = match offset {
            Some(offset) => (
                Fusion::Window { offset },
                lazy::window(self, offset, dim, end - start),
            ),
            None => (Fusion::None, None),
        };
        let data = data.unwrap_or_else(|| {
            let view = self.data.slice_axis(Axis(dim), Slice::from(start..end));
            Arc::new(Buffer::new(buffer::copy_of(view)))
        });
        Ok(record_node(
            "slice",
            &[self],
            data,
            Box::new(move |_, _, g| vec![Some(g.pad(dim, start, len))]),
            fusion,
        ))
    }

    /// Zeros of length `len` along `dim` with `self` placed at `start..`: the adjoint of
    /// [`slice`](Tensor::slice).
    fn pad(&self, dim: usize, start: usize, len: usize) -> Tensor<T> {
        let mut shape = self.shape().to_vec();
        let n = shape[dim];
        shape[dim] = len;
        let mut out = buffer::scratch_array(&shape);
        if !buffer::is_zeroed(&out) {
            // One pass over a recycled buffer: the zeros only where `self` does not go.
            out.slice_axis_mut(Axis(dim), Slice::from(..start))
                .fill(T::zero());
            out.slice_axis_mut(Axis(dim), Slice::from(start + n..))
                .fill(T::zero());
        }
        out.slice_axis_mut(Axis(dim), Slice::from(start..start + n))
            .assign(&self.data);
        record(
            "pad",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.slice(dim, start, start + n))]),
        )
    }

    /// Element `i` along the first dimension, that dimension removed (`x[i]`): a 0-d tensor
    /// for a 1-d `x`.
    ///
    /// # Panics
    /// As [`try_get`](Tensor::try_get) errs.
    #[track_caller]
    pub fn get(&self, i: usize) -> Tensor<T> {
        or_panic(self.try_get(i))
    }

    /// [`get`](Tensor::get).
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`] for a 0-d tensor, [`TensorError::IndexOutOfRange`].
    pub fn try_get(&self, i: usize) -> Result<Tensor<T>, TensorError> {
        self.select_as("get", 0, i)
    }

    /// Element `i` along `dim`, that dimension removed.
    ///
    /// # Errors
    /// [`TensorError::DimOutOfRange`], [`TensorError::IndexOutOfRange`].
    pub fn try_select(&self, dim: usize, i: usize) -> Result<Tensor<T>, TensorError> {
        self.select_as("select", dim, i)
    }

    /// [`try_select`](Tensor::try_select), its errors naming `op`.
    fn select_as(&self, op: &'static str, dim: usize, i: usize) -> Result<Tensor<T>, TensorError> {
        self.dim_in_range(op, dim, self.ndim())?;
        if i >= self.shape()[dim] {
            return Err(TensorError::IndexOutOfRange {
                op,
                index: i,
                len: self.shape()[dim],
            });
        }
        // One node, not a slice and a squeeze: the rule places the gradient in zeros.
        let data = buffer::copy_of(self.data.index_axis(Axis(dim), i));
        let len = self.shape()[dim];
        Ok(record(
            "select",
            &[self],
            data,
            Box::new(move |_, _, g| vec![Some(g.place(dim, i, len))]),
        ))
    }

    /// Zeros with one more dimension, of length `len`, at `dim`, and `self` at index `i`
    /// along it: the adjoint of [`select`](Tensor::try_select).
    fn place(&self, dim: usize, i: usize, len: usize) -> Tensor<T> {
        let mut shape = self.shape().to_vec();
        shape.insert(dim, len);
        let mut out = buffer::scratch_array(&shape);
        if !buffer::is_zeroed(&out) {
            out.fill(T::zero());
        }
        out.index_axis_mut(Axis(dim), i).assign(&self.data);
        record(
            "place",
            &[self],
            out,
            Box::new(move |_, _, g| vec![Some(g.select(dim, i))]),
        )
    }

    /// Element `i` along `dim`, that dimension removed (`torch.select`).
    ///
    /// # Panics
    /// As [`try_select`](Tensor::try_select) errs.
    #[track_caller]
    pub fn select(&self, dim: usize, i: usize) -> Tensor<T> {
        or_panic(self.try_select(dim, i))
    }
}
