//! The graph: reference-counted nodes owned by the tensors that can reach them.
//!
//! A tensor that requires grad holds an `Arc<Node>`: a leaf (which accumulates `.grad()`) or
//! an op node (its inputs' nodes, its saved inputs and output value, and its backward rule).
//! A node lives while some tensor (or a later node) can reach it; there is no global graph.
//! A node never holds its own output tensor, only the output's values, so the graph has no
//! cycles. Dropping a long chain is iterative (see `Drop for Node`).
//!
//! Grad mode is a thread-local flag, as in PyTorch: [`no_grad`] turns recording off on the
//! current thread until its guard drops. The graph itself is not thread-local: tensors are
//! `Send + Sync` and may be moved to other threads with their graph.

use super::buffer::Buffer;
use super::fusion::Fusion;
use super::{Element, Tensor};
use ndarray::ArrayD;
use std::cell::Cell;
use std::sync::{Arc, Mutex, PoisonError};

/// A backward rule: `(saved inputs, output value, output gradient) → one gradient per input`
/// (`None` for an input that does not require grad). Written in tensor operations, so it is
/// recorded when the engine runs it with grad mode on (`create_graph`).
pub(super) type BackwardFn<T> =
    Box<dyn Fn(&[Tensor<T>], &Tensor<T>, &Tensor<T>) -> Vec<Option<Tensor<T>>> + Send + Sync>;

/// What a node keeps for its backward rule until a pass without `retain_graph` frees it.
pub(super) struct Saved<T: Element> {
    pub(super) inputs: Vec<Tensor<T>>,
    pub(super) output: Arc<Buffer<T>>,
}

/// A vertex of the graph.
pub(super) enum Node<T: Element> {
    /// A tensor created by the user with `requires_grad_(true)`.
    Leaf {
        /// The accumulated gradient, as PyTorch's `.grad`.
        grad: Mutex<Option<Tensor<T>>>,
    },
    /// The result of an op.
    Op {
        /// The op's name, for error messages.
        name: &'static str,
        /// The input nodes, one per input (`None` where the input does not require grad).
        edges: Vec<Option<Arc<Node<T>>>>,
        /// Saved inputs and output value; `None` once freed.
        saved: Mutex<Option<Saved<T>>>,
        /// The rule.
        backward: BackwardFn<T>,
        /// What the engine may fuse the node into: an element-wise op whose inputs and
        /// output have one shape, a slice that is a run of its input's elements, or a sum of
        /// everything (`fusion.rs`).
        fusion: Fusion,
    },
}

/// Locks a mutex, ignoring poisoning (a panic in another thread leaves the data usable: every
/// critical section here is a single assignment).
pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T: Element> Node<T> {
    /// The node's identity (its address), stable while any `Arc` to it lives.
    pub(super) fn key(node: &Arc<Node<T>>) -> usize {
        Arc::as_ptr(node) as usize
    }

    /// Moves out every `Arc<Node>` this node owns, directly or through saved tensors.
    fn take_children(&mut self, out: &mut Vec<Arc<Node<T>>>) {
        match self {
            Node::Leaf { grad } => {
                let g = grad.get_mut().unwrap_or_else(PoisonError::into_inner);
                if let Some(mut t) = g.take() {
                    out.extend(t.node.take());
                }
            }
            Node::Op { edges, saved, .. } => {
                out.extend(edges.drain(..).flatten());
                let s = saved.get_mut().unwrap_or_else(PoisonError::into_inner);
                if let Some(s) = s.take() {
                    for mut t in s.inputs {
                        out.extend(t.node.take());
                    }
                }
            }
        }
    }
}

// The default drop would recurse once per node of a chain and overflow the stack at ~10⁵
// nodes. Instead the children are moved to an explicit stack; a child whose last reference
// this was is emptied the same way before it drops, so each drop below is shallow.
impl<T: Element> Drop for Node<T> {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        self.take_children(&mut stack);
        while let Some(child) = stack.pop() {
            if let Some(mut node) = Arc::into_inner(child) {
                node.take_children(&mut stack);
            }
        }
    }
}

thread_local! {
    static GRAD_ENABLED: Cell<bool> = const { Cell::new(true) };
}

/// Whether ops on this thread record the graph.
pub fn is_grad_enabled() -> bool {
    GRAD_ENABLED.with(Cell::get)
}

/// Restores the previous grad mode when dropped; made by [`no_grad`] and [`enable_grad`].
#[must_use = "grad mode is restored when the guard drops; bind it with `let _guard = …`"]
#[derive(Debug)]
pub struct GradModeGuard {
    previous: bool,
}

impl Drop for GradModeGuard {
    fn drop(&mut self) {
        GRAD_ENABLED.with(|g| g.set(self.previous));
    }
}

pub(super) fn set_grad_enabled(on: bool) -> GradModeGuard {
    let previous = GRAD_ENABLED.with(|g| g.replace(on));
    GradModeGuard { previous }
}

/// Turns recording off on the current thread until the guard drops (PyTorch's
/// `torch.no_grad()`): results of ops do not require grad and keep no graph.
///
/// The flag is thread-local, as PyTorch's is: another thread keeps its own mode.
///
/// ```
/// use weifen::tensor::{no_grad, Tensor};
/// let x = Tensor::ones(&[3]).requires_grad_(true);
/// let y = {
///     let _guard = no_grad();
///     x.clone() * 2.0
/// };
/// assert!(!y.requires_grad());
/// assert!((x * 2.0).requires_grad());
/// ```
pub fn no_grad() -> GradModeGuard {
    set_grad_enabled(false)
}

/// Turns recording back on inside a [`no_grad`] scope, until the guard drops.
pub fn enable_grad() -> GradModeGuard {
    set_grad_enabled(true)
}

/// The result of an op: a tensor that records `backward` if grad mode is on and some input
/// requires grad, and a plain tensor otherwise.
pub(super) fn record<T: Element>(
    name: &'static str,
    inputs: &[&Tensor<T>],
    output: ArrayD<T>,
    backward: BackwardFn<T>,
) -> Tensor<T> {
    record_shared(name, inputs, Arc::new(Buffer::new(output)), backward)
}

/// [`record`] for values that are already shared (a saved buffer becoming a tensor of its own,
/// without a copy).
pub(super) fn record_shared<T: Element>(
    name: &'static str,
    inputs: &[&Tensor<T>],
    data: Arc<Buffer<T>>,
    backward: BackwardFn<T>,
) -> Tensor<T> {
    record_node(name, inputs, data, backward, Fusion::None)
}

/// A tensor of `data` recorded as the output of `name` on `inputs` (see [`record`]), with
/// what the engine may fuse it into.
pub(super) fn record_node<T: Element>(
    name: &'static str,
    inputs: &[&Tensor<T>],
    data: Arc<Buffer<T>>,
    backward: BackwardFn<T>,
    fusion: Fusion,
) -> Tensor<T> {
    if !is_grad_enabled() || inputs.iter().all(|t| t.node.is_none()) {
        return Tensor { data, node: None };
    }
    let node = Node::Op {
        name,
        edges: inputs.iter().map(|t| t.node.clone()).collect(),
        saved: Mutex::new(Some(Saved {
            inputs: inputs.iter().map(|&t| t.clone()).collect(),
            output: data.clone(),
        })),
        backward,
        fusion,
    };
    Tensor {
        data,
        node: Some(Arc::new(node)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;

    fn count(t: &Tensor) -> usize {
        Arc::strong_count(t.node.as_ref().expect("requires grad"))
    }

    #[test]
    fn nodes_are_freed_with_the_last_tensor_that_reaches_them() {
        let x = Tensor::from(vec![1.0, 2.0]).requires_grad_(true);
        let y = x.clone() * 2.0; // y's node: one edge to x and x saved
        assert_eq!(count(&x), 1 + 2);
        let z = y.clone().exp();
        drop(y);
        assert_eq!(count(&x), 1 + 2, "z still reaches y's node");
        drop(z);
        assert_eq!(count(&x), 1);
    }

    #[test]
    fn saved_buffers_are_freed_by_a_pass_without_retain_graph() {
        let x = Tensor::from(vec![1.0]).requires_grad_(true);
        let y = (x.clone() * 3.0).sum();
        assert_eq!(count(&x), 1 + 2);
        y.backward();
        assert_eq!(
            count(&x),
            1 + 1,
            "the saved copy of x is gone, the edge stays"
        );
    }

    #[test]
    fn no_grad_guards_nest_and_restore() {
        assert!(is_grad_enabled());
        {
            let _a = no_grad();
            {
                let _b = enable_grad();
                assert!(is_grad_enabled());
            }
            assert!(!is_grad_enabled());
        }
        assert!(is_grad_enabled());
    }
}
