//! Checks at many points: given ones, or reproducible random ones.

use super::jacobian::{CheckParams, check_jacobian};
use super::report::Report;
use crate::VectorFn;
use crate::numeric::NumericError;

/// `count` points of `dimension` coordinates drawn uniformly from `[low, high)` by a seeded
/// generator (xorshift64*): the same seed gives the same points on every machine.
///
/// ```
/// let p = weifen::check::random_points(3, 2, (-1.0, 1.0), 7);
/// assert_eq!(p.len(), 3);
/// assert!(p.iter().flatten().all(|x| (-1.0..1.0).contains(x)));
/// assert_eq!(p, weifen::check::random_points(3, 2, (-1.0, 1.0), 7));
/// ```
pub fn random_points(
    count: usize,
    dimension: usize,
    range: (f64, f64),
    seed: u64,
) -> Vec<Vec<f64>> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        // The top 53 bits as a fraction in [0, 1).
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|_| {
            (0..dimension)
                .map(|_| range.0 + (range.1 - range.0) * next())
                .collect()
        })
        .collect()
}

/// [`check_jacobian`] at each of `points`, the reports merged; a mismatch names its entry,
/// and [`Report::points`] lists the points that failed.
///
/// # Errors
/// As [`check_jacobian`], at the first point that is rejected.
///
/// ```
/// use weifen::check::{self, CheckParams};
/// use weifen::{Scalar, VectorFn};
///
/// struct Softplus;
/// impl VectorFn for Softplus {
///     fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
///         vec![(x[0].clone().exp() + 1.0).ln() * x[1].clone()]
///     }
/// }
/// let points = check::random_points(20, 2, (-3.0, 3.0), 1);
/// let report = check::check_jacobian_at(&Softplus, &points, &CheckParams::default()).unwrap();
/// assert!(report.passed(), "{report}");
/// assert_eq!(report.checked, 20 * 2 * 2); // points × entries × (forward, reverse)
/// ```
pub fn check_jacobian_at(
    f: &impl VectorFn,
    points: &[Vec<f64>],
    params: &CheckParams,
) -> Result<Report, NumericError> {
    let mut report = Report::default();
    for (i, x) in points.iter().enumerate() {
        let r = check_jacobian(f, x, params)?;
        if !r.passed() {
            report.points.push(i);
        }
        report.merge(r);
    }
    Ok(report)
}
