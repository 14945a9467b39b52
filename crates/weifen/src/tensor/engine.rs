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

use super::buffer::Buffer;
use super::fusion::{self, Fusion, Operand, Plan};
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
    /// Whether `grad` is one element standing for the same gradient at every element (a
    /// sum's, sent down unexpanded to a region).
    broadcast: bool,
    /// That sum's pending value, which the region computes with the gradient (its values
    /// are the ones the region recomputes anyway).
    sum: Option<Arc<Buffer<T>>>,
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
            broadcast: false,
            sum: None,
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

    // The thread's table and slots of the last pass, emptied, so that a small pass
    // allocates neither (a pass inside a rule finds them taken and makes its own); sized
    // for a small graph at once otherwise, so that one does not grow them step by step.
    let mut index = KEPT_INDEX
        .with_borrow_mut(Option::take)
        .unwrap_or_else(|| Index::with_capacity_and_hasher(64, Default::default()));
    let mut slots: Vec<Slot<T>> = KEPT_SLOTS
        .with_borrow_mut(Option::take)
        .and_then(|k| k.downcast::<Vec<Slot<T>>>().ok())
        .map_or_else(|| Vec::with_capacity(64), |k| *k);
    let mut stack = Vec::new();
    for (node, g) in roots {
        let i = slot_of(&node, &mut index, &mut slots, &mut stack);
        add_into(&mut slots[i].grad, g);
    }
    while let Some(i) = stack.pop() {
        // Moved out while its inputs are found (no input is the node itself) and put back:
        // no reference count is touched.
        let node = slots[i].node.take().expect("set on discovery");
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
        slots[i].node = Some(node);
    }
    for (c, n) in capture.unwrap_or(&[]).iter().enumerate() {
        if let Some(&i) = index.get(&Node::key(n)) {
            slots[i].captures.push(c);
        }
    }
    if index.capacity() <= KEEP_SLOTS {
        index.clear();
        KEPT_INDEX.with_borrow_mut(|k| *k = Some(index));
    }

    let mut captured = vec![None; capture.map_or(0, <[_]>::len)];
    let mut ready: Vec<usize> = (0..slots.len())
        .filter(|&i| slots[i].pending == 0)
        .collect();
    while let Some(i) = ready.pop() {
        let node = slots[i].node.take().expect("each slot runs once");
        let mut g = slots[i].grad.take();
        for c in std::mem::take(&mut slots[i].captures) {
            captured[c] = g.clone();
        }
        let broadcast = std::mem::take(&mut slots[i].broadcast);
        if let (false, Some(gi)) = (options.create_graph, &g) {
            if let Some(j) = sum_into_region(i, &node, &slots) {
                // The sum's gradient goes down as it is: the region below broadcasts it.
                if let Node::Op { name, saved, .. } = &*node {
                    let mut saved = lock(saved);
                    let Some(s) = saved.as_ref() else {
                        return Err(TensorError::BuffersFreed { op: name });
                    };
                    slots[j].sum = s.output.awaits_sum().then(|| s.output.clone());
                    if !retain {
                        saved.take();
                    }
                }
                slots[j].grad = Some(gi.clone());
                slots[j].broadcast = true;
                slots[j].pending -= 1;
                ready.push(j);
                continue;
            }
            // The output's size (its gradient's, unless broadcast) decides before its shape
            // is looked up.
            let size = if broadcast { usize::MAX } else { gi.len() };
            if size >= fusion::MIN_ELEMENTS
                && let Some(shape) = saved_shape(&node)
                && let Some(r) = region(i, &node, &shape, &slots, broadcast)
            {
                fused(&node, r, gi, &shape, retain, &mut slots, &mut ready);
                continue;
            }
            if broadcast && let Some(shape) = saved_shape(&node) {
                g = Some(gi.expand(&shape));
            }
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
                    // Kept saved values are lent to the rule, under the node's lock (no rule
                    // touches its own node); freed ones are moved out first.
                    let mut slot = lock(saved);
                    let taken = if retain { None } else { slot.take() };
                    let Some(s) = taken.as_ref().or(slot.as_ref()) else {
                        return Err(TensorError::BuffersFreed { op: name });
                    };
                    let output = Tensor {
                        data: s.output.clone(),
                        node: None,
                    };
                    let input_grads = backward(&s.inputs, &output, &g);
                    drop(slot);
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
    if slots.capacity() <= KEEP_SLOTS {
        slots.clear();
        KEPT_SLOTS.with_borrow_mut(|k| *k = Some(Box::new(slots)));
    }
    Ok(captured)
}

/// The most slots a thread keeps for its next pass (a long chain's are freed with it).
const KEEP_SLOTS: usize = 1 << 12;

thread_local! {
    static KEPT_INDEX: std::cell::RefCell<Option<Index>> = const { std::cell::RefCell::new(None) };
    /// A `Vec<Slot<T>>` for the element type of the last pass.
    static KEPT_SLOTS: std::cell::RefCell<Option<Box<dyn std::any::Any>>> =
        const { std::cell::RefCell::new(None) };
}

/// The slot below slot `i` if `i` is a sum of everything whose operand can be the root of
/// a region with the sum's gradient broadcast: an element-wise node large enough to fuse
/// that only the sum consumes.
fn sum_into_region<T: Element>(i: usize, node: &Node<T>, slots: &[Slot<T>]) -> Option<usize> {
    let Node::Op {
        fusion: Fusion::SumAll,
        ..
    } = node
    else {
        return None;
    };
    let [Some(j)] = slots[i].inputs[..] else {
        return None;
    };
    let s = &slots[j];
    let below = s.node.as_deref()?;
    if s.pending != 1 || s.grad.is_some() || !s.captures.is_empty() {
        return None;
    }
    let Node::Op { saved, .. } = below else {
        return None;
    };
    // The size first: a small sum costs no shape.
    if lock(saved).as_ref()?.output.len() < fusion::MIN_ELEMENTS {
        return None;
    }
    let shape = saved_shape(below)?;
    fusable(below, &shape).then_some(j)
}

/// The shape of a node's saved output, if its saved values are still there.
fn saved_shape<T: Element>(node: &Node<T>) -> Option<Vec<usize>> {
    match node {
        Node::Op { saved, .. } => lock(saved).as_ref().map(|s| s.output.shape().to_vec()),
        Node::Leaf { .. } => None,
    }
}

/// Whether the node can be part of a fused region of `shape`: an element-wise node whose
/// saved values are still there and contiguous.
fn fusable<T: Element>(node: &Node<T>, shape: &[usize]) -> bool {
    let Node::Op {
        fusion: Fusion::Pointwise(_),
        saved,
        ..
    } = node
    else {
        return false;
    };
    let saved = lock(saved);
    let fits = |t: &Tensor<T>| t.shape() == shape && t.data.contiguous();
    saved
        .as_ref()
        .is_some_and(|s| s.output.shape() == shape && s.inputs.iter().all(fits))
}

/// The offset of a window node of `shape` whose saved input is still there and contiguous.
fn window<T: Element>(node: &Node<T>, shape: &[usize]) -> Option<usize> {
    let Node::Op {
        fusion: Fusion::Window { offset },
        saved,
        ..
    } = node
    else {
        return None;
    };
    let saved = lock(saved);
    let s = saved.as_ref()?;
    (s.output.shape() == shape && s.inputs[0].data.contiguous()).then_some(*offset)
}

/// A node's saved inputs, taken (freed in the node) unless `retain`.
fn take_inputs<T: Element>(node: &Node<T>, retain: bool) -> Vec<Tensor<T>> {
    let Node::Op { saved, .. } = node else {
        unreachable!("a region takes op nodes only");
    };
    let mut saved = lock(saved);
    let inputs = if retain {
        saved.as_ref().map(|s| s.inputs.clone())
    } else {
        saved.take().map(|s| s.inputs)
    };
    inputs.expect("region checked the saved values")
}

/// A region found by [`region`]: its element-wise nodes from producers to the root, and the
/// windows they read.
struct Region {
    members: Vec<usize>,
    windows: Vec<usize>,
}

/// The element-wise region whose root is slot `i` (about to run, with an output gradient of
/// `shape`): the root and every element-wise node below it all of whose consumers are in the
/// region and that has no gradient of its own yet (nor is captured), up to
/// `fusion::MAX_NODES`; and, on the same terms, the window slices they read (below which the
/// region does not grow). Returns `None` if the root alone would be the region and `alone`
/// is false.
fn region<T: Element>(
    i: usize,
    root: &Node<T>,
    shape: &[usize],
    slots: &[Slot<T>],
    alone: bool,
) -> Option<Region> {
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
    // Windows, with the slot they read and where.
    let mut windows: Vec<(usize, usize, usize)> = Vec::new();
    while members.len() + windows.len() < fusion::MAX_NODES {
        let free = |j: usize, n: usize| {
            let s = &slots[j];
            n == s.pending
                && s.grad.is_none()
                && s.captures.is_empty()
                && !members.contains(&j)
                && !windows.iter().any(|w| w.0 == j || w.1 == j)
        };
        let next = into.iter().find_map(|(&j, &n)| {
            let node = slots[j].node.as_deref().filter(|_| free(j, n))?;
            if fusable(node, shape) {
                return Some((j, None));
            }
            let offset = window(node, shape)?;
            let source = slots[j].inputs[0]?;
            (!members.contains(&source)).then_some((j, Some((source, offset))))
        });
        match next {
            None => break,
            Some((j, None)) => {
                members.push(j);
                for &k in slots[j].inputs.iter().flatten() {
                    *into.entry(k).or_default() += 1;
                }
            }
            Some((j, Some((source, offset)))) => {
                windows.push((j, source, offset));
                *into.entry(source).or_default() += 1;
            }
        }
    }
    // The windows into one slot must lie close together (`fusion::MAX_SPREAD`), counting
    // the slot's own use by a member as offset 0; others stay inputs of their own.
    let direct = |x: usize| {
        members
            .iter()
            .any(|&m| slots[m].inputs.iter().flatten().any(|&k| k == x))
    };
    let spread_ok = |x: usize| {
        let offsets = windows.iter().filter(|w| w.1 == x).map(|w| w.2);
        let offsets: Vec<usize> = offsets.chain(direct(x).then_some(0)).collect();
        let (lo, hi) = (offsets.iter().min(), offsets.iter().max());
        hi.zip(lo).is_none_or(|(h, l)| h - l <= fusion::MAX_SPREAD)
    };
    let windows: Vec<usize> = windows
        .iter()
        .filter(|w| spread_ok(w.1))
        .map(|w| w.0)
        .collect();
    // A node joins only after all its consumers: reversed, producers come first.
    members.reverse();
    (alone || members.len() > 1 || !windows.is_empty()).then_some(Region { members, windows })
}

/// Runs `region` (root last) in one fused pass from the root's gradient `g` (of the root's
/// `shape`, or one element to broadcast), and hands its inputs their gradients as their own
/// nodes' rules would have. The pending sum of the root's values that its slot may hold is
/// computed in the same pass.
fn fused<T: Element>(
    root: &Arc<Node<T>>,
    region: Region,
    g: &Tensor<T>,
    shape: &[usize],
    retain: bool,
    slots: &mut [Slot<T>],
    ready: &mut Vec<usize>,
) {
    let Region { members, windows } = region;
    let sum = slots[*members.last().expect("the root")].sum.take();
    #[cfg(test)]
    REGIONS.with(|r| r.borrow_mut().push(members.len() + windows.len()));
    let mut plan = Plan::new();
    // The plan's target for each graph slot that gets a gradient, and in what order.
    let mut target_of: HashMap<usize, usize> = HashMap::new();
    let mut external = Vec::new();
    let mut target = |plan: &mut Plan<T>, j: usize, shape: &[usize]| {
        *target_of.entry(j).or_insert_with(|| {
            external.push(j);
            plan.target(shape)
        })
    };
    let mut release = |j: usize, slots: &mut [Slot<T>]| {
        slots[j].pending -= 1;
        if slots[j].pending == 0 {
            ready.push(j);
        }
    };
    // The plan's input for each window slot, and for each slot read whole.
    let mut input_of: HashMap<usize, usize> = HashMap::new();
    for &w in &windows {
        let node = slots[w].node.take().expect("a window has not run");
        let Node::Op {
            fusion: Fusion::Window { offset },
            ..
        } = *node
        else {
            unreachable!("region checked the window");
        };
        let x = take_inputs(&node, retain).swap_remove(0);
        let source = std::mem::take(&mut slots[w].inputs)[0].expect("a window's input");
        let t = target(&mut plan, source, x.shape());
        input_of.insert(w, plan.input(x, offset, Some(t)));
        release(source, slots);
    }
    let node_slot: HashMap<usize, usize> =
        members.iter().enumerate().map(|(n, &m)| (m, n)).collect();
    for &m in &members {
        let node = if m == *members.last().expect("the root") {
            root.clone()
        } else {
            slots[m].node.take().expect("a member has not run")
        };
        let Node::Op {
            fusion: Fusion::Pointwise(op),
            ..
        } = *node
        else {
            unreachable!("region takes element-wise nodes only");
        };
        let inputs = take_inputs(&node, retain);
        let edges = std::mem::take(&mut slots[m].inputs);
        let mut operands = [Operand::Input(0); 2];
        for (k, (t, e)) in inputs.into_iter().zip(&edges).enumerate() {
            operands[k] = match e {
                Some(j) if node_slot.contains_key(j) => Operand::Node(node_slot[j]),
                Some(j) => Operand::Input(match input_of.get(j) {
                    Some(&k) => k,
                    None => {
                        let tg = target(&mut plan, *j, t.shape());
                        let k = plan.input(t, 0, Some(tg));
                        input_of.insert(*j, k);
                        k
                    }
                }),
                None => Operand::Input(plan.input(t, 0, None)),
            };
        }
        plan.push_node(op, operands);
        for &j in edges.iter().flatten() {
            if !node_slot.contains_key(&j) && !windows.contains(&j) {
                release(j, slots);
            }
        }
    }
    if sum.is_some() {
        plan.sum_root();
    }
    let (grads, value) = plan.run(g, shape);
    if let (Some(sum), Some(value)) = (sum, value) {
        sum.fulfil(value);
    }
    for (gi, j) in grads.into_iter().zip(external) {
        add_into(&mut slots[j].grad, gi);
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

    #[test]
    fn passes_of_either_element_type_and_size_follow_each_other_on_one_thread() {
        // The slots kept from a pass are for its element type; a pass of the other type, or
        // of more slots than are kept, makes its own, and each gives its closed form.
        for n in [3, 5_000, 2] {
            let x = Tensor::linspace(0.5, 1.5, 4).requires_grad_(true);
            let y = (0..n).fold(x.clone(), |h, _| h * 1.0001);
            let g = grad(
                &[&y],
                &[&x],
                &[&Tensor::ones_like(&y)],
                GradOptions::default(),
            );
            let expected = 1.0001f64.powi(n);
            for d in g.unwrap()[0].to_vec() {
                assert!((d - expected).abs() <= 1e-12 * expected, "n = {n}");
            }
            let x32 = Tensor::linspace(0.5, 1.5, 4)
                .cast::<f32>()
                .requires_grad_(true);
            let y32 = x32.clone().sin();
            let g32 = grad(
                &[&y32],
                &[&x32],
                &[&Tensor::ones_like(&y32)],
                GradOptions::default(),
            );
            for (d, x) in g32.unwrap()[0].to_vec().iter().zip(x32.to_vec()) {
                assert!((d - x.cos()).abs() <= 1e-6, "f32 after n = {n}");
            }
        }
    }

    fn regions_of(options: GradOptions, build: impl Fn(Tensor) -> Tensor) -> Vec<usize> {
        regions_at(fusion::MIN_ELEMENTS + 3, options, build)
    }

    fn regions_at(n: usize, options: GradOptions, build: impl Fn(Tensor) -> Tensor) -> Vec<usize> {
        REGIONS.with(|r| r.borrow_mut().clear());
        let x = Tensor::linspace(0.0, 1.0, n).requires_grad_(true);
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

    #[test]
    fn windows_and_a_sum_join_the_region_below_them() {
        let plain = GradOptions::default();
        let rosenbrock = |x: Tensor| {
            let n = x.len();
            let (head, tail) = (x.slice(0, 0, n - 1), x.slice(0, 1, n));
            ((tail - head.clone().powi(2)).powi(2) * 100.0 + (1.0 - head).powi(2)).sum()
        };
        // powi, −, powi, ·100, 1−, powi, +: seven nodes, and the two windows.
        assert_eq!(regions_of(plain, rosenbrock), vec![9]);
        // A single node under a sum is a region (it saves the expanded gradient).
        assert_eq!(regions_of(plain, |x| x.sin().sum()), vec![1]);
        // Halves of x are too far apart to be windows: the product alone, under the sum.
        let n = 2 * fusion::MIN_ELEMENTS + 2;
        let halves = |x: Tensor| (x.slice(0, 0, n / 2) * x.slice(0, n / 2, n)).sum();
        assert_eq!(regions_at(n, plain, halves), vec![1]);
        // Within the spread they are.
        let near = |x: Tensor| (x.slice(0, 0, n - 9) * x.slice(0, 9, n)).sum();
        assert_eq!(regions_at(n, plain, near), vec![3]);
    }
}
