//! A private dual number `(value, tangent)` over `f64` for the fused path.
//!
//! Why not `forward::Dual`: the tensor module imports only the spine, so that it can be read,
//! tested and changed without the forward-mode module. This type is the smallest one that
//! carries the op table's rules: the value by the op's kernel, the tangent by its rule
//! evaluated on `f64`.

use crate::Scalar;
use crate::ops::{BinaryOp, UnaryOp};

/// `v + d·ε` with `ε² = 0`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Dual {
    pub(super) v: f64,
    pub(super) d: f64,
}

impl Scalar for Dual {
    #[inline(always)]
    fn constant(c: f64) -> Dual {
        Dual { v: c, d: 0.0 }
    }
    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Dual {
        let y = op.eval(self.v);
        Dual {
            v: y,
            d: op.tangent(&self.v, &y, self.d),
        }
    }
    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Dual) -> Dual {
        let y = op.eval(self.v, rhs.v);
        Dual {
            v: y,
            d: op.tangent(&self.v, &rhs.v, &y, self.d, rhs.d),
        }
    }
}

scalar_operators!([] Dual);
