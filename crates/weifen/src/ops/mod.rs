//! The op table: every elementary operation, written once.
//!
//! Each op appears in two exhaustive `match`es kept in the same order, so that a new op does
//! not compile until it has all four facets:
//!
//! * [`Unary::spec`] / [`Binary::spec`]: its name (shared by printing, the parser and the
//!   command line), its `f64` kernel and the domain where it is smooth (used by the tests);
//! * [`Unary::derivative`] / [`Binary::partials`]: its derivative rule, written **generically in
//!   [`Scalar`](crate::Scalar) operations**.
//!
//! Because rules are written in `Scalar` operations, evaluating a rule on a dual number
//! differentiates the rule itself: higher orders need no extra code.
//!
//! Rules may use the op's result `y` as well as its argument `x` (`exp′ = y`), which saves
//! recomputing it. They are chosen for floating-point accuracy, not only correctness on paper:
//! `tanh′ = 1/cosh²` (not `1 − tanh²`, which rounds to 0 at x = 20), `asin′ = 1/√((1−x)(1+x))`
//! (not `1/√(1−x²)`, which loses digits near 1), `asinh′ = 1/hypot(x, 1)` (no overflow for
//! large x).
//!
//! Conventions at kinks (the same as PyTorch and JAX):
//! `|x|′(0) = 0`, `sign′ = 0`, `min`/`max` split the derivative evenly on a tie (½ to each
//! argument), `sqrt′(0) = +∞`. NaN propagates.

mod binary;
mod unary;

pub use binary::{Binary, BinarySpec};
pub use unary::{Unary, UnarySpec};

/// An open interval `(lo, hi)` where an op is smooth, minus an optional kink point.
///
/// The op-table tests draw seeded points from it and compare each rule with a difference of
/// the op's own kernel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Domain {
    /// Lower end (exclusive); may be `-inf`.
    pub lo: f64,
    /// Upper end (exclusive); may be `+inf`.
    pub hi: f64,
    /// A point inside `(lo, hi)` where the op has a kink (`abs` at 0), if any.
    pub kink: Option<f64>,
}

impl Domain {
    /// The whole real line.
    pub const REAL: Domain = Domain::open(f64::NEG_INFINITY, f64::INFINITY);
    /// The positive half-line `(0, ∞)`.
    pub const POSITIVE: Domain = Domain::open(0.0, f64::INFINITY);

    /// The open interval `(lo, hi)`.
    pub const fn open(lo: f64, hi: f64) -> Domain {
        Domain { lo, hi, kink: None }
    }

    /// The real line minus the kink at `at`.
    pub const fn real_except(at: f64) -> Domain {
        Domain {
            lo: f64::NEG_INFINITY,
            hi: f64::INFINITY,
            kink: Some(at),
        }
    }

    /// Whether `x` lies in the interval and is not the kink.
    pub fn contains(&self, x: f64) -> bool {
        x > self.lo && x < self.hi && self.kink != Some(x)
    }
}
