//! Every method on one derivative, measured against the symbolic derivative.

use super::derivative::{Slice, derivative_of};
use super::{Derivative, Method, MethodError, derivative};
use crate::numeric::Status;
use crate::symbolic::Expr;
use std::time::Instant;

/// One method's row of a [`compare`] table.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The method.
    pub method: Method,
    /// Its derivative, or why it could not give one.
    pub result: Result<Derivative, MethodError>,
    /// `|derivative − reference|` (NaN when the method failed).
    pub abs_error: f64,
    /// `abs_error / |reference|` (`abs_error` itself when the reference is 0).
    pub rel_error: f64,
    /// Whether the method vouches for its answer: an exact method that ran, or an estimate
    /// whose status is `Ok` with a finite error bound. A table ranks only these by accuracy;
    /// the others are flagged, whatever their distance to the reference.
    pub vouched: bool,
    /// Wall-clock seconds the method took (its best of three runs after a warm-up), the
    /// formula already compiled.
    pub seconds: f64,
}

/// Returns the symbolic derivative of order `order` (the reference) and the same derivative
/// by every other method, with its error against the reference and its time.
///
/// # Errors
/// Those of [`derivative`] for the symbolic reference.
///
/// ```
/// use weifen::method::{self, Method};
///
/// let f = "exp(x)".parse().unwrap();
/// let (reference, rows) = method::compare(&f, "x", &[("x", 1.0)], 1).unwrap();
/// assert_eq!(reference, 1f64.exp());
/// let complex = rows.iter().find(|r| r.method == Method::ComplexStep).unwrap();
/// assert!(complex.rel_error < 1e-15 && complex.vouched);
///
/// // Next to a pole, a single central difference cannot vouch for its answer.
/// let f = "1/x".parse().unwrap();
/// let (_, rows) = method::compare(&f, "x", &[("x", 1e-8)], 1).unwrap();
/// let central = rows.iter().find(|r| r.method == Method::Central).unwrap();
/// assert!(!central.vouched);
/// ```
pub fn compare(
    f: &Expr,
    var: &str,
    at: &[(&str, f64)],
    order: usize,
) -> Result<(f64, Vec<Comparison>), MethodError> {
    let reference = derivative(f, var, at, order, Method::Symbolic)?.derivative;
    let slice = Slice::new(f, var, at)?;
    let rows = Method::ALL
        .into_iter()
        .filter(|&m| m != Method::Symbolic && m != Method::Auto)
        .map(|method| {
            // The best of three runs: the first one pays for cold caches.
            let mut seconds = f64::INFINITY;
            let mut result = derivative_of(f, &slice, at, order, method);
            for _ in 0..3 {
                let start = Instant::now();
                result = derivative_of(f, &slice, at, order, method);
                seconds = seconds.min(start.elapsed().as_secs_f64());
            }
            let abs_error = match &result {
                Ok(d) => (d.derivative - reference).abs(),
                Err(_) => f64::NAN,
            };
            let rel_error = if reference == 0.0 {
                abs_error
            } else {
                abs_error / reference.abs()
            };
            let vouched = match &result {
                Ok(d) => d.status == Status::Ok && d.error.is_none_or(f64::is_finite),
                Err(_) => false,
            };
            Comparison {
                method,
                result,
                vouched,
                abs_error,
                rel_error,
                seconds,
            }
        })
        .collect();
    Ok((reference, rows))
}
