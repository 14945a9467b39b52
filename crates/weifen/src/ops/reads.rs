//! Which arguments an op's rule reads, found by evaluating the rule once on flags: a rule
//! is written in [`Scalar`] operations, so a scalar whose "value" is the set of arguments it
//! came from tells whether the result depends on the op's output `y`. A caller that must
//! make `y` a recorded value before running the rule (the tensor engine under
//! `create_graph`) can skip that when the rule never reads it.

use super::{BinaryOp, UnaryOp};
use crate::Scalar;

/// The arguments a value came from, one bit each; constants carry none.
#[derive(Clone, Copy, Debug)]
struct Reads(u8);

const FIRST: u8 = 1;
const SECOND: u8 = 2;
const OUTPUT: u8 = 4;

impl Scalar for Reads {
    #[inline(always)]
    fn constant(_: f64) -> Self {
        Reads(0)
    }
    #[inline(always)]
    fn unary<O: UnaryOp>(self, _: O) -> Self {
        self
    }
    #[inline(always)]
    fn binary<O: BinaryOp>(self, _: O, rhs: Self) -> Self {
        Reads(self.0 | rhs.0)
    }
}

scalar_operators!([] Reads);

/// Whether `op`'s derivative rule reads the output `y` (`exp`'s does; `sin`'s reads only
/// `x`, a linear op's neither).
#[inline(always)]
pub fn derivative_reads_output<O: UnaryOp>(op: O) -> bool {
    op.derivative(&Reads(FIRST), &Reads(OUTPUT)).0 & OUTPUT != 0
}

/// Whether either of `op`'s partials reads the output `y` (a quotient's does; a product's
/// are its operands).
#[inline(always)]
pub fn partials_read_output<O: BinaryOp>(op: O) -> bool {
    let (da, db) = op.partials(&Reads(FIRST), &Reads(SECOND), &Reads(OUTPUT));
    (da.0 | db.0) & OUTPUT != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{self, Binary, Unary};

    #[test]
    fn rules_that_read_the_output_are_told_apart() {
        assert!(derivative_reads_output(ops::Exp));
        assert!(derivative_reads_output(ops::Sqrt));
        assert!(!derivative_reads_output(ops::Sin));
        assert!(!derivative_reads_output(ops::Powi(2)));
        assert!(!derivative_reads_output(ops::MulConst(3.0)));
        assert!(partials_read_output(ops::Div));
        assert!(!partials_read_output(ops::Mul));
        assert!(!partials_read_output(ops::Add));
        // The run-time ops answer as their types do.
        assert!(derivative_reads_output(Unary::Exp));
        assert!(!partials_read_output(Binary::Mul));
    }

    #[test]
    fn a_rule_said_not_to_read_the_output_gives_the_same_derivative_without_it() {
        // Evaluated with y replaced by garbage, such a rule's value does not change.
        for op in Unary::all() {
            if derivative_reads_output(op) {
                continue;
            }
            for x in [0.3, 1.7, -0.4] {
                let y = op.eval(x);
                let (d, garbage) = (op.derivative(&x, &y), op.derivative(&x, &1e9));
                assert!(
                    d.to_bits() == garbage.to_bits() || (d.is_nan() && garbage.is_nan()),
                    "{op:?}"
                );
            }
        }
        for op in Binary::all() {
            if partials_read_output(op) {
                continue;
            }
            let (a, b) = (0.6, 1.3);
            let y = op.eval(a, b);
            let (p, q) = (op.partials(&a, &b, &y), op.partials(&a, &b, &1e9));
            assert!(
                p.0.to_bits() == q.0.to_bits() && p.1.to_bits() == q.1.to_bits(),
                "{op:?}"
            );
        }
    }
}
