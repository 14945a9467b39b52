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
//! [`Lane`] is what the kernels need of lanes; `avx.rs` has the same four lanes in one AVX
//! register and `avx512.rs` eight in one AVX-512 register, which the op table's kernels take
//! at run time when the CPU has them ([`avx2`], [`avx512`]).

use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use wide::f64x4;

/// Four `f64` values processed together.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lanes(pub(super) f64x4);

/// `f64` lanes as a scalar of the op table: four in [`Lanes`] (the build's target, SSE2 on the
/// x86-64 baseline) or, chosen at run time, four in `Avx` (`avx.rs`, one 256-bit register)
/// or eight in `Avx512` (`avx512.rs`, one 512-bit register). All give the same bits for
/// every op: the same instructions' IEEE results, in the same order.
pub(super) trait Lane: Scalar + Copy {
    /// The number of lanes, 4 or 8.
    const N: usize;
    /// Lanes of the same kind four at a time (`Self` when `N` is 4). A kernel on eight lanes
    /// takes its last elements four at a time, so that the same elements go through lanes as
    /// in a kernel on four (`kernel::map_slice`): a lane's result can differ from the `f64`
    /// kernel's in the last place (`exp`), and must not depend on the machine.
    type Four: Lane;
    /// The lanes `a[0..N]`.
    fn load(a: &[f64]) -> Self;
    /// The lanes written to `o[0..N]`.
    fn store(self, o: &mut [f64]);
    /// Whether `|aᵢ| ≤ bound` in every lane (false for NaN).
    fn all_within(self, bound: f64) -> bool;
    /// `2ᵏ` in each lane, `k` held in the low bits of `t` (two's complement; [`exp`]).
    fn pow2(t: Self) -> Self;
}

impl Lane for Lanes {
    const N: usize = 4;
    type Four = Lanes;
    #[inline(always)]
    fn load(a: &[f64]) -> Lanes {
        Lanes::new([a[0], a[1], a[2], a[3]])
    }
    #[inline(always)]
    fn store(self, o: &mut [f64]) {
        o[..4].copy_from_slice(&self.to_array());
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

/// The most lanes of any [`Lane`]: the size of the arrays that lanes go through on their
/// way to and from memory (the helpers below, `kernel::load` and `kernel::store`).
pub(super) const MAX_N: usize = 8;

/// `op` by its `f64` kernel on each lane (a loop over an array: an array's `map` of a
/// closure was left out of line in the AVX2 kernels).
#[inline(always)]
pub(super) fn each_unary<L: Lane, O: UnaryOp>(x: L, op: O) -> L {
    let mut a = [0.0; MAX_N];
    x.store(&mut a);
    for v in &mut a[..L::N] {
        *v = op.eval(*v);
    }
    L::load(&a)
}

/// `op` by its `f64` kernel on each pair of lanes.
#[inline(always)]
pub(super) fn each_binary<L: Lane, O: BinaryOp>(x: L, op: O, y: L) -> L {
    let (mut a, mut b) = ([0.0; MAX_N], [0.0; MAX_N]);
    x.store(&mut a);
    y.store(&mut b);
    for (v, w) in a[..L::N].iter_mut().zip(&b) {
        *v = op.eval(*v, *w);
    }
    L::load(&a)
}

/// Whether every lane is zero (what `f64` answers, for all the lanes at once).
#[inline(always)]
pub(super) fn all_zero<L: Lane>(x: L) -> bool {
    let mut a = [0.0; MAX_N];
    x.store(&mut a);
    a[..L::N].iter().all(|&v| v == 0.0)
}

/// Whether the kernels of the op table's ops run on AVX2 lanes (`avx.rs`): the CPU has
/// them, and FMA, which the `f32` lanes' `exp` takes in those copies (checked once; the
/// standard library caches it).
#[inline(always)]
pub(super) fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether the CPU has AVX-512F (and so AVX2), for the AVX-512 lanes (`avx512.rs`, eight at
/// a time). Checked once; the standard library caches it.
#[inline(always)]
pub(super) fn avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f") && avx2()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The instructions a kernel runs on: its baseline copy, or its copy for AVX2 or for
/// AVX-512 (`simd!`, `simd_copies!`). All give the same bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Isa {
    Baseline,
    Avx2,
    Avx512,
}

/// The widest instructions the CPU has, which every kernel takes at every size (an earlier
/// stop kept AVX2 below 2¹⁴ elements, having measured the seed's `grad` at 10³ slower with
/// `exp` on AVX-512, 11.0 µs against 10.7; on this machine now AVX-512 at every size made it
/// faster, 7.13–7.14 → 6.36–6.62 µs, `exp` on 10³ elements 1.22–1.25 → 0.62–0.63). Found
/// once: the regions and pending values ask for it per block and node.
#[inline]
pub(super) fn isa() -> Isa {
    static ISA: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
    *ISA.get_or_init(|| {
        if avx512() {
            Isa::Avx512
        } else if avx2() {
            Isa::Avx2
        } else {
            Isa::Baseline
        }
    })
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
        self.0.simd_eq(f64x4::splat(0.0)).all()
    }

    /// `self·d`, but `self` in the lanes where it is zero: what `times` does on `f64`, lane
    /// by lane (`times` skips the product only when every lane is zero, `is_zero`). So a lane
    /// of a dual number's tangent gives the bits of the one-element dual number, whatever
    /// the other lanes hold (`0·∞` stays 0, `0·(−1)` stays +0), and the result does not
    /// depend on how elements are grouped into lanes.
    #[inline(always)]
    fn scale_by(self, d: Lanes) -> Lanes {
        let zero = self.0.simd_eq(f64x4::splat(0.0));
        // Without SSE4.1's blend a select is three instructions per half: skipped when no
        // lane is zero (the seed's f and f′ at 10³: 4.35 µs with the select always, 3.6
        // before there was one).
        if zero.none() {
            return Lanes(self.0 * d.0);
        }
        Lanes(zero.bitselect(self.0, self.0 * d.0))
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

/// `eˣ` on lanes in vector instructions, for lanes in `[−708, 708]` (normal results,
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
/// The steps are the same on every kind of lanes ([`Lane`]), so the AVX2 and AVX-512 lanes
/// give the same bits. Which lanes take the `f64` kernel is decided four at a time on every
/// kind, so that on eight lanes a value out of range sends only its own four there.
#[inline(always)]
pub(super) fn exp<L: Lane>(x: L) -> L {
    if x.all_within(708.0) {
        return exp_within(x);
    }
    if L::N == 4 {
        return each_unary(x, crate::ops::Exp);
    }
    let mut a = [0.0; MAX_N];
    x.store(&mut a);
    for q in a[..L::N].chunks_exact_mut(4) {
        let four = L::Four::load(q);
        let y = if four.all_within(708.0) {
            exp_within(four)
        } else {
            each_unary(four, crate::ops::Exp)
        };
        y.store(q);
    }
    L::load(&a)
}

/// [`exp`] for lanes all in `[−708, 708]`.
#[inline(always)]
fn exp_within<L: Lane>(x: L) -> L {
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

    /// Tangents and partials for `times` on lanes of `n`: zero tangents (±0) alone, in
    /// groups and everywhere, against partials that are negative, infinite or NaN.
    pub(in crate::tensor) fn tangent_products(n: usize) -> (Vec<f64>, Vec<f64>) {
        let partials = [
            -1.0,
            f64::INFINITY,
            2.0,
            f64::NAN,
            -3.0,
            f64::NEG_INFINITY,
            0.5,
            -0.0,
        ];
        let mut t = Vec::new();
        for zeros in 0u32..256 {
            // Lane `i` of the group is zero where bit `i` of `zeros` is set.
            t.extend((0..n).map(|i| match zeros >> (i % 8) & 1 {
                1 if i % 3 == 0 => -0.0,
                1 => 0.0,
                _ => 1.5 + i as f64,
            }));
        }
        let d = (0..t.len())
            .map(|i| partials[(i * 5 + i / n) % 8])
            .collect();
        (t, d)
    }

    /// Asserts that `got` (`times` on lanes) has the bits of `times` on each `f64`.
    pub(in crate::tensor) fn assert_same_as_f64_times(t: &[f64], d: &[f64], got: &[f64]) {
        for ((t, d), g) in t.iter().zip(d).zip(got) {
            let want = crate::ops::times(*t, *d);
            assert_eq!(
                g.to_bits(),
                want.to_bits(),
                "{t:e}·{d:e}: {g:e} against {want:e}"
            );
        }
    }

    #[test]
    fn a_tangent_product_skips_the_zero_lanes_as_f64_does() {
        let (t, d) = tangent_products(4);
        for (t, d) in t.chunks_exact(4).zip(d.chunks_exact(4)) {
            let mut got = [0.0; 4];
            crate::ops::times(Lanes::load(t), Lanes::load(d)).store(&mut got);
            assert_same_as_f64_times(t, d, &got);
        }
    }

    /// Asserts that lanes of `n` give the bits of [`Lanes`] for every op of the table (and
    /// the powers the lanes square and cube themselves) over [`sweep`]: `unary(op, a)` and
    /// `binary(op, a, b)` are the ops on the lanes `a[0..n]` (and `b[0..n]`).
    pub(in crate::tensor) fn same_bits_as_the_baseline_lanes(
        n: usize,
        unary: impl Fn(Unary, &[f64]) -> Vec<f64>,
        binary: impl Fn(Binary, &[f64], &[f64]) -> Vec<f64>,
    ) {
        let on_fours = |f: &dyn Fn(&[f64], &[f64]) -> Lanes, a: &[f64], b: &[f64]| {
            let mut o = vec![0.0; n];
            for (k, o) in o.chunks_exact_mut(4).enumerate() {
                f(&a[4 * k..], &b[4 * k..]).store(o);
            }
            o
        };
        let same = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
        let xs = sweep();
        let mut ops = Unary::all();
        ops.extend([Unary::Powi(2), Unary::Powi(3)]);
        for op in ops {
            for a in xs.chunks_exact(n) {
                let got = unary(op, a);
                let want = on_fours(&|a, _| Lanes::load(a).unary(op), a, a);
                assert!(same(&got, &want), "{op:?}({a:?}): {got:?} against {want:?}");
            }
        }
        for op in Binary::all() {
            for (a, b) in xs.chunks_exact(n).zip(xs.chunks_exact(n).rev()).step_by(7) {
                let got = binary(op, a, b);
                let want = on_fours(&|a, b| Lanes::load(a).binary(op, Lanes::load(b)), a, b);
                assert!(same(&got, &want), "{op:?}({a:?}, {b:?})");
            }
        }
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
