//! A private dual number `(value, tangent)` over any scalar, for the fused path.
//!
//! Why not `forward::Dual`: the tensor module imports only the spine, so that it can be read,
//! tested and changed without the forward-mode module. This type is the smallest one that
//! carries the op table's rules: the value by the op on the inner scalar (`f64`, four SIMD
//! lanes, or another dual for higher orders), the tangent by the op's tangent map evaluated
//! on the inner scalar. As in the crate's other dual numbers, products of tangent parts skip
//! a constant-zero factor ([`ops::times`](crate::ops::times)), so nested duals turn no
//! overflowing derivative into NaN.

use crate::Scalar;
use crate::ops::{BinaryOp, UnaryOp, times};

/// `v + d·ε` with `ε² = 0`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Dual<S> {
    pub(super) v: S,
    pub(super) d: S,
}

impl<S: Scalar> Dual<S> {
    /// The input `x + ε` of a derivative.
    #[inline(always)]
    pub(super) fn variable(x: S) -> Dual<S> {
        Dual {
            v: x,
            d: S::constant(1.0),
        }
    }
}

impl<S: Scalar> Scalar for Dual<S> {
    #[inline(always)]
    fn constant(c: f64) -> Dual<S> {
        Dual {
            v: S::constant(c),
            d: S::constant(0.0),
        }
    }
    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Dual<S> {
        let y = self.v.clone().unary(op);
        Dual {
            d: op.tangent(&self.v, &y, self.d),
            v: y,
        }
    }
    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Dual<S>) -> Dual<S> {
        let y = self.v.clone().binary(op, rhs.v.clone());
        Dual {
            d: op.tangent(&self.v, &rhs.v, &y, self.d, rhs.d),
            v: y,
        }
    }
    #[inline(always)]
    fn scale_by(self, d: Self) -> Self {
        Dual {
            v: times(self.v.clone(), d.v.clone()),
            d: times(self.d, d.v) + times(self.v, d.d),
        }
    }
    #[inline]
    fn is_zero(&self) -> bool {
        self.v.is_zero() && self.d.is_zero()
    }
    #[inline]
    fn value_is_zero(&self) -> bool {
        self.v.value_is_zero()
    }
}

scalar_operators!([S: Scalar] Dual<S>);
