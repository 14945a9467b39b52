//! The backward engine: one iterative pass in topological order (Kahn's algorithm on the
//! reachable subgraph), so a chain of any length runs in constant stack.
//!
//! 1. Walk the graph from the outputs with an explicit stack, counting for each node how many
//!    reachable nodes feed gradient into it.
//! 2. Start from the outputs; a node runs its backward rule once all its consumers have sent
//!    their gradient (its count reached zero), then passes one gradient to each input.
//!
//! With `create_graph` the rules run with grad mode on, so the gradients are themselves
//! recorded; without it they run under `no_grad`. Unless `retain_graph` (implied by
//! `create_graph`, as in PyTorch), each node's saved buffers are freed once used.

use super::graph::{Node, lock, set_grad_enabled};
use super::{Element, Tensor, TensorError};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Options of [`grad`] and [`Tensor::backward_options`](super::Tensor::backward_options), as
/// PyTorch's keyword arguments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GradOptions {
    /// Keep the saved buffers so that the graph can be differentiated again. Implied by
    /// `create_graph`.
    pub retain_graph: bool,
    /// Record the backward pass, so that the gradients can be differentiated again.
    pub create_graph: bool,
    /// Give a zero gradient for an input the outputs do not depend on, instead of an error.
    /// (PyTorch returns `None` there; zeros keep the result a plain `Vec<Tensor>`.)
    pub allow_unused: bool,
}

/// An output's node and the gradient sent into it.
type Root<T> = (Arc<Node<T>>, Tensor<T>);

/// A node's bookkeeping during one pass: nodes are numbered as they are discovered, so the
/// pass itself indexes vectors and hashes only while discovering.
struct Slot<T: Element> {
    node: Option<Arc<Node<T>>>,
    /// Consumers that have not sent their gradient yet.
    pending: usize,
    grad: Option<Tensor<T>>,
    /// The slot of each input (`None` where it does not require grad).
    inputs: Vec<Option<usize>>,
    /// Positions in `capture` that name this node.
    captures: Vec<usize>,
}

/// Hashes node addresses (multiply and fold: addresses are distinct and aligned, so no
/// protection against adversarial keys is needed, and SipHash was a third of a deep pass).
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_usize(self.0 as usize ^ usize::from(b));
        }
    }
    fn write_usize(&mut self, k: usize) {
        let h = (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

type Index = HashMap<usize, usize, BuildHasherDefault<AddressHasher>>;

/// The slot of `node`, made (and queued for discovery) on first sight.
fn slot_of<T: Element>(
    node: &Arc<Node<T>>,
    index: &mut Index,
    slots: &mut Vec<Slot<T>>,
    stack: &mut Vec<usize>,
) -> usize {
    *index.entry(Node::key(node)).or_insert_with(|| {
        slots.push(Slot {
            node: Some(node.clone()),
            pending: 0,
            grad: None,
            inputs: Vec::new(),
            captures: Vec::new(),
        });
        stack.push(slots.len() - 1);
        slots.len() - 1
    })
}

fn add_into<T: Element>(slot: &mut Option<Tensor<T>>, g: Tensor<T>) {
    *slot = Some(match slot.take() {
        Some(old) => old + g,
        None => g,
    });
}

/// Runs the backward pass from `roots` (node, output gradient). With `capture`, returns the
/// gradient reaching each listed node and leaves `.grad()` alone; without it, accumulates
/// into the leaves.
pub(super) fn run<T: Element>(
    roots: Vec<Root<T>>,
    options: GradOptions,
    capture: Option<&[Arc<Node<T>>]>,
) -> Result<Vec<Option<Tensor<T>>>, TensorError> {
    let retain = options.retain_graph || options.create_graph;
    let _mode = set_grad_enabled(options.create_graph);

    let mut index = Index::default();
    let mut slots: Vec<Slot<T>> = Vec::new();
    let mut stack = Vec::new();
    for (node, g) in roots {
        let i = slot_of(&node, &mut index, &mut slots, &mut stack);
        add_into(&mut slots[i].grad, g);
    }
    while let Some(i) = stack.pop() {
        let node = slots[i].node.clone().expect("set on discovery");
        if let Node::Op { edges, .. } = &*node {
            let inputs: Vec<Option<usize>> = edges
                .iter()
                .map(|e| {
                    e.as_ref().map(|e| {
                        let j = slot_of(e, &mut index, &mut slots, &mut stack);
                        slots[j].pending += 1;
                        j
                    })
                })
                .collect();
            slots[i].inputs = inputs;
        }
    }
    for (c, n) in capture.unwrap_or(&[]).iter().enumerate() {
        if let Some(&i) = index.get(&Node::key(n)) {
            slots[i].captures.push(c);
        }
    }
    drop(index);

    let mut captured = vec![None; capture.map_or(0, <[_]>::len)];
    let mut ready: Vec<usize> = (0..slots.len())
        .filter(|&i| slots[i].pending == 0)
        .collect();
    while let Some(i) = ready.pop() {
        let node = slots[i].node.take().expect("each slot runs once");
        let g = slots[i].grad.take();
        for c in std::mem::take(&mut slots[i].captures) {
            captured[c] = g.clone();
        }
        let inputs = std::mem::take(&mut slots[i].inputs);
        match &*node {
            Node::Leaf { grad } => {
                if let (None, Some(g)) = (capture, g) {
                    add_into(&mut lock(grad), g);
                }
            }
            Node::Op {
                name,
                saved,
                backward,
                ..
            } => {
                if let Some(g) = g {
                    let (saved_inputs, output) = {
                        let mut slot = lock(saved);
                        let s = if retain { None } else { slot.take() };
                        match (s, slot.as_ref()) {
                            (Some(s), _) => (s.inputs, s.output),
                            (None, Some(s)) => (s.inputs.clone(), s.output.clone()),
                            (None, None) => return Err(TensorError::BuffersFreed { op: name }),
                        }
                    };
                    let output = Tensor {
                        data: output,
                        node: None,
                    };
                    let input_grads = backward(&saved_inputs, &output, &g);
                    for (j, gi) in inputs.iter().zip(input_grads) {
                        if let (Some(j), Some(gi)) = (j, gi) {
                            add_into(&mut slots[*j].grad, gi);
                        }
                    }
                }
                for &j in inputs.iter().flatten() {
                    slots[j].pending -= 1;
                    if slots[j].pending == 0 {
                        ready.push(j);
                    }
                }
            }
        }
    }
    Ok(captured)
}

/// The gradient of each output's node, checked against its output (shape), or the implied
/// ones for a one-element output.
fn seeds<T: Element>(
    outputs: &[&Tensor<T>],
    grad_outputs: &[&Tensor<T>],
) -> Result<Vec<Root<T>>, TensorError> {
    if !grad_outputs.is_empty() && grad_outputs.len() != outputs.len() {
        return Err(TensorError::InvalidArgument {
            op: "grad",
            reason: format!(
                "{} grad_outputs for {} outputs; pass one per output (or none for scalar outputs)",
                grad_outputs.len(),
                outputs.len()
            ),
        });
    }
    let mut roots = Vec::with_capacity(outputs.len());
    for (i, y) in outputs.iter().enumerate() {
        let node = y.node.clone().ok_or_else(|| TensorError::NoGrad {
            what: format!("output {i}"),
        })?;
        let g = match grad_outputs.get(i) {
            Some(g) if g.shape() == y.shape() => (*g).clone(),
            Some(g) => {
                return Err(TensorError::ShapeMismatch {
                    op: "grad (output vs grad_output)",
                    lhs: y.shape().to_vec(),
                    rhs: g.shape().to_vec(),
                });
            }
            None if y.len() == 1 => Tensor::ones_like(y),
            None => {
                return Err(TensorError::NonScalarBackward {
                    shape: y.shape().to_vec(),
                });
            }
        };
        roots.push((node, g));
    }
    Ok(roots)
}

/// `∑ᵢ ⟨grad_outputsᵢ, ∂outputsᵢ/∂inputsⱼ⟩` for each input j: vector–Jacobian products, as
/// `torch.autograd.grad`. An empty `grad_outputs` means ones, allowed for one-element outputs.
///
/// # Errors
/// [`TensorError::NoGrad`] if an output or an input does not require grad;
/// [`TensorError::UnusedInput`] if an output does not depend on an input (unless
/// `allow_unused`); [`TensorError::NonScalarBackward`] if a gradient must be implied for an
/// output with several elements; [`TensorError::ShapeMismatch`] if a `grad_outputs` entry
/// does not have its output's shape; [`TensorError::BuffersFreed`] on a second pass through
/// a graph whose buffers were freed.
///
/// ```
/// use weifen::tensor::{grad, GradOptions, Tensor};
/// let x = Tensor::from(vec![1.0, 2.0]).requires_grad_(true);
/// let y = x.clone() * x.clone() * 3.0; // dy/dx = 6x
/// let g = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], GradOptions::default()).unwrap();
/// assert_eq!(g[0].to_vec(), vec![6.0, 12.0]);
/// ```
pub fn grad<T: Element>(
    outputs: &[&Tensor<T>],
    inputs: &[&Tensor<T>],
    grad_outputs: &[&Tensor<T>],
    options: GradOptions,
) -> Result<Vec<Tensor<T>>, TensorError> {
    let roots = seeds(outputs, grad_outputs)?;
    let mut targets = Vec::with_capacity(inputs.len());
    for (i, x) in inputs.iter().enumerate() {
        targets.push(x.node.clone().ok_or_else(|| TensorError::NoGrad {
            what: format!("input {i}"),
        })?);
    }
    let captured = run(roots, options, Some(&targets))?;
    captured
        .into_iter()
        .enumerate()
        .map(|(index, g)| match g {
            Some(g) => Ok(g),
            None if options.allow_unused => Ok(Tensor::zeros_like(inputs[index])),
            None => Err(TensorError::UnusedInput { index }),
        })
        .collect()
}

impl<T: Element> Tensor<T> {
    /// Accumulates `∂self/∂leaf` into every leaf's [`grad`](Tensor::grad), for a one-element
    /// tensor (PyTorch's `y.backward()`).
    ///
    /// # Panics
    /// As [`try_backward`](Tensor::try_backward) errs, with the same message.
    #[track_caller]
    pub fn backward(&self) {
        super::error::or_panic(self.try_backward())
    }

    /// [`backward`](Tensor::backward), returning an error instead of panicking.
    ///
    /// # Errors
    /// [`TensorError::NonScalarBackward`] if `self` has more than one element,
    /// [`TensorError::NoGrad`] if it does not require grad, [`TensorError::BuffersFreed`] on
    /// a second pass through freed buffers.
    pub fn try_backward(&self) -> Result<(), TensorError> {
        self.backward_options(None, GradOptions::default())
    }

    /// Accumulates the vector–Jacobian product `gradᵀ·∂self/∂leaf` into every leaf.
    ///
    /// # Panics
    /// If `grad`'s shape differs from `self`'s, or as [`try_backward`](Tensor::try_backward).
    #[track_caller]
    pub fn backward_with(&self, grad: &Tensor<T>) {
        super::error::or_panic(self.backward_options(Some(grad), GradOptions::default()))
    }

    /// The backward pass with an optional output gradient and PyTorch's options
    /// (`allow_unused` is ignored: leaves that get no gradient keep theirs).
    ///
    /// # Errors
    /// As [`try_backward`](Tensor::try_backward), and [`TensorError::ShapeMismatch`] if
    /// `grad`'s shape differs from `self`'s.
    pub fn backward_options(
        &self,
        grad: Option<&Tensor<T>>,
        options: GradOptions,
    ) -> Result<(), TensorError> {
        let roots = seeds(&[self], grad.as_slice())?;
        run(roots, options, None).map(drop)
    }
}
