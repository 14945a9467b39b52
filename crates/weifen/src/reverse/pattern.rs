//! The Hessian's sparsity pattern read off a recording: its operations replayed on
//! [`Tracer`]s, so the function need not be callable on tracers itself.

use super::record::Op;
use super::tape::Nodes;
use crate::sparse::{SparsityPattern, Tracer};
use crate::{Real, Scalar};

/// The Hessian pattern of the recorded function: the recorded ops, in order, evaluated on
/// [`Tracer`]s tracking second order. Returns `None` as soon as the tracers' pair sets have
/// held more than `budget` pairs in all (a Hessian too dense for colouring to pay).
///
/// The pattern is that of the branches taken while recording: the recording has no others.
/// Each tracer is dropped after its last use, so that a running sum's pair set is extended
/// in place rather than copied at every term.
pub(crate) fn recorded_hessian_pattern<S: Real>(
    nodes: &Nodes<S>,
    inputs: usize,
    output: Option<u32>,
    budget: usize,
) -> Option<SparsityPattern> {
    let empty = || SparsityPattern::new(inputs, inputs, vec![Vec::new(); inputs]).ok();
    let Some(out) = output else {
        return empty();
    };
    let len = out as usize + 1;
    let record = nodes.record.as_ref().expect("a replayable tape");
    let (ops, args) = (&record.ops[..len], &nodes.nodes[..len]);
    // uses[i]: how many later nodes read node i.
    let mut uses = vec![0u32; len];
    for (node, op) in args.iter().zip(ops).skip(1) {
        let [l, r] = node.args();
        match op {
            Op::Input | Op::Checkpointed => {}
            Op::Unary(_) | Op::ConstLeft(..) | Op::ConstRight(..) => uses[l as usize] += 1,
            Op::Binary(_) => {
                uses[l as usize] += 1;
                uses[r as usize] += 1;
            }
        }
    }
    uses[len - 1] += 1;
    let mut tracers: Vec<Option<Tracer>> = vec![None; len];
    let mut seen = 0usize;
    let mut next_input = 0usize;
    for i in 1..len {
        let [l, r] = args[i].args();
        let constant = |c: S| Tracer::constant(c.value());
        let t = match ops[i] {
            Op::Input => {
                let j = next_input;
                next_input += 1;
                // An input made inside the function (after the first `inputs`) is a constant.
                if j < inputs {
                    Tracer::input(j, args[i].value.value(), true)
                } else {
                    Tracer::constant(args[i].value.value())
                }
            }
            Op::Checkpointed => return None,
            Op::Unary(u) => take(&mut tracers, &mut uses, l).unary(u),
            Op::Binary(b) => {
                let a = take(&mut tracers, &mut uses, l);
                a.binary(b, take(&mut tracers, &mut uses, r))
            }
            Op::ConstLeft(b, c) => constant(c).binary(b, take(&mut tracers, &mut uses, l)),
            Op::ConstRight(b, c) => take(&mut tracers, &mut uses, l).binary(b, constant(c)),
        };
        seen += t.second_order().len();
        if seen > budget {
            return None;
        }
        if uses[i] > 0 {
            tracers[i] = Some(t);
        }
    }
    let y = tracers[len - 1].take().expect("the output is kept");
    let mut rows = vec![Vec::new(); inputs];
    for &(i, j) in y.second_order() {
        rows[i as usize].push(j as usize);
        if i != j {
            rows[j as usize].push(i as usize);
        }
    }
    SparsityPattern::new(inputs, inputs, rows).ok()
}

/// Operand `i`'s tracer: moved out at its last use, cloned before.
fn take(tracers: &mut [Option<Tracer>], uses: &mut [u32], i: u32) -> Tracer {
    let i = i as usize;
    uses[i] -= 1;
    let t = if uses[i] == 0 {
        tracers[i].take()
    } else {
        tracers[i].clone()
    };
    t.expect("operands precede their node")
}
