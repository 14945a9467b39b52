//! A replayable tape listed row by row: the evaluation trace with its adjoints.

use super::record::{Op, ReplayError};
use super::{Adjoints, Tape};
use crate::Real;

/// One recorded operation: `v{index} = operation`, its value, and its adjoint `∂y/∂v`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row<S = f64> {
    /// The node's index: it is named `v{index}`.
    pub index: u32,
    /// The operation in terms of earlier nodes, e.g. `v1 + v2`, or `input`.
    pub operation: String,
    /// The value computed while recording (or at the last replay).
    pub value: S,
    /// The adjoint from the given backward sweep (0 where none reached).
    pub adjoint: S,
}

impl<S: Real> Tape<S> {
    /// The tape as rows `(operation, value, adjoint)`, in recording order.
    ///
    /// # Panics
    /// If the tape was made with [`Tape::new`], which does not keep operations; use
    /// [`Tape::replayable`].
    ///
    /// ```
    /// use weifen::reverse::Tape;
    ///
    /// let tape = Tape::replayable();
    /// let (x1, x2, x3) = (tape.var(1.0), tape.var(2.0), tape.var(3.0));
    /// let y = (x1 + x2) * x3;
    /// let rows = tape.rows(&y.backward()).unwrap();
    /// assert_eq!(rows[3].operation, "v1 + v2");
    /// assert_eq!(rows[4].operation, "v4 · v3");
    /// // x̄1 = x̄2 = x3 and x̄3 = x1 + x2
    /// let adjoints: Vec<f64> = rows.iter().map(|r| r.adjoint).collect();
    /// assert_eq!(adjoints, vec![3.0, 3.0, 3.0, 3.0, 1.0]);
    /// ```
    ///
    /// # Errors
    /// [`ReplayError::NotReplayable`] for a tape made with [`Tape::new`], which keeps the
    /// partials only.
    pub fn rows(&self, adjoints: &Adjoints<S>) -> Result<Vec<Row<S>>, ReplayError> {
        let nodes = self.nodes();
        let record = nodes.record.as_ref().ok_or(ReplayError::NotReplayable)?;
        Ok((1..nodes.nodes.len())
            .map(|i| {
                let [l, r] = nodes.nodes[i].args();
                Row {
                    index: i as u32,
                    operation: describe(record.ops[i], l, r),
                    value: nodes.nodes[i].value,
                    adjoint: adjoints
                        .as_slice()
                        .get(i)
                        .copied()
                        .unwrap_or(S::constant(0.0)),
                }
            })
            .collect())
    }
}

fn describe<S: Real>(op: Op<S>, l: u32, r: u32) -> String {
    let (a, b) = (format!("v{l}"), format!("v{r}"));
    match op {
        Op::Input => "input".to_string(),
        Op::Checkpointed => "checkpointed segment output".to_string(),
        Op::Unary(u) => u.notation(&a),
        Op::Binary(op) => op.notation(&a, &b),
        Op::ConstLeft(op, c) => op.notation(&c.value().to_string(), &a),
        Op::ConstRight(op, c) => op.notation(&a, &c.value().to_string()),
    }
}
