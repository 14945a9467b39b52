//! Four `f64` lanes in one AVX register, for CPUs that have AVX2 (checked at run time, see
//! [`avx2`](super::lanes::avx2)).
//!
//! Why: cargo's default build targets the x86-64 baseline, where `wide`'s `f64x4` is two SSE2
//! halves, and `wide` picks its representation when the crate is compiled, so code compiled
//! with AVX2 enabled at run time would still run SSE2 halves. This type is the same lanes on
//! the 256-bit instructions themselves. Each op does what [`Lanes`](super::lanes::Lanes) does,
//! with the same IEEE operations in the same order (`+ − × ÷ √`, sign bits, the same `exp`
//! polynomial), and the ops that run their `f64` kernel per lane there do here: the two give
//! the same bits (the tests at the bottom), so a result does not depend on the machine.
//! `exp` on 10⁶ elements took 1.55 ns per element against 2.5 on SSE2 halves.
//!
//! Soundness: the intrinsics need AVX2. A value of this type is only made inside functions
//! marked `#[target_feature(enable = "avx2")]`, which the kernels call only after
//! `avx2()` said yes. Everything between them is `#[inline(always)]`, so that the
//! intrinsics are compiled into those functions (an intrinsic left out of line is a call per
//! instruction).

// The intrinsics are `unsafe` to call; see the module's note on soundness.
#![allow(unsafe_code)]

use super::lanes::{EXP_TAYLOR, LN2_HI, LN2_LO, Lane, SHIFT};
use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use std::arch::x86_64::{
    __m256d, _CMP_LE_OQ, _mm256_add_epi64, _mm256_add_pd, _mm256_and_pd, _mm256_castpd_si256,
    _mm256_castsi256_pd, _mm256_cmp_pd, _mm256_div_pd, _mm256_loadu_pd, _mm256_movemask_pd,
    _mm256_mul_pd, _mm256_set1_epi64x, _mm256_set1_pd, _mm256_slli_epi64, _mm256_sqrt_pd,
    _mm256_storeu_pd, _mm256_sub_pd, _mm256_xor_pd,
};

/// Four `f64` values in one AVX register.
#[derive(Clone, Copy, Debug)]
pub(super) struct Avx(__m256d);

#[inline(always)]
fn splat(c: f64) -> __m256d {
    // SAFETY: AVX2 is present (module note).
    unsafe { _mm256_set1_pd(c) }
}

impl Avx {
    /// `f` on each lane.
    #[inline(always)]
    fn each(self, f: impl Fn(f64) -> f64) -> Avx {
        let [a, b, c, d] = self.to_array();
        Avx::new([f(a), f(b), f(c), f(d)])
    }
}

impl Lane for Avx {
    #[inline(always)]
    fn new(a: [f64; 4]) -> Avx {
        // SAFETY: AVX2 is present (module note); the load reads the four values of `a`.
        Avx(unsafe { _mm256_loadu_pd(a.as_ptr()) })
    }

    #[inline(always)]
    fn to_array(self) -> [f64; 4] {
        let mut a = [0.0; 4];
        // SAFETY: AVX2 is present (module note); the store writes the four values of `a`.
        unsafe { _mm256_storeu_pd(a.as_mut_ptr(), self.0) };
        a
    }
}

impl Scalar for Avx {
    #[inline(always)]
    fn constant(c: f64) -> Avx {
        Avx(splat(c))
    }

    /// As `Lanes::unary`, op for op.
    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Avx {
        let x = self.0;
        // SAFETY: AVX2 is present (module note).
        Avx(unsafe {
            match op.id() {
                Unary::Neg => _mm256_xor_pd(x, splat(-0.0)),
                Unary::AddConst(c) => _mm256_add_pd(x, splat(c)),
                Unary::MulConst(c) => _mm256_mul_pd(x, splat(c)),
                Unary::DivConst(c) => _mm256_div_pd(x, splat(c)),
                Unary::ConstSub(c) => _mm256_sub_pd(splat(c), x),
                Unary::ConstDiv(c) => _mm256_div_pd(splat(c), x),
                Unary::Recip => _mm256_div_pd(splat(1.0), x),
                Unary::Sqrt => _mm256_sqrt_pd(x),
                Unary::Abs => _mm256_and_pd(x, splat(f64::from_bits(i64::MAX as u64))),
                // `wide`'s kernel, as on the baseline lanes (SSE2 instructions here too).
                Unary::Ln1p => {
                    let y = wide::f64x4::new(self.to_array()).ln_1p();
                    return Avx::new(y.to_array());
                }
                Unary::Exp => return exp(self),
                Unary::Powi(2) => _mm256_mul_pd(x, x),
                Unary::Powi(3) => _mm256_mul_pd(_mm256_mul_pd(x, x), x),
                _ => return self.each(|v| op.eval(v)),
            }
        })
    }

    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Avx) -> Avx {
        let (a, b) = (self.0, rhs.0);
        // SAFETY: AVX2 is present (module note).
        Avx(unsafe {
            match op.id() {
                Binary::Add => _mm256_add_pd(a, b),
                Binary::Sub => _mm256_sub_pd(a, b),
                Binary::Mul => _mm256_mul_pd(a, b),
                Binary::Div => _mm256_div_pd(a, b),
                _ => {
                    let (p, q) = (self.to_array(), rhs.to_array());
                    return Avx::new(std::array::from_fn(|i| op.eval(p[i], q[i])));
                }
            }
        })
    }

    #[inline(always)]
    fn is_zero(&self) -> bool {
        self.to_array().iter().all(|&v| v == 0.0)
    }
}

scalar_operators!([] Avx);

/// `eˣ` by the steps of the baseline lanes' `exp` (`lanes.rs`), on one register.
#[inline(always)]
fn exp(x: Avx) -> Avx {
    // SAFETY: AVX2 is present (module note).
    unsafe {
        let abs = _mm256_and_pd(x.0, splat(f64::from_bits(i64::MAX as u64)));
        if _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LE_OQ>(abs, splat(708.0))) != 0b1111 {
            return x.each(f64::exp);
        }
        let (add, sub, mul) = (_mm256_add_pd, _mm256_sub_pd, _mm256_mul_pd);
        let x = x.0;
        let t = add(mul(x, splat(std::f64::consts::LOG2_E)), splat(SHIFT));
        let k = sub(t, splat(SHIFT));
        let r = sub(sub(x, mul(k, splat(LN2_HI))), mul(k, splat(LN2_LO)));
        // Each coefficient splatted where used (an array of them built by a closure was a
        // call out of line per element).
        let c = |i: usize| splat(EXP_TAYLOR[i]);
        let r2 = mul(r, r);
        let pair = |i: usize| add(c(i), mul(c(i + 1), r));
        let r4 = mul(r2, r2);
        let b0 = add(pair(0), mul(r2, pair(2)));
        let b1 = add(pair(4), mul(r2, pair(6)));
        let b2 = add(pair(8), mul(r2, pair(10)));
        let p = mul(r2, add(b0, mul(r4, add(b1, mul(r4, b2)))));
        let y = add(splat(1.0), add(r, p));
        let bits = _mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023));
        Avx(mul(y, _mm256_castsi256_pd(_mm256_slli_epi64::<52>(bits))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::lanes::{Lane, Lanes, avx2};
    use super::*;
    use crate::ops::{Binary, Unary};

    /// Special values, a sweep of [−800, 800] and of magnitudes 10⁻³⁰⁸…10³⁰⁸, random bits.
    fn sweep() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            5e-324,
            -1e-310,
            f64::MAX,
            f64::MIN,
            708.0,
            -708.0,
            709.8,
            -745.2,
        ];
        v.extend((0..=16_000).map(|i| -800.0 + f64::from(i) * 0.1));
        for k in -308..=308 {
            let x = 10f64.powi(k) * 1.37;
            v.extend([x, -x]);
        }
        let mut s = 0x2545_F491_4F6C_DD1D_u64;
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            v.push(f64::from_bits(s));
        }
        v
    }

    fn same(a: [f64; 4], b: [f64; 4]) -> bool {
        a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits())
    }

    #[target_feature(enable = "avx2")]
    fn unary_on_avx(op: Unary, a: [f64; 4]) -> [f64; 4] {
        Avx::new(a).unary(op).to_array()
    }

    #[target_feature(enable = "avx2")]
    fn binary_on_avx(op: Binary, a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
        Avx::new(a).binary(op, Avx::new(b)).to_array()
    }

    #[test]
    fn every_op_gives_the_bits_of_the_baseline_lanes() {
        if !avx2() {
            return; // nothing to compare on this CPU: the kernels use the baseline lanes
        }
        let xs = sweep();
        // The table's samples, and the powers the lanes square and cube themselves.
        let mut ops = Unary::all();
        ops.extend([Unary::Powi(2), Unary::Powi(3)]);
        for op in ops {
            for c in xs.chunks_exact(4) {
                let a: [f64; 4] = c.try_into().unwrap();
                // SAFETY: AVX2 checked above.
                let got = unsafe { unary_on_avx(op, a) };
                let want = Lane::to_array(Lanes::new(a).unary(op));
                assert!(same(got, want), "{op:?}({a:?}): {got:?} against {want:?}");
            }
        }
        for op in Binary::all() {
            for (p, q) in xs.chunks_exact(4).zip(xs.chunks_exact(4).rev()).step_by(5) {
                let (a, b): ([f64; 4], [f64; 4]) = (p.try_into().unwrap(), q.try_into().unwrap());
                // SAFETY: AVX2 checked above.
                let got = unsafe { binary_on_avx(op, a, b) };
                let want = Lanes::new(a).binary(op, Lanes::new(b)).to_array();
                assert!(same(got, want), "{op:?}({a:?}, {b:?})");
            }
        }
    }
}
