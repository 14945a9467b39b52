//! The numeric reference of a check: the complex step where `f` is analytic (verified at two
//! steps), Richardson extrapolation elsewhere.

use super::CheckParams;
use super::report::{Mismatch, Report, Unverified};
use crate::VectorFn;
use crate::error::check_length;
use crate::method::Method;
use crate::numeric::{self, Complex, NumericError, Status, complex_step};
use ndarray::Array2;

/// Column `j` of the Jacobian by the complex step, at the steps `h` and `2h`: where `f` is
/// analytic the two agree to rounding (the error is `O(h²)` with `h = 10⁻²⁰`); at a branch
/// point or a pole at `x` (`√x` at 0: `Im √(ih)/h = 1/√(2h)`) they do not, and the column
/// is marked [`Status::NoConvergence`] so that Richardson's reference is used instead.
fn complex_column(
    f: &impl VectorFn,
    x: &[f64],
    j: usize,
) -> Result<numeric::Estimate<Vec<f64>>, NumericError> {
    let mut e = vec![0.0; x.len()];
    e[j] = 1.0;
    let scale = if x[j] == 0.0 { 1.0 } else { x[j].abs() };
    let h = (complex_step::STEP * scale).clamp(1e-290, complex_step::MAX_STEP);
    let mut once = complex_step::jvp_with_step(|z: &[Complex]| f.eval(z), x, &e, h)?;
    let twice = complex_step::jvp_with_step(|z: &[Complex]| f.eval(z), x, &e, 2.0 * h)?;
    let agree = once
        .value
        .iter()
        .zip(&twice.value)
        .zip(&once.error)
        .all(|((a, b), err)| (a - b).abs() <= 2.0 * err + 4.0 * f64::EPSILON * a.abs());
    if !agree && once.status == Status::Ok {
        once.status = Status::NoConvergence;
    }
    Ok(once)
}

/// The numeric Jacobians: the complex step's (one column per input, each with its status)
/// and Richardson's.
pub(super) struct Reference {
    complex: Option<Vec<numeric::Estimate<Vec<f64>>>>,
    richardson: numeric::Estimate<Array2<f64>>,
    /// Which outputs are finite at `x` on `f64`: at a pole `f(x + ih)` is finite
    /// (`1/(ih)`) and the complex step would vouch for `−1/h²`.
    finite: Vec<bool>,
}

impl Reference {
    /// The reference for `f`: Richardson's Jacobian, and the complex step's if asked for.
    pub(super) fn new(
        f: &impl VectorFn,
        x: &[f64],
        params: &CheckParams,
    ) -> Result<Self, NumericError> {
        let richardson = numeric::jacobian_with(|x| f.eval(x), x, &params.differences)?;
        let finite = f.eval(x).iter().map(|y: &f64| y.is_finite()).collect();
        let complex = if params.complex_step {
            let columns = (0..x.len()).map(|j| complex_column(f, x, j));
            Some(columns.collect::<Result<Vec<_>, _>>()?)
        } else {
            None
        };
        Ok(Reference {
            complex,
            richardson,
            finite,
        })
    }

    /// The reference for a closure on `f64`: Richardson's Jacobian only.
    pub(super) fn of_closure(
        f: impl Fn(&[f64]) -> Vec<f64>,
        x: &[f64],
        params: &CheckParams,
    ) -> Result<Self, NumericError> {
        let finite = f(x).iter().map(|y| y.is_finite()).collect();
        let richardson = numeric::jacobian_with(f, x, &params.differences)?;
        Ok(Reference {
            complex: None,
            richardson,
            finite,
        })
    }

    /// Checks that `analytic` has one row per output and one column per input.
    pub(super) fn check_shape(&self, analytic: &Array2<f64>) -> Result<(), NumericError> {
        let (m, n) = self.richardson.value.dim();
        check_length(
            "the analytic Jacobian's rows",
            "the outputs of f",
            m,
            analytic.nrows(),
        )?;
        check_length(
            "the analytic Jacobian's columns",
            "the input x",
            n,
            analytic.ncols(),
        )?;
        Ok(())
    }

    /// The reference for entry `(i, j)`: value, error bound and method; or why there is
    /// none.
    fn entry(&self, i: usize, j: usize) -> Result<(f64, f64, Method), Status> {
        if !self.finite.get(i).copied().unwrap_or(true) {
            // `at` is the displacement along the coordinate: f is not finite at x itself.
            return Err(Status::NonFinite { at: 0.0 });
        }
        if let Some(column) = self.complex.as_ref().map(|c| &c[j]) {
            let (v, e) = (column.value[i], column.error[i]);
            if column.status == Status::Ok && v.is_finite() && e.is_finite() {
                return Ok((v, e, Method::ComplexStep));
            }
        }
        let r = &self.richardson;
        let (v, e) = (r.value[[i, j]], r.error[[i, j]]);
        if v.is_finite() && e.is_finite() {
            Ok((v, e, Method::Richardson))
        } else if r.status == Status::Ok {
            Err(Status::NoConvergence)
        } else {
            Err(r.status)
        }
    }

    /// Compares every entry of `analytic` with the reference.
    pub(super) fn compare(
        &self,
        analytic: &Array2<f64>,
        label: &'static str,
        p: &CheckParams,
    ) -> Report {
        let mut report = Report::default();
        for ((i, j), &a) in analytic.indexed_iter() {
            report.checked += 1;
            match self.entry(i, j) {
                Ok((numeric, error, by)) => {
                    let allowed = p.atol + p.rtol * numeric.abs() + error;
                    // A NaN analytic value is a mismatch, not an incomparable pass.
                    if a.is_nan() || (a - numeric).abs() > allowed {
                        report.mismatches.push(Mismatch {
                            input: j,
                            output: i,
                            analytic_by: label,
                            analytic: a,
                            numeric,
                            numeric_error: error,
                            numeric_by: by,
                        });
                    }
                }
                Err(status) => report.unverified.push(Unverified {
                    input: j,
                    output: i,
                    analytic_by: label,
                    analytic: a,
                    status,
                }),
            }
        }
        report
    }
}
