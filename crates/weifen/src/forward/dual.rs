//! `Dual<S>`: a value and one tangent.

use crate::ops::{BinaryOp, UnaryOp, times};
use crate::{Real, Scalar};
use std::cmp::Ordering;

/// A dual number `value + tangent·ε` with `ε² = 0`: evaluating `f` at `x + ε` gives
/// `f(x) + f′(x)·ε`.
///
/// The parts are any [`Scalar`], so `Dual<Dual<f64>>` carries second derivatives with no extra
/// code: the rules of the op table, evaluated on the inner dual, are themselves differentiated.
///
/// ```
/// use weifen::{forward::Dual, Scalar};
///
/// let x = Dual::variable(2.0);
/// let y = x * x.sin();
/// assert_eq!(y.value, 2.0 * 2f64.sin());
/// assert_eq!(y.tangent, 2f64.sin() + 2.0 * 2f64.cos());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Dual<S> {
    /// The primal value.
    pub value: S,
    /// The tangent: the derivative along the seeded direction.
    pub tangent: S,
}

impl<S: Scalar> Dual<S> {
    /// A dual number from its parts.
    #[inline]
    pub fn new(value: S, tangent: S) -> Self {
        Dual { value, tangent }
    }

    /// The independent variable at `x`: tangent 1.
    #[inline]
    pub fn variable(x: S) -> Self {
        Dual::new(x, S::constant(1.0))
    }

    /// `x` as a constant of this dual type (tangent 0). This is how a value from an outer
    /// differentiation enters an inner one without perturbation confusion.
    #[inline]
    pub fn lift(x: S) -> Self {
        Dual::new(x, S::constant(0.0))
    }
}

impl<S: Scalar> Scalar for Dual<S> {
    #[inline]
    fn constant(c: f64) -> Self {
        Dual::lift(S::constant(c))
    }

    #[inline]
    fn unary<O: UnaryOp>(self, op: O) -> Self {
        let y = self.value.clone().unary(op);
        let tangent = op.tangent(&self.value, &y, self.tangent);
        Dual::new(y, tangent)
    }

    #[inline]
    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        let y = self.value.clone().binary(op, rhs.value.clone());
        let tangent = op.tangent(&self.value, &rhs.value, &y, self.tangent, rhs.tangent);
        Dual::new(y, tangent)
    }

    /// `(a + a′ε)(b + b′ε)` with zero parts skipping their products ([`ops::times`]): a
    /// tangent of a nested dual number times a partial, where `0·∞` must stay 0 (exp″ at
    /// 800 is ∞, not NaN).
    ///
    /// [`ops::times`]: crate::ops::times
    #[inline]
    fn scale_by(self, d: Self) -> Self {
        let value = times(self.value.clone(), d.value.clone());
        let tangent = times(self.tangent, d.value) + times(self.value, d.tangent);
        Dual::new(value, tangent)
    }

    #[inline]
    fn is_zero(&self) -> bool {
        self.value.is_zero() && self.tangent.is_zero()
    }

    #[inline]
    fn value_is_zero(&self) -> bool {
        self.value.value_is_zero()
    }
}

scalar_operators!([S: Scalar] Dual<S>);

// Dual numbers compare by value only, which is what a function that branches on its input
// means; compare `tangent` explicitly to test derivatives.
impl<S: Real> PartialEq for Dual<S> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<S: Real> PartialOrd for Dual<S> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<S: Real> PartialEq<f64> for Dual<S> {
    fn eq(&self, other: &f64) -> bool {
        self.value.value() == *other
    }
}

impl<S: Real> PartialOrd<f64> for Dual<S> {
    fn partial_cmp(&self, other: &f64) -> Option<Ordering> {
        self.value.value().partial_cmp(other)
    }
}

impl<S: Real> Real for Dual<S> {
    #[inline]
    fn value(&self) -> f64 {
        self.value.value()
    }
}

/// `value + tangentε`.
impl<S: std::fmt::Display> std::fmt::Display for Dual<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} + {}ε", self.value, self.tangent)
    }
}
