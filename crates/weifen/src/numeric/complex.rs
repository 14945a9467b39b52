//! `Scalar` for `Complex64`: the complex-analytic extension of every op, for the complex step.
//!
//! The complex step reads `f′(x)` from the imaginary part of `f(x + ih)` with `h ≈ 1e-20`,
//! so what matters is that each kernel keeps the imaginary part to full relative accuracy
//! when it is tiny. Textbook formulas do not always: `asin z = −i·ln(iz + √(1−z²))` puts it
//! in `ln|…|` of a number within `1e-20` of 1, which rounds it away. Such ops are written here
//! with formulas that keep it (`atan` through `ln_1p`, `asin` through `atan`); the others use
//! num-complex's, which do.
//!
//! Non-analytic ops have no complex extension. `abs`, `sign`, `min` and `max` follow the real
//! part (`|z| → sign(Re z)·z`, `min` picks the argument with the smaller real part, half of
//! each on a tie), which gives the right derivative away from the kink and the op table's
//! convention at it, and they record their use so that
//! [`complex_step::derivative`](super::complex_step::derivative) can report
//! [`Status::NonAnalytic`](super::Status::NonAnalytic). `erf` has no complex version in
//! num-complex: it is summed as its Taylor series about `Re z`, accurate for `|Im z| ≲ 1`,
//! which covers the complex step.

use crate::Scalar;
use crate::ops::{Binary, Unary};
use num_complex::Complex64;
use std::cell::Cell;
use std::f64::consts::{FRAC_2_SQRT_PI, FRAC_PI_2, LN_2, LN_10, PI};

thread_local! {
    /// The first non-analytic op applied to a `Complex64` on this thread since the last
    /// [`take_non_analytic`].
    static NON_ANALYTIC: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Returns and clears the first non-analytic op met on this thread.
pub(crate) fn take_non_analytic() -> Option<&'static str> {
    NON_ANALYTIC.with(|c| c.take())
}

fn mark(name: &'static str) {
    NON_ANALYTIC.with(|c| {
        if c.get().is_none() {
            c.set(Some(name));
        }
    });
}

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

impl Scalar for Complex64 {
    #[inline]
    fn constant(x: f64) -> Self {
        c(x, 0.0)
    }

    fn unary(self, op: Unary) -> Self {
        use Unary::*;
        let z = self;
        match op {
            Neg => -z,
            Recip => c(1.0, 0.0) / z,
            Sqrt => z.sqrt(),
            // The real ∛ is odd; the principal complex one is not (∛−8 = 1 + i√3).
            Cbrt if z.re < 0.0 => -(-z).cbrt(),
            Cbrt => z.cbrt(),
            Exp => z.exp(),
            Exp2 => (z * LN_2).exp(),
            // e^a·e^{ib} − 1, with the real part as expm1(a)·cos b − 2sin²(b/2): no cancellation.
            ExpM1 => {
                let s = (z.im / 2.0).sin();
                c(
                    z.re.exp_m1() * z.im.cos() - 2.0 * s * s,
                    z.re.exp() * z.im.sin(),
                )
            }
            Ln => z.ln(),
            Log2 => z.ln() / LN_2,
            Log10 => z.ln() / LN_10,
            // ln|1+z| = ½·ln_1p(a(2+a) + b²), arg(1+z) = atan2(b, 1+a).
            Ln1p => c(
                0.5 * (z.re * (2.0 + z.re) + z.im * z.im).ln_1p(),
                z.im.atan2(1.0 + z.re),
            ),
            Sin => z.sin(),
            Cos => z.cos(),
            Tan => z.tan(),
            Asin => asin(z),
            Acos => FRAC_PI_2 - asin(z),
            Atan => atan(z),
            Sinh => z.sinh(),
            Cosh => z.cosh(),
            // cosh 2a overflows past |a| ≈ 355; there tanh = ±1 + 2i·sin 2b·e^{−2|a|}.
            Tanh if z.re.abs() > 20.0 => c(
                z.re.signum(),
                2.0 * (2.0 * z.im).sin() * (-2.0 * z.re.abs()).exp(),
            ),
            Tanh => z.tanh(),
            // Odd symmetry keeps z + √(z²+1) away from cancellation for Re z < 0.
            Asinh if z.re < 0.0 => -(-z + ((-z) * (-z) + 1.0).sqrt()).ln(),
            Asinh => (z + (z * z + 1.0).sqrt()).ln(),
            Acosh => (z + (z - 1.0).sqrt() * (z + 1.0).sqrt()).ln(),
            // atanh z = −i·atan(iz).
            Atanh => {
                let w = atan(c(-z.im, z.re));
                c(w.im, -w.re)
            }
            Abs => {
                mark("abs");
                z * sign(z.re)
            }
            Sign => {
                mark("sign");
                c(sign(z.re), 0.0)
            }
            Erf => erf(z),
            // UFCS: num-complex's `powi` takes `&self`, so `z.powi(n)` would call this trait.
            Powi(n) => Complex64::powi(&z, n),
            Powf(0.0) => c(1.0, 0.0),
            Powf(e) => z.powf(e),
        }
    }

    fn binary(self, op: Binary, rhs: Self) -> Self {
        use Binary::*;
        let (a, b) = (self, rhs);
        match op {
            Add => a + b,
            Sub => a - b,
            Mul => a * b,
            Div => a / b,
            Pow if b == c(0.0, 0.0) => c(1.0, 0.0),
            Pow => a.powc(b),
            Atan2 => atan2(a, b),
            // Scaled by the larger real part so that a² + b² cannot overflow.
            Hypot => {
                let m = a.re.abs().max(b.re.abs());
                if m > 0.0 && m.is_finite() {
                    let (p, q) = (a / m, b / m);
                    (p * p + q * q).sqrt() * m
                } else {
                    (a * a + b * b).sqrt()
                }
            }
            Min => {
                mark("min");
                pick(a, b, a.re < b.re)
            }
            Max => {
                mark("max");
                pick(a, b, a.re > b.re)
            }
        }
    }
}

/// The sign of a real number: −1, 0 or 1 (NaN for NaN).
fn sign(x: f64) -> f64 {
    Unary::Sign.eval(x)
}

/// `a` if `first`, `b` if the real parts order the other way, their mean on a tie (the op
/// table's half-and-half convention), NaN if either is NaN.
fn pick(a: Complex64, b: Complex64, first: bool) -> Complex64 {
    if a.re.is_nan() || b.re.is_nan() {
        c(f64::NAN, f64::NAN)
    } else if a.re == b.re {
        (a + b) * 0.5
    } else if first {
        a
    } else {
        b
    }
}

/// `atan z` with both parts accurate: `Re = ½·atan2(2a, 1 − a² − b²)`,
/// `Im = ¼·ln_1p(4b / (a² + (1 − b)²))`.
fn atan(z: Complex64) -> Complex64 {
    let (a, b) = (z.re, z.im);
    let re = 0.5 * (2.0 * a).atan2((1.0 - b) * (1.0 + b) - a * a);
    let im = 0.25 * (4.0 * b / (a * a + (1.0 - b) * (1.0 - b))).ln_1p();
    c(re, im)
}

/// `asin z = atan(z / √((1 − z)(1 + z)))`.
fn asin(z: Complex64) -> Complex64 {
    atan(z / ((1.0 - z) * (1.0 + z)).sqrt())
}

/// The analytic continuation of `atan2(y, x)` from the real point `(Re x, Re y)`: `atan(y/x)`
/// plus the constant branch offset that the real parts choose.
fn atan2(y: Complex64, x: Complex64) -> Complex64 {
    if x.re.abs() >= y.re.abs() {
        let base = atan(y / x);
        if x.re < 0.0 {
            base + PI.copysign(if y.re >= 0.0 { 1.0 } else { -1.0 })
        } else {
            base
        }
    } else {
        FRAC_PI_2.copysign(y.re) - atan(x / y)
    }
}

/// `erf(a + w) = erf a + (2/√π)·e^{−a²}·Σₖ (−1)ᵏ Hₖ(a)·w^{k+1}/(k+1)!`, with the Hermite
/// polynomials `H₀ = 1, H₁ = 2a, Hₖ₊₁ = 2a·Hₖ − 2k·Hₖ₋₁` (the Taylor series of erf about the
/// real part, since `dᵏ/daᵏ e^{−a²} = (−1)ᵏ Hₖ(a) e^{−a²}`).
fn erf(z: Complex64) -> Complex64 {
    let (a, w) = (z.re, c(0.0, z.im));
    let (mut h_prev, mut h) = (0.0, 1.0);
    let mut power = w; // w^{k+1}/(k+1)!
    let mut sum = c(0.0, 0.0);
    for k in 0..80 {
        let term = power * (if k % 2 == 0 { h } else { -h });
        sum += term;
        if term.norm() <= f64::EPSILON * sum.norm() * 1e-3 && k > 2 {
            break;
        }
        let next = 2.0 * a * h - 2.0 * k as f64 * h_prev;
        (h_prev, h) = (h, next);
        power = power * w / (k + 2) as f64;
    }
    c(libm::erf(a), 0.0) + sum * (FRAC_2_SQRT_PI * (-a * a).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every smooth op's complex step matches its rule from the op table to rounding.
    #[test]
    fn complex_steps_of_every_smooth_op_match_the_rules() {
        let h = 1e-20;
        for op in Unary::ALL {
            let spec = op.spec();
            if spec.domain.kink.is_some() && matches!(op, Unary::Abs | Unary::Sign) {
                continue;
            }
            for x in [0.3, 0.7, -0.4, 1.7, 25.0] {
                if !spec.domain.contains(x) {
                    continue;
                }
                let step = c(x, h).unary(op).im / h;
                let rule = op.derivative(&x, &op.eval(x));
                assert!(
                    (step - rule).abs() <= 1e-14 * rule.abs().max(1e-300),
                    "{op:?} at {x}: {step} vs {rule}"
                );
                let value = c(x, h).unary(op).re;
                assert!(
                    (value - op.eval(x)).abs() <= 1e-14 * op.eval(x).abs(),
                    "{op:?} at {x}"
                );
            }
        }
    }

    #[test]
    fn complex_steps_of_binary_ops_match_their_partials() {
        let h = 1e-20;
        for op in Binary::ALL {
            for (a, b) in [(0.7, 1.3), (1.9, 0.4), (-0.6, 2.2)] {
                let spec = op.spec();
                if !spec.a.contains(a) || !spec.b.contains(b) {
                    continue;
                }
                let y = op.eval(a, b);
                let (da, db) = op.partials(&a, &b, &y);
                let sa = c(a, h).binary(op, c(b, 0.0)).im / h;
                let sb = c(a, 0.0).binary(op, c(b, h)).im / h;
                assert!(
                    (sa - da).abs() <= 1e-14 * da.abs().max(1.0),
                    "{op:?} ∂a at ({a}, {b})"
                );
                assert!(
                    (sb - db).abs() <= 1e-14 * db.abs().max(1.0),
                    "{op:?} ∂b at ({a}, {b})"
                );
            }
        }
        let _ = take_non_analytic();
    }

    #[test]
    fn non_analytic_ops_are_recorded() {
        let _ = take_non_analytic();
        let _ = c(0.5, 1e-20).unary(Unary::Sin);
        assert_eq!(take_non_analytic(), None);
        let y = c(-0.5, 1e-20).unary(Unary::Abs);
        assert_eq!(y.im / 1e-20, -1.0);
        assert_eq!(take_non_analytic(), Some("abs"));
        let _ = c(1.0, 0.0).binary(Binary::Max, c(2.0, 0.0));
        assert_eq!(take_non_analytic(), Some("max"));
    }
}
