//! Where an op is smooth: the op-table tests draw points from it.

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
