//! `Var`: a `Copy` handle to a node on a tape, implementing the scalar trait.

use super::record::{Guard, Op, Operand};
use super::tape::{Kind, SINK, Stored, Tape};
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use crate::{Real, Scalar};
use std::cmp::Ordering;
use std::fmt;

/// A variable recorded on a [`Tape`]: its value, and the index of the node that made it.
///
/// Every operation on `Var`s computes its value and records one node with the local partials
/// from the op table. A constant (`Var::constant`, or a result of constants only) has no tape
/// and records nothing.
///
/// ```
/// use weifen::reverse::Tape;
///
/// let tape = Tape::new();
/// let x = tape.var(3.0);
/// let y = x * x + x;
/// let adjoints = y.backward();
/// assert_eq!(adjoints.wrt(x), 7.0); // 2x + 1
/// ```
#[derive(Clone, Copy)]
pub struct Var<'t, S = f64> {
    tape: Option<&'t Tape<S>>,
    index: u32,
    value: S,
}

impl<S: fmt::Debug> fmt::Debug for Var<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tape {
            Some(_) => write!(f, "Var(v{} = {:?})", self.index, self.value),
            None => write!(f, "Var(constant {:?})", self.value),
        }
    }
}

impl<S: Real> Tape<S> {
    /// A new input variable with value `x`.
    pub fn var(&self, x: S) -> Var<'_, S> {
        let index = self.push([SINK, SINK], Stored::None(Kind::Sum), Op::Input, x);
        Var {
            tape: Some(self),
            index,
            value: x,
        }
    }

    /// One input variable per value of `x`, in order.
    pub fn vars(&self, x: &[S]) -> Vec<Var<'_, S>> {
        x.iter().map(|&xi| self.var(xi)).collect()
    }
}

impl<'t, S: Real> Var<'t, S> {
    /// The value (as `S`; [`Real::value`] reads it as `f64`).
    pub fn primal(&self) -> S {
        self.value
    }

    /// The node's index on its tape (`None` for a constant).
    pub fn index(&self) -> Option<u32> {
        self.tape.map(|_| self.index)
    }

    /// The tape it was recorded on (`None` for a constant).
    pub fn tape(&self) -> Option<&'t Tape<S>> {
        self.tape
    }

    pub(crate) fn on_tape(tape: &'t Tape<S>, index: u32, value: S) -> Self {
        Var {
            tape: Some(tape),
            index,
            value,
        }
    }

    /// `value` as a constant: it records nothing and has no tape.
    pub fn constant_of(value: S) -> Self {
        Var::constant_var(value)
    }

    fn constant_var(value: S) -> Self {
        Var {
            tape: None,
            index: SINK,
            value,
        }
    }

    /// Records a node with one operand and partial `partial`: a sum if the partial is
    /// the constant 1 of a linear op (`x + c`), so nothing is stored.
    #[inline(always)]
    fn unary_node(self, value: S, partial: S, linear: bool, op: Op<S>) -> Self {
        match self.tape {
            None => Var::constant_var(value),
            Some(tape) => {
                let stored = if linear && is_one(&partial) {
                    Stored::None(Kind::Sum)
                } else {
                    Stored::One(partial)
                };
                let index = tape.push([self.index, SINK], stored, op, value);
                Var {
                    tape: Some(tape),
                    index,
                    value,
                }
            }
        }
    }

    fn operand(&self) -> Operand<S> {
        match self.tape {
            Some(_) => Operand::Node(self.index),
            None => Operand::Const(self.value),
        }
    }

    /// Compares values, recording the comparison as a guard for replay.
    fn compare(
        &self,
        rhs: Operand<S>,
        rhs_value: S,
        rhs_tape: Option<&Tape<S>>,
    ) -> Option<Ordering> {
        let outcome = self.value.partial_cmp(&rhs_value);
        if let Some(tape) = self.tape.or(rhs_tape) {
            tape.push_guard(Guard {
                lhs: self.operand(),
                rhs,
                outcome,
            });
        }
        outcome
    }
}

#[track_caller]
fn same_tape<'t, S>(a: &'t Tape<S>, b: &'t Tape<S>) -> &'t Tape<S> {
    assert!(
        std::ptr::eq(a, b),
        "an operation mixes variables recorded on two different tapes; \
         a function must be evaluated on the variables of a single tape"
    );
    a
}

// Always inlined: at a call site the op is a constant, so the kernel's and the rule's
// `match`es fold away.
impl<S: Real> Scalar for Var<'_, S> {
    #[inline]
    fn constant(c: f64) -> Self {
        Var::constant_var(S::constant(c))
    }

    #[inline]
    fn is_zero(&self) -> bool {
        self.tape.is_none() && self.value.is_zero()
    }

    #[inline]
    fn value_is_zero(&self) -> bool {
        self.value.value_is_zero()
    }

    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Self {
        if let Unary::MulConst(c) = op.id()
            && c == 1.0
        {
            return self;
        }
        let y = self.value.unary(op);
        if self.tape.is_none() {
            return Var::constant_var(y);
        }
        let d = op.derivative(&self.value, &y);
        self.unary_node(y, d, op.is_linear(), Op::Unary(op.id()))
    }

    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        // The common case first and inlined: two variables of one tape.
        if let (Some(ta), Some(tb)) = (self.tape, rhs.tape)
            && std::ptr::eq(ta, tb)
        {
            let (a, b) = (self.value, rhs.value);
            let y = a.binary(op, b);
            // The kind depends on the op alone (a linear op's partials are constants), so it
            // holds at every point a replay visits.
            let stored = if op.is_product() {
                Stored::None(Kind::Product)
            } else {
                let (da, db) = op.partials(&a, &b, &y);
                match (op.is_linear() && is_one(&da), is_one(&db), is_one(&-db)) {
                    (true, true, _) => Stored::None(Kind::Sum),
                    (true, _, true) => Stored::None(Kind::Difference),
                    _ => Stored::Two(da, db),
                }
            };
            let index = ta.push([self.index, rhs.index], stored, Op::Binary(op.id()), y);
            return Var {
                tape: Some(ta),
                index,
                value: y,
            };
        }
        self.binary_rest(op, rhs)
    }
}

impl<S: Real> Var<'_, S> {
    /// `op(self, rhs)` where a side is a constant (or the two sides' tapes differ, which
    /// panics). Inlined too: nested modes (a dual number of tape variables) meet constant
    /// operands at most operations.
    #[inline(always)]
    fn binary_rest<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        let (a, b) = (self.value, rhs.value);
        let y = a.binary(op, b);
        match (self.tape, rhs.tape) {
            (None, None) => Var::constant_var(y),
            // x·1 is x, bit for bit (NaN, ±∞ and −0 included): no node. Nested modes meet it
            // at every seed (a dual number of tape variables with tangent 1).
            (Some(_), None) if op.is_product() && is_one(&b) => self,
            (None, Some(_)) if op.is_product() && is_one(&a) => rhs,
            // x + 0 and 0 + x are x where x is not ±0 (the sign of a zero sum aside, exact):
            // a nested backward sweep adds each first contribution to a constant-zero adjoint.
            (Some(_), None) if op.id() == Binary::Add && b.is_zero() && !a.value_is_zero() => self,
            (None, Some(_)) if op.id() == Binary::Add && a.is_zero() && !b.value_is_zero() => rhs,
            (Some(_), None) => {
                let (da, _) = op.partials(&a, &b, &y);
                self.unary_node(y, da, op.is_linear(), Op::ConstRight(op.id(), b))
            }
            (None, Some(_)) => {
                let (_, db) = op.partials(&a, &b, &y);
                rhs.unary_node(y, db, op.is_linear(), Op::ConstLeft(op.id(), a))
            }
            (Some(ta), Some(tb)) => {
                same_tape(ta, tb);
                unreachable!("two variables of one tape take the inlined path")
            }
        }
    }
}

scalar_operators!(['t, S: Real] Var<'t, S>);

// Comparisons look at values, as a function that branches sees them, and are recorded as
// guards so that a replay at inputs that would take another branch is refused.
impl<S: Real> PartialEq for Var<'_, S> {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl<S: Real> PartialOrd for Var<'_, S> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.compare(other.operand(), other.value, other.tape)
    }
}

impl<S: Real> PartialEq<f64> for Var<'_, S> {
    fn eq(&self, other: &f64) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl<S: Real> PartialOrd<f64> for Var<'_, S> {
    fn partial_cmp(&self, other: &f64) -> Option<Ordering> {
        let c = S::constant(*other);
        self.compare(Operand::Const(c), c, None)
    }
}

impl<S: Real> Real for Var<'_, S> {
    fn value(&self) -> f64 {
        self.value.value()
    }
}

/// Whether a constant is exactly 1 (every part of a nested value: 1 + 0ε).
#[inline(always)]
fn is_one<S: Real>(c: &S) -> bool {
    c.value() == 1.0 && (*c - 1.0).is_zero()
}
