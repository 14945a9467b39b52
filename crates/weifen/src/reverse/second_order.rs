//! Second-order sweeps on a recording: Hessian–vector products, forward over reverse.
//!
//! At a point `x`, each recorded node `vᵢ = op(v_l, v_r)` has first partials `p = ∂op`
//! (already on the tape) and second partials `∂²op/∂l²`, `∂²op/∂l∂r`, `∂²op/∂r²`, which come
//! from the op table's rule evaluated on dual numbers (`Dual` for one operand, `DualVec<_, 2>`
//! for two): no second-order rule is written here. One first-order sweep gives the adjoints
//! `v̄ᵢ`; the node keeps `wᵢ = v̄ᵢ·∂²op`. Then a Hessian–vector product `H·u` is
//!
//! * a forward tangent sweep `v̇ᵢ = p_l·v̇_l + p_r·v̇_r` from `ẋ = u`, and
//! * a reverse sweep of second-order adjoints
//!   `λ_l += p_l·λᵢ + w_ll·v̇_l + w_lr·v̇_r` (and symmetrically for `r`), from `λ_y = 0`;
//!
//! `λ` at the inputs is `H·u`. This is the derivative along `u` of the reverse sweep
//! (`v̄_l += p_l·v̄ᵢ`) by the product rule — what evaluating the recorded ops on dual numbers
//! and sweeping dual adjoints computes — with every quantity that does not depend on `u`
//! computed once per point instead of once per direction. So the sweeps have no per-node
//! dispatch on the op, only a few multiply–adds per direction, and `N` directions go
//! together (a flat buffer of `N` lanes per node).
//!
//! Memory per node (for `f64`): a 56-byte entry (operands, partials, weights, kind) and an
//! 8-byte adjoint, plus `16·N` bytes of lanes (tangent and second-order adjoint) for `N`
//! directions: 192 bytes at `N = 8`, beside the 40 to 56 of the replayable tape.
//!
//! Zero products: where a partial or weight is not finite (`√′(0)`, `exp″(800)`), the node is
//! marked `Careful` and its products skip zero factors (`ops::times`), as dual numbers do, so
//! that `0·∞` is 0 and not NaN; every other node multiplies plainly.

use super::record::Op;
use super::tape::{Nodes, SINK, sweep};
use crate::Real;
use crate::forward::{Dual, DualVec};
use crate::ops::{BinaryOp, UnaryOp, times};

/// How a node enters the tangent sweeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// An input, or the sink: its tangent is seeded, and it passes nothing back.
    Input,
    /// One operand, no curvature (`−x`, `x + c`, `c·x`).
    Unary,
    /// One operand with curvature.
    UnaryCurved,
    /// Two operands, no curvature (`a + b`, `a − b`).
    Binary,
    /// Two operands with curvature.
    BinaryCurved,
    /// A partial or weight is not finite: products skip zero factors.
    Careful,
}

/// What the tangent sweeps need of one node at the point.
#[derive(Clone, Copy, Debug)]
struct Entry<S> {
    args: [u32; 2],
    partials: [S; 2],
    /// `v̄ᵢ·∂²op/∂l²`, `v̄ᵢ·∂²op/∂l∂r`, `v̄ᵢ·∂²op/∂r²`.
    weights: [S; 3],
    kind: Kind,
}

/// A recording linearised at a point: the value, the gradient, each node's partials and
/// adjoint-weighted second partials, and the lane buffers the sweeps reuse.
#[derive(Debug)]
pub(crate) struct Linearization<S> {
    entries: Vec<Entry<S>>,
    adjoints: Vec<S>,
    tangents: Vec<S>,
    second: Vec<S>,
    inputs: usize,
    value: S,
}

impl<S: Real> Default for Linearization<S> {
    fn default() -> Self {
        Linearization {
            entries: Vec::new(),
            adjoints: Vec::new(),
            tangents: Vec::new(),
            second: Vec::new(),
            inputs: 0,
            value: S::constant(0.0),
        }
    }
}

/// `N` lanes of node `i` from a flat buffer.
#[inline(always)]
fn lane<S: Copy, const N: usize>(buffer: &[S], i: usize) -> [S; N] {
    let mut out = [buffer[0]; N];
    out.copy_from_slice(&buffer[i * N..(i + 1) * N]);
    out
}

/// Adds `d` to the `N` lanes of node `i`.
#[inline(always)]
fn add<S: Real, const N: usize>(buffer: &mut [S], i: usize, d: [S; N]) {
    for (b, d) in buffer[i * N..(i + 1) * N].iter_mut().zip(d) {
        *b = *b + d;
    }
}

/// The second partials of a recorded op at operand values `a`, `b`, from the op table's rule
/// evaluated on dual numbers; `None` for a linear op.
fn second_partials<S: Real>(op: Op<S>, a: S, b: S) -> Option<[S; 3]> {
    let zero = S::constant(0.0);
    match op {
        Op::Input | Op::Checkpointed => None,
        Op::Unary(u) if u.is_linear() => None,
        Op::Unary(u) => {
            let (_, d) = u.value_and_derivative(&Dual::variable(a));
            Some([d.tangent, zero, zero])
        }
        Op::Binary(o) | Op::ConstLeft(o, _) | Op::ConstRight(o, _) if o.is_linear() => None,
        Op::ConstLeft(o, c) => {
            let (_, _, db) = o.value_and_partials(&Dual::lift(c), &Dual::variable(a));
            Some([db.tangent, zero, zero])
        }
        Op::ConstRight(o, c) => {
            let (_, da, _) = o.value_and_partials(&Dual::variable(a), &Dual::lift(c));
            Some([da.tangent, zero, zero])
        }
        Op::Binary(o) => {
            let (x, y) = (DualVec::<S, 2>::seeded(a, 0), DualVec::seeded(b, 1));
            let (_, da, db) = o.value_and_partials(&x, &y);
            Some([da.tangent[0], da.tangent[1], db.tangent[1]])
        }
    }
}

impl<S: Real> Linearization<S> {
    /// Linearises the recorded `nodes` (values and partials as recorded or last replayed)
    /// with `inputs` inputs (nodes `1..=inputs`) and output node `output` (`None`: a constant
    /// output `constant`): one first-order sweep and one pass over the nodes.
    ///
    /// # Panics
    /// If the tape keeps no operations (not replayable) or holds a checkpointed segment.
    pub(crate) fn prepare(
        &mut self,
        nodes: &Nodes<S>,
        inputs: usize,
        output: Option<u32>,
        constant: S,
    ) {
        let zero = S::constant(0.0);
        let record = nodes.record.as_ref().expect("a replayable tape");
        assert!(
            !record.checkpointed,
            "second derivatives cannot go through reverse::checkpoint: the checkpointed \
             segment keeps no operations; differentiate the function without it"
        );
        self.inputs = inputs;
        self.entries.clear();
        self.adjoints.clear();
        let Some(out) = output else {
            self.value = constant;
            return;
        };
        let len = out as usize + 1;
        self.value = nodes.nodes[len - 1].value;
        self.adjoints.resize(len, zero);
        self.adjoints[len - 1] = S::constant(1.0);
        sweep(nodes, &mut self.adjoints, 1..len);
        let value = |i: u32| nodes.nodes[i as usize].value;
        let steps = nodes.nodes[..len]
            .iter()
            .zip(nodes.first_partials(len))
            .zip(&record.ops)
            .zip(&self.adjoints);
        self.entries
            .extend(steps.map(|(((node, partials), &op), &adjoint)| {
                let [l, r] = node.args();
                let curvature = second_partials(op, value(l), value(r));
                let weights = curvature.map_or([zero; 3], |h| h.map(|h| times(adjoint, h)));
                let unary = r == SINK;
                let mut kind = match (op, curvature.is_some(), unary) {
                    (Op::Input | Op::Checkpointed, _, _) => Kind::Input,
                    (_, false, true) => Kind::Unary,
                    (_, true, true) => Kind::UnaryCurved,
                    (_, false, false) => Kind::Binary,
                    (_, true, false) => Kind::BinaryCurved,
                };
                let finite = |s: &S| s.value().is_finite();
                if kind != Kind::Input
                    && !(partials.iter().all(finite) && weights.iter().all(finite))
                {
                    kind = Kind::Careful;
                }
                Entry {
                    args: [l, r],
                    partials,
                    weights,
                    kind,
                }
            }));
    }

    /// `f` at the point.
    pub(crate) fn value(&self) -> S {
        self.value
    }

    /// The inputs that are nodes of the linearised part of the tape (those recorded after
    /// the output are not, and have zero derivatives).
    fn known(&self) -> usize {
        self.inputs.min(self.entries.len().saturating_sub(1))
    }

    /// `∇f` at the point, into `out` (length `inputs`).
    pub(crate) fn gradient_into(&self, out: &mut [S]) {
        let known = self.known();
        out.fill(S::constant(0.0));
        if known > 0 {
            out[..known].copy_from_slice(&self.adjoints[1..=known]);
        }
    }

    /// `N` Hessian–vector products at once: `seed(j, k)` is component `j` of direction `k`;
    /// on return `result(j, k, (H·u_k)ⱼ)` has been called for every input `j` and lane `k`.
    pub(crate) fn hvps<const N: usize>(
        &mut self,
        seed: impl Fn(usize, usize) -> S,
        mut result: impl FnMut(usize, usize, S),
    ) {
        let zero = S::constant(0.0);
        let known = self.known();
        let len = self.entries.len();
        if len == 0 {
            (0..self.inputs).for_each(|j| (0..N).for_each(|k| result(j, k, zero)));
            return;
        }
        self.tangents.clear();
        self.tangents.resize(len * N, zero);
        self.second.clear();
        self.second.resize(len * N, zero);
        for j in 0..known {
            for k in 0..N {
                self.tangents[(j + 1) * N + k] = seed(j, k);
            }
        }
        self.forward::<N>();
        self.reverse::<N>();
        for j in 0..self.inputs {
            for k in 0..N {
                let v = if j < known {
                    self.second[(j + 1) * N + k]
                } else {
                    zero
                };
                result(j, k, v);
            }
        }
    }

    /// The forward tangent sweep: `v̇ᵢ = p_l·v̇_l + p_r·v̇_r`, inputs as seeded.
    fn forward<const N: usize>(&mut self) {
        let t = &mut self.tangents;
        for (i, e) in self.entries.iter().enumerate() {
            let [l, r] = e.args.map(|a| a as usize);
            let [pl, pr] = e.partials;
            let out: [S; N] = match e.kind {
                Kind::Input => continue,
                Kind::Unary | Kind::UnaryCurved => lane::<S, N>(t, l).map(|tl| tl * pl),
                Kind::Binary | Kind::BinaryCurved => {
                    let (tl, tr) = (lane::<S, N>(t, l), lane::<S, N>(t, r));
                    std::array::from_fn(|k| tl[k] * pl + tr[k] * pr)
                }
                Kind::Careful => {
                    let (tl, tr) = (lane::<S, N>(t, l), lane::<S, N>(t, r));
                    std::array::from_fn(|k| times(tl[k], pl) + times(tr[k], pr))
                }
            };
            t[i * N..(i + 1) * N].copy_from_slice(&out);
        }
    }

    /// The reverse sweep of second-order adjoints, from `λ_y = 0`.
    fn reverse<const N: usize>(&mut self) {
        let (t, lambda) = (&self.tangents, &mut self.second);
        for (i, e) in self.entries.iter().enumerate().rev() {
            let [l, r] = e.args.map(|a| a as usize);
            let [pl, pr] = e.partials;
            let [wll, wlr, wrr] = e.weights;
            let li = lane::<S, N>(lambda, i);
            match e.kind {
                Kind::Input => {}
                Kind::Unary => add::<S, N>(lambda, l, li.map(|a| a * pl)),
                Kind::UnaryCurved => {
                    let tl = lane::<S, N>(t, l);
                    add::<S, N>(lambda, l, std::array::from_fn(|k| li[k] * pl + tl[k] * wll));
                }
                Kind::Binary => {
                    add::<S, N>(lambda, l, li.map(|a| a * pl));
                    add::<S, N>(lambda, r, li.map(|a| a * pr));
                }
                Kind::BinaryCurved => {
                    let (tl, tr) = (lane::<S, N>(t, l), lane::<S, N>(t, r));
                    let dl = std::array::from_fn(|k| li[k] * pl + tl[k] * wll + tr[k] * wlr);
                    let dr = std::array::from_fn(|k| li[k] * pr + tl[k] * wlr + tr[k] * wrr);
                    add::<S, N>(lambda, l, dl);
                    add::<S, N>(lambda, r, dr);
                }
                Kind::Careful => {
                    let (tl, tr) = (lane::<S, N>(t, l), lane::<S, N>(t, r));
                    let dl = std::array::from_fn(|k| {
                        times(li[k], pl) + times(tl[k], wll) + times(tr[k], wlr)
                    });
                    add::<S, N>(lambda, l, dl);
                    if r != SINK as usize {
                        let dr = std::array::from_fn(|k| {
                            times(li[k], pr) + times(tl[k], wlr) + times(tr[k], wrr)
                        });
                        add::<S, N>(lambda, r, dr);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Entry;

    #[test]
    fn an_entry_takes_56_bytes_for_f64() {
        assert_eq!(size_of::<Entry<f64>>(), 56);
    }
}
