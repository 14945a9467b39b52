//! The tape: an arena of recorded operations, stored as a structure of arrays.

use super::checkpoint::{Checkpoint, sweep_with_checkpoints};
use super::record::{Guard, Op, Record};
use crate::Real;
use std::cell::{Cell, Ref, RefCell};
use std::ops::Range;

/// Index of the sink node: every tape starts with it. A node with fewer than two operands
/// names it in the free slots with partial 0.
pub(crate) const SINK: u32 = 0;

/// A recording of the operations a function performs on [`Var`](super::Var)s.
///
/// Each node stores its two operand indices (`u32`) and the two local partials (`S`): **24
/// bytes per recorded operation** for `f64`, unary or binary alike, in one flat array (an
/// arena of plain values, no pointers). The backward sweep is one loop over that array, from
/// the last node to the first: `v̄ₗ += v̄ᵢ·∂ᵢ/∂ₗ`, `v̄ᵣ += v̄ᵢ·∂ᵢ/∂ᵣ`. Indices and partials sit
/// side by side rather than in two parallel arrays because both recording and sweeping touch
/// both for every node: one stream and one capacity check instead of two.
///
/// A tape made with [`Tape::replayable`] also records each node's operation and value and
/// every comparison made on its variables (the guards), so it can be listed row by row and
/// re-evaluated at new inputs; that costs about 40 bytes more per operation.
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

/// One recorded operation: `v = op(v[args[0]], v[args[1]])` with its local partials.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node<S> {
    pub args: [u32; 2],
    pub partials: [S; 2],
}

#[derive(Debug)]
pub(crate) struct Nodes<S> {
    pub nodes: Vec<Node<S>>,
    pub record: Option<Record<S>>,
    pub checkpoints: Vec<Checkpoint<S>>,
}

impl<S: Real> Default for Tape<S> {
    fn default() -> Self {
        Tape::new()
    }
}

impl<S: Real> Tape<S> {
    /// An empty tape that records operand indices and partials only (24 bytes per operation
    /// for `f64`).
    pub fn new() -> Self {
        Tape::with_record(None)
    }

    /// An empty tape that also records operations, values and comparisons, for
    /// [`rows`](Tape::rows) and replay at new inputs.
    pub fn replayable() -> Self {
        Tape::with_record(Some(Record::default()))
    }

    fn with_record(record: Option<Record<S>>) -> Self {
        let zero = S::constant(0.0);
        let mut nodes = Nodes {
            nodes: vec![Node {
                args: [SINK, SINK],
                partials: [zero, zero],
            }],
            record,
            checkpoints: Vec::new(),
        };
        if let Some(r) = &mut nodes.record {
            r.push(Op::Input, zero);
        }
        Tape {
            nodes: RefCell::new(nodes),
            scratch_peak: Cell::new(0),
        }
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
        n.nodes.truncate(1);
        n.checkpoints.clear();
        if let Some(r) = &mut n.record {
            let zero = S::constant(0.0);
            *r = Record::default();
            r.push(Op::Input, zero);
        }
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
        n.nodes.capacity() * size_of::<Node<S>>() + record
    }

    /// Records a node and returns its index.
    ///
    /// # Panics
    /// If the tape already holds `u32::MAX` nodes.
    #[inline(always)]
    pub(crate) fn push(&self, args: [u32; 2], partials: [S; 2], op: Op<S>, value: S) -> u32 {
        let mut n = self.nodes.borrow_mut();
        let index = n.nodes.len();
        assert!(
            index < u32::MAX as usize,
            "the tape is full: it holds {index} operations, the most a u32 index can name; \
             differentiate a smaller piece at a time (see reverse::checkpoint)"
        );
        n.nodes.push(Node { args, partials });
        if let Some(r) = &mut n.record {
            r.push(op, value);
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
            sweep(&n.nodes, adjoints, 1..n.nodes.len());
        } else {
            sweep_with_checkpoints(self, &n.nodes, &n.checkpoints, adjoints);
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

/// The backward sweep over the nodes in `range`: one tight loop over the arena, last node
/// first. Indices are global: `adjoints` covers every node up to the end of `range`.
#[inline]
pub(crate) fn sweep<S: Real>(nodes: &[Node<S>], adjoints: &mut [S], range: Range<usize>) {
    for i in range.rev() {
        let a = adjoints[i];
        // A node nothing depends on passes nothing back: skipping it keeps 0·∞ (an infinite
        // partial of an unused node) from turning the adjoints into NaN.
        if a.is_zero() {
            continue;
        }
        let Node {
            args: [l, r],
            partials: [dl, dr],
        } = nodes[i];
        adjoints[l as usize] = adjoints[l as usize] + a * dl;
        // A branch rather than a write of `a·0` to the sink: every unary node would otherwise
        // read and write the same slot, a dependency chain through memory that made the sweep
        // latency-bound (measured on Rosenbrock, n = 100: 9.7 µs with the sink write, 7.6 µs
        // with the branch, record and sweep together).
        if r != SINK {
            adjoints[r as usize] = adjoints[r as usize] + a * dr;
        }
    }
}
