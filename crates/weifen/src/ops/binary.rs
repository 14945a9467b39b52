//! Binary ops: name and domain, `f64` kernel, partial derivatives. The three `match`es list
//! the ops in the same order; each is exhaustive, so an op missing a facet does not compile.

use super::Domain;
use crate::Scalar;

/// A binary elementary operation `y = op(a, b)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Binary {
    /// `a + b`
    Add,
    /// `a − b`
    Sub,
    /// `a · b`
    Mul,
    /// `a / b`
    Div,
    /// `aᵇ` with a variable exponent. For a constant exponent use `powi`/`powf`, which are
    /// exact at `a = 0`; here `∂/∂b = y·ln a` is NaN at `a = 0`.
    Pow,
    /// `atan2(a, b)`: the angle of the point `(b, a)`, as `f64::atan2` with `a` the ordinate.
    Atan2,
    /// `√(a² + b²)` without overflow. At the origin its partials are NaN (0/0).
    Hypot,
    /// The smaller argument; NaN if either is NaN. On a tie each argument gets half the
    /// derivative (as PyTorch and JAX).
    Min,
    /// The larger argument; NaN if either is NaN. On a tie each argument gets half the
    /// derivative (as PyTorch and JAX).
    Max,
}

/// The name and the smooth domain of a [`Binary`] op.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinarySpec {
    /// The name used by printing, the parser and the command line.
    pub name: &'static str,
    /// Where the op is smooth in its first argument.
    pub a: Domain,
    /// Where the op is smooth in its second argument.
    pub b: Domain,
    /// Whether the op has a kink where `a == b` (`min`, `max`).
    pub kink_on_tie: bool,
}

impl Binary {
    /// Every binary op.
    pub const ALL: [Binary; 9] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
        Binary::Atan2,
        Binary::Hypot,
        Binary::Min,
        Binary::Max,
    ];

    /// The op's name and smooth domain.
    pub const fn spec(self) -> BinarySpec {
        use Binary::*;
        const R: Domain = Domain::REAL;
        let (name, a, b, kink_on_tie) = match self {
            Add => ("add", R, R, false),
            Sub => ("sub", R, R, false),
            Mul => ("mul", R, R, false),
            Div => ("div", R, Domain::real_except(0.0), false),
            Pow => ("pow", Domain::POSITIVE, R, false),
            // atan2 jumps across the negative b axis; keep b > 0 for the tests.
            Atan2 => ("atan2", R, Domain::POSITIVE, false),
            Hypot => ("hypot", Domain::real_except(0.0), R, false),
            Min => ("min", R, R, true),
            Max => ("max", R, R, true),
        };
        BinarySpec {
            name,
            a,
            b,
            kink_on_tie,
        }
    }

    /// The `f64` kernel (IEEE semantics; NaN propagates through `min` and `max` too, unlike
    /// `f64::min`).
    // Always inlined: with the op known at the call site the match folds away, and a
    // constant `powi` exponent becomes multiplications instead of a library call.
    #[inline(always)]
    pub fn eval(self, a: f64, b: f64) -> f64 {
        use Binary::*;
        match self {
            Add => a + b,
            Sub => a - b,
            Mul => a * b,
            Div => a / b,
            Pow => a.powf(b),
            Atan2 => a.atan2(b),
            Hypot => a.hypot(b),
            Min => {
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else {
                    a.min(b)
                }
            }
            Max => {
                if a.is_nan() || b.is_nan() {
                    f64::NAN
                } else {
                    a.max(b)
                }
            }
        }
    }

    /// The partial derivatives `(∂y/∂a, ∂y/∂b)` of `y = op(a, b)`, written in `Scalar`
    /// operations so that they can themselves be differentiated. `y` is the op's result.
    #[inline(always)]
    pub fn partials<S: Scalar>(self, a: &S, b: &S, y: &S) -> (S, S) {
        use Binary::*;
        let (a, b, y) = (a.clone(), b.clone(), y.clone());
        match self {
            Add => (S::constant(1.0), S::constant(1.0)),
            Sub => (S::constant(1.0), S::constant(-1.0)),
            Mul => (b, a),
            Div => {
                let r = b.recip();
                (r.clone(), -(y * r))
            }
            Pow => (b.clone() * a.clone().pow(b - 1.0), y * a.ln()),
            // ∂/∂a = b/h², ∂/∂b = −a/h² with h = hypot(a, b): dividing by h twice avoids the
            // overflow of a² + b².
            Atan2 => {
                let h = a.clone().hypot(b.clone());
                (b / h.clone() / h.clone(), -(a / h.clone() / h))
            }
            Hypot => (a / y.clone(), b / y),
            // ½ ± sign(b − a)/2: 1 or 0 away from a tie, ½ each on a tie.
            Min => {
                let s = (b - a).sign() * 0.5;
                (s.clone() + 0.5, -s + 0.5)
            }
            Max => {
                let s = (a - b).sign() * 0.5;
                (s.clone() + 0.5, -s + 0.5)
            }
        }
    }
}
