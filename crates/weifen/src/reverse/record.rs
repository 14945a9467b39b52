//! What a replayable tape keeps beyond partials: each node's operation and value, and the
//! comparisons made while recording (guards). Replay re-evaluates the nodes in order at new
//! inputs and re-checks every guard.

use super::tape::Nodes;
use crate::Real;
use crate::ops::{Binary, Unary};
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
    pub values: Vec<S>,
    pub guards: Vec<Guard<S>>,
}

impl<S> Default for Record<S> {
    fn default() -> Self {
        Record {
            ops: Vec::new(),
            values: Vec::new(),
            guards: Vec::new(),
        }
    }
}

impl<S> Record<S> {
    pub fn push(&mut self, op: Op<S>, value: S) {
        self.ops.push(op);
        self.values.push(value);
    }

    pub fn bytes(&self) -> usize {
        self.ops.capacity() * size_of::<Op<S>>()
            + self.values.capacity() * size_of::<S>()
            + self.guards.capacity() * size_of::<Guard<S>>()
    }
}

/// Why a recorded tape cannot be replayed at the given inputs.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ReplayError {
    /// The number of inputs differs from the recording's.
    WrongLength {
        /// Inputs recorded.
        expected: usize,
        /// Inputs given.
        found: usize,
    },
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
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::WrongLength { expected, found } => write!(
                f,
                "replay got {found} inputs, but the function was recorded with {expected}"
            ),
            ReplayError::GuardFlipped {
                guard,
                recorded,
                now,
            } => write!(
                f,
                "comparison #{guard} made while recording was {recorded:?} and is {now:?} at \
                 the new inputs: the function branches on its input there; record it again"
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

impl<S: Real> Op<S> {
    /// The node's value and partials from its operands' values.
    fn eval(self, a: S, b: S) -> (S, [S; 2]) {
        let zero = S::constant(0.0);
        match self {
            Op::Input | Op::Checkpointed => unreachable!("set by replay, not evaluated"),
            Op::Unary(op) => {
                let y = a.unary(op);
                (y, [op.derivative(&a, &y), zero])
            }
            Op::Binary(op) => {
                let y = a.binary(op, b);
                let (da, db) = op.partials(&a, &b, &y);
                (y, [da, db])
            }
            Op::ConstLeft(op, c) => {
                let y = c.binary(op, a);
                (y, [op.partials(&c, &a, &y).1, zero])
            }
            Op::ConstRight(op, c) => {
                let y = a.binary(op, c);
                (y, [op.partials(&a, &c, &y).0, zero])
            }
        }
    }
}

impl<S: Real> Nodes<S> {
    /// Re-evaluates every node at new `inputs` (in the order the inputs were created) and
    /// re-checks the guards.
    pub(crate) fn replay(&mut self, inputs: &[S]) -> Result<(), ReplayError> {
        let Nodes { nodes, record, .. } = self;
        let record = record
            .as_mut()
            .expect("replay needs a tape made with Tape::replayable");
        let expected = record
            .ops
            .iter()
            .skip(1)
            .filter(|op| matches!(op, Op::Input))
            .count();
        if expected != inputs.len() {
            return Err(ReplayError::WrongLength {
                expected,
                found: inputs.len(),
            });
        }
        if record.ops.iter().any(|op| matches!(op, Op::Checkpointed)) {
            return Err(ReplayError::Checkpointed);
        }
        let mut next_input = inputs.iter();
        for (i, node) in nodes.iter_mut().enumerate().skip(1) {
            let op = record.ops[i];
            if let Op::Input = op {
                record.values[i] = *next_input.next().expect("counted above");
                continue;
            }
            let [l, r] = node.args;
            let (a, b) = (record.values[l as usize], record.values[r as usize]);
            let (y, p) = op.eval(a, b);
            record.values[i] = y;
            node.partials = p;
        }
        let value = |o: Operand<S>| match o {
            Operand::Node(i) => record.values[i as usize],
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
