//! A private SIMD scalar: four `f64` lanes (`wide::f64x4`) that implement [`Scalar`], so the
//! op table's kernels and rules run on four elements at once.
//!
//! Each op's value is the vector instruction or `wide` function where that is exact (`+ − × ÷`,
//! `√`, `|x|`, negation, the constant-operand ops, small integer powers) or measured to agree
//! with the op table's `f64` kernel within 2 units in the last place and on every
//! special value (`ln_1p`: see the tests at the bottom); every other op runs its own `f64`
//! kernel on each lane, so every op works and none changes its rounding silently. `exp` has
//! a vector kernel of its own ([`exp`]), within 1 unit in the last place of `f64::exp`: on
//! the x86-64 baseline (SSE2) both `f64::exp` on each lane and `wide`'s `exp` were slower
//! (the seed function and its derivative on 10⁶ elements, fused, one thread: 4.1–4.3 ms
//! against 5.5 and 7–9). The op is a type, so `op.id()` is a constant and the `match` below
//! folds away per op.
//!
//! Derivatives are not written here: a dual number over `Lanes` evaluates the table's rules
//! on lanes like on any other scalar.
//!
//! [`Lane`] is what the kernels need of four lanes; `avx.rs` has the same lanes in one AVX
//! register, which the op table's kernels take at run time when the CPU has AVX2 ([`avx2`]).

use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use wide::f64x4;

/// Four `f64` values processed together.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lanes(pub(super) f64x4);

/// Four `f64` lanes as a scalar of the op table: [`Lanes`] (the build's target, SSE2 on the
/// x86-64 baseline) or, chosen at run time, `Avx` (`avx.rs`, one 256-bit register). Both give
/// the same bits for every op: the same instructions' IEEE results, in the same order.
pub(super) trait Lane: Scalar + Copy {
    /// The lanes `[a₀, a₁, a₂, a₃]`.
    fn new(a: [f64; 4]) -> Self;
    /// The lanes as an array.
    fn to_array(self) -> [f64; 4];
    /// Whether `|aᵢ| ≤ bound` in every lane (false for NaN).
    fn all_within(self, bound: f64) -> bool;
    /// `2ᵏ` in each lane, `k` held in the low bits of `t` (two's complement; [`exp`]).
    fn pow2(t: Self) -> Self;
}

impl Lane for Lanes {
    #[inline(always)]
    fn new(a: [f64; 4]) -> Lanes {
        Lanes::new(a)
    }
    #[inline(always)]
    fn to_array(self) -> [f64; 4] {
        Lanes::to_array(self)
    }
    #[inline(always)]
    fn all_within(self, bound: f64) -> bool {
        self.0.abs().simd_le(f64x4::splat(bound)).all()
    }
    #[inline(always)]
    fn pow2(t: Lanes) -> Lanes {
        use wide::u64x4;
        let bits: u64x4 = wide::bytemuck::cast(t.0);
        Lanes(wide::bytemuck::cast((bits + u64x4::splat(1023)) << 52))
    }
}

/// `op` by its `f64` kernel on each lane (written out: an array's `map` of a closure was
/// left out of line in the AVX2 kernels).
#[inline(always)]
pub(super) fn each_unary<L: Lane, O: UnaryOp>(x: L, op: O) -> L {
    let [a, b, c, d] = x.to_array();
    L::new([op.eval(a), op.eval(b), op.eval(c), op.eval(d)])
}

/// `op` by its `f64` kernel on each pair of lanes.
#[inline(always)]
pub(super) fn each_binary<L: Lane, O: BinaryOp>(x: L, op: O, y: L) -> L {
    let ([a, b, c, d], [p, q, r, s]) = (x.to_array(), y.to_array());
    L::new([op.eval(a, p), op.eval(b, q), op.eval(c, r), op.eval(d, s)])
}

/// Whether every lane is zero (what `f64` answers, for all four lanes at once).
#[inline(always)]
pub(super) fn all_zero<L: Lane>(x: L) -> bool {
    x.to_array().iter().all(|&v| v == 0.0)
}

/// Whether the kernels of the op table's ops run on AVX2 lanes (`avx.rs`): the CPU has
/// them (checked once; the standard library caches it).
#[inline(always)]
pub(super) fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl Lanes {
    /// The lanes `[a₀, a₁, a₂, a₃]`.
    #[inline(always)]
    pub(super) fn new(a: [f64; 4]) -> Lanes {
        Lanes(f64x4::new(a))
    }

    /// The lanes as an array.
    #[inline(always)]
    pub(super) fn to_array(self) -> [f64; 4] {
        self.0.to_array()
    }

    /// Whether the tensor kernels run `op` on lanes rather than as a plain loop over its
    /// `f64` kernel, by measurement (10⁶ elements, one thread, SSE2): not the ops that are
    /// arithmetic on lanes, whose plain loop LLVM vectorises itself (0.6–0.8 against
    /// 0.8–0.9 ms); every other op, whether a vector kernel (`exp`, `ln_1p`) or its `f64`
    /// kernel on each lane (four calls, then one store: `ln` 3.6 against 4.0 ms, `sin` and
    /// `tanh` even). A constant for each op type.
    #[inline(always)]
    pub(super) fn vector<O: UnaryOp>(op: O) -> bool {
        !matches!(
            op.id(),
            Unary::Neg
                | Unary::AddConst(_)
                | Unary::MulConst(_)
                | Unary::DivConst(_)
                | Unary::ConstSub(_)
                | Unary::ConstDiv(_)
                | Unary::Recip
                | Unary::Sqrt
                | Unary::Abs
                | Unary::Powi(_)
        )
    }
}

impl Scalar for Lanes {
    #[inline(always)]
    fn constant(c: f64) -> Lanes {
        Lanes(f64x4::splat(c))
    }

    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Lanes {
        let x = self.0;
        let splat = f64x4::splat;
        Lanes(match op.id() {
            Unary::Neg => -x,
            Unary::AddConst(c) => x + splat(c),
            Unary::MulConst(c) => x * splat(c),
            Unary::DivConst(c) => x / splat(c),
            Unary::ConstSub(c) => splat(c) - x,
            Unary::ConstDiv(c) => splat(c) / x,
            Unary::Recip => splat(1.0) / x,
            Unary::Sqrt => x.sqrt(),
            Unary::Abs => x.abs(),
            Unary::Ln1p => x.ln_1p(),
            Unary::Exp => return exp(self),
            // The kernel's own sequence of products (`x·x·x`, left to right).
            Unary::Powi(2) => x * x,
            Unary::Powi(3) => x * x * x,
            _ => return each_unary(self, op),
        })
    }

    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Lanes) -> Lanes {
        let (a, b) = (self.0, rhs.0);
        Lanes(match op.id() {
            Binary::Add => a + b,
            Binary::Sub => a - b,
            Binary::Mul => a * b,
            Binary::Div => a / b,
            _ => return each_binary(self, op, rhs),
        })
    }

    #[inline(always)]
    fn is_zero(&self) -> bool {
        all_zero(*self)
    }
}

scalar_operators!([] Lanes);

/// `1.5·2⁵²`: added to a value below 2⁵¹ in magnitude, it rounds it to an integer, held in
/// the low bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// ln 2 = LN2_HI + LN2_LO to 85 bits: LN2_HI is ln 2 to 32 significant bits and LN2_LO the
/// rest rounded to 53 (from a 200-bit ln 2; `LN_2 − LN2_HI` would keep only 21).
const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);

/// `1/n!` for `n = 2, …, 13`: the Taylor coefficients of `eʳ − 1 − r`.
const EXP_TAYLOR: [f64; 12] = {
    let mut c = [0.0; 12];
    let (mut i, mut f) = (0, 2.0);
    while i < 12 {
        c[i] = 1.0 / f;
        f *= (i + 3) as f64;
        i += 1;
    }
    c
};

/// `eˣ` on four lanes in vector instructions, for lanes in `[−708, 708]` (normal results,
/// within 1 unit in the last place of the `f64` kernel: the tests below); when a lane is
/// outside (overflow, subnormal results) or NaN, the `f64` kernel on each lane.
///
/// `x = k·ln 2 + r` with `k` the nearest integer to `x/ln 2` (rounded by adding `1.5·2⁵²`,
/// whose low bits are then `k`) and `|r| ≤ ln 2 / 2` (`ln 2` in two parts, so that `k·ln2_hi`
/// is exact); `eʳ` is its Taylor polynomial to degree 13 (the remainder is below 10⁻¹⁷),
/// evaluated by Estrin's scheme for short dependency chains; `2ᵏ` is built in the exponent
/// bits. Every step is one instruction on the lanes (on the baseline, SSE2 on two lanes),
/// where `wide`'s `exp` converts to integers the long way and `f64::exp` is one call per
/// element.
///
/// The steps are the same on every kind of lanes ([`Lane`]), so the AVX2 lanes give the
/// same bits.
#[inline(always)]
pub(super) fn exp<L: Lane>(x: L) -> L {
    if !x.all_within(708.0) {
        return each_unary(x, crate::ops::Exp);
    }
    // Each constant made where it is used (an array of them built by a closure was a call
    // out of line per element in the AVX2 kernels).
    let c = L::constant;
    let t = x * c(std::f64::consts::LOG2_E) + c(SHIFT);
    let k = t - c(SHIFT);
    let r = (x - k * c(LN2_HI)) - k * c(LN2_LO);
    let a = |i: usize| c(EXP_TAYLOR[i]);
    let (r2, pair) = (r * r, |i: usize| a(i) + a(i + 1) * r);
    let r4 = r2 * r2;
    let (b0, b1, b2) = (
        pair(0) + r2 * pair(2),
        pair(4) + r2 * pair(6),
        pair(8) + r2 * pair(10),
    );
    let p = r2 * (b0 + r4 * (b1 + r4 * b2));
    let y = c(1.0) + (r + p);
    y * L::pow2(t)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The largest distance, in units in the last place, allowed between a `wide` function
    /// used here and the op table's `f64` kernel over the sweep below.
    const MAX_ULPS: u64 = 2;

    /// The distance between `a` and `b` in units in the last place: 0 when both are NaN or
    /// equal (±0 are equal), `u64::MAX` when only one is NaN or infinite.
    fn ulps(a: f64, b: f64) -> u64 {
        if (a.is_nan() && b.is_nan()) || a == b {
            return 0;
        }
        if !(a.is_finite() && b.is_finite()) {
            return u64::MAX;
        }
        // Maps the floats onto integers in the same order, −0 and +0 both to 0.
        let key = |x: f64| {
            let i = x.to_bits() as i64;
            if i < 0 { i64::MIN - i } else { i }
        };
        key(a).abs_diff(key(b))
    }

    /// Edge values, a logarithmic sweep of both signs from 10⁻³⁰⁸ to 10³⁰⁸ (subnormals
    /// included), a dense sweep of [−800, 800] and random bit patterns.
    pub(in crate::tensor) fn sweep() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1e-310,
            -1e-310,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            709.782712893384,
            709.7827128933841,
            709.79,
            -708.3964185322641,
            -708.4,
            -744.4400719213812,
            -745.1332191019411,
            -745.2,
            1e300,
            -1e300,
        ];
        for k in -3080..=3080 {
            let x = 10f64.powf(f64::from(k) / 10.0);
            v.extend([x, -x]);
        }
        v.extend((0..=160_000).map(|i| -800.0 + f64::from(i) * 0.01));
        let mut s = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..100_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            v.push(f64::from_bits(s));
        }
        v
    }

    /// The largest ulp distance between `fast` on lanes and `exact` per value over the sweep.
    fn worst(fast: impl Fn(f64x4) -> f64x4, exact: impl Fn(f64) -> f64) -> (u64, f64) {
        let xs = sweep();
        let mut w = (0, 0.0);
        for c in xs.chunks(4) {
            let mut a = [0.0; 4];
            a[..c.len()].copy_from_slice(c);
            let y = fast(f64x4::new(a)).to_array();
            for (x, y) in a.iter().zip(y) {
                let d = ulps(y, exact(*x));
                if d > w.0 {
                    w = (d, *x);
                }
            }
        }
        w
    }

    #[test]
    fn the_vector_exp_is_within_one_ulp_of_the_f64_kernel() {
        let w = worst(|x| exp(Lanes(x)).0, f64::exp);
        assert!(w.0 <= 1, "exp: {} ulp at x = {:e}", w.0, w.1);
        // The Taylor coefficients are 1/n!.
        assert_eq!(EXP_TAYLOR[0], 0.5);
        assert_eq!(EXP_TAYLOR[11], 1.0 / 6_227_020_800.0);
    }

    // Measured over this sweep: `ln_1p` 2 ulp, `exp` 1 (not used: slower, see the module
    // doc); rejected: `ln` (wrong on subnormals), `sin_cos` (wrong beyond 10¹⁶), `tanh`
    // (6 ulp near 5·10⁻⁸), `exp2` (1900 ulp in the subnormal range), `powf_simd` (wrong on
    // infinities).
    #[test]
    fn the_wide_function_used_agrees_with_the_f64_kernel_and_its_special_values() {
        let w = worst(f64x4::ln_1p, f64::ln_1p);
        assert!(w.0 <= MAX_ULPS, "ln_1p: {} ulp at x = {:e}", w.0, w.1);
    }

    #[test]
    fn every_unary_op_on_lanes_is_its_kernel_on_each_lane() {
        for op in Unary::all() {
            let w = worst(|x| Lanes(x).unary(op).0, |x| op.eval(x));
            assert!(w.0 <= MAX_ULPS, "{op:?}: {} ulp at x = {:e}", w.0, w.1);
        }
    }

    #[test]
    fn every_binary_op_on_lanes_is_its_kernel_on_each_lane() {
        let xs = sweep();
        for op in Binary::all() {
            for (a, b) in xs.chunks_exact(4).zip(xs.chunks_exact(4).rev()).step_by(7) {
                let (a, b): ([f64; 4], [f64; 4]) = (a.try_into().unwrap(), b.try_into().unwrap());
                let y = Lanes::new(a).binary(op, Lanes::new(b)).to_array();
                for i in 0..4 {
                    let d = ulps(y[i], op.eval(a[i], b[i]));
                    assert_eq!(d, 0, "{op:?}({:e}, {:e})", a[i], b[i]);
                }
            }
        }
    }
}
