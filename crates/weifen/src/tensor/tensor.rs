//! The `Tensor` type: shared immutable values plus an optional graph node.

use super::Element;
use super::buffer::Buffer;
use super::graph::{Node, lock};
use ndarray::{ArrayD, Dimension, IxDyn};
use std::fmt;
use std::sync::{Arc, Mutex};

/// An n-dimensional array of `f64` (or `f32`: `Tensor<f32>`) that can record the operations made on it, for reverse
/// mode (PyTorch's `torch.Tensor`).
///
/// Cloning is cheap: the values are shared (they are never mutated) and so is the graph node,
/// so a clone of a leaf is the same leaf (`x.clone() * x` accumulates into `x.grad()` twice, as
/// `x * x` does in PyTorch). A tensor is `Send + Sync` and can move to another thread with
/// its graph.
///
/// ```
/// use weifen::tensor::Tensor;
/// use weifen::Scalar;
/// let x = Tensor::linspace(0.0, 1.0, 5).requires_grad_(true);
/// let y = x.clone().sin().sum();
/// y.backward();
/// let dx = x.grad().unwrap().to_vec();
/// for (d, x) in dx.iter().zip(x.to_vec()) {
///     assert!((d - x.cos()).abs() < 1e-15);
/// }
/// ```
#[derive(Clone)]
pub struct Tensor<T: Element = f64> {
    pub(super) data: Arc<Buffer<T>>,
    pub(super) node: Option<Arc<Node<T>>>,
}

impl<T: Element> Tensor<T> {
    /// A tensor that does not require grad, holding `data`.
    pub(super) fn from_data(data: ArrayD<T>) -> Tensor<T> {
        Tensor {
            data: Arc::new(Buffer::new(data)),
            node: None,
        }
    }

    /// The values, as an `ndarray` array.
    pub fn array(&self) -> &ArrayD<T> {
        &self.data
    }

    /// The values, copied out (or moved out when no other tensor shares them).
    pub fn into_array(self) -> ArrayD<T> {
        Arc::try_unwrap(self.data).map_or_else(|a| (**a).clone(), Buffer::into_inner)
    }

    /// The values in row-major order.
    pub fn to_vec(&self) -> Vec<T> {
        self.data.iter().copied().collect()
    }

    /// The shape (`[]` for a 0-d tensor).
    pub fn shape(&self) -> &[usize] {
        self.data.shape()
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.data.ndim()
    }

    /// The number of elements (PyTorch's `numel`).
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The value of a one-element tensor (PyTorch's `item()`).
    ///
    /// # Panics
    /// As [`try_item`](Tensor::try_item) errs, with the same message.
    #[track_caller]
    pub fn item(&self) -> T {
        super::error::or_panic(self.try_item())
    }

    /// [`item`](Tensor::item).
    ///
    /// # Errors
    /// [`TensorError::InvalidArgument`](super::TensorError::InvalidArgument) unless the
    /// tensor has exactly one element.
    pub fn try_item(&self) -> Result<T, super::TensorError> {
        match self.data.iter().next() {
            Some(&v) if self.len() == 1 => Ok(v),
            _ => Err(super::TensorError::InvalidArgument {
                op: "item",
                reason: format!(
                    "the tensor has shape {:?}; it needs exactly one element",
                    self.shape()
                ),
            }),
        }
    }

    /// Whether operations on this tensor are recorded for reverse mode.
    pub fn requires_grad(&self) -> bool {
        self.node.is_some()
    }

    /// Whether this tensor is a leaf: made by the user rather than by a recorded op.
    pub fn is_leaf(&self) -> bool {
        !matches!(self.node.as_deref(), Some(Node::Op { .. }))
    }

    /// Marks a leaf as requiring grad (`true`) or not (PyTorch's `requires_grad_`), and
    /// returns it.
    ///
    /// # Panics
    /// When asked to stop recording a non-leaf: call [`detach`](Tensor::detach) instead.
    #[track_caller]
    pub fn requires_grad_(mut self, on: bool) -> Tensor<T> {
        match (on, self.node.as_deref()) {
            (true, None) => {
                self.node = Some(Arc::new(Node::Leaf {
                    grad: Mutex::new(None),
                }));
            }
            (false, Some(Node::Op { .. })) => panic!(
                "requires_grad_: can only change the flag of a leaf; use detach() to get a \
                 tensor that does not require grad"
            ),
            (false, _) => self.node = None,
            (true, Some(_)) => {}
        }
        self
    }

    /// The gradient accumulated into this leaf by [`backward`](Tensor::backward), or `None`
    /// if none has been (and always `None` for a non-leaf, as PyTorch without `retain_grad`).
    pub fn grad(&self) -> Option<Tensor<T>> {
        match self.node.as_deref() {
            Some(Node::Leaf { grad }) => lock(grad).clone(),
            _ => None,
        }
    }

    /// Clears the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    pub fn zero_grad(&self) {
        if let Some(Node::Leaf { grad }) = self.node.as_deref() {
            *lock(grad) = None;
        }
    }

    /// The same values, cut from the graph: results of ops on it do not record.
    pub fn detach(&self) -> Tensor<T> {
        Tensor {
            data: self.data.clone(),
            node: None,
        }
    }

    /// The value at a full index.
    ///
    /// # Panics
    /// If the index has the wrong length or is out of range.
    #[track_caller]
    pub fn at(&self, index: &[usize]) -> T {
        self.data[IxDyn(index)]
    }
}

impl<T: Element> fmt::Debug for Tensor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grad = match self.node.as_deref() {
            None => "",
            Some(Node::Leaf { .. }) => ", requires_grad=true",
            Some(Node::Op { name, .. }) => name,
        };
        let dtype = if T::NAME == "f64" { "" } else { ", dtype=f32" };
        if grad.is_empty() || grad.starts_with(',') {
            write!(f, "tensor({}{dtype}{grad})", **self.data)
        } else {
            write!(f, "tensor({}{dtype}, grad_fn={grad})", **self.data)
        }
    }
}

impl<T: Element> fmt::Display for Tensor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl<T: Element, D: Dimension> From<ndarray::Array<T, D>> for Tensor<T> {
    fn from(a: ndarray::Array<T, D>) -> Tensor<T> {
        Tensor::from_data(a.into_dyn())
    }
}

impl<T: Element> From<Vec<T>> for Tensor<T> {
    fn from(v: Vec<T>) -> Tensor<T> {
        Tensor::from_data(ndarray::Array1::from(v).into_dyn())
    }
}

impl<T: Element> From<&[T]> for Tensor<T> {
    fn from(v: &[T]) -> Tensor<T> {
        Tensor::from(v.to_vec())
    }
}

impl<T: Element, const N: usize> From<[T; N]> for Tensor<T> {
    fn from(v: [T; N]) -> Tensor<T> {
        Tensor::from(v.to_vec())
    }
}

/// A 0-d tensor.
impl<T: Element> From<T> for Tensor<T> {
    fn from(c: T) -> Tensor<T> {
        Tensor::from_data(ndarray::arr0(c).into_dyn())
    }
}

impl<T: Element> From<Tensor<T>> for Vec<T> {
    fn from(t: Tensor<T>) -> Vec<T> {
        t.to_vec()
    }
}

impl<T: Element> From<Tensor<T>> for ArrayD<T> {
    fn from(t: Tensor<T>) -> ArrayD<T> {
        t.into_array()
    }
}

/// Equal shapes and values (the graph is not compared), as `torch.equal`.
impl<T: Element> PartialEq for Tensor<T> {
    fn eq(&self, other: &Tensor<T>) -> bool {
        **self.data == **other.data
    }
}
