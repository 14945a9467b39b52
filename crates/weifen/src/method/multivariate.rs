//! Gradients, Hessians and Jacobians of formulas by a method named at run time: the grid's
//! verbs on a [`Formula`] of the variables `vars`.

use super::{Method, MethodError, Outcome};
use crate::numeric;
use crate::symbolic::{Expr, Formula};
use ndarray::Array2;

/// A gradient at a point, by one method.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradient {
    /// The method that computed it (`Auto` resolved).
    pub method: Method,
    /// `f` at the point.
    pub value: f64,
    /// `∇f`, one entry per variable.
    pub gradient: Vec<f64>,
    /// The error estimate per entry (`None` for exact methods).
    pub error: Option<Vec<f64>>,
    /// The evaluations of `f` (`None` for exact methods).
    pub evaluations: Option<usize>,
    /// What a numeric estimate says about itself (`Ok` for exact methods).
    pub status: numeric::Status,
}

/// A matrix of derivatives (a Hessian or a Jacobian), by one method.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    /// The method that computed it (`Auto` resolved).
    pub method: Method,
    /// The matrix.
    pub value: Array2<f64>,
    /// The error estimate per entry (`None` for exact methods).
    pub error: Option<Array2<f64>>,
    /// The evaluations of `f` (`None` for exact methods).
    pub evaluations: Option<usize>,
    /// What a numeric estimate says about itself (`Ok` for exact methods).
    pub status: numeric::Status,
}

/// A Jacobian with the outputs it differentiates.
#[derive(Clone, Debug, PartialEq)]
pub struct Jacobian {
    /// The outputs at the point.
    pub values: Vec<f64>,
    /// `J[i][j] = ∂fᵢ/∂xⱼ`: one row per output.
    pub jacobian: Matrix,
}

/// Returns `f(x)` and `∇f(x)`, the variables in the order of `vars` (`Auto`: reverse mode).
///
/// # Errors
/// [`MethodError::Eval`] if `f` uses a variable not in `vars` or `x` has another length;
/// [`MethodError::Numeric`] if a finite-difference method rejects the point.
///
/// ```
/// use weifen::method::{self, Method};
///
/// let f = "x*y^2".parse().unwrap();
/// let g = method::gradient(&f, &["x", "y"], &[3.0, 2.0], Method::Symbolic).unwrap();
/// assert_eq!(g.gradient, vec![4.0, 12.0]);
/// ```
pub fn gradient(
    f: &Expr,
    vars: &[&str],
    x: &[f64],
    method: Method,
) -> Result<Gradient, MethodError> {
    let formula = Formula::new(std::slice::from_ref(f), vars)?;
    let (value, g) = method.backend().value_and_gradient(&formula, x)?;
    Ok(Gradient {
        method: g.backend.preset().unwrap_or(method),
        value,
        gradient: g.derivative,
        error: g.error,
        evaluations: g.evaluations,
        status: g.status,
    })
}

/// Returns the Hessian of `f` at `x` (`Auto`: reverse over forward mode).
///
/// # Errors
/// As [`gradient`], and [`MethodError::Unsupported`] for the complex step, or a
/// finite-difference scheme other than central (the numeric Hessian is central).
pub fn hessian(f: &Expr, vars: &[&str], x: &[f64], method: Method) -> Result<Matrix, MethodError> {
    let formula = Formula::new(std::slice::from_ref(f), vars)?;
    Ok(Matrix::new(method.backend().hessian(&formula, x)?, method))
}

/// Returns the outputs of `fs` at `x` and their Jacobian, one row per output (`Auto`:
/// forward mode).
///
/// # Errors
/// As [`gradient`].
///
/// ```
/// use weifen::method::{self, Method};
///
/// let fs = ["x^2 + y".parse().unwrap(), "y*z".parse().unwrap()];
/// let j = method::jacobian(&fs, &["x", "y", "z"], &[1.0, 2.0, 3.0], Method::Auto).unwrap();
/// assert_eq!(j.values, vec![3.0, 6.0]);
/// assert_eq!(j.jacobian.value, ndarray::array![[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]);
/// ```
pub fn jacobian(
    fs: &[Expr],
    vars: &[&str],
    x: &[f64],
    method: Method,
) -> Result<Jacobian, MethodError> {
    let formula = Formula::new(fs, vars)?;
    let (values, j) = method.backend().value_and_jacobian(&formula, x)?;
    Ok(Jacobian {
        values,
        jacobian: Matrix::new(j, method),
    })
}

impl Matrix {
    /// The grid's outcome, `method` being the method asked for (its choice for `Auto`).
    fn new(m: Outcome<Array2<f64>>, method: Method) -> Matrix {
        Matrix {
            method: m.backend.preset().unwrap_or(method),
            value: m.derivative,
            error: m.error,
            evaluations: m.evaluations,
            status: m.status,
        }
    }
}
