//! The inner values the num-traits impls are written over, and how each type reaches them.

use crate::Real;
use crate::forward::{Dual, DualVec};
use crate::reverse::Var;
use num_traits::{Bounded, Float, FloatConst, FromPrimitive, Signed};

/// A [`Real`] that also implements num-traits' [`Float`] (with [`FromPrimitive`],
/// [`FloatConst`], [`Signed`] and [`Bounded`]): `f64`, and [`Dual`], [`DualVec`] and [`Var`]
/// over such a type. It is the bound on the parts of a dual number (and the values of a
/// tape) for which those types implement the num-traits; nesting (`Dual<Dual<f64>>`,
/// `Var<Dual<f64>>`) keeps it.
///
/// ```
/// use num_traits::Float;
/// use weifen::forward::Dual;
///
/// fn softplus<T: Float>(x: T) -> T {
///     x.exp().ln_1p()
/// }
/// // Second derivative by nesting: softplus″ = σ(x)(1 − σ(x)).
/// let x = Dual::new(Dual::variable(0.3), Dual::new(1.0, 0.0));
/// let s = 1.0 / (1.0 + (-0.3f64).exp());
/// assert!((softplus(x).tangent.tangent - s * (1.0 - s)).abs() < 1e-15);
/// ```
pub trait FloatReal: Real + Float + FromPrimitive + FloatConst + Signed + Bounded {
    /// Notes that the caller branched on how `self` compares with `at`. On a
    /// [`Tape`](crate::reverse::Tape) this records the comparison as a guard (so a replay
    /// where it would come out otherwise is refused); other types ignore it.
    fn guard(&self, _at: f64) {}
}

impl FloatReal for f64 {}

impl<S: FloatReal> FloatReal for Dual<S> {
    fn guard(&self, at: f64) {
        self.value.guard(at);
    }
}

impl<S: FloatReal, const N: usize> FloatReal for DualVec<S, N> {
    fn guard(&self, at: f64) {
        self.value.guard(at);
    }
}

impl<S: FloatReal> FloatReal for Var<'_, S> {
    fn guard(&self, at: f64) {
        // The comparison itself records the guard; its outcome is not needed here.
        let _ = self.partial_cmp(&at);
    }
}

/// A type built around an inner [`FloatReal`] value: the dual numbers around their value,
/// a tape variable around its primal. Private: the impl bodies use it, the bounds do not.
pub(super) trait Wrap: FloatReal {
    /// The type of the value part.
    type Inner: FloatReal;
    /// The value part.
    fn inner(&self) -> Self::Inner;
    /// `v` as a constant of this type: zero tangents, no tape.
    fn lift(v: Self::Inner) -> Self;

    /// A piecewise-constant function's result `f(value)`, as a constant, after guarding the
    /// interval `[lo, hi]` of the piece (the same result on all of it).
    #[inline]
    fn step(&self, f: impl Fn(Self::Inner) -> Self::Inner, lo: f64, hi: f64) -> Self {
        self.guard(lo);
        if hi != lo {
            self.guard(hi);
        }
        Self::lift(f(self.inner()))
    }

    /// Whether `self` is a constant (every part but the value zero, no tape): the test of
    /// `x − value(x) = 0` in every part.
    #[inline]
    fn is_constant(&self) -> bool {
        crate::Scalar::is_zero(&(*self - self.value()))
    }
}

impl<S: FloatReal> Wrap for Dual<S> {
    type Inner = S;
    #[inline]
    fn inner(&self) -> S {
        self.value
    }
    #[inline]
    fn lift(v: S) -> Self {
        Dual::lift(v)
    }
}

impl<S: FloatReal, const N: usize> Wrap for DualVec<S, N> {
    type Inner = S;
    #[inline]
    fn inner(&self) -> S {
        self.value
    }
    #[inline]
    fn lift(v: S) -> Self {
        DualVec::lift(v)
    }
}

impl<S: FloatReal> Wrap for Var<'_, S> {
    type Inner = S;
    #[inline]
    fn inner(&self) -> S {
        self.primal()
    }
    #[inline]
    fn lift(v: S) -> Self {
        Var::constant_of(v)
    }
}
