//! The pattern-tracking scalar.

use super::curvature::{self, UnaryCurvature};
use super::set::{Set, pairs};
use crate::Scalar;
use crate::ops::{BinaryOp, UnaryOp};
use std::cmp::Ordering;

/// A scalar whose "value" is the set of inputs it depends on: evaluating a function once on
/// tracers gives the sparsity pattern of its Jacobian (and, when
/// [`second_order`](Tracer::input) is on, of its Hessian).
///
/// A tracer carries
/// * `deps(y) = {j : ∂y/∂xⱼ may be nonzero}`,
/// * with second order on, `pairs(y) = {(i, j), i ≤ j : ∂²y/∂xᵢ∂xⱼ may be nonzero}`,
/// * and the `f64` value of `y` at the point, so that comparisons
///   ([`PartialOrd`], [`value`](Tracer::value)) follow the branch the function takes there.
///
/// The rules come from each op's curvature: `y = u + v` has `deps(u) ∪ deps(v)` and
/// `pairs(u) ∪ pairs(v)`; `u·v` adds `deps(u) × deps(v)`; a nonlinear unary op adds
/// `deps(u) × deps(u)`; `u + c`, `c·u`, `−u` keep both sets; `sign(u)` depends on nothing.
/// The sets are structural: an entry that happens to vanish at the point (`x·y` at `y = 0`)
/// is kept, so the pattern holds at every point where the function takes the same branches.
///
/// # The branch caveat
/// A function that compares values (`if x > 0.0`, or branching on
/// [`value`](Tracer::value)) is traced along the branch it takes at the detection point only:
/// the pattern is that of the function's restriction to the region where every comparison
/// comes out the same. Reusing the pattern at a point on another branch can give a wrong
/// matrix; see [`sparse_jacobian_with`](super::sparse_jacobian_with) for what is detected.
///
/// A tracer is not [`Real`](crate::Real): `Real` asks for `Copy`, and a set is not. It
/// has the comparisons and the value of a `Real` all the same.
///
/// ```
/// use weifen::sparse::Tracer;
/// use weifen::Scalar;
///
/// let x: Vec<Tracer> = (0..3).map(|j| Tracer::input(j, 1.0, true)).collect();
/// let y = x[0].clone() * x[1].clone() + x[2].clone().sin();
/// assert_eq!(y.dependencies(), &[0, 1, 2]);
/// assert_eq!(y.second_order(), &[(0, 1), (2, 2)]);
/// assert_eq!(y.value(), 1.0 + 1f64.sin());
/// ```
#[derive(Clone, Debug)]
pub struct Tracer {
    value: f64,
    deps: Set<u32>,
    pairs: Set<(u32, u32)>,
    second: bool,
}

impl Tracer {
    /// The input `xⱼ` with value `value`; `second_order` also tracks second derivatives
    /// (for Hessians; it costs a set of pairs per value).
    ///
    /// # Panics
    /// If `j` does not fit in 32 bits.
    pub fn input(j: usize, value: f64, second_order: bool) -> Tracer {
        let j = u32::try_from(j).expect("Tracer::input: input index does not fit in 32 bits");
        Tracer {
            value,
            deps: Set::from_sorted(vec![j]),
            pairs: Set::default(),
            second: second_order,
        }
    }

    /// The inputs `x₀ … xₙ₋₁` at the point `x`.
    pub fn inputs(x: &[f64], second_order: bool) -> Vec<Tracer> {
        x.iter()
            .enumerate()
            .map(|(j, &v)| Tracer::input(j, v, second_order))
            .collect()
    }

    /// The value at the point (branches follow it).
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The inputs `j` with `∂y/∂xⱼ` possibly nonzero, in increasing order.
    pub fn dependencies(&self) -> &[u32] {
        self.deps.as_slice()
    }

    /// The pairs `(i, j)`, `i ≤ j`, with `∂²y/∂xᵢ∂xⱼ` possibly nonzero, in increasing order
    /// (empty unless second order is tracked).
    pub fn second_order(&self) -> &[(u32, u32)] {
        self.pairs.as_slice()
    }

    fn with_value(self, value: f64) -> Tracer {
        Tracer { value, ..self }
    }
}

// The one impl of the spine. It reads the op only through `eval` and the op's value (for its
// curvature class); derivatives are not needed, only which of them can be nonzero.
impl Scalar for Tracer {
    fn constant(c: f64) -> Self {
        Tracer {
            value: c,
            deps: Set::default(),
            pairs: Set::default(),
            second: false,
        }
    }

    fn unary<O: UnaryOp>(self, op: O) -> Self {
        let value = op.eval(self.value);
        match curvature::unary(op.id()) {
            UnaryCurvature::Constant => Tracer {
                second: self.second,
                ..Tracer::constant(value)
            },
            UnaryCurvature::Linear => self.with_value(value),
            UnaryCurvature::Nonlinear => {
                let pairs = match self.second {
                    true => {
                        let new = pairs(self.deps.as_slice(), self.deps.as_slice());
                        self.pairs.union(new)
                    }
                    false => self.pairs,
                };
                Tracer {
                    value,
                    pairs,
                    ..self
                }
            }
        }
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        let value = op.eval(self.value, rhs.value);
        let second = self.second || rhs.second;
        let mut pairs_out = Set::default();
        if second {
            let c = curvature::binary(op.id());
            let (a, b) = (self.deps.as_slice(), rhs.deps.as_slice());
            for (on, u, v) in [(c.aa, a, a), (c.ab, a, b), (c.bb, b, b)] {
                if on && !u.is_empty() && !v.is_empty() {
                    pairs_out = pairs_out.union(pairs(u, v));
                }
            }
            pairs_out = self.pairs.union(rhs.pairs).union(pairs_out);
        }
        Tracer {
            value,
            deps: self.deps.union(rhs.deps),
            pairs: pairs_out,
            second,
        }
    }
}

scalar_operators!([] Tracer);

/// Compares values only (the sets play no part), like the comparisons of dual numbers.
impl PartialEq for Tracer {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PartialOrd for Tracer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl PartialEq<f64> for Tracer {
    fn eq(&self, other: &f64) -> bool {
        self.value == *other
    }
}

impl PartialOrd<f64> for Tracer {
    fn partial_cmp(&self, other: &f64) -> Option<Ordering> {
        self.value.partial_cmp(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(n: usize) -> Vec<Tracer> {
        Tracer::inputs(&vec![0.5; n], true)
    }

    #[test]
    fn linear_ops_create_no_pairs() {
        let x = inputs(3);
        let y = (x[0].clone() - x[1].clone()) * 3.0 + -x[2].clone() / 2.0 + 1.0;
        assert_eq!(y.dependencies(), &[0, 1, 2]);
        assert!(y.second_order().is_empty());
        assert_eq!(y.value(), 1.0 - 0.25);
    }

    #[test]
    fn division_is_linear_in_the_numerator_only() {
        let x = inputs(2);
        let y = x[0].clone() / x[1].clone();
        assert_eq!(y.second_order(), &[(0, 1), (1, 1)]);
    }

    #[test]
    fn sign_depends_on_nothing_and_abs_keeps_pairs() {
        let x = inputs(2);
        assert!(x[0].clone().sign().dependencies().is_empty());
        let y = (x[0].clone() * x[1].clone()).abs();
        assert_eq!(y.second_order(), &[(0, 1)]);
    }

    #[test]
    fn first_order_tracking_keeps_no_pairs() {
        let x = Tracer::inputs(&[1.0, 2.0], false);
        let y = (x[0].clone() * x[1].clone()).exp();
        assert_eq!(y.dependencies(), &[0, 1]);
        assert!(y.second_order().is_empty());
    }

    #[test]
    fn comparisons_follow_the_value() {
        let x = Tracer::inputs(&[1.0, 2.0], false);
        assert!(x[0] < x[1] && x[1] > 1.5 && x[0] == 1.0);
    }
}
