//! Constructors: ranges, constant fills, seeded random tensors, and the `tensor!` literal.

use super::buffer::Buffer;
use super::{Element, Tensor, buffer};
use ndarray::{ArrayD, IxDyn};
use rand::{RngExt, SeedableRng, rngs::StdRng};
use rand_distr::{Distribution, StandardNormal};
use std::sync::Arc;

/// Constructors of `f64` tensors; [`cast`](Tensor::cast) converts to `f32`.
impl Tensor {
    /// `steps` evenly spaced values from `start` to `end` inclusive (`torch.linspace`).
    pub fn linspace(start: f64, end: f64, steps: usize) -> Tensor {
        // Into pooled memory: a fresh 10⁷-element array is 80 MB of fresh pages, and its
        // buffer would join the pool when dropped without ever being taken from it.
        let mut v = buffer::reuse(steps);
        v.extend(ndarray::linspace(start, end, steps));
        Tensor::from(v)
    }

    /// `start, start + step, …` up to but excluding `end` (`torch.arange`).
    ///
    /// # Panics
    /// If `step` is zero or not finite.
    #[track_caller]
    pub fn arange(start: f64, end: f64, step: f64) -> Tensor {
        assert!(
            step != 0.0 && step.is_finite(),
            "arange: step must be finite and non-zero, got {step}"
        );
        let n = ((end - start) / step).ceil().max(0.0) as usize;
        let mut v = buffer::reuse(n);
        v.extend((0..n).map(|i| start + i as f64 * step));
        Tensor::from(v)
    }

    /// A 0-d tensor holding `c` (PyTorch's `torch.tensor(c)`).
    pub fn scalar(c: f64) -> Tensor {
        Tensor::filled(&[], c)
    }

    /// A tensor of `shape` filled with `c`.
    pub fn full(shape: &[usize], c: f64) -> Tensor {
        Tensor::filled(shape, c)
    }

    /// Zeros of `shape`.
    pub fn zeros(shape: &[usize]) -> Tensor {
        Tensor::full(shape, 0.0)
    }

    /// Ones of `shape`.
    pub fn ones(shape: &[usize]) -> Tensor {
        Tensor::full(shape, 1.0)
    }

    /// Uniform values in `[0, 1)` from a seeded generator (`torch.rand` after
    /// `torch.manual_seed(seed)`; the streams differ from PyTorch's).
    pub fn rand(shape: &[usize], seed: u64) -> Tensor {
        let mut rng = StdRng::seed_from_u64(seed);
        Tensor::from_data(ArrayD::from_shape_simple_fn(IxDyn(shape), || {
            rng.random::<f64>()
        }))
    }

    /// Standard normal values from a seeded generator (`torch.randn`).
    pub fn randn(shape: &[usize], seed: u64) -> Tensor {
        let mut rng = StdRng::seed_from_u64(seed);
        Tensor::from_data(ArrayD::from_shape_simple_fn(IxDyn(shape), || {
            StandardNormal.sample(&mut rng)
        }))
    }
}

impl<T: Element> Tensor<T> {
    /// `c` (rounded to the element type) in `shape`.
    pub(super) fn filled(shape: &[usize], c: f64) -> Tensor<T> {
        // From the pool of freed buffers where it can: a fresh large vector is page faults
        // (the `ones_like` of a 10⁶-element gradient cost twice its fill).
        Tensor {
            data: Arc::new(Buffer::uniform(shape, T::from_f64(c))),
            node: None,
        }
    }

    /// `c` in the shape of `t`.
    pub fn full_like(t: &Tensor<T>, c: f64) -> Tensor<T> {
        Tensor::filled(t.shape(), c)
    }

    /// Zeros in the shape of `t`.
    pub fn zeros_like(t: &Tensor<T>) -> Tensor<T> {
        Tensor::filled(t.shape(), 0.0)
    }

    /// Ones in the shape of `t`.
    pub fn ones_like(t: &Tensor<T>) -> Tensor<T> {
        Tensor::filled(t.shape(), 1.0)
    }

    /// A tensor of `shape` from row-major values.
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`](super::TensorError::ShapeMismatch) if the number of
    /// values is not the product of `shape`.
    pub fn from_shape_vec(
        shape: &[usize],
        values: Vec<T>,
    ) -> Result<Tensor<T>, super::TensorError> {
        let n = values.len();
        ArrayD::from_shape_vec(IxDyn(shape), values)
            .map(Tensor::from_data)
            .map_err(|_| super::TensorError::ShapeMismatch {
                op: "from_shape_vec",
                lhs: vec![n],
                rhs: shape.to_vec(),
            })
    }

    /// The values converted to another element type (`t.to(torch.float32)`). The result is
    /// cut from the graph (a graph holds one element type): call `requires_grad_(true)` on it
    /// to start recording in the new type.
    pub fn cast<U: Element>(&self) -> Tensor<U> {
        Tensor::from_data(self.data.mapv(|v| U::from_f64(v.to_f64())))
    }
}

/// A tensor literal: `tensor![1.0, 2.0]` (shape `[2]`), `tensor![[1.0, 2.0], [3.0, 4.0]]`
/// (shape `[2, 2]`), up to six dimensions (as `ndarray::array!`).
///
/// ```
/// use weifen::tensor;
/// let a = tensor![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(a.at(&[1, 0]), 4.0);
/// ```
#[macro_export]
macro_rules! tensor {
    ($($t:tt)*) => {
        $crate::tensor::Tensor::from($crate::tensor::__ndarray::array![$($t)*])
    };
}
