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
//! marked `#[target_feature(enable = "avx2,fma")]`, which the kernels call only after
//! `avx2()` said yes. Everything between them is `#[inline(always)]`, so that the
//! intrinsics are compiled into those functions (an intrinsic left out of line is a call per
//! instruction).

// The intrinsics are `unsafe` to call; see the module's note on soundness.
#![allow(unsafe_code)]

use super::lanes::{Lane, all_zero, each_binary, each_unary};
use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use std::arch::x86_64::{
    __m256d, _CMP_EQ_OQ, _CMP_LE_OQ, _mm256_add_epi64, _mm256_add_pd, _mm256_and_pd,
    _mm256_blendv_pd, _mm256_castpd_si256, _mm256_castsi256_pd, _mm256_cmp_pd, _mm256_div_pd,
    _mm256_loadu_pd, _mm256_movemask_pd, _mm256_mul_pd, _mm256_set1_epi64x, _mm256_set1_pd,
    _mm256_slli_epi64, _mm256_sqrt_pd, _mm256_storeu_pd, _mm256_sub_pd, _mm256_xor_pd,
};

/// Four `f64` values in one AVX register.
#[derive(Clone, Copy, Debug)]
pub(super) struct Avx(__m256d);

#[inline(always)]
fn splat(c: f64) -> __m256d {
    // SAFETY: AVX2 is present (module note).
    unsafe { _mm256_set1_pd(c) }
}

impl Lane for Avx {
    const N: usize = 4;
    type Four = Avx;

    #[inline(always)]
    fn load(a: &[f64]) -> Avx {
        let a = &a[..4];
        // SAFETY: AVX2 is present (module note); the load reads the four values of `a`.
        Avx(unsafe { _mm256_loadu_pd(a.as_ptr()) })
    }

    #[inline(always)]
    fn store(self, o: &mut [f64]) {
        let o = &mut o[..4];
        // SAFETY: AVX2 is present (module note); the store writes the four values of `o`.
        unsafe { _mm256_storeu_pd(o.as_mut_ptr(), self.0) };
    }

    #[inline(always)]
    fn all_within(self, bound: f64) -> bool {
        // SAFETY: AVX2 is present (module note).
        unsafe {
            let abs = _mm256_and_pd(self.0, splat(f64::from_bits(i64::MAX as u64)));
            _mm256_movemask_pd(_mm256_cmp_pd::<_CMP_LE_OQ>(abs, splat(bound))) == 0b1111
        }
    }

    #[inline(always)]
    fn pow2(t: Avx) -> Avx {
        // SAFETY: AVX2 is present (module note).
        unsafe {
            let bits = _mm256_add_epi64(_mm256_castpd_si256(t.0), _mm256_set1_epi64x(1023));
            Avx(_mm256_castsi256_pd(_mm256_slli_epi64::<52>(bits)))
        }
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
                    let mut a = [0.0; 4];
                    self.store(&mut a);
                    return Avx::load(&wide::f64x4::new(a).ln_1p().to_array());
                }
                Unary::Exp => return super::lanes::exp(self),
                Unary::Powi(2) => _mm256_mul_pd(x, x),
                Unary::Powi(3) => _mm256_mul_pd(_mm256_mul_pd(x, x), x),
                _ => return each_unary(self, op),
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
                _ => return each_binary(self, op, rhs),
            }
        })
    }

    #[inline(always)]
    fn is_zero(&self) -> bool {
        all_zero(*self)
    }

    /// As `Lanes::scale_by`.
    #[inline(always)]
    fn scale_by(self, d: Avx) -> Avx {
        // SAFETY: AVX2 is present (module note).
        unsafe {
            let zero = _mm256_cmp_pd::<_CMP_EQ_OQ>(self.0, splat(0.0));
            Avx(_mm256_blendv_pd(_mm256_mul_pd(self.0, d.0), self.0, zero))
        }
    }
}

scalar_operators!([] Avx);

#[cfg(test)]
mod tests {
    use super::*;

    lane_type_tests!(Avx, 4, "avx2", super::super::lanes::avx2);
}
