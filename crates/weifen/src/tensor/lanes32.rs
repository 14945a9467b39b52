//! Sixteen `f32` lanes computed in `f32`, for the kernels of `f32` tensors that run on
//! lanes (the fused path, the unary ops on lanes, regions and pending values).
//!
//! Why: the other lanes widen an `f32` element to `f64`, so an `f32` tensor's fused kernel
//! runs at `f64`'s width (eight per AVX-512 instruction) and, at 10⁷ elements, is bound by
//! computation rather than memory. These lanes hold sixteen `f32` values, and each op runs on
//! all of them at once, in `f32`, as PyTorch and JAX compute `f32`.
//!
//! What a lane gives (the tests at the bottom):
//! - `+ − × ÷`, `√`, `|x|`, `x²` and their forms with a constant: the bits the op-by-op graph
//!   gives for `f32` (its `f64` kernel, rounded). For two `f32` operands the `f64` result
//!   rounded to `f32` is the correctly rounded `f32` result, so computing in `f32` is
//!   exact-then-rounded too. A constant that `f32` cannot hold (`0.1`) is applied in `f64`,
//!   as the graph does, not rounded first.
//! - `exp`: an `f32` kernel within 1 unit in the last place of the correctly rounded value,
//!   for `|x| ≤ 87`; outside (overflow, subnormal results, NaN), the `f64` kernel on that
//!   lane, rounded.
//! - every other op: its `f64` kernel on each lane, rounded.
//!
//! Every op acts on each lane alone, so a lane's result does not depend on the other lanes
//! or on where an element falls in the array. The type is a plain array, and its ops are
//! loops over it: the compiler turns each loop into one AVX-512 instruction, two AVX2 or
//! four SSE2 ones, in the copy of the kernel compiled for that width (`simd_copies!`), with
//! the same IEEE operations in the same order, so every copy gives the same bits.

use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};

/// The number of lanes.
pub(super) const N: usize = 16;

/// Sixteen `f32` values.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lanes32(pub(super) [f32; N]);

/// The starts and ends of `len` elements in groups of sixteen, the last one shorter (padded
/// by `load`, cut by `store`): the walk of the region kernels on these lanes. The fused and
/// unary kernels walk `chunks_exact` and take the remainder after: in cache, this walk's
/// bounds per group made them 17–25 % slower.
#[inline(always)]
pub(super) fn groups(len: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..len).step_by(N).map(move |i| (i, (i + N).min(len)))
}

impl Lanes32 {
    /// The lanes `a[0..16]`, or `a` followed by zeros when it is shorter (the last elements
    /// of an array: a lane's result does not depend on the others).
    #[inline(always)]
    pub(super) fn load(a: &[f32]) -> Lanes32 {
        let mut l = [0.0; N];
        if a.len() >= N {
            l.copy_from_slice(&a[..N]);
        } else {
            l[..a.len()].copy_from_slice(a);
        }
        Lanes32(l)
    }

    /// The first `o.len()` lanes (at most sixteen) written to `o`.
    #[inline(always)]
    pub(super) fn store(self, o: &mut [f32]) {
        if o.len() >= N {
            o[..N].copy_from_slice(&self.0);
        } else {
            let k = o.len();
            o.copy_from_slice(&self.0[..k]);
        }
    }

    #[inline(always)]
    fn map(self, f: impl Fn(f32) -> f32) -> Lanes32 {
        let mut o = [0.0; N];
        for (o, &a) in o.iter_mut().zip(&self.0) {
            *o = f(a);
        }
        Lanes32(o)
    }

    #[inline(always)]
    fn zip(self, b: Lanes32, f: impl Fn(f32, f32) -> f32) -> Lanes32 {
        let mut o = [0.0; N];
        for ((o, &a), &b) in o.iter_mut().zip(&self.0).zip(&b.0) {
            *o = f(a, b);
        }
        Lanes32(o)
    }

    /// `op` by its `f64` kernel on each lane, rounded.
    #[inline(always)]
    fn each_unary<O: UnaryOp>(self, op: O) -> Lanes32 {
        self.map(|a| op.eval(f64::from(a)) as f32)
    }

    /// `op(a, c)` with a constant `c`: in `f32` when `f32` holds `c` exactly (the bits of
    /// `f64` rounded, see the module note), else in `f64`, rounded.
    #[inline(always)]
    fn with_const(
        self,
        c: f64,
        narrow: impl Fn(f32, f32) -> f32,
        wide: impl Fn(f64, f64) -> f64,
    ) -> Lanes32 {
        let c32 = c as f32;
        if f64::from(c32) == c || c.is_nan() {
            self.map(|a| narrow(a, c32))
        } else {
            self.map(|a| wide(f64::from(a), c) as f32)
        }
    }
}

impl Scalar for Lanes32 {
    #[inline(always)]
    fn constant(c: f64) -> Lanes32 {
        Lanes32([c as f32; N])
    }

    #[inline(always)]
    fn unary<O: UnaryOp>(self, op: O) -> Lanes32 {
        match op.id() {
            Unary::Neg => self.map(|a| -a),
            Unary::AddConst(c) => self.with_const(c, |a, c| a + c, |a, c| a + c),
            Unary::MulConst(c) => self.with_const(c, |a, c| a * c, |a, c| a * c),
            Unary::DivConst(c) => self.with_const(c, |a, c| a / c, |a, c| a / c),
            Unary::ConstSub(c) => self.with_const(c, |a, c| c - a, |a, c| c - a),
            Unary::ConstDiv(c) => self.with_const(c, |a, c| c / a, |a, c| c / a),
            Unary::Recip => self.map(|a| 1.0 / a),
            Unary::Sqrt => self.map(f32::sqrt),
            Unary::Abs => self.map(f32::abs),
            Unary::Powi(2) => self.map(|a| a * a),
            Unary::Exp => exp(self),
            _ => self.each_unary(op),
        }
    }

    #[inline(always)]
    fn binary<O: BinaryOp>(self, op: O, rhs: Lanes32) -> Lanes32 {
        match op.id() {
            Binary::Add => self.zip(rhs, |a, b| a + b),
            Binary::Sub => self.zip(rhs, |a, b| a - b),
            Binary::Mul => self.zip(rhs, |a, b| a * b),
            Binary::Div => self.zip(rhs, |a, b| a / b),
            _ => self.zip(rhs, |a, b| op.eval(f64::from(a), f64::from(b)) as f32),
        }
    }

    #[inline(always)]
    fn is_zero(&self) -> bool {
        !any(*self, |a| a != 0.0)
    }

    /// `self·d`, but `self` in the lanes where it is zero: `times` on `f32`, lane by lane.
    #[inline(always)]
    fn scale_by(self, d: Lanes32) -> Lanes32 {
        self.zip(d, |t, d| if t == 0.0 { t } else { t * d })
    }
}

scalar_operators!([] Lanes32);

/// Whether `p` holds for any lane: every lane tested, no early exit, so that the test is a
/// vector compare (an early exit would test lane by lane).
#[inline(always)]
fn any(x: Lanes32, p: impl Fn(f32) -> bool) -> bool {
    let mut any = false;
    for &a in &x.0 {
        any |= p(a);
    }
    any
}

/// `1.5·2²³`: added to a value below 2²² in magnitude, it rounds it to an integer, held in
/// the low bits.
const SHIFT: f32 = 12_582_912.0;
/// ln 2 = LN2_HI + LN2_LO: LN2_HI is ln 2 to 9 significant bits (so `k·LN2_HI` is exact for
/// `|k| ≤ 2⁸`), LN2_LO the rest rounded to `f32`.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// `1/n!` for `n = 2, …, 7`: the Taylor coefficients of `eʳ − 1 − r` (the remainder is
/// below 6·10⁻⁹ on `|r| ≤ 0.35`, a tenth of `f32`'s half unit in the last place).
const EXP_TAYLOR: [f32; 6] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
];
/// The largest `|x|` whose `eˣ` the `f32` kernel computes: `2ᵏ` stays normal.
const EXP_MAX: f32 = 87.0;

/// Whether the `f32` kernel of `exp` leaves `x` to the `f64` kernel (`|x| > 87` or NaN).
#[inline(always)]
fn outside(x: f32) -> bool {
    x.is_nan() || x.abs() > EXP_MAX
}

/// `eˣ` on each lane: `x = k·ln 2 + r`, `eʳ` by its Taylor polynomial, `2ᵏ` built in the
/// exponent bits, all in `f32`; lanes outside `[−87, 87]` (or NaN) take the `f64` kernel.
/// The reduction and the polynomial take fused multiply-adds, which round once on every
/// copy (an instruction on AVX2 with FMA and on AVX-512, the correctly rounded software one
/// on the baseline), so the bits are the same everywhere: 18 % less time for the seed's
/// `f32` f′ in cache than separate products and sums.
#[inline(always)]
fn exp(x: Lanes32) -> Lanes32 {
    // A lane out of range computes a meaningless value here, replaced below.
    let y = x.map(|x| {
        let t = x.mul_add(std::f32::consts::LOG2_E, SHIFT);
        let k = t - SHIFT;
        let r = (-k).mul_add(LN2_LO, (-k).mul_add(LN2_HI, x));
        let c = EXP_TAYLOR;
        let r2 = r * r;
        let r4 = r2 * r2;
        let b0 = r2.mul_add(c[3].mul_add(r, c[2]), c[1].mul_add(r, c[0]));
        let b1 = c[5].mul_add(r, c[4]);
        let p = r2 * r4.mul_add(b1, b0);
        let scale = f32::from_bits(t.to_bits().wrapping_add(127) << 23);
        (1.0 + (r + p)) * scale
    });
    if any(x, outside) {
        let wide = exp_f64(x);
        let mut o = [0.0; N];
        for (((o, &a), &y), &w) in o.iter_mut().zip(&x.0).zip(&y.0).zip(&wide.0) {
            *o = if outside(a) { w } else { y };
        }
        return Lanes32(o);
    }
    y
}

/// `eˣ` by the `f64` kernel on each lane, rounded: for the lanes outside the `f32` kernel's
/// range. Out of line: kept in the kernel, the compiler took the lanes apart on every call,
/// before the test that rarely sends them here (a third of `exp`'s time).
#[cold]
#[inline(never)]
fn exp_f64(x: Lanes32) -> Lanes32 {
    x.each_unary(crate::ops::Exp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::times;

    /// The distance between `a` and `b` in units in the last place of `f32`: 0 when both are
    /// NaN or equal (±0 are equal), `u32::MAX` when only one is NaN or infinite.
    fn ulps(a: f32, b: f32) -> u32 {
        if (a.is_nan() && b.is_nan()) || a == b {
            return 0;
        }
        if !(a.is_finite() && b.is_finite()) {
            return u32::MAX;
        }
        let key = |x: f32| {
            let i = x.to_bits() as i32;
            if i < 0 { i32::MIN - i } else { i }
        };
        key(a).abs_diff(key(b))
    }

    /// The baseline lanes' sweep as `f32` (edges, every order of magnitude, random bits),
    /// a dense sweep of [−100, 100], and the `f32` edges.
    fn sweep() -> Vec<f32> {
        let mut v: Vec<f32> = super::super::lanes::tests::sweep()
            .into_iter()
            .map(|x| x as f32)
            .collect();
        v.extend((0..=200_000).map(|i| -100.0 + i as f32 * 0.001));
        v.extend([
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            1e-45,
            -1e-45,
            f32::EPSILON,
        ]);
        v
    }

    /// `f` on lanes, sixteen elements of `x` at a time (the last group padded), as the
    /// fused kernels call it.
    fn on_lanes(x: &[f32], f: impl Fn(Lanes32) -> Lanes32) -> Vec<f32> {
        let mut o = vec![0.0; x.len()];
        for (x, o) in x.chunks(N).zip(o.chunks_mut(N)) {
            f(Lanes32::load(x)).store(o);
        }
        o
    }

    /// What the op-by-op graph gives for an `f32` element: the `f64` kernel, rounded.
    fn graph(op: Unary, x: f32) -> f32 {
        op.eval(f64::from(x)) as f32
    }

    #[test]
    fn every_op_but_exp_gives_the_bits_of_the_f64_kernel_rounded() {
        let xs = sweep();
        let mut ops = Unary::all();
        // Constants that f32 holds and ones it does not (applied in f64, as the graph does).
        for c in [2.5, -2.0, 0.1, 1.0 / 3.0, 1e40] {
            ops.extend([
                Unary::AddConst(c),
                Unary::MulConst(c),
                Unary::DivConst(c),
                Unary::ConstSub(c),
                Unary::ConstDiv(c),
            ]);
        }
        ops.extend([Unary::Powi(2), Unary::Powi(3), Unary::Powi(-2)]);
        for op in ops.into_iter().filter(|op| *op != Unary::Exp) {
            let got = on_lanes(&xs, |l| l.unary(op));
            for (x, g) in xs.iter().zip(got) {
                let want = graph(op, *x);
                let same = g.to_bits() == want.to_bits() || (g.is_nan() && want.is_nan());
                assert!(same, "{op:?}({x:e}): {g:e} against {want:e}");
            }
        }
        let rev: Vec<f32> = xs.iter().rev().copied().collect();
        for op in Binary::all() {
            for (a, b) in xs.chunks(N).zip(rev.chunks(N)) {
                let y = Lanes32::load(a).binary(op, Lanes32::load(b)).0;
                for ((a, b), g) in a.iter().zip(b).zip(y) {
                    let want = op.eval(f64::from(*a), f64::from(*b)) as f32;
                    let same = g.to_bits() == want.to_bits() || (g.is_nan() && want.is_nan());
                    assert!(same, "{op:?}({a:e}, {b:e}): {g:e} against {want:e}");
                }
            }
        }
    }

    #[test]
    fn exp_is_within_one_ulp_and_takes_the_f64_kernel_out_of_range() {
        let mut xs = sweep();
        // Every 97th f32 in [−87, 87], and the range's ends.
        let (lo, hi) = ((-EXP_MAX).to_bits(), EXP_MAX.to_bits());
        xs.extend((0..hi).step_by(97).map(f32::from_bits));
        xs.extend((1u32 << 31..lo).step_by(97).map(f32::from_bits));
        xs.extend([
            87.0, -87.0, 87.000_01, -87.000_01, 88.72, 88.73, -103.97, -104.0,
        ]);
        let got = on_lanes(&xs, |l| l.exp());
        let mut exact = 0;
        for (x, g) in xs.iter().zip(&got) {
            // `f64::exp` rounded to `f32`: the correctly rounded value but for values within
            // 2⁻²⁹ ulp of a halfway point (none met here would change the bound).
            let want = graph(Unary::Exp, *x);
            if x.abs() <= EXP_MAX {
                let d = ulps(*g, want);
                assert!(d <= 1, "exp({x:e}) = {g:e}, {d} ulp from {want:e}");
                exact += usize::from(d == 0);
            } else {
                let same = g.to_bits() == want.to_bits() || (g.is_nan() && want.is_nan());
                assert!(same, "exp({x:e}) = {g:e} against {want:e}");
            }
        }
        // Most results are the correctly rounded ones.
        assert!(exact * 10 > xs.len() * 9, "{exact} of {}", xs.len());
    }

    #[test]
    fn a_lane_does_not_depend_on_the_others() {
        // Each value in every lane position, next to values in and out of exp's range.
        let xs = [
            0.5f32,
            90.0,
            -1.0,
            f32::NAN,
            0.0,
            -0.0,
            1e-40,
            f32::INFINITY,
        ];
        for op in [Unary::Exp, Unary::Sin, Unary::MulConst(0.1)] {
            for (i, &x) in xs.iter().enumerate() {
                for fill in xs {
                    for lane in 0..N {
                        let mut a = [fill; N];
                        a[lane] = x;
                        let y = Lanes32(a).unary(op).0[lane];
                        let alone = Lanes32([x; N]).unary(op).0[0];
                        assert!(
                            y.to_bits() == alone.to_bits() || (y.is_nan() && alone.is_nan()),
                            "{op:?} of value {i} in lane {lane} among {fill}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_tangent_product_skips_the_zero_lanes_as_f32_does() {
        let (t, d) = super::super::lanes::tests::tangent_products(N);
        let (t, d): (Vec<f32>, Vec<f32>) = (
            t.iter().map(|&v| v as f32).collect(),
            d.iter().map(|&v| v as f32).collect(),
        );
        for (t, d) in t.chunks_exact(N).zip(d.chunks_exact(N)) {
            let y = times(Lanes32::load(t), Lanes32::load(d)).0;
            for ((t, d), y) in t.iter().zip(d).zip(y) {
                let want = if *t == 0.0 { *t } else { t * d };
                let same = y.to_bits() == want.to_bits() || (y.is_nan() && want.is_nan());
                assert!(same, "{t:e}·{d:e}: {y:e} against {want:e}");
            }
        }
    }
}
