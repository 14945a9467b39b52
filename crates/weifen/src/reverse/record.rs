//! What a replayable tape keeps beyond partials: each node's operation and value, and the
//! comparisons made while recording (guards). Replay re-evaluates the nodes in order at new
//! inputs and re-checks every guard.

use super::tape::{Kind, Nodes, SINK};
use crate::Real;
use crate::error::{LengthError, check_length};
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use std::cmp::Ordering;
use std::fmt;

/// A recorded operation: how to recompute a node from its operands.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Op<S> {
    Input,
    Unary(Unary),
    Binary(Binary),
    /// `op(c, x)` with a constant first operand; `x` is operand 0.
    ConstLeft(Binary, S),
    /// `op(x, c)` with a constant second operand.
    ConstRight(Binary, S),
    /// An output of a checkpointed segment (not re-run by replay).
    Checkpointed,
}

/// One side of a recorded comparison.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Operand<S> {
    Node(u32),
    Const(S),
}

/// A comparison made on variables while recording, and its outcome then.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Guard<S> {
    pub lhs: Operand<S>,
    pub rhs: Operand<S>,
    pub outcome: Option<Ordering>,
}

#[derive(Debug)]
pub(crate) struct Record<S> {
    pub ops: Vec<Op<S>>,
    pub guards: Vec<Guard<S>>,
    /// Counted as they are recorded, so that a replay does not scan the tape for them.
    pub inputs: usize,
    pub checkpointed: bool,
}

impl<S> Default for Record<S> {
    fn default() -> Self {
        Record {
            ops: Vec::new(),
            guards: Vec::new(),
            inputs: 0,
            checkpointed: false,
        }
    }
}

impl<S> Record<S> {
    #[inline(always)]
    pub fn push(&mut self, op: Op<S>) {
        match op {
            // The sink, node 0, is recorded as an input but is none.
            Op::Input if !self.ops.is_empty() => self.inputs += 1,
            Op::Checkpointed => self.checkpointed = true,
            _ => {}
        }
        self.ops.push(op);
    }

    /// Forgets everything, keeping the memory.
    pub fn clear(&mut self) {
        self.ops.clear();
        self.guards.clear();
        self.inputs = 0;
        self.checkpointed = false;
    }

    pub fn bytes(&self) -> usize {
        self.ops.capacity() * size_of::<Op<S>>() + self.guards.capacity() * size_of::<Guard<S>>()
    }

    /// Bytes of the recorded operations (the sink's excluded) and guards.
    pub fn recorded_bytes(&self) -> usize {
        self.ops.len().saturating_sub(1) * size_of::<Op<S>>()
            + self.guards.len() * size_of::<Guard<S>>()
    }
}

/// Why a recorded tape cannot be replayed at the given inputs.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ReplayError {
    /// The number of inputs differs from the recording's (the crate's one wrong-length
    /// error: `expected` inputs recorded, `found` given).
    WrongLength(LengthError),
    /// A comparison made while recording comes out differently at the new inputs, so the
    /// function would have taken another branch and the recorded operations do not apply.
    GuardFlipped {
        /// Which comparison, counted from 0 in recording order.
        guard: usize,
        /// Its outcome while recording.
        recorded: Option<Ordering>,
        /// Its outcome at the new inputs.
        now: Option<Ordering>,
    },
    /// The recording holds a checkpointed segment, which replay does not re-run.
    Checkpointed,
    /// The tape was made with `Tape::new`, which keeps the partials only: no operations to
    /// list or replay.
    NotReplayable,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::WrongLength(e) => e.fmt(f),
            ReplayError::GuardFlipped {
                guard,
                recorded,
                now,
            } => write!(
                f,
                "comparison #{guard} made while recording found the left side {} the right and \
                 finds it {} at the new inputs: the function branches on its input there; \
                 record it again",
                ordering(*recorded),
                ordering(*now)
            ),
            ReplayError::NotReplayable => write!(
                f,
                "the tape keeps partials only; make it with Tape::replayable to list its rows \
                 or replay it"
            ),
            ReplayError::Checkpointed => write!(
                f,
                "the recording holds a checkpointed segment, which replay cannot re-run; \
                 record the function without reverse::checkpoint to replay it"
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

/// A comparison's outcome in words.
fn ordering(o: Option<Ordering>) -> &'static str {
    match o {
        Some(Ordering::Less) => "less than",
        Some(Ordering::Equal) => "equal to",
        Some(Ordering::Greater) => "greater than",
        None => "unordered with (a NaN)",
    }
}

impl<S: Real> Op<S> {
    /// The node's value from its operands' values.
    #[inline(always)]
    fn value(self, a: S, b: S) -> S {
        match self {
            Op::Input | Op::Checkpointed => unreachable!("set by replay, not evaluated"),
            Op::Unary(op) => a.unary(op),
            Op::Binary(op) => a.binary(op, b),
            Op::ConstLeft(op, c) => c.binary(op, a),
            Op::ConstRight(op, c) => a.binary(op, c),
        }
    }

    /// The node's value and partials from its operands' values.
    #[inline(always)]
    fn value_and_partials(self, a: S, b: S) -> (S, [S; 2]) {
        let zero = S::constant(0.0);
        match self {
            Op::Input | Op::Checkpointed => unreachable!("set by replay, not evaluated"),
            Op::Unary(op) => {
                let (y, d) = op.value_and_derivative(&a);
                (y, [d, zero])
            }
            Op::Binary(op) => {
                let (y, da, db) = op.value_and_partials(&a, &b);
                (y, [da, db])
            }
            Op::ConstLeft(op, c) => {
                let (y, _, db) = op.value_and_partials(&c, &a);
                (y, [db, zero])
            }
            Op::ConstRight(op, c) => {
                let (y, da, _) = op.value_and_partials(&a, &c);
                (y, [da, zero])
            }
        }
    }
}

impl<S: Real> Nodes<S> {
    /// Re-evaluates every node at new `inputs` (in the order the inputs were created), with
    /// the partials the nodes store, and re-checks the guards.
    pub(crate) fn replay(&mut self, inputs: &[S]) -> Result<(), ReplayError> {
        let Nodes {
            nodes,
            partials,
            record,
            ..
        } = self;
        let record = record
            .as_mut()
            .expect("replay needs a tape made with Tape::replayable");
        check_length(
            "the replay's inputs",
            "the recording's inputs",
            record.inputs,
            inputs.len(),
        )
        .map_err(ReplayError::WrongLength)?;
        if record.checkpointed {
            return Err(ReplayError::Checkpointed);
        }
        let mut next_input = inputs.iter();
        let mut p = 0;
        // One pass in recording order; operands precede their node, so their values are new.
        // Sums, differences and products of two variables are evaluated from the node's kind
        // (the op table's linear binary ops are `a + b` and `a − b`, its product `a·b`),
        // without looking up the operation.
        let ops = &record.ops;
        for i in 1..nodes.len() {
            let node = nodes[i];
            let [l, r] = node.args();
            let (a, b) = (nodes[l as usize].value, nodes[r as usize].value);
            nodes[i].value = match node.kind() {
                Kind::Sum if r != SINK => a + b,
                Kind::Difference => a - b,
                Kind::Product => a * b,
                Kind::Sum => match ops[i] {
                    Op::Input => *next_input.next().expect("counted while recording"),
                    op => op.value(a, b),
                },
                Kind::Stored => {
                    let (y, [dl, dr]) = ops[i].value_and_partials(a, b);
                    partials[p] = dl;
                    if r == SINK {
                        p += 1;
                    } else {
                        partials[p + 1] = dr;
                        p += 2;
                    }
                    y
                }
            };
        }
        let value = |o: Operand<S>| match o {
            Operand::Node(i) => nodes[i as usize].value,
            Operand::Const(c) => c,
        };
        for (k, g) in record.guards.iter().enumerate() {
            let now = value(g.lhs).partial_cmp(&value(g.rhs));
            if now != g.outcome {
                return Err(ReplayError::GuardFlipped {
                    guard: k,
                    recorded: g.outcome,
                    now,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Op;

    #[test]
    fn a_recorded_operation_takes_24_bytes_for_f64() {
        assert_eq!(size_of::<Op<f64>>(), 24);
    }
}
