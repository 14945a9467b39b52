//! The checks: forward and reverse Jacobians, gradients, and Jacobians the caller computed.

use super::reference::Reference;
use super::report::Report;
use crate::numeric::{NumericError, Params};
use crate::{MultivariateFn, VectorFn, forward, reverse};
use ndarray::Array2;

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

/// Checks the forward-mode and reverse-mode Jacobians of `f` at `x` against finite
/// differences.
///
/// # Errors
/// [`NumericError::NonFinitePoint`] for a coordinate of `x` that is not finite, and the
/// errors of [`numeric::jacobian_with`](crate::numeric::jacobian_with) for the parameters of the reference.
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
    let reference = Reference::of_closure(f, x, params)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;
    use crate::method::Method;
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
    fn a_check_at_many_points_names_the_points_that_failed() {
        let points = vec![vec![3.0, 1.0], vec![1.0, 1.0], vec![-2.0, 0.5]];
        let report = super::super::check_jacobian_at(&Pole, &points, &CheckParams::default());
        let report = report.unwrap();
        assert_eq!(report.points, vec![1], "{report}");
        assert_eq!(report.checked, 3 * 4 * 2);
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
