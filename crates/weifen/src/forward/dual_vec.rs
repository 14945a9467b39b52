//! `DualVec<S, N>`: a value and N tangents, one evaluation for N directions.

use crate::ops::{BinaryOp, UnaryOp};
use crate::{Real, Scalar};
use std::cmp::Ordering;

/// A value with `N` tangents: evaluating `f` once on `DualVec`s seeded with `N` directions
/// gives the `N` directional derivatives, so a gradient of `n` inputs takes `⌈n/N⌉`
/// evaluations (the chunk size of ForwardDiff.jl). `N` is a const generic: the tangents live
/// in a stack array and their loops are unrolled and vectorised.
///
/// ```
/// use weifen::{forward::DualVec, Scalar};
///
/// let x = DualVec::<f64, 2>::seeded(3.0, 0);
/// let y = DualVec::<f64, 2>::seeded(4.0, 1);
/// let r = (x * x + y * y).sqrt();
/// assert_eq!(r.value, 5.0);
/// // ∇r = (x, y)/r
/// assert!((r.tangent[0] - 0.6).abs() < 1e-15 && (r.tangent[1] - 0.8).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DualVec<S, const N: usize> {
    /// The primal value.
    pub value: S,
    /// The derivatives along the `N` seeded directions.
    pub tangent: [S; N],
}

impl<S: Scalar, const N: usize> DualVec<S, N> {
    /// A value with the given tangents.
    #[inline]
    pub fn new(value: S, tangent: [S; N]) -> Self {
        DualVec { value, tangent }
    }

    /// `x` as a constant (all tangents 0).
    #[inline]
    pub fn lift(x: S) -> Self {
        DualVec::new(x, array::from_fn(|_| S::constant(0.0)))
    }

    /// The input variable number `k` of a chunk: tangent 1 in direction `k`, 0 elsewhere.
    /// A `k ≥ N` gives a constant, which is how the last, partial chunk is seeded.
    #[inline]
    pub fn seeded(x: S, k: usize) -> Self {
        DualVec::new(
            x,
            array::from_fn(|i| S::constant(if i == k { 1.0 } else { 0.0 })),
        )
    }
}

impl<S: Scalar, const N: usize> Scalar for DualVec<S, N> {
    #[inline]
    fn constant(c: f64) -> Self {
        DualVec::lift(S::constant(c))
    }

    #[inline]
    fn unary<O: UnaryOp>(self, op: O) -> Self {
        let y = self.value.clone().unary(op);
        let tangent = if op.is_linear() {
            self.tangent.map(|t| op.tangent(&self.value, &y, t))
        } else {
            // The rule once, then one product per direction.
            let dy = op.derivative(&self.value, &y);
            self.tangent.map(|t| t.scale_by(dy.clone()))
        };
        DualVec::new(y, tangent)
    }

    #[inline]
    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        let y = self.value.clone().binary(op, rhs.value.clone());
        let (a, b) = (self.tangent, rhs.tangent);
        let tangent = if op.is_linear() {
            let (u, v, w) = (&self.value, &rhs.value, &y);
            array::zip_map(a, b, |ta, tb| op.tangent(u, v, w, ta, tb))
        } else {
            let (da, db) = op.partials(&self.value, &rhs.value, &y);
            array::zip_map(a, b, |ta, tb| {
                ta.scale_by(da.clone()) + tb.scale_by(db.clone())
            })
        };
        DualVec::new(y, tangent)
    }

    #[inline]
    fn is_zero(&self) -> bool {
        self.value.is_zero() && self.tangent.iter().all(S::is_zero)
    }

    #[inline]
    fn value_is_zero(&self) -> bool {
        self.value.value_is_zero()
    }
}

/// Element-wise `f(a[i], b[i])` of two arrays.
mod array {
    pub(super) use std::array::from_fn;

    #[inline(always)]
    pub(super) fn zip_map<S: Clone, const N: usize>(
        a: [S; N],
        b: [S; N],
        f: impl Fn(S, S) -> S,
    ) -> [S; N] {
        from_fn(|i| f(a[i].clone(), b[i].clone()))
    }
}

scalar_operators!([S: Scalar, const N: usize] DualVec<S, N>);

// Compared by value only, as a function that branches on its input sees them.
impl<S: Real, const N: usize> PartialEq for DualVec<S, N> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<S: Real, const N: usize> PartialOrd for DualVec<S, N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<S: Real, const N: usize> PartialEq<f64> for DualVec<S, N> {
    fn eq(&self, other: &f64) -> bool {
        self.value.value() == *other
    }
}

impl<S: Real, const N: usize> PartialOrd<f64> for DualVec<S, N> {
    fn partial_cmp(&self, other: &f64) -> Option<Ordering> {
        self.value.value().partial_cmp(other)
    }
}

impl<S: Real, const N: usize> Real for DualVec<S, N> {
    #[inline]
    fn value(&self) -> f64 {
        self.value.value()
    }
}

/// `value + [t₀, t₁, …]ε`.
impl<S: std::fmt::Display, const N: usize> std::fmt::Display for DualVec<S, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} + [", self.value)?;
        for (i, t) in self.tangent.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{t}")?;
        }
        write!(f, "]ε")
    }
}
