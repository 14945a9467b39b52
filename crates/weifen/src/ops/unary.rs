//! Unary ops: name and domain, `f64` kernel, derivative rule. The three `match`es list the
//! ops in the same order; each is exhaustive, so an op missing a facet does not compile.

use super::Domain;
use crate::Scalar;
use std::f64::consts::{FRAC_2_SQRT_PI, LN_2, LN_10};

/// A unary elementary operation.
///
/// `Powi` and `Powf` carry their constant exponent; a variable exponent is
/// [`Binary::Pow`](super::Binary::Pow).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Unary {
    /// `-x`
    Neg,
    /// `1/x`
    Recip,
    /// `√x`
    Sqrt,
    /// `∛x`, defined for negative x too.
    Cbrt,
    /// `eˣ`
    Exp,
    /// `2ˣ`
    Exp2,
    /// `eˣ − 1`, accurate near 0.
    ExpM1,
    /// Natural logarithm.
    Ln,
    /// Base-2 logarithm.
    Log2,
    /// Base-10 logarithm.
    Log10,
    /// `ln(1 + x)`, accurate near 0.
    Ln1p,
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
    /// Tangent.
    Tan,
    /// Arcsine.
    Asin,
    /// Arccosine.
    Acos,
    /// Arctangent.
    Atan,
    /// Hyperbolic sine.
    Sinh,
    /// Hyperbolic cosine.
    Cosh,
    /// Hyperbolic tangent.
    Tanh,
    /// Inverse hyperbolic sine.
    Asinh,
    /// Inverse hyperbolic cosine.
    Acosh,
    /// Inverse hyperbolic tangent.
    Atanh,
    /// Absolute value; `|x|′(0) = 0` by convention.
    Abs,
    /// Sign: −1, 0 or 1 (NaN for NaN). Its derivative is 0 everywhere, the convention at 0.
    Sign,
    /// The error function.
    Erf,
    /// `xⁿ` for a constant integer n, by repeated multiplication (exact at x = 0).
    Powi(i32),
    /// `xᶜ` for a constant real c.
    Powf(f64),
}

/// The name and the smooth domain of a [`Unary`] op.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnarySpec {
    /// The name used by printing, the parser and the command line.
    pub name: &'static str,
    /// Where the op is smooth.
    pub domain: Domain,
}

impl Unary {
    /// Every op without a parameter, plus `Powi` and `Powf` with sample exponents
    /// (`powi(3)`, `powi(-2)`, `powf(1.5)`, `powf(-0.5)`), for tests and listings.
    pub const ALL: [Unary; 30] = [
        Unary::Neg,
        Unary::Recip,
        Unary::Sqrt,
        Unary::Cbrt,
        Unary::Exp,
        Unary::Exp2,
        Unary::ExpM1,
        Unary::Ln,
        Unary::Log2,
        Unary::Log10,
        Unary::Ln1p,
        Unary::Sin,
        Unary::Cos,
        Unary::Tan,
        Unary::Asin,
        Unary::Acos,
        Unary::Atan,
        Unary::Sinh,
        Unary::Cosh,
        Unary::Tanh,
        Unary::Asinh,
        Unary::Acosh,
        Unary::Atanh,
        Unary::Abs,
        Unary::Sign,
        Unary::Erf,
        Unary::Powi(3),
        Unary::Powi(-2),
        Unary::Powf(1.5),
        Unary::Powf(-0.5),
    ];

    /// The op's name and smooth domain.
    pub const fn spec(self) -> UnarySpec {
        use Unary::*;
        let (name, domain) = match self {
            Neg => ("neg", Domain::REAL),
            Recip => ("recip", Domain::real_except(0.0)),
            Sqrt => ("sqrt", Domain::POSITIVE),
            Cbrt => ("cbrt", Domain::real_except(0.0)),
            Exp => ("exp", Domain::REAL),
            Exp2 => ("exp2", Domain::REAL),
            ExpM1 => ("exp_m1", Domain::REAL),
            Ln => ("ln", Domain::POSITIVE),
            Log2 => ("log2", Domain::POSITIVE),
            Log10 => ("log10", Domain::POSITIVE),
            Ln1p => ("ln_1p", Domain::open(-1.0, f64::INFINITY)),
            Sin => ("sin", Domain::REAL),
            Cos => ("cos", Domain::REAL),
            // tan has poles at π/2 + kπ; one period is enough for the tests.
            Tan => ("tan", Domain::open(-1.5, 1.5)),
            Asin => ("asin", Domain::open(-1.0, 1.0)),
            Acos => ("acos", Domain::open(-1.0, 1.0)),
            Atan => ("atan", Domain::REAL),
            Sinh => ("sinh", Domain::REAL),
            Cosh => ("cosh", Domain::REAL),
            Tanh => ("tanh", Domain::REAL),
            Asinh => ("asinh", Domain::REAL),
            Acosh => ("acosh", Domain::open(1.0, f64::INFINITY)),
            Atanh => ("atanh", Domain::open(-1.0, 1.0)),
            Abs => ("abs", Domain::real_except(0.0)),
            Sign => ("sign", Domain::real_except(0.0)),
            Erf => ("erf", Domain::REAL),
            Powi(n) if n >= 0 => ("powi", Domain::REAL),
            Powi(_) => ("powi", Domain::real_except(0.0)),
            // xᶜ for non-integer c is real only for x ≥ 0.
            Powf(_) => ("powf", Domain::POSITIVE),
        };
        UnarySpec { name, domain }
    }

    /// The `f64` kernel: the op evaluated on a plain float (IEEE semantics: `ln(−1)` is NaN).
    // Always inlined: with the op known at the call site the match folds away, and a
    // constant `powi` exponent becomes multiplications instead of a library call.
    #[inline(always)]
    pub fn eval(self, x: f64) -> f64 {
        use Unary::*;
        match self {
            Neg => -x,
            Recip => 1.0 / x,
            Sqrt => x.sqrt(),
            Cbrt => x.cbrt(),
            Exp => x.exp(),
            Exp2 => x.exp2(),
            ExpM1 => x.exp_m1(),
            Ln => x.ln(),
            Log2 => x.log2(),
            Log10 => x.log10(),
            Ln1p => x.ln_1p(),
            Sin => x.sin(),
            Cos => x.cos(),
            Tan => x.tan(),
            Asin => x.asin(),
            Acos => x.acos(),
            Atan => x.atan(),
            Sinh => x.sinh(),
            Cosh => x.cosh(),
            Tanh => x.tanh(),
            Asinh => x.asinh(),
            Acosh => x.acosh(),
            Atanh => x.atanh(),
            Abs => x.abs(),
            // f64::signum(0.0) is 1.0; the sign function needs sign(0) = 0.
            Sign => {
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    x * 0.0 // 0 for ±0, NaN for NaN
                }
            }
            Erf => libm::erf(x),
            // Small exponents spelled out (the same products LLVM emits for a constant
            // exponent), so that an op chosen at run time (replay, parsed formulas) does not
            // pay for a library call.
            Powi(n) => match n {
                0 => 1.0,
                1 => x,
                2 => x * x,
                3 => x * x * x,
                _ => x.powi(n),
            },
            Powf(c) => x.powf(c),
        }
    }

    /// The derivative rule: `dy/dx` for `y = op(x)`, written in `Scalar` operations so that it
    /// can itself be differentiated. `y` is the op's result at `x`. Outside the op's domain,
    /// where `y` is NaN, so is the derivative.
    #[inline(always)]
    pub fn derivative<S: Scalar>(self, x: &S, y: &S) -> S {
        use Unary::*;
        let x = x.clone();
        let y = y.clone();
        match self {
            Neg => S::constant(-1.0),
            Recip => -(y.clone() * y),
            Sqrt => y.recip() * 0.5,
            Cbrt => (y.clone() * y).recip() * (1.0 / 3.0),
            Exp => y,
            Exp2 => y * LN_2,
            // eˣ, not y + 1, which cancels to 0 for very negative x.
            ExpM1 => x.exp(),
            Ln => nan_where_nan(x.recip(), y),
            Log2 => nan_where_nan((x * LN_2).recip(), y),
            Log10 => nan_where_nan((x * LN_10).recip(), y),
            Ln1p => nan_where_nan((x + 1.0).recip(), y),
            Sin => x.cos(),
            Cos => -x.sin(),
            // 1 + tan² is as accurate as 1/cos² here (y carries the relative accuracy) and cheaper.
            Tan => y.clone() * y + 1.0,
            // (1−x)(1+x), not 1 − x², which loses digits near |x| = 1.
            Asin => ((-x.clone() + 1.0) * (x + 1.0)).sqrt().recip(),
            Acos => -((-x.clone() + 1.0) * (x + 1.0)).sqrt().recip(),
            Atan => (x.clone() * x + 1.0).recip(),
            Sinh => x.cosh(),
            Cosh => x.sinh(),
            // sech², not 1 − tanh², which rounds to 0 once tanh rounds to 1 (x ≳ 19).
            Tanh => x.cosh().powi(2).recip(),
            // hypot(x, 1) = √(x² + 1) without overflow for large x.
            Asinh => x.hypot(S::constant(1.0)).recip(),
            // √(x−1)·√(x+1): accurate near 1 and no overflow for large x.
            Acosh => ((x.clone() - 1.0).sqrt() * (x + 1.0).sqrt()).recip(),
            Atanh => nan_where_nan(((-x.clone() + 1.0) * (x + 1.0)).recip(), y),
            Abs => x.sign(),
            Sign => S::constant(0.0),
            Erf => (-(x.clone() * x)).exp() * FRAC_2_SQRT_PI,
            // n·xⁿ⁻¹, with the n = 0 and n = 1 cases exact (no 0·∞ at x = 0).
            Powi(0) => S::constant(0.0),
            Powi(1) => S::constant(1.0),
            Powi(n) => x.powi(n - 1) * f64::from(n),
            Powf(0.0) => S::constant(0.0),
            Powf(1.0) => S::constant(1.0),
            Powf(c) => x.powf(c - 1.0) * c,
        }
    }
}

/// `d`, made NaN where the op's value `y` is NaN: outside its domain an op's derivative is
/// NaN like its value (`ln(−1)` and `ln′(−1)`), where the bare formula (`1/x`) would give a
/// number. `sign(y)·0` is ±0 for every non-NaN `y`, infinities included, so it changes nothing
/// inside the domain.
#[inline]
fn nan_where_nan<S: Scalar>(d: S, y: S) -> S {
    d + y.sign() * 0.0
}
