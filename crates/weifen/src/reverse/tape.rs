//! The tape: an arena of recorded operations (operands and values) and the partials that
//! their ops do not imply.

use super::checkpoint::{Checkpoint, sweep_with_checkpoints};
use super::record::{Guard, Op, Record};
use crate::Real;
use std::cell::{Cell, Ref, RefCell};
use std::ops::Range;

/// Index of the sink node: every tape starts with it. A node with fewer than two operands
/// names it in the free slots; the sweep passes nothing to it.
pub(crate) const SINK: u32 = 0;

/// A recording of the operations a function performs on [`Var`](super::Var)s.
///
/// Each node stores its two operand indices (`u32`) and its value (`S`): **16 bytes per
/// recorded operation** for `f64`, in one flat array (an arena of plain values, no
/// pointers). The lowest bit of each index carries half of the node's kind, how its
/// partials are found in the backward sweep: a sum (`a + b`, `x + c`: both partials 1) and a difference
/// (`a − b`) need none; a product `a·b` reads its operands' values (`∂/∂a = b`, `∂/∂b =
/// a`), which are on the tape anyway; every other op (`sin x`, `a/b`, `c·x`) appends its one
/// or two partials, from the op table's rule at recording time, to a second array (8 bytes
/// each). A binary operation of the four arithmetic kinds thus costs 16 bytes, a unary one
/// 24, a quotient 32. The backward sweep is one loop over the nodes from the last to the
/// first, `v̄ₗ += v̄ᵢ·∂ᵢ/∂ₗ`, `v̄ᵣ += v̄ᵢ·∂ᵢ/∂ᵣ`, reading the stored partials backwards with
/// a cursor.
///
/// A tape made with [`Tape::replayable`] also records each node's operation and every
/// comparison made on its variables (the guards), so it can be listed row by row and
/// re-evaluated at new inputs; that costs about 24 bytes more per operation.
///
/// The tape is borrowed by the [`Var`](super::Var)s recorded on it, so no variable outlives
/// its tape, and an operation that mixes variables of two tapes panics (it would silently
/// index the wrong arena otherwise).
#[derive(Debug)]
pub struct Tape<S = f64> {
    pub(crate) nodes: RefCell<Nodes<S>>,
    /// The largest scratch tape a checkpoint has used (see [`Tape::peak_len`]).
    scratch_peak: Cell<usize>,
}

/// The most nodes a tape holds: indices use 31 bits (the lowest bit of each operand index
/// holds one bit of the node's kind).
pub(crate) const MAX_NODES: usize = 1 << 31;

/// How the backward sweep finds a node's partials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `∂/∂l = ∂/∂r = 1` (an input, whose operands are the sink, passes nothing on).
    Sum,
    /// `∂/∂l = 1`, `∂/∂r = −1`.
    Difference,
    /// `∂/∂l = v_r`, `∂/∂r = v_l`: the operands' values.
    Product,
    /// Partials stored in [`Nodes::partials`]: one if the second operand is the sink, else two.
    Stored,
}

/// One recorded operation: its operands (the lowest bit of each holds half of the [`Kind`]) and its
/// value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node<S> {
    tagged: [u32; 2],
    pub value: S,
}

impl<S> Node<S> {
    #[inline(always)]
    pub fn new(kind: Kind, [l, r]: [u32; 2], value: S) -> Self {
        let k = kind as u32;
        Node {
            tagged: [l << 1 | (k & 1), r << 1 | (k >> 1)],
            value,
        }
    }

    /// The operand indices.
    #[inline(always)]
    pub fn args(&self) -> [u32; 2] {
        self.tagged.map(|a| a >> 1)
    }

    #[inline(always)]
    pub fn kind(&self) -> Kind {
        match (self.tagged[0] & 1) | (self.tagged[1] & 1) << 1 {
            0 => Kind::Sum,
            1 => Kind::Difference,
            2 => Kind::Product,
            _ => Kind::Stored,
        }
    }

    /// How many partials the node keeps in [`Nodes::partials`].
    #[inline(always)]
    pub fn stored(&self) -> usize {
        match self.kind() {
            Kind::Stored if self.args()[1] == SINK => 1,
            Kind::Stored => 2,
            _ => 0,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Nodes<S> {
    pub nodes: Vec<Node<S>>,
    /// The partials of the [`Kind::Stored`] nodes, in node order.
    pub partials: Vec<S>,
    pub record: Option<Record<S>>,
    pub checkpoints: Vec<Checkpoint<S>>,
}

impl<S: Real> Nodes<S> {
    /// The number of stored partials of the nodes before `end`.
    pub fn partials_before(&self, end: usize) -> usize {
        let after: usize = self.nodes[end..].iter().map(Node::stored).sum();
        self.partials.len() - after
    }

    /// Every node's two partials `[∂/∂l, ∂/∂r]` (the second 0 for one operand), in order,
    /// for the first `len` nodes.
    pub fn first_partials(&self, len: usize) -> impl Iterator<Item = [S; 2]> + '_ {
        let (zero, one) = (S::constant(0.0), S::constant(1.0));
        let mut p = 0;
        self.nodes[..len].iter().map(move |node| {
            let [l, r] = node.args();
            match node.kind() {
                Kind::Sum if r == SINK => [one, zero],
                Kind::Sum => [one, one],
                Kind::Difference => [one, -one],
                Kind::Product => [self.nodes[r as usize].value, self.nodes[l as usize].value],
                Kind::Stored if r == SINK => {
                    p += 1;
                    [self.partials[p - 1], zero]
                }
                Kind::Stored => {
                    p += 2;
                    [self.partials[p - 2], self.partials[p - 1]]
                }
            }
        })
    }
}

/// The partials a new node stores, if any.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stored<S> {
    None(Kind),
    One(S),
    Two(S, S),
}

impl<S: Real> Default for Tape<S> {
    fn default() -> Self {
        Tape::new()
    }
}

impl<S: Real> Tape<S> {
    /// An empty tape that records operand indices, values and the partials that are not
    /// implied by the op (16 bytes per arithmetic operation for `f64`).
    pub fn new() -> Self {
        Tape::with_record(None)
    }

    /// An empty tape that also records operations and comparisons, for
    /// [`rows`](Tape::rows) and replay at new inputs.
    pub fn replayable() -> Self {
        Tape::with_record(Some(Record::default()))
    }

    fn with_record(record: Option<Record<S>>) -> Self {
        Tape::with_arrays(record, Vec::new(), Vec::new())
    }

    /// A tape recording into the given (emptied) arrays, keeping their memory.
    pub(crate) fn with_arrays(
        record: Option<Record<S>>,
        mut node_array: Vec<Node<S>>,
        mut partials: Vec<S>,
    ) -> Self {
        node_array.clear();
        partials.clear();
        let mut nodes = Nodes {
            nodes: node_array,
            partials,
            record,
            checkpoints: Vec::new(),
        };
        nodes.start();
        Tape {
            nodes: RefCell::new(nodes),
            scratch_peak: Cell::new(0),
        }
    }

    /// The tape's node and partial arrays, to record into again.
    pub(crate) fn into_arrays(self) -> (Vec<Node<S>>, Vec<S>) {
        let n = self.nodes.into_inner();
        (n.nodes, n.partials)
    }

    /// The number of recorded operations (inputs included, the sink excluded).
    pub fn len(&self) -> usize {
        self.nodes.borrow().nodes.len() - 1
    }

    /// The most operations held at once: this tape's plus the largest scratch tape that a
    /// [`checkpoint`](super::checkpoint) used while recording or sweeping.
    pub fn peak_len(&self) -> usize {
        self.len() + self.scratch_peak.get()
    }

    pub(crate) fn note_scratch(&self, len: usize) {
        self.scratch_peak.set(self.scratch_peak.get().max(len));
    }

    /// Forgets every recorded operation (and checkpoint and guard) but keeps the memory, so
    /// that the next recording does not allocate. No variable can be alive: it borrows the tape.
    pub fn clear(&mut self) {
        let n = self.nodes.get_mut();
        n.nodes.clear();
        n.partials.clear();
        n.checkpoints.clear();
        if let Some(r) = &mut n.record {
            r.clear();
        }
        n.start();
        self.scratch_peak.set(0);
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held by the tape's arrays (their capacity, not only their length).
    pub fn bytes(&self) -> usize {
        let n = self.nodes.borrow();
        let record = n.record.as_ref().map_or(0, Record::bytes);
        n.nodes.capacity() * size_of::<Node<S>>() + n.partials.capacity() * size_of::<S>() + record
    }

    /// Bytes the recorded operations take (their length, not the arrays' capacity): operand
    /// indices, values and stored partials, and for a replayable tape the operations and
    /// guards. The sink node is not counted.
    pub fn recorded_bytes(&self) -> usize {
        let n = self.nodes.borrow();
        let record = n.record.as_ref().map_or(0, Record::recorded_bytes);
        (n.nodes.len() - 1) * size_of::<Node<S>>() + n.partials.len() * size_of::<S>() + record
    }

    /// Records a node and returns its index.
    ///
    /// # Panics
    /// If the tape already holds 2³¹ nodes, or its nodes are borrowed (a checkpointed
    /// segment that records on the tape being swept).
    #[inline(always)]
    #[allow(unsafe_code)]
    pub(crate) fn push(&self, args: [u32; 2], stored: Stored<S>, op: Op<S>, value: S) -> u32 {
        // `borrow_mut()` would write the borrow flag twice per operation, and the next
        // operation's check would wait for those stores: measured on Rosenbrock (n = 100),
        // recording takes 3.3 µs this way and 4.0 µs with the guard held. The same check
        // without the writes: nothing else borrows the nodes now (no `Ref` or `RefMut` is
        // alive), so the exclusive reference below is the only one until this returns.
        assert!(
            self.nodes.try_borrow_mut().is_ok(),
            "an operation was recorded on a tape while the tape was being read (a \
             checkpointed segment must record on its own variables only)"
        );
        // SAFETY: checked just above that no borrow of `nodes` is alive; `Tape` is not
        // `Sync`, and nothing below calls code that could borrow it.
        let n = unsafe { &mut *self.nodes.as_ptr() };
        let index = n.nodes.len();
        // The index limit against a constant; `Vec::push` below makes room by doubling.
        if index >= MAX_NODES {
            tape_full(index);
        }
        let kind = match stored {
            Stored::None(kind) => kind,
            Stored::One(d) => {
                n.partials.push(d);
                Kind::Stored
            }
            Stored::Two(dl, dr) => {
                n.partials.push(dl);
                n.partials.push(dr);
                Kind::Stored
            }
        };
        debug_assert!(args.iter().all(|&a| (a as usize) < index.max(1)));
        n.nodes.push(Node::new(kind, args, value));
        if let Some(r) = &mut n.record {
            r.push(op);
        }
        index as u32
    }

    /// Records a comparison, if this tape keeps them.
    pub(crate) fn push_guard(&self, guard: Guard<S>) {
        if let Some(r) = &mut self.nodes.borrow_mut().record {
            r.guards.push(guard);
        }
    }

    /// Runs the backward sweep from the seeded adjoints: on return `adjoints[i]` is
    /// `Σⱼ seedⱼ·∂yⱼ/∂vᵢ`. `adjoints` has one entry per node, sink first.
    pub(crate) fn sweep(&self, adjoints: &mut [S]) {
        let n = self.nodes.borrow();
        if n.checkpoints.is_empty() {
            sweep(&n, adjoints, 1..n.nodes.len());
        } else {
            sweep_with_checkpoints(self, &n, &n.checkpoints, adjoints);
        }
    }

    pub(crate) fn nodes(&self) -> Ref<'_, Nodes<S>> {
        self.nodes.borrow()
    }

    /// A zeroed adjoint vector, one entry per node.
    pub(crate) fn zero_adjoints(&self) -> Vec<S> {
        vec![S::constant(0.0); self.nodes.borrow().nodes.len()]
    }
}

impl<S: Real> Nodes<S> {
    /// Pushes the sink, node 0.
    fn start(&mut self) {
        let zero = S::constant(0.0);
        self.nodes.push(Node::new(Kind::Sum, [SINK, SINK], zero));
        if let Some(r) = &mut self.record {
            r.push(Op::Input);
        }
    }
}

/// Panics: the tape holds as many nodes as 31-bit indices can name. Kept out of line, off
/// the recording's hot path.
#[cold]
#[inline(never)]
fn tape_full(len: usize) -> ! {
    panic!(
        "the tape is full: it holds {len} operations, the most a 31-bit index can name; \
         differentiate a smaller piece at a time (see reverse::checkpoint)"
    )
}

/// The backward sweep over the nodes in `range`: one tight loop over the arena, last node
/// first. Indices are global: `adjoints` covers every node up to the end of `range`.
#[inline]
pub(crate) fn sweep<S: Real>(nodes: &Nodes<S>, adjoints: &mut [S], range: Range<usize>) {
    let p = nodes.partials_before(range.end);
    sweep_from(&nodes.nodes, &nodes.partials[..p], adjoints, range);
}

/// The sweep, given the stored partials of the nodes before `range.end` (the cursor starts
/// at the end of `partials`).
///
/// Two measured choices (Rosenbrock, n = 100, backward sweep alone): the indexing is
/// unchecked (2.7 → 2.2 µs), and the adjoint passed to the node just below is carried in a
/// register instead of stored and read back at once (→ 2.0 µs).
#[allow(unsafe_code)]
pub(crate) fn sweep_from<S: Real>(
    nodes: &[Node<S>],
    partials: &[S],
    adjoints: &mut [S],
    range: Range<usize>,
) {
    if range.is_empty() {
        return;
    }
    assert!(range.end <= nodes.len() && range.end <= adjoints.len());
    let zero = S::constant(0.0);
    let mut p = partials.len();
    // Every index below is in bounds: `i < range.end ≤ len`, and a node's operands were
    // recorded before it (`l, r ≤ i`: `push` is the only maker of nodes and takes indices of
    // variables already on the tape). The stored partials are counted by the nodes' kinds,
    // pushed together with their node, so the cursor `p` stays within `partials`; its reads
    // are checked anyway.
    let mut carry = adjoints[range.end - 1];
    for i in range.clone().rev() {
        // SAFETY: `i < range.end ≤ nodes.len(), adjoints.len()` (asserted above).
        let node = unsafe { *nodes.get_unchecked(i) };
        let [tl, tr] = node.tagged;
        let (l, r) = ((tl >> 1) as usize, (tr >> 1) as usize);
        let a = carry;
        // SAFETY: as above.
        unsafe { *adjoints.get_unchecked_mut(i) = a };
        carry = zero;
        let below = i.wrapping_sub(1);
        // `v̄ⱼ += d`, through the carry for the node just below.
        macro_rules! pass {
            ($j:expr, $d:expr) => {{
                let (j, d): (usize, S) = ($j, $d);
                if j == below {
                    carry = carry + d;
                } else {
                    debug_assert!(j <= i);
                    // SAFETY: `j ≤ i`: operands precede their node.
                    let t = unsafe { adjoints.get_unchecked_mut(j) };
                    *t = *t + d;
                }
            }};
        }
        // A node nothing depends on passes nothing back: skipping it keeps 0·∞ (an infinite
        // partial of an unused node) from turning the adjoints into NaN.
        let skip = a.is_zero();
        if tr & 1 == 0 {
            // A sum or a difference: `v̄ᵣ += ±v̄ᵢ`.
            if !skip {
                pass!(l, a);
                // A branch rather than a write to the sink: every `x + c` node would
                // otherwise read and write the same slot, a dependency chain through memory.
                if r != SINK as usize {
                    pass!(r, if tl & 1 == 0 { a } else { -a });
                }
            }
        } else if tl & 1 == 0 {
            // A product: the partials are the operands' values.
            if !skip {
                debug_assert!(l <= i && r <= i);
                // SAFETY: `l, r ≤ i`: operands precede their node.
                let (vl, vr) =
                    unsafe { (nodes.get_unchecked(l).value, nodes.get_unchecked(r).value) };
                pass!(l, a * vr);
                pass!(r, a * vl);
            }
        } else if r == SINK as usize {
            p -= 1;
            if !skip {
                pass!(l, a * partials[p]);
            }
        } else {
            p -= 2;
            if !skip {
                pass!(l, a * partials[p]);
                pass!(r, a * partials[p + 1]);
            }
        }
        if i > range.start {
            // SAFETY: `below < i`.
            carry = carry + unsafe { *adjoints.get_unchecked(below) };
        }
    }
    // What the first node of the range passed to the one before it.
    if let Some(b) = range.start.checked_sub(1) {
        adjoints[b] = adjoints[b] + carry;
    }
}
