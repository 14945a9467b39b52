//! Gradient checking: a function's derivatives by automatic differentiation (or by the
//! caller's own code) against finite differences, entry by entry.
//!
//! For `f: ℝⁿ → ℝᵐ` at `x`, every entry `Jᵢⱼ` of an analytic Jacobian is compared with a
//! numeric one, and agrees when
//!
//! `|analytic − numeric| ≤ atol + rtol·|numeric| + error(numeric)`,
//!
//! the test of PyTorch's `gradcheck` (and NumPy's `allclose`) plus the numeric method's own
//! error bound. The numeric reference is the complex step `Im f(x + ihⱼeⱼ)/hⱼ` where `f` is
//! complex-analytic (exact to rounding; checked at two steps, which disagree at a branch
//! point or a pole), Richardson extrapolation of central differences
//! elsewhere (accurate to about `10⁻¹²` relative, with an honest bound). Because the
//! reference says how accurate it is, the default tolerances can be far tighter than
//! PyTorch's (`atol = 10⁻⁵, rtol = 10⁻³`, set for single differences in `float64`): a wrong
//! rule that is off by `10⁻⁶` relative is caught. An entry whose reference cannot be vouched
//! for (both methods failed: a pole, a kink, NaN) is listed as unverified, never as agreeing.
//!
//! ```
//! use weifen::check::{self, CheckParams};
//! use weifen::{Scalar, VectorFn};
//!
//! /// Polar to Cartesian coordinates.
//! struct Polar;
//! impl VectorFn for Polar {
//!     fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
//!         let (r, t) = (x[0].clone(), x[1].clone());
//!         vec![r.clone() * t.clone().cos(), r * t.sin()]
//!     }
//! }
//!
//! let report = check::check_jacobian(&Polar, &[2.0, 0.5], &CheckParams::default()).unwrap();
//! assert!(report.passed(), "{report}");
//! assert_eq!(report.checked, 8); // 4 entries, by forward and by reverse mode
//!
//! // A hand-written Jacobian with a wrong entry (∂x/∂θ should be −r·sin θ) is caught.
//! let wrong = ndarray::array![[0.5f64.cos(), 2.0 * 0.5f64.sin()], [0.5f64.sin(), 2.0 * 0.5f64.cos()]];
//! let report = check::check_given(&wrong, "by hand", &Polar, &[2.0, 0.5], &CheckParams::default())
//!     .unwrap();
//! assert_eq!(report.mismatches.len(), 1);
//! assert_eq!((report.mismatches[0].output, report.mismatches[0].input), (0, 1));
//! ```

use crate::error::check_length;
use crate::method::Method;
use crate::numeric::{self, Complex64, NumericError, Params, Status, complex_step};
use crate::{MultivariateFn, VectorFn, forward, reverse};
use ndarray::Array2;
use std::fmt;

/// The tolerances of a check and how its numeric reference is computed.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckParams {
    /// Absolute tolerance (default `1e-8`).
    pub atol: f64,
    /// Relative tolerance, against the numeric value (default `1e-6`).
    pub rtol: f64,
    /// Use the complex step where `f` is complex-analytic (default `true`); otherwise only
    /// Richardson extrapolation.
    pub complex_step: bool,
    /// The finite-difference parameters of the Richardson reference (default: the defaults).
    pub differences: Params,
}

impl Default for CheckParams {
    fn default() -> Self {
        CheckParams {
            atol: 1e-8,
            rtol: 1e-6,
            complex_step: true,
            differences: Params::default(),
        }
    }
}

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

/// Checks the forward-mode and reverse-mode Jacobians of `f` at `x` against finite
/// differences.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for a coordinate of `x` that is not finite, and the
/// errors of [`numeric::jacobian_with`] for the parameters of the reference.
pub fn check_jacobian(
    f: &impl VectorFn,
    x: &[f64],
    params: &CheckParams,
) -> Result<Report, NumericError> {
    let reference = Reference::new(f, x, params)?;
    let mut report = reference.compare(&forward::jacobian(|x| f.eval(x), x), "forward", params);
    report.merge(reference.compare(&reverse::jacobian(|x| f.eval(x), x), "reverse", params));
    Ok(report)
}

/// Checks the forward-mode and reverse-mode gradients of `f` at `x` (a Jacobian with one
/// output row).
///
/// # Errors
/// As [`check_jacobian`].
///
/// ```
/// use weifen::check::{self, CheckParams};
/// use weifen::{MultivariateFn, Scalar};
///
/// struct Rosenbrock;
/// impl MultivariateFn for Rosenbrock {
///     fn eval<S: Scalar>(&self, x: &[S]) -> S {
///         let a = S::constant(1.0) - x[0].clone();
///         let b = x[1].clone() - x[0].clone() * x[0].clone();
///         a.clone() * a + b.clone() * b * 100.0
///     }
/// }
/// let report = check::check_gradient(&Rosenbrock, &[-1.2, 1.0], &CheckParams::default());
/// assert!(report.unwrap().passed());
/// ```
pub fn check_gradient(
    f: &impl MultivariateFn,
    x: &[f64],
    params: &CheckParams,
) -> Result<Report, NumericError> {
    check_jacobian(&OneOutput(f), x, params)
}

/// Checks a Jacobian the caller computed (`analytic`, shape `(m, n)`, labelled in the
/// report) against finite differences of `f` at `x`: how a hand-written derivative, or one
/// from another library, is tested.
///
/// # Errors
/// [`NumericError::Length`] if `analytic` does not have one row per output of `f` and one
/// column per input; otherwise as [`check_jacobian`].
pub fn check_given(
    analytic: &Array2<f64>,
    label: &'static str,
    f: &impl VectorFn,
    x: &[f64],
    params: &CheckParams,
) -> Result<Report, NumericError> {
    let reference = Reference::new(f, x, params)?;
    reference.check_shape(analytic)?;
    Ok(reference.compare(analytic, label, params))
}

/// Checks a Jacobian the caller computed against finite differences of a plain closure on
/// `f64` (no complex step: the closure cannot be evaluated on complex numbers).
///
/// # Errors
/// As [`check_given`].
///
/// ```
/// use weifen::check::{self, CheckParams};
///
/// let f = |x: &[f64]| vec![x[0] * x[1].exp()];
/// let good = ndarray::array![[1f64.exp(), 2.0 * 1f64.exp()]];
/// let p = CheckParams::default();
/// assert!(check::check_closure(&good, "by hand", f, &[2.0, 1.0], &p).unwrap().passed());
/// ```
pub fn check_closure(
    analytic: &Array2<f64>,
    label: &'static str,
    f: impl Fn(&[f64]) -> Vec<f64>,
    x: &[f64],
    params: &CheckParams,
) -> Result<Report, NumericError> {
    let finite = f(x).iter().map(|y| y.is_finite()).collect();
    let richardson = numeric::jacobian_with(f, x, &params.differences)?;
    let reference = Reference {
        complex: None,
        richardson,
        finite,
    };
    reference.check_shape(analytic)?;
    Ok(reference.compare(analytic, label, params))
}

/// A [`MultivariateFn`] seen as a [`VectorFn`] with one output.
struct OneOutput<'f, F>(&'f F);

impl<F: MultivariateFn> VectorFn for OneOutput<'_, F> {
    fn eval<S: crate::Scalar>(&self, x: &[S]) -> Vec<S> {
        vec![self.0.eval(x)]
    }
}

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
    let mut once = complex_step::jvp_with_step(|z: &[Complex64]| f.eval(z), x, &e, h)?;
    let twice = complex_step::jvp_with_step(|z: &[Complex64]| f.eval(z), x, &e, 2.0 * h)?;
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
struct Reference {
    complex: Option<Vec<numeric::Estimate<Vec<f64>>>>,
    richardson: numeric::Estimate<Array2<f64>>,
    /// Which outputs are finite at `x` on `f64`: at a pole `f(x + ih)` is finite
    /// (`1/(ih)`) and the complex step would vouch for `−1/h²`.
    finite: Vec<bool>,
}

impl Reference {
    fn new(f: &impl VectorFn, x: &[f64], params: &CheckParams) -> Result<Self, NumericError> {
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

    fn check_shape(&self, analytic: &Array2<f64>) -> Result<(), NumericError> {
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

    fn compare(&self, analytic: &Array2<f64>, label: &'static str, p: &CheckParams) -> Report {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;
    use ndarray::array;

    /// f(x, y) = (x·y, sin x + y², |x − y|): |·| is not complex-analytic, so its row is
    /// checked against Richardson.
    struct Mixed;
    impl VectorFn for Mixed {
        fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
            let (a, b) = (x[0].clone(), x[1].clone());
            vec![
                a.clone() * b.clone(),
                a.clone().sin() + b.clone().powi(2),
                (a - b).abs(),
            ]
        }
    }

    /// ∂/∂(x, y) of `Mixed` by hand: (y, x), (cos x, 2y), (sign(x − y), −sign(x − y)).
    fn by_hand(x: f64, y: f64) -> Array2<f64> {
        let s = (x - y).signum();
        array![[y, x], [x.cos(), 2.0 * y], [s, -s]]
    }

    #[test]
    fn correct_derivatives_pass_by_forward_reverse_and_by_hand() {
        let p = CheckParams::default();
        for x in [[0.3, -1.2], [2.0, 0.5], [-40.0, 7.0]] {
            let report = check_jacobian(&Mixed, &x, &p).unwrap();
            assert!(report.passed(), "at {x:?}: {report}");
            assert_eq!(report.checked, 12);
            let given = check_given(&by_hand(x[0], x[1]), "hand", &Mixed, &x, &p).unwrap();
            assert!(given.passed(), "at {x:?}: {given}");
        }
    }

    #[test]
    fn a_wrong_entry_is_reported_with_its_indices_and_both_values() {
        // The classic slip: d/dx sin x written as −cos x.
        let x = [0.3, -1.2];
        let mut wrong = by_hand(x[0], x[1]);
        wrong[[1, 0]] = -x[0].cos();
        let report = check_given(&wrong, "hand", &Mixed, &x, &CheckParams::default()).unwrap();
        assert!(!report.passed());
        assert_eq!(report.mismatches.len(), 1, "{report}");
        let m = &report.mismatches[0];
        assert_eq!((m.output, m.input, m.analytic_by), (1, 0, "hand"));
        assert_eq!(m.analytic, -x[0].cos());
        assert!((m.numeric - x[0].cos()).abs() <= m.numeric_error);
        assert!(m.numeric_error < 1e-10);
        // |x − y| in row 2 makes every complex-step column non-analytic.
        assert_eq!(m.numeric_by, Method::Richardson);
        assert!(report.to_string().contains("1 of 6 entries disagree"));
    }

    #[test]
    fn errors_just_above_the_tolerance_are_caught_and_below_it_are_not() {
        let x = [2.0, 0.5];
        let p = CheckParams::default();
        for (factor, caught) in [(1.0 + 1e-4, true), (1.0 + 1e-9, false)] {
            let mut j = by_hand(x[0], x[1]);
            j[[0, 1]] *= factor;
            let report = check_given(&j, "hand", &Mixed, &x, &p).unwrap();
            assert_eq!(!report.passed(), caught, "factor {factor}: {report}");
        }
    }

    #[test]
    fn a_closure_on_f64_is_checked_against_richardson() {
        let f = |x: &[f64]| vec![(x[0] * x[1]).ln(), x[0] / x[1]];
        let x = [3.0, 0.25];
        let good = array![[1.0 / 3.0, 4.0], [4.0, -48.0]];
        let p = CheckParams::default();
        let report = check_closure(&good, "hand", f, &x, &p).unwrap();
        assert!(report.passed(), "{report}");
        let bad = array![[1.0 / 3.0, 4.0], [4.0, -47.9]];
        let report = check_closure(&bad, "hand", f, &x, &p).unwrap();
        assert_eq!(report.mismatches.len(), 1);
        assert_eq!(report.mismatches[0].numeric_by, Method::Richardson);
    }

    #[test]
    fn a_nan_derivative_is_a_mismatch_not_a_pass() {
        let x = [2.0, 0.5];
        let mut j = by_hand(x[0], x[1]);
        j[[2, 1]] = f64::NAN;
        let report = check_given(&j, "hand", &Mixed, &x, &CheckParams::default()).unwrap();
        assert_eq!(report.mismatches.len(), 1, "{report}");
    }

    /// (x + y, 1/(x − y)): a pole on the diagonal.
    struct Pole;
    impl VectorFn for Pole {
        fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
            let (a, b) = (x[0].clone(), x[1].clone());
            vec![a.clone() + b.clone(), (a - b).recip()]
        }
    }

    #[test]
    fn a_pure_analytic_function_is_checked_by_the_complex_step() {
        let mut wrong = array![[1.0, 1.0], [-1.0 / 4.0, 1.0 / 4.0]];
        wrong[[0, 0]] = 1.001;
        let report = check_given(&wrong, "hand", &Pole, &[3.0, 1.0], &CheckParams::default());
        let report = report.unwrap();
        assert_eq!(report.mismatches.len(), 1, "{report}");
        assert_eq!(report.mismatches[0].numeric_by, Method::ComplexStep);
    }

    #[test]
    fn entries_no_method_can_vouch_for_are_unverified() {
        // On the pole, f is infinite: no reference for the second row (the complex step
        // alone would give −1/h² there).
        let report = check_jacobian(&Pole, &[1.0, 1.0], &CheckParams::default()).unwrap();
        assert!(!report.passed());
        let row_1: Vec<_> = report.unverified.iter().filter(|u| u.output == 1).collect();
        assert_eq!(row_1.len(), 4, "{report}"); // 2 entries × forward, reverse
        assert!(report.mismatches.iter().all(|m| m.output == 0), "{report}");
    }

    #[test]
    fn a_jacobian_of_the_wrong_shape_is_an_error_naming_it() {
        let err = check_given(
            &array![[1.0, 2.0]],
            "hand",
            &Mixed,
            &[1.0, 2.0],
            &CheckParams::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("analytic Jacobian's rows"),
            "{err}"
        );
    }
}
