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

use super::fusion::{self, Operand, Plan};
use super::graph::{Node, lock, set_grad_enabled};
use super::{Element, Tensor, TensorError};
use std::collections::{BTreeMap, HashMap};
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
        if let (false, Some(g)) = (options.create_graph, &g)
            && g.len() >= fusion::MIN_ELEMENTS
            && let Some(members) = region(i, &node, g.shape(), &slots)
        {
            fused(&node, members, g, retain, &mut slots, &mut ready);
            continue;
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

/// Whether the node can be part of a fused region of `shape`: an element-wise node whose
/// saved values are still there and contiguous.
fn fusable<T: Element>(node: &Node<T>, shape: &[usize]) -> bool {
    let Node::Op {
        pointwise: Some(_),
        saved,
        ..
    } = node
    else {
        return false;
    };
    let saved = lock(saved);
    let fits = |t: &Tensor<T>| t.shape() == shape && t.data.as_slice().is_some();
    saved
        .as_ref()
        .is_some_and(|s| s.output.shape() == shape && s.inputs.iter().all(fits))
}

/// A fusable node's op and saved inputs, taken (freed in the node) unless `retain`.
fn take_pointwise<T: Element>(
    node: &Node<T>,
    retain: bool,
) -> (fusion::PointwiseOp, Vec<Tensor<T>>) {
    let Node::Op {
        pointwise: Some(op),
        saved,
        ..
    } = node
    else {
        unreachable!("region takes element-wise nodes only");
    };
    let mut saved = lock(saved);
    let inputs = if retain {
        saved.as_ref().map(|s| s.inputs.clone())
    } else {
        saved.take().map(|s| s.inputs)
    };
    (*op, inputs.expect("region checked the saved values"))
}

/// The element-wise region whose root is slot `i` (about to run, with an output gradient of
/// `shape`): the root and every element-wise node below it all of whose consumers are in the
/// region and that has no gradient of its own yet (nor is captured), up to
/// `fusion::MAX_NODES`. Returns slots from producers to the root, or `None` if the root
/// alone would be the region.
fn region<T: Element>(
    i: usize,
    root: &Node<T>,
    shape: &[usize],
    slots: &[Slot<T>],
) -> Option<Vec<usize>> {
    if !fusable(root, shape) {
        return None;
    }
    // Edges from the region into each slot below it.
    // Ordered, so that the region (and so the order of sums) is the same at every run.
    let mut into: BTreeMap<usize, usize> = BTreeMap::new();
    for &j in slots[i].inputs.iter().flatten() {
        *into.entry(j).or_default() += 1;
    }
    let mut members = vec![i];
    while members.len() < fusion::MAX_NODES {
        let next = into.iter().map(|(&j, &n)| (j, n)).find(|&(j, n)| {
            let s = &slots[j];
            n == s.pending
                && s.grad.is_none()
                && s.captures.is_empty()
                && !members.contains(&j)
                && s.node.as_deref().is_some_and(|node| fusable(node, shape))
        });
        let Some((j, _)) = next else { break };
        members.push(j);
        for &k in slots[j].inputs.iter().flatten() {
            *into.entry(k).or_default() += 1;
        }
    }
    // A node joins only after all its consumers: reversed, producers come first.
    members.reverse();
    (members.len() > 1).then_some(members)
}

/// Runs the region `members` (from `region`, root last) in one fused pass from the root's
/// gradient `g`, and hands its inputs their gradients as their own nodes' rules would have.
fn fused<T: Element>(
    root: &Arc<Node<T>>,
    members: Vec<usize>,
    g: &Tensor<T>,
    retain: bool,
    slots: &mut [Slot<T>],
    ready: &mut Vec<usize>,
) {
    #[cfg(test)]
    REGIONS.with(|r| r.borrow_mut().push(members.len()));
    let mut plan = Plan::new();
    // The plan's slot of each input: by graph slot for inputs that require grad.
    let mut input_of: HashMap<usize, usize> = HashMap::new();
    let mut external = Vec::new();
    let node_slot: HashMap<usize, usize> =
        members.iter().enumerate().map(|(n, &m)| (m, n)).collect();
    for &m in &members {
        let node = if m == *members.last().expect("the root") {
            root.clone()
        } else {
            slots[m].node.take().expect("a member has not run")
        };
        let (op, inputs) = take_pointwise(&node, retain);
        let edges = std::mem::take(&mut slots[m].inputs);
        let mut operands = [Operand::Input(0); 2];
        for (k, (t, e)) in inputs.into_iter().zip(&edges).enumerate() {
            operands[k] = match e {
                Some(j) if node_slot.contains_key(j) => Operand::Node(node_slot[j]),
                Some(j) => Operand::Input(*input_of.entry(*j).or_insert_with(|| {
                    plan.inputs.push(t);
                    plan.wanted.push(true);
                    external.push(Some(*j));
                    plan.inputs.len() - 1
                })),
                None => {
                    plan.inputs.push(t);
                    plan.wanted.push(false);
                    external.push(None);
                    Operand::Input(plan.inputs.len() - 1)
                }
            };
        }
        plan.push_node(op, operands);
        for &j in edges.iter().flatten() {
            if !node_slot.contains_key(&j) {
                slots[j].pending -= 1;
                if slots[j].pending == 0 {
                    ready.push(j);
                }
            }
        }
    }
    for (gi, j) in plan.run(g).into_iter().zip(external) {
        if let (Some(gi), Some(j)) = (gi, j) {
            add_into(&mut slots[j].grad, gi);
        }
    }
}

#[cfg(test)]
thread_local! {
    /// The size of each region run on this thread, for the tests.
    static REGIONS: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;
    use crate::tensor::grad;

    fn regions_of(options: GradOptions, build: impl Fn(Tensor) -> Tensor) -> Vec<usize> {
        REGIONS.with(|r| r.borrow_mut().clear());
        let x = Tensor::linspace(0.0, 1.0, fusion::MIN_ELEMENTS + 3).requires_grad_(true);
        let y = build(x.clone());
        grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], options).unwrap();
        REGIONS.with(|r| r.borrow().clone())
    }

    #[test]
    fn the_seed_function_is_one_region_unless_the_pass_is_recorded() {
        let seed = |x: Tensor| {
            let x2 = x.clone().powi(2);
            (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
        };
        // powi, ·(−2), ·4, +, +1, ·(−½), exp, ·: eight element-wise nodes.
        assert_eq!(regions_of(GradOptions::default(), seed), vec![8]);
        let recorded = GradOptions {
            create_graph: true,
            ..Default::default()
        };
        assert_eq!(regions_of(recorded, seed), Vec::<usize>::new());
    }

    #[test]
    fn small_tensors_are_not_fused() {
        REGIONS.with(|r| r.borrow_mut().clear());
        let x = Tensor::linspace(0.0, 1.0, fusion::MIN_ELEMENTS - 1).requires_grad_(true);
        let y = (x.clone().sin() * x.clone()).exp().sum();
        grad(&[&y], &[&x], &[], GradOptions::default()).unwrap();
        assert!(REGIONS.with(|r| r.borrow().is_empty()));
    }

    #[test]
    fn regions_stop_at_other_ops_and_at_the_size_limit() {
        // The sum is not element-wise: the region below it is the two ops above x.
        assert_eq!(
            regions_of(GradOptions::default(), |x| {
                let n = x.len();
                (x.sin() * 2.0).sum().expand(&[n]).exp()
            }),
            vec![2]
        );
        let chain = |x: Tensor| (0..70).fold(x, |h, _| h.sin());
        assert_eq!(
            regions_of(GradOptions::default(), chain),
            vec![
                fusion::MAX_NODES,
                fusion::MAX_NODES,
                70 - 2 * fusion::MAX_NODES
            ]
        );
    }
}
