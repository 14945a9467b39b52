//! The result of a backward sweep.

use super::{Tape, Var};
use crate::Real;

/// The adjoints `v̄ = ∂y/∂v` of every node of a tape after a backward sweep from `y`.
#[derive(Clone, Debug)]
pub struct Adjoints<S = f64> {
    pub(crate) values: Vec<S>,
    /// The address of the tape swept (0 for a constant's empty adjoints): a variable of
    /// another tape has an index that means nothing here.
    tape: usize,
}

/// A variable of one tape asked for among the adjoints of another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OtherTapeError;

impl std::fmt::Display for OtherTapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the variable was recorded on another tape than the one these adjoints come from; \
             ask the adjoints of the backward sweep of its own tape",
        )
    }
}

impl std::error::Error for OtherTapeError {}

impl<S: Real> Adjoints<S> {
    /// `∂y/∂x`: the adjoint of `x` (0 for a constant, or for a variable `y` does not depend on).
    ///
    /// # Panics
    /// If `x` was recorded on another tape than the one swept (see [`try_wrt`](Self::try_wrt)).
    #[track_caller]
    pub fn wrt(&self, x: Var<'_, S>) -> S {
        self.try_wrt(x).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `∂y/∂x`, or an error if `x` was recorded on another tape than the one swept.
    ///
    /// # Errors
    /// [`OtherTapeError`] for a variable of another tape.
    pub fn try_wrt(&self, x: Var<'_, S>) -> Result<S, OtherTapeError> {
        match x.tape() {
            Some(t) if self.tape != 0 && std::ptr::from_ref(t) as usize != self.tape => {
                Err(OtherTapeError)
            }
            _ => Ok(x
                .index()
                .and_then(|i| self.values.get(i as usize).copied())
                .unwrap_or(S::constant(0.0))),
        }
    }

    /// `∂y/∂xᵢ` for each of `x`.
    pub fn wrt_all(&self, x: &[Var<'_, S>]) -> Vec<S> {
        x.iter().map(|&xi| self.wrt(xi)).collect()
    }

    /// Every node's adjoint, by node index (index 0 is the tape's sink and holds nothing
    /// meaningful).
    pub fn as_slice(&self) -> &[S] {
        &self.values
    }
}

impl<'t, S: Real> Var<'t, S> {
    /// Runs the backward sweep from this variable, seeded with `ȳ = 1`.
    ///
    /// A constant has no tape; its adjoints are all zero.
    pub fn backward(&self) -> Adjoints<S> {
        self.backward_seeded(S::constant(1.0))
    }

    /// Runs the backward sweep seeded with `ȳ = seed` (a vector–Jacobian product for one
    /// output).
    pub fn backward_seeded(&self, seed: S) -> Adjoints<S> {
        match (self.tape(), self.index()) {
            (Some(tape), Some(i)) => backward(tape, &[(i, seed)]),
            _ => Adjoints {
                values: Vec::new(),
                tape: 0,
            },
        }
    }
}

/// Sweeps `tape` backwards from the given `(node, seed)` pairs; seeds of one node add up.
pub(crate) fn backward<S: Real>(tape: &Tape<S>, seeds: &[(u32, S)]) -> Adjoints<S> {
    let mut values = tape.zero_adjoints();
    for &(i, s) in seeds {
        values[i as usize] = values[i as usize] + s;
    }
    tape.sweep(&mut values);
    Adjoints {
        values,
        tape: std::ptr::from_ref(tape) as usize,
    }
}
