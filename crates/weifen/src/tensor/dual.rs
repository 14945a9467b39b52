//! A private dual number `(value, tangent)` over `f64` for the fused path.
//!
//! Why not `forward::Dual`: the tensor module imports only the spine, so that it can be read,
//! tested and changed without the forward-mode module. This type is the smallest one that
//! carries the op table's rules: the value by the op's kernel, the tangent by its rule
//! evaluated on `f64`.

use crate::Scalar;
use crate::ops::{Binary, Unary};

/// `v + d·ε` with `ε² = 0`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Dual {
    pub(super) v: f64,
    pub(super) d: f64,
}

impl Dual {
    #[inline(always)]
    fn add_f64(self, c: f64) -> Dual {
        Dual {
            v: self.v + c,
            d: self.d,
        }
    }
    #[inline(always)]
    fn mul_f64(self, c: f64) -> Dual {
        Dual {
            v: self.v * c,
            d: self.d * c,
        }
    }
    #[inline(always)]
    fn div_f64(self, c: f64) -> Dual {
        Dual {
            v: self.v / c,
            d: self.d / c,
        }
    }
}

impl Scalar for Dual {
    #[inline(always)]
    fn constant(c: f64) -> Dual {
        Dual { v: c, d: 0.0 }
    }
    #[inline(always)]
    fn unary(self, op: Unary) -> Dual {
        let y = op.eval(self.v);
        Dual {
            v: y,
            d: self.d * op.derivative(&self.v, &y),
        }
    }
    #[inline(always)]
    fn binary(self, op: Binary, rhs: Dual) -> Dual {
        let y = op.eval(self.v, rhs.v);
        let (pa, pb) = op.partials(&self.v, &rhs.v, &y);
        Dual {
            v: y,
            d: self.d * pa + rhs.d * pb,
        }
    }
}

scalar_operators!([] Dual);
