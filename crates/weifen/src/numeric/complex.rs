//! [`Complex`]: the complex-analytic extension of every op, for the complex step.
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
//! convention at it, and the result carries the name of the first such op it went through, so
//! that [`complex_step::derivative`](super::complex_step::derivative) reports
//! [`Status::NonAnalytic`](super::Status::NonAnalytic). The report travels in the value, not in
//! a side channel, so a nested complex step cannot lose it. A user's op without a complex
//! kernel gives a NaN derivative and the same report. `erf` has no complex version in
//! num-complex: it is summed as its Taylor series about `Re z`, accurate for `|Im z| ≲ 1`,
//! which covers the complex step.

use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use num_complex::Complex64;
use std::f64::consts::{FRAC_2_SQRT_PI, FRAC_PI_2, LN_2, LN_10, PI};

/// A complex number for the complex step, with the name of the first non-analytic op it went
/// through (`None` while every op was analytic).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex {
    /// The number.
    pub z: Complex64,
    /// The first non-analytic op applied on the way to it, if any.
    pub non_analytic: Option<&'static str>,
}

impl Complex {
    /// `re + i·im`, reached by analytic ops only.
    pub fn new(re: f64, im: f64) -> Complex {
        Complex {
            z: c(re, im),
            non_analytic: None,
        }
    }

    /// The real part.
    pub fn re(&self) -> f64 {
        self.z.re
    }

    /// The imaginary part.
    pub fn im(&self) -> f64 {
        self.z.im
    }
}

impl Scalar for Complex {
    #[inline]
    fn constant(x: f64) -> Self {
        Complex::new(x, 0.0)
    }

    fn unary<O: UnaryOp>(self, op: O) -> Self {
        let (z, flag) = unary(op.id(), self.z);
        Complex {
            z,
            non_analytic: self.non_analytic.or(flag),
        }
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        let (z, flag) = binary(op.id(), self.z, rhs.z);
        Complex {
            z,
            non_analytic: self.non_analytic.or(rhs.non_analytic).or(flag),
        }
    }

    fn is_zero(&self) -> bool {
        self.z == c(0.0, 0.0)
    }
}

scalar_operators!([] Complex);

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

/// The analytic extension of `op` at `z`, and the op's name if it has none.
fn unary(op: Unary, z: Complex64) -> (Complex64, Option<&'static str>) {
    use Unary::*;
    let analytic = match op {
        Abs => return (z * sign(z.re), Some(op.spec().name)),
        Sign => return (c(sign(z.re), 0.0), Some(op.spec().name)),
        Custom(u) => {
            if let Some(kernel) = u.complex() {
                return (kernel(z), None);
            }
            // A declared op's kernel is a program of table ops: as analytic as they are.
            return match u.eval_generic(&Complex::new(z.re, z.im)) {
                Some(w) => (w.z, w.non_analytic),
                None => (c(u.eval(z.re), f64::NAN), Some(u.spec().name)),
            };
        }
        AddConst(k) => z + k,
        MulConst(k) => z * k,
        DivConst(k) => z / k,
        ConstSub(k) => k - z,
        ConstDiv(k) => k / z,
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
        OneMinusSquare => (1.0 - z) * (1.0 + z),
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
        // cosh overflows past |a| ≈ 710; there sech z = 2e^{∓z}/(1 + e^{∓2z}) ≈ 2e^{∓z}.
        Sech if z.re > 20.0 => 2.0 * (-z).exp(),
        Sech if z.re < -20.0 => 2.0 * z.exp(),
        Sech => 1.0 / z.cosh(),
        // Odd symmetry keeps z + √(z²+1) away from cancellation for Re z < 0.
        Asinh if z.re < 0.0 => -(-z + ((-z) * (-z) + 1.0).sqrt()).ln(),
        Asinh => (z + (z * z + 1.0).sqrt()).ln(),
        Acosh => (z + (z - 1.0).sqrt() * (z + 1.0).sqrt()).ln(),
        // atanh z = −i·atan(iz).
        Atanh => {
            let w = atan(c(-z.im, z.re));
            c(w.im, -w.re)
        }
        Erf => erf(z),
        // UFCS: num-complex's `powi` takes `&self`, so `z.powi(n)` would call this trait.
        Powi(n) => Complex64::powi(&z, n),
        Powf(0.0) => c(1.0, 0.0),
        Powf(e) => z.powf(e),
    };
    (analytic, None)
}

/// The analytic extension of `op` at `(a, b)`, and the op's name if it has none.
fn binary(op: Binary, a: Complex64, b: Complex64) -> (Complex64, Option<&'static str>) {
    use Binary::*;
    let analytic = match op {
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
        Min => return (pick(a, b, a.re < b.re), Some(op.spec().name)),
        Max => return (pick(a, b, a.re > b.re), Some(op.spec().name)),
    };
    (analytic, None)
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
        for op in Unary::all() {
            let spec = op.spec();
            if spec.domain.kink.is_some() && matches!(op, Unary::Abs | Unary::Sign) {
                continue;
            }
            for x in [0.3, 0.7, -0.4, 1.7, 25.0] {
                if !spec.domain.contains(x) {
                    continue;
                }
                let step = Complex::new(x, h).unary(op).im() / h;
                let rule = op.derivative(&x, &op.eval(x));
                assert!(
                    (step - rule).abs() <= 1e-14 * rule.abs().max(1e-300),
                    "{op:?} at {x}: {step} vs {rule}"
                );
                let value = Complex::new(x, h).unary(op).re();
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
        for op in Binary::all() {
            for (a, b) in [(0.7, 1.3), (1.9, 0.4), (-0.6, 2.2)] {
                let spec = op.spec();
                if !spec.a.contains(a) || !spec.b.contains(b) {
                    continue;
                }
                let y = op.eval(a, b);
                let (da, db) = op.partials(&a, &b, &y);
                let sa = Complex::new(a, h).binary(op, Complex::new(b, 0.0)).im() / h;
                let sb = Complex::new(a, 0.0).binary(op, Complex::new(b, h)).im() / h;
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
    }

    #[test]
    fn non_analytic_ops_are_carried_by_the_value() {
        let z = Complex::new(0.5, 1e-20);
        assert_eq!(z.sin().non_analytic, None);
        let y = Complex::new(-0.5, 1e-20).abs();
        assert_eq!(y.im() / 1e-20, -1.0);
        assert_eq!(y.non_analytic, Some("abs"));
        // Carried through later analytic ops, and the first one is kept.
        let m = Complex::new(1.0, 0.0).max(Complex::new(2.0, 0.0));
        assert_eq!((m.exp() * y).non_analytic, Some("max"));
    }
}
