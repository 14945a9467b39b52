//! Eight `f64` lanes in one AVX-512 register, for CPUs that have AVX-512F (checked at run
//! time, see [`avx512`](super::lanes::avx512)).
//!
//! Why: a kernel that computes (the fused path, `exp`) does twice the work per instruction
//! as on `Avx`'s four lanes. `exp` on 10³ elements in cache took 0.85 ns per element against
//! 1.27 on AVX2 (1.15 against 1.54 on 10⁶, where memory takes its share). Each op does what
//! `Avx` and [`Lanes`](super::lanes::Lanes) do, with the same IEEE operations in the same
//! order, so the three give the same bits (the test at the bottom). Only the instructions
//! of AVX-512F are used (no AVX-512DQ: the sign-bit ops go through the integer `and`/`xor`).
//!
//! Soundness: the intrinsics need AVX-512F. A value of this type is only made inside
//! functions marked `#[target_feature(enable = "avx512f")]`, which the kernels call only
//! after `avx512()` said yes. Everything between them is `#[inline(always)]`, as for `Avx`.

// The intrinsics are `unsafe` to call; see the module's note on soundness.
#![allow(unsafe_code)]

use super::avx::Avx;
use super::lanes::{Lane, all_zero, each_binary, each_unary};
use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use std::arch::x86_64::{
    __m512d, _CMP_EQ_OQ, _CMP_LE_OQ, _mm512_abs_pd, _mm512_add_epi64, _mm512_add_pd,
    _mm512_castpd_si512, _mm512_castsi512_pd, _mm512_cmp_pd_mask, _mm512_div_pd, _mm512_loadu_pd,
    _mm512_mask_blend_pd, _mm512_mul_pd, _mm512_set1_epi64, _mm512_set1_pd, _mm512_slli_epi64,
    _mm512_sqrt_pd, _mm512_storeu_pd, _mm512_sub_pd, _mm512_xor_si512,
};

/// Eight `f64` values in one AVX-512 register.
#[derive(Clone, Copy, Debug)]
pub(super) struct Avx512(__m512d);

#[inline(always)]
fn splat(c: f64) -> __m512d {
    // SAFETY: AVX-512F is present (module note).
    unsafe { _mm512_set1_pd(c) }
}

impl Lane for Avx512 {
    const N: usize = 8;
    type Four = Avx;

    #[inline(always)]
    fn load(a: &[f64]) -> Avx512 {
        let a = &a[..8];
        // SAFETY: AVX-512F is present (module note); the load reads the eight values of `a`.
        Avx512(unsafe { _mm512_loadu_pd(a.as_ptr()) })
    }

    #[inline(always)]
    fn store(self, o: &mut [f64]) {
        let o = &mut o[..8];
        // SAFETY: AVX-512F is present (module note); the store writes the eight values of `o`.
        unsafe { _mm512_storeu_pd(o.as_mut_ptr(), self.0) };
    }

    #[inline(always)]
    fn all_within(self, bound: f64) -> bool {
        // SAFETY: AVX-512F is present (module note).
        unsafe { _mm512_cmp_pd_mask::<_CMP_LE_OQ>(_mm512_abs_pd(self.0), splat(bound)) == 0xFF }
    }

    #[inline(always)]
    fn pow2(t: Avx512) -> Avx512 {
        // SAFETY: AVX-512F is present (module note).
        unsafe {
            let bits = _mm512_add_epi64(_mm512_castpd_si512(t.0), _mm512_set1_epi64(1023));
            Avx512(_mm512_castsi512_pd(_mm512_slli_epi64::<52>(bits)))
        }
    }
}

impl Scalar for Avx512 {
    #[inline(always)]
    fn constant(c: f64) -> Avx512 {
        Avx512(splat(c))
    }

    /// As `Lanes::unary`, op for op.
    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Avx512 {
        let x = self.0;
        // SAFETY: AVX-512F is present (module note).
        Avx512(unsafe {
            match op.id() {
                Unary::Neg => _mm512_castsi512_pd(_mm512_xor_si512(
                    _mm512_castpd_si512(x),
                    _mm512_castpd_si512(splat(-0.0)),
                )),
                Unary::AddConst(c) => _mm512_add_pd(x, splat(c)),
                Unary::MulConst(c) => _mm512_mul_pd(x, splat(c)),
                Unary::DivConst(c) => _mm512_div_pd(x, splat(c)),
                Unary::ConstSub(c) => _mm512_sub_pd(splat(c), x),
                Unary::ConstDiv(c) => _mm512_div_pd(splat(c), x),
                Unary::Recip => _mm512_div_pd(splat(1.0), x),
                Unary::Sqrt => _mm512_sqrt_pd(x),
                Unary::Abs => _mm512_abs_pd(x),
                // `wide`'s kernel on each half, as on the baseline lanes.
                Unary::Ln1p => {
                    let mut a = [0.0; 8];
                    self.store(&mut a);
                    for h in a.chunks_exact_mut(4) {
                        let y = wide::f64x4::new([h[0], h[1], h[2], h[3]]).ln_1p();
                        h.copy_from_slice(&y.to_array());
                    }
                    return Avx512::load(&a);
                }
                Unary::Exp => return super::lanes::exp(self),
                Unary::Powi(2) => _mm512_mul_pd(x, x),
                Unary::Powi(3) => _mm512_mul_pd(_mm512_mul_pd(x, x), x),
                _ => return each_unary(self, op),
            }
        })
    }

    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Avx512) -> Avx512 {
        let (a, b) = (self.0, rhs.0);
        // SAFETY: AVX-512F is present (module note).
        Avx512(unsafe {
            match op.id() {
                Binary::Add => _mm512_add_pd(a, b),
                Binary::Sub => _mm512_sub_pd(a, b),
                Binary::Mul => _mm512_mul_pd(a, b),
                Binary::Div => _mm512_div_pd(a, b),
                _ => return each_binary(self, op, rhs),
            }
        })
    }

    #[inline(always)]
    fn is_zero(&self) -> bool {
        all_zero(*self)
    }

    /// `self·d`, but `self` in the lanes where it is zero, as `times` on `f64` (see
    /// `Lanes::scale_by`).
    #[inline(always)]
    fn scale_by(self, d: Avx512) -> Avx512 {
        // SAFETY: AVX-512F is present (module note).
        unsafe {
            let zero = _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(self.0, splat(0.0));
            Avx512(_mm512_mask_blend_pd(
                zero,
                _mm512_mul_pd(self.0, d.0),
                self.0,
            ))
        }
    }
}

scalar_operators!([] Avx512);

#[cfg(test)]
mod tests {
    use super::*;

    lane_type_tests!(Avx512, 8, "avx512f", super::super::lanes::avx512);
}
