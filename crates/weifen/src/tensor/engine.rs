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

/// Options of [`grad`](super::grad) and [`Tensor::backward_options`](super::Tensor::backward_options), as
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
pub(super) type Root<T> = (Arc<Node<T>>, Tensor<T>);

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
