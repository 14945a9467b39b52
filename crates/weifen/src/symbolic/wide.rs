//! Evaluation with a wide exponent, for derivatives whose intermediate powers leave the
//! range of `f64`.
//!
//! A canonical product is computed as a numerator over a denominator. At extreme arguments
//! its factors can overflow or underflow although the product itself is representable:
//! `asinh‴(x) = 3x²·h⁻⁵ − h⁻³` with `h = hypot(x, 1)` at `x = 10¹⁰⁰` divides `10²⁰⁰` by an
//! `h⁵` that overflowed, so the first term becomes 0 and the result has the wrong sign.
//! [`Wide`] is `m·2ᵉ` with an `f64` mantissa and an `i64` exponent: products, quotients,
//! integer powers, roots and sums never leave its range, and every other op is evaluated in
//! `f64` at the value (where a result out of range is the true ±∞ or 0). A program's output
//! that is 0, ±∞ or NaN in `f64` is evaluated again on `Wide`
//! ([`Program::eval`](super::Program::eval)), so ordinary points pay nothing.

use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};

/// `m·2ᵉ` with `m` in `[0.5, 1)` in magnitude, or `m` zero, infinite or NaN with `e = 0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Wide {
    m: f64,
    e: i64,
}

impl Wide {
    fn new(x: f64) -> Wide {
        Wide { m: x, e: 0 }.normal()
    }

    /// Brings the mantissa back into `[0.5, 1)`.
    fn normal(self) -> Wide {
        if self.m == 0.0 || !self.m.is_finite() {
            return Wide { m: self.m, e: 0 };
        }
        let (m, k) = libm::frexp(self.m);
        Wide {
            m,
            e: self.e.saturating_add(i64::from(k)),
        }
    }

    /// The nearest `f64`: ±∞ or ±0 where the value is out of range.
    pub(crate) fn to_f64(self) -> f64 {
        let e = self.e.clamp(-4000, 4000) as i32;
        libm::ldexp(self.m, e)
    }

    /// `2^l` for a base-2 logarithm `l` (powers with any exponent go through it).
    fn exp2(l: f64) -> Wide {
        if !l.is_finite() || l.abs() > 1e15 {
            return Wide::new(l.exp2());
        }
        let k = l.floor();
        Wide {
            m: (l - k).exp2(),
            e: k as i64,
        }
        .normal()
    }

    /// `log₂|x|`, for `x ≠ 0` finite.
    fn log2_abs(self) -> f64 {
        self.m.abs().log2() + self.e as f64
    }

    fn powi(self, n: i32) -> Wide {
        if self.m == 0.0 || !self.m.is_finite() {
            return Wide::new(self.m.powi(n));
        }
        // |m| ≥ 0.5, so |m|ⁿ stays in range for the exponents programs use; a huge n goes
        // through logarithms.
        if n.unsigned_abs() <= 512 {
            Wide {
                m: self.m.powi(n),
                e: self.e.saturating_mul(i64::from(n)),
            }
            .normal()
        } else {
            let sign = if self.m < 0.0 && n % 2 != 0 {
                -1.0
            } else {
                1.0
            };
            Wide::exp2(self.log2_abs() * f64::from(n)) * sign
        }
    }

    fn powf(self, c: f64) -> Wide {
        if self.m > 0.0 && self.m.is_finite() {
            Wide::exp2(self.log2_abs() * c)
        } else {
            Wide::new(self.to_f64().powf(c))
        }
    }

    fn sqrt(self) -> Wide {
        if self.m > 0.0 && self.m.is_finite() {
            let odd = self.e.rem_euclid(2);
            Wide {
                m: (self.m * (1 << odd) as f64).sqrt(),
                e: (self.e - odd) / 2,
            }
            .normal()
        } else {
            Wide::new(self.m.sqrt())
        }
    }

    fn cbrt(self) -> Wide {
        if self.m != 0.0 && self.m.is_finite() {
            let r = self.e.rem_euclid(3);
            Wide {
                m: (self.m * (1 << r) as f64).cbrt(),
                e: (self.e - r) / 3,
            }
            .normal()
        } else {
            Wide::new(self.m.cbrt())
        }
    }

    fn mul(self, b: Wide) -> Wide {
        Wide {
            m: self.m * b.m,
            e: self.e.saturating_add(b.e),
        }
        .normal()
    }

    fn div(self, b: Wide) -> Wide {
        Wide {
            m: self.m / b.m,
            e: self.e.saturating_sub(b.e),
        }
        .normal()
    }

    fn add(self, b: Wide) -> Wide {
        let finite = |w: &Wide| w.m != 0.0 && w.m.is_finite();
        if !finite(&self) || !finite(&b) {
            return match (finite(&self), finite(&b)) {
                (true, false) if b.m == 0.0 => self,
                (false, true) if self.m == 0.0 => b,
                _ => Wide::new(self.to_f64() + b.to_f64()),
            };
        }
        let (big, small) = if self.e >= b.e { (self, b) } else { (b, self) };
        let gap = big.e - small.e;
        if gap > 1100 {
            return big;
        }
        Wide {
            m: big.m + libm::ldexp(small.m, -(gap as i32)),
            e: big.e,
        }
        .normal()
    }

    fn hypot(self, b: Wide) -> Wide {
        let finite = |w: &Wide| w.m != 0.0 && w.m.is_finite();
        if !finite(&self) || !finite(&b) {
            return Wide::new(self.to_f64().hypot(b.to_f64()));
        }
        let e = self.e.max(b.e);
        let scaled = |w: Wide| libm::ldexp(w.m, (w.e - e).max(-1100) as i32);
        Wide {
            m: scaled(self).hypot(scaled(b)),
            e,
        }
        .normal()
    }
}

impl Scalar for Wide {
    fn constant(c: f64) -> Self {
        Wide::new(c)
    }

    fn unary<O: UnaryOp>(self, op: O) -> Self {
        let c = Wide::new;
        match op.id() {
            Unary::Neg => Wide {
                m: -self.m,
                e: self.e,
            },
            Unary::AddConst(k) => self.add(c(k)),
            Unary::MulConst(k) => self.mul(c(k)),
            Unary::DivConst(k) => self.div(c(k)),
            Unary::ConstSub(k) => c(k).add(-self),
            Unary::ConstDiv(k) => c(k).div(self),
            Unary::Recip => c(1.0).div(self),
            Unary::Sqrt => self.sqrt(),
            Unary::Cbrt => self.cbrt(),
            Unary::Abs => Wide {
                m: self.m.abs(),
                e: self.e,
            },
            Unary::Powi(n) => self.powi(n),
            Unary::Powf(k) => self.powf(k),
            // Every other op at the value: out of range there is out of range for the op.
            _ => c(op.eval(self.to_f64())),
        }
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        match op.id() {
            Binary::Add => self.add(rhs),
            Binary::Sub => self.add(-rhs),
            Binary::Mul => self.mul(rhs),
            Binary::Div => self.div(rhs),
            Binary::Hypot => self.hypot(rhs),
            _ => Wide::new(op.eval(self.to_f64(), rhs.to_f64())),
        }
    }

    fn is_zero(&self) -> bool {
        self.m == 0.0
    }
}

scalar_operators!([] Wide);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_out_of_range_come_back_into_range() {
        let x = Wide::new(1e200);
        let h5 = Wide::new(1e100).powi(5); // 1e500: beyond f64
        assert!(h5.to_f64().is_infinite());
        let q = (x * 3.0) / h5;
        assert!((q.to_f64() / 3e-300 - 1.0).abs() < 1e-14, "{}", q.to_f64());
    }

    #[test]
    fn sums_roots_and_powers_keep_their_values() {
        let big = Wide::new(1e300) * Wide::new(1e300);
        assert!(((big.sqrt()).to_f64() / 1e300 - 1.0).abs() < 1e-15);
        assert!(((big.cbrt() * big.cbrt() * big.cbrt() / big).to_f64() - 1.0).abs() < 1e-14);
        assert!(((big.powf(0.25)).to_f64() / 1e150 - 1.0).abs() < 1e-13);
        let s = big + big / 1e10 - big;
        assert!(((s / big).to_f64() / 1e-10 - 1.0).abs() < 1e-5);
        assert_eq!((Wide::new(2.0) + Wide::new(0.0)).to_f64(), 2.0);
        assert_eq!(Wide::new(-0.5).powi(3).to_f64(), -0.125);
        assert!(Wide::new(-1.0).sqrt().to_f64().is_nan());
        let h = Wide::new(1e300).hypot(Wide::new(1e300) * 1e10);
        assert!(((h / 1e300).to_f64() / 1e10 - 1.0).abs() < 1e-14);
    }

    #[test]
    fn other_ops_are_evaluated_at_the_value() {
        assert_eq!(Wide::new(0.5).sin().to_f64(), 0.5f64.sin());
        assert_eq!(Wide::new(800.0).exp().to_f64(), f64::INFINITY);
        assert!(Wide::new(-1.0).ln().to_f64().is_nan());
    }
}
