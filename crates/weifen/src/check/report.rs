//! The outcome of a check: the entries that disagree, and those no reference vouches for.

use crate::method::Method;
use crate::numeric::Status;
use std::fmt;

/// One entry where the analytic derivative and the reference disagree.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// The input `j` of `∂fᵢ/∂xⱼ`.
    pub input: usize,
    /// The output `i` of `∂fᵢ/∂xⱼ`.
    pub output: usize,
    /// Where the analytic value came from (`"forward"`, `"reverse"`, or the caller's label).
    pub analytic_by: &'static str,
    /// The analytic value.
    pub analytic: f64,
    /// The numeric reference.
    pub numeric: f64,
    /// The reference's error bound.
    pub numeric_error: f64,
    /// The reference's method: [`Method::ComplexStep`] or [`Method::Richardson`].
    pub numeric_by: Method,
}

/// One entry whose reference no numeric method could vouch for.
#[derive(Clone, Debug, PartialEq)]
pub struct Unverified {
    /// The input `j`.
    pub input: usize,
    /// The output `i`.
    pub output: usize,
    /// Where the analytic value came from.
    pub analytic_by: &'static str,
    /// The analytic value.
    pub analytic: f64,
    /// Why Richardson extrapolation could not vouch for its value.
    pub status: Status,
}

/// The outcome of a check: how many entries were compared, and the ones that failed.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Report {
    /// Entries compared (every analytic Jacobian counts its `m·n` entries).
    pub checked: usize,
    /// Entries where the analytic value is outside the tolerance of the reference.
    pub mismatches: Vec<Mismatch>,
    /// Entries with no trustworthy reference (listed once per analytic source).
    pub unverified: Vec<Unverified>,
    /// For a check at many points ([`check_jacobian_at`](super::check_jacobian_at)), the
    /// indices of the points where an entry failed.
    pub points: Vec<usize>,
}

impl Report {
    /// Whether every entry agreed with a reference that vouched for itself.
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty() && self.unverified.is_empty()
    }

    /// Adds the entries of another report (of another analytic source at the same point).
    pub fn merge(&mut self, other: Report) {
        self.checked += other.checked;
        self.mismatches.extend(other.mismatches);
        self.unverified.extend(other.unverified);
        self.points.extend(other.points);
    }
}

/// A table of the mismatches and unverified entries (or one line saying all agree).
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.passed() {
            return write!(f, "all {} entries agree", self.checked);
        }
        writeln!(
            f,
            "{} of {} entries disagree, {} unverified",
            self.mismatches.len(),
            self.checked,
            self.unverified.len()
        )?;
        writeln!(
            f,
            "{:>6} {:>6} {:>10} {:>24} {:>24} {:>9} {:>12}",
            "output", "input", "analytic", "value", "numeric", "error", "by"
        )?;
        for m in &self.mismatches {
            writeln!(
                f,
                "{:>6} {:>6} {:>10} {:>24e} {:>24e} {:>9.1e} {:>12}",
                m.output,
                m.input,
                m.analytic_by,
                m.analytic,
                m.numeric,
                m.numeric_error,
                m.numeric_by
            )?;
        }
        for u in &self.unverified {
            writeln!(
                f,
                "{:>6} {:>6} {:>10} {:>24e} unverified: {}",
                u.output,
                u.input,
                u.analytic_by,
                u.analytic,
                u.status.name()
            )?;
        }
        Ok(())
    }
}
