//! Record once, replay at new inputs.

use super::record::ReplayError;
use super::second_order::Linearization;
use super::tape::sweep;
use super::{Tape, Var};
use crate::Real;

/// A function recorded once on a replayable tape, to be re-evaluated (value and gradient) at
/// new inputs without recording again.
///
/// Replay is valid for functions without data-dependent branches. Every comparison made on
/// the variables while recording is kept as a guard; a replay at inputs where one comes out
/// differently returns [`ReplayError::GuardFlipped`] instead of a wrong gradient.
///
/// ```
/// use weifen::{reverse, Real};
///
/// // |x|·x written with a branch: the comparison is a guard.
/// fn f<S: Real>(x: &[S]) -> S {
///     if x[0] < 0.0 { -x[0] * x[0] } else { x[0] * x[0] }
/// }
/// let mut r = reverse::record(|x| f(x), &[2.0]);
/// assert_eq!(r.value_and_gradient(&[3.0]), Ok((9.0, vec![6.0])));
/// assert!(r.value_and_gradient(&[-3.0]).is_err()); // would take the other branch
/// ```
#[derive(Debug)]
pub struct Recording<S = f64> {
    pub(super) tape: Tape<S>,
    pub(super) inputs: usize,
    pub(super) output: Option<u32>,
    pub(super) constant_output: S,
    /// Kept between replays, so that a replay allocates only the gradient it returns.
    adjoints: Vec<S>,
    /// The second-order state and buffers, kept between calls (see
    /// [`second_order`](Recording::second_order)).
    pub(super) linear: Linearization<S>,
}

/// Records `f` at `x` on a replayable tape. See [`Recording`].
pub fn record<S: Real>(f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>, x: &[S]) -> Recording<S> {
    let tape = Tape::replayable();
    let (output, constant_output) = {
        let vars = tape.vars(x);
        let y = f(&vars);
        (y.index(), y.primal())
    };
    Recording {
        tape,
        inputs: x.len(),
        output,
        constant_output,
        adjoints: Vec::new(),
        linear: Linearization::default(),
    }
}

impl<S: Real> Recording<S> {
    /// Re-evaluates the recorded operations at `x` and returns `(f(x), ∇f(x))`.
    ///
    /// # Errors
    /// [`ReplayError::WrongLength`] if `x` has another length than the recording's input;
    /// [`ReplayError::GuardFlipped`] if a comparison made while recording comes out
    /// differently at `x`.
    pub fn value_and_gradient(&mut self, x: &[S]) -> Result<(S, Vec<S>), ReplayError> {
        let nodes = self.tape.nodes.get_mut();
        nodes.replay(x)?;
        let zero = S::constant(0.0);
        let Some(out) = self.output else {
            return Ok((self.constant_output, vec![zero; self.inputs]));
        };
        let out = out as usize;
        let value = nodes.nodes[out].value;
        let adjoints = &mut self.adjoints;
        adjoints.clear();
        adjoints.resize(out + 1, zero);
        adjoints[out] = S::constant(1.0);
        sweep(nodes, adjoints, 1..out + 1);
        let mut gradient = vec![zero; self.inputs];
        let known = self.inputs.min(out);
        gradient[..known].copy_from_slice(&adjoints[1..=known]);
        Ok((value, gradient))
    }

    /// Re-evaluates at `x` and returns `∇f(x)`. See [`value_and_gradient`](Self::value_and_gradient).
    ///
    /// # Errors
    /// As [`value_and_gradient`](Self::value_and_gradient).
    pub fn gradient(&mut self, x: &[S]) -> Result<Vec<S>, ReplayError> {
        self.value_and_gradient(x).map(|(_, g)| g)
    }

    /// The recorded tape.
    pub fn tape(&self) -> &Tape<S> {
        &self.tape
    }
}
