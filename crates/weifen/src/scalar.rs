//! The scalar spine: the one interface every method evaluates a function through.

use crate::ops::{Binary, Unary};
use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// A number-like type that a function written once can be evaluated with: a plain `f64`, a
/// dual number, a tape variable, a symbolic expression, a complex number or a tensor.
///
/// A new type implements three methods ([`constant`](Scalar::constant),
/// [`unary`](Scalar::unary), [`binary`](Scalar::binary)) and the arithmetic operators; every
/// elementary function is a provided method that dispatches to the [op table](crate::ops).
/// The trait asks for neither `Copy` nor an ordering nor a way to read a number back, since
/// expressions and tensors have none of those; [`Real`] adds them for the types that do.
///
/// Arithmetic mixes with `f64` constants on the right (`x * 2.0`, `x + 1.0`); write
/// `-x + 1.0` for `1 − x`. Values are taken by value: clone a value you use twice
/// (`x.clone() * x`), which is free for `Copy` types.
///
/// Non-smooth points follow fixed conventions, listed in [`ops`](crate::ops).
///
/// ```
/// use weifen::Scalar;
///
/// // Written once, evaluated as f64 here and differentiated by every method elsewhere.
/// fn seed<S: Scalar>(x: S) -> S {
///     let x2 = x.clone().powi(2);
///     (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
/// }
/// assert_eq!(seed(0.0), 1.0);
/// ```
pub trait Scalar:
    Clone
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// The constant `c` as this type (its derivatives are zero).
    fn constant(c: f64) -> Self;

    /// Applies a unary op from the op table.
    fn unary(self, op: Unary) -> Self;

    /// Applies a binary op from the op table to `(self, rhs)`.
    fn binary(self, op: Binary, rhs: Self) -> Self;

    /// `1/x`
    #[inline]
    fn recip(self) -> Self {
        self.unary(Unary::Recip)
    }
    /// `√x`
    #[inline]
    fn sqrt(self) -> Self {
        self.unary(Unary::Sqrt)
    }
    /// `∛x`
    #[inline]
    fn cbrt(self) -> Self {
        self.unary(Unary::Cbrt)
    }
    /// `eˣ`
    #[inline]
    fn exp(self) -> Self {
        self.unary(Unary::Exp)
    }
    /// `2ˣ`
    #[inline]
    fn exp2(self) -> Self {
        self.unary(Unary::Exp2)
    }
    /// `eˣ − 1`
    #[inline]
    fn exp_m1(self) -> Self {
        self.unary(Unary::ExpM1)
    }
    /// Natural logarithm.
    #[inline]
    fn ln(self) -> Self {
        self.unary(Unary::Ln)
    }
    /// Base-2 logarithm.
    #[inline]
    fn log2(self) -> Self {
        self.unary(Unary::Log2)
    }
    /// Base-10 logarithm.
    #[inline]
    fn log10(self) -> Self {
        self.unary(Unary::Log10)
    }
    /// `ln(1 + x)`
    #[inline]
    fn ln_1p(self) -> Self {
        self.unary(Unary::Ln1p)
    }
    /// Sine.
    #[inline]
    fn sin(self) -> Self {
        self.unary(Unary::Sin)
    }
    /// Cosine.
    #[inline]
    fn cos(self) -> Self {
        self.unary(Unary::Cos)
    }
    /// Tangent.
    #[inline]
    fn tan(self) -> Self {
        self.unary(Unary::Tan)
    }
    /// Arcsine.
    #[inline]
    fn asin(self) -> Self {
        self.unary(Unary::Asin)
    }
    /// Arccosine.
    #[inline]
    fn acos(self) -> Self {
        self.unary(Unary::Acos)
    }
    /// Arctangent.
    #[inline]
    fn atan(self) -> Self {
        self.unary(Unary::Atan)
    }
    /// Hyperbolic sine.
    #[inline]
    fn sinh(self) -> Self {
        self.unary(Unary::Sinh)
    }
    /// Hyperbolic cosine.
    #[inline]
    fn cosh(self) -> Self {
        self.unary(Unary::Cosh)
    }
    /// Hyperbolic tangent.
    #[inline]
    fn tanh(self) -> Self {
        self.unary(Unary::Tanh)
    }
    /// Inverse hyperbolic sine.
    #[inline]
    fn asinh(self) -> Self {
        self.unary(Unary::Asinh)
    }
    /// Inverse hyperbolic cosine.
    #[inline]
    fn acosh(self) -> Self {
        self.unary(Unary::Acosh)
    }
    /// Inverse hyperbolic tangent.
    #[inline]
    fn atanh(self) -> Self {
        self.unary(Unary::Atanh)
    }
    /// Absolute value (`|x|′(0) = 0`).
    #[inline]
    fn abs(self) -> Self {
        self.unary(Unary::Abs)
    }
    /// Sign: −1, 0 or 1 (derivative 0).
    #[inline]
    fn sign(self) -> Self {
        self.unary(Unary::Sign)
    }
    /// The error function.
    #[inline]
    fn erf(self) -> Self {
        self.unary(Unary::Erf)
    }
    /// `xⁿ` for a constant integer exponent (exact at 0: no `exp(n ln x)`).
    #[inline]
    fn powi(self, n: i32) -> Self {
        self.unary(Unary::Powi(n))
    }
    /// `xᶜ` for a constant real exponent.
    #[inline]
    fn powf(self, c: f64) -> Self {
        self.unary(Unary::Powf(c))
    }
    /// `xᵉ` for a variable exponent.
    #[inline]
    fn pow(self, e: Self) -> Self {
        self.binary(Binary::Pow, e)
    }
    /// `atan2(self, x)`: the angle of the point `(x, self)`.
    #[inline]
    fn atan2(self, x: Self) -> Self {
        self.binary(Binary::Atan2, x)
    }
    /// `√(self² + other²)`
    #[inline]
    fn hypot(self, other: Self) -> Self {
        self.binary(Binary::Hypot, other)
    }
    /// The smaller of the two (half the derivative to each on a tie).
    #[inline]
    fn min(self, other: Self) -> Self {
        self.binary(Binary::Min, other)
    }
    /// The larger of the two (half the derivative to each on a tie).
    #[inline]
    fn max(self, other: Self) -> Self {
        self.binary(Binary::Max, other)
    }
}

/// A [`Scalar`] that carries a real number: it is `Copy`, can be compared (with its own type
/// and with `f64`), and its value can be read (`f64`, dual numbers, tape variables). Use it
/// for functions that branch on values.
pub trait Real: Scalar + Copy + PartialOrd + PartialOrd<f64> {
    /// The real value (the primal part of a dual number).
    fn value(&self) -> f64;
}

impl Scalar for f64 {
    #[inline]
    fn constant(c: f64) -> Self {
        c
    }
    #[inline(always)]
    fn unary(self, op: Unary) -> Self {
        op.eval(self)
    }
    #[inline(always)]
    fn binary(self, op: Binary, rhs: Self) -> Self {
        op.eval(self, rhs)
    }
}

impl Real for f64 {
    #[inline]
    fn value(&self) -> f64 {
        *self
    }
}
