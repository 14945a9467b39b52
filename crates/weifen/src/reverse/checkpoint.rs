//! Checkpointing: trade recomputation for tape memory.

use super::tape::{Kind, Nodes, SINK, Stored, Tape, sweep_from};
use super::{Adjoints, Var};
use crate::Real;
use std::fmt;

/// A segment of the function that [`checkpoint`] kept out of the tape.
pub(crate) type Segment<S> = Box<dyn for<'s> Fn(&[Var<'s, S>]) -> Vec<Var<'s, S>>>;

/// What the backward sweep needs to redo a checkpointed segment: the segment itself, its
/// inputs (node index, or `None` for a constant, and value) and where its outputs sit.
pub(crate) struct Checkpoint<S> {
    segment: Segment<S>,
    inputs: Vec<(Option<u32>, S)>,
    /// The segment's outputs are the nodes `first_output .. first_output + outputs`.
    first_output: u32,
    outputs: u32,
    /// How many partials the tape stored before the outputs (they store none).
    partials_before: usize,
}

impl<S> fmt::Debug for Checkpoint<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Checkpoint(outputs v{}..+{})",
            self.first_output, self.outputs
        )
    }
}

/// Evaluates `segment` at `inputs` without recording its operations: only its outputs go on
/// the tape. The backward sweep runs the segment again on a temporary tape when it reaches
/// them (as `jax.checkpoint` does), so the tape holds the segment's outputs instead of its
/// intermediates, at the cost of evaluating it twice.
///
/// Checkpointing each of `T` steps of an iterated map keeps the tape at `O(T)` outputs plus
/// one step's intermediates, instead of `T` steps' intermediates.
///
/// # Panics
/// If `inputs` mix variables of two tapes, or all are constants and the tape cannot be known
/// (then nothing needs differentiating: call `segment` directly).
///
/// ```
/// use weifen::reverse::{self, Tape};
/// use weifen::Scalar;
///
/// let tape = Tape::new();
/// let x0 = tape.var(0.3);
/// let mut x = vec![x0];
/// for _ in 0..100 {
///     x = reverse::checkpoint(&tape, |x| vec![(x[0] * 1.1).sin() + x[0] * 0.5], &x);
/// }
/// let g = x[0].backward().wrt(x0);
/// assert!(tape.len() <= 101); // the input and one output per step
/// assert!(g.is_finite());
/// ```
pub fn checkpoint<'t, S, F>(tape: &'t Tape<S>, segment: F, inputs: &[Var<'t, S>]) -> Vec<Var<'t, S>>
where
    S: Real,
    F: for<'s> Fn(&[Var<'s, S>]) -> Vec<Var<'s, S>> + 'static,
{
    for x in inputs {
        if let Some(t) = x.tape() {
            assert!(
                std::ptr::eq(t, tape),
                "checkpoint: an input was recorded on another tape than the one given"
            );
        }
    }
    let recorded: Vec<(Option<u32>, S)> = inputs.iter().map(|x| (x.index(), x.primal())).collect();
    // Forward: run the segment on a scratch tape for its output values only.
    let outputs: Vec<S> = {
        let scratch = Tape::new();
        let vars = scratch_inputs(&scratch, &recorded);
        let y = segment(&vars);
        tape.note_scratch(scratch.peak_len());
        y.iter().map(Var::primal).collect()
    };
    let first_output = tape.len() as u32 + 1;
    let result: Vec<Var<'t, S>> = outputs.iter().map(|&y| tape.push_opaque(y)).collect();
    let mut nodes = tape.nodes.borrow_mut();
    let partials_before = nodes.partials.len();
    nodes.checkpoints.push(Checkpoint {
        segment: Box::new(segment),
        inputs: recorded,
        first_output,
        outputs: outputs.len() as u32,
        partials_before,
    });
    drop(nodes);
    result
}

fn scratch_inputs<'s, S: Real>(
    scratch: &'s Tape<S>,
    inputs: &[(Option<u32>, S)],
) -> Vec<Var<'s, S>> {
    inputs
        .iter()
        .map(|&(index, v)| match index {
            Some(_) => scratch.var(v),
            None => Var::constant_of(v),
        })
        .collect()
}

impl<S: Real> Tape<S> {
    /// Records an output of a checkpointed segment: no operands, its adjoint is carried by
    /// the checkpoint.
    fn push_opaque(&self, value: S) -> Var<'_, S> {
        let index = self.push(
            [SINK, SINK],
            Stored::None(Kind::Sum),
            super::record::Op::Checkpointed,
            value,
        );
        Var::on_tape(self, index, value)
    }
}

/// The backward sweep of a tape with checkpoints: plain sweeps between checkpoints, and at
/// each checkpoint (latest first) the segment re-run on a scratch tape, swept from its outputs'
/// adjoints, with the result added to its inputs' adjoints.
pub(crate) fn sweep_with_checkpoints<S: Real>(
    tape: &Tape<S>,
    nodes: &Nodes<S>,
    checkpoints: &[Checkpoint<S>],
    adjoints: &mut [S],
) {
    let mut end = nodes.nodes.len();
    let mut partials = &nodes.partials[..];
    for c in checkpoints.iter().rev() {
        let after = (c.first_output + c.outputs) as usize;
        if after <= end {
            sweep_from(&nodes.nodes, partials, adjoints, after..end);
            end = c.first_output as usize;
            partials = &nodes.partials[..c.partials_before];
        }
        let scratch = Tape::new();
        let vars = scratch_inputs(&scratch, &c.inputs);
        let y = c.segment.as_ref()(&vars);
        tape.note_scratch(scratch.peak_len());
        let seeds: Vec<(u32, S)> = y
            .iter()
            .enumerate()
            .filter_map(|(k, yk)| {
                yk.index()
                    .map(|i| (i, adjoints[c.first_output as usize + k]))
            })
            .collect();
        let inner: Adjoints<S> = super::adjoints::backward(&scratch, &seeds);
        for (&(index, _), v) in c.inputs.iter().zip(&vars) {
            if let Some(i) = index {
                adjoints[i as usize] = adjoints[i as usize] + inner.wrt(*v);
            }
        }
    }
    sweep_from(&nodes.nodes, partials, adjoints, 1..end);
}
