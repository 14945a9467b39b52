//! What a replayable tape keeps beyond partials: each node's operation and value, and the
//! comparisons made while recording (guards). Replay re-evaluates the nodes in order at new
//! inputs and re-checks every guard.

use super::tape::Nodes;
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
    pub values: Vec<S>,
    pub guards: Vec<Guard<S>>,
    /// Counted as they are recorded, so that a replay does not scan the tape for them.
    pub inputs: usize,
    pub checkpointed: bool,
}

impl<S> Default for Record<S> {
    fn default() -> Self {
        Record {
            ops: Vec::new(),
            values: Vec::new(),
            guards: Vec::new(),
            inputs: 0,
            checkpointed: false,
        }
    }
}

impl<S> Record<S> {
    pub fn push(&mut self, op: Op<S>, value: S) {
        match op {
            // The sink, node 0, is recorded as an input but is none.
            Op::Input if !self.ops.is_empty() => self.inputs += 1,
            Op::Checkpointed => self.checkpointed = true,
            _ => {}
        }
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
    /// The node's value and partials from its operands' values.
    #[inline(always)]
    fn eval(self, a: S, b: S) -> (S, [S; 2]) {
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
    /// Re-evaluates every node at new `inputs` (in the order the inputs were created) and
    /// re-checks the guards.
    pub(crate) fn replay(&mut self, inputs: &[S]) -> Result<(), ReplayError> {
        let Nodes { nodes, record, .. } = self;
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
        let Record { ops, values, .. } = record;
        let mut next_input = inputs.iter();
        // One pass in recording order; operands precede their node, so their values are new.
        for ((node, &op), i) in nodes.iter_mut().zip(ops.iter()).zip(0..).skip(1) {
            if let Op::Input = op {
                values[i] = *next_input.next().expect("counted while recording");
                continue;
            }
            let [l, r] = node.args;
            let (y, p) = op.eval(values[l as usize], values[r as usize]);
            values[i] = y;
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
