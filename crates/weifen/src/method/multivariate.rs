//! Gradients, Hessians and Jacobians of formulas by a method chosen at run time.

use super::{Method, MethodError};
use crate::numeric::{self, Estimate, complex_step};
use crate::symbolic::{self, Expr, Formula};
use crate::{MultivariateFn, VectorFn, forward, reverse};
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
    let value = formula.program().eval(x)?[0];
    let mut out = Gradient {
        method,
        value,
        gradient: Vec::new(),
        error: None,
        evaluations: None,
        status: numeric::Status::Ok,
    };
    let estimate = match method {
        Method::Symbolic => {
            let d = symbolic::gradient(f, vars);
            out.gradient = Formula::new(&d, vars)?.program().eval(x)?;
            None
        }
        Method::Forward => {
            out.gradient = forward::gradient(|x| MultivariateFn::eval(&formula, x), x);
            None
        }
        Method::Reverse | Method::Auto => {
            out.method = Method::Reverse;
            out.gradient = reverse::gradient(|x| MultivariateFn::eval(&formula, x), x);
            None
        }
        Method::ComplexStep => Some(complex_step::gradient(
            |x| MultivariateFn::eval(&formula, x),
            x,
        )?),
        m => Some(numeric::gradient_with(
            |x| MultivariateFn::eval(&formula, x),
            x,
            &m.params().expect("numeric"),
        )?),
    };
    if let Some(e) = estimate {
        out.gradient = e.value;
        out.error = Some(e.error);
        out.evaluations = Some(e.evaluations);
        out.status = e.status;
    }
    Ok(out)
}

/// Returns the Hessian of `f` at `x` (`Auto`: reverse over forward mode).
///
/// # Errors
/// As [`gradient`], and [`MethodError::Unsupported`] for the complex step, or a
/// finite-difference scheme other than central (the numeric Hessian is central).
pub fn hessian(f: &Expr, vars: &[&str], x: &[f64], method: Method) -> Result<Matrix, MethodError> {
    let formula = Formula::new(std::slice::from_ref(f), vars)?;
    formula.program().eval(x)?;
    let exact = |method, value| Matrix {
        method,
        value,
        error: None,
        evaluations: None,
        status: numeric::Status::Ok,
    };
    Ok(match method {
        Method::Symbolic => {
            let rows = symbolic::hessian(f, vars);
            exact(method, evaluate(&rows, vars, x)?)
        }
        Method::Forward => exact(
            method,
            forward::hessian(|x| MultivariateFn::eval(&formula, x), x),
        ),
        Method::Reverse | Method::Auto => exact(
            Method::Reverse,
            reverse::hessian(|x| MultivariateFn::eval(&formula, x), x),
        ),
        Method::ComplexStep => {
            return Err(MethodError::Unsupported {
                method: method.name(),
                what: "Hessians",
            });
        }
        Method::Central | Method::Richardson => {
            let e = numeric::hessian_with(
                |x| MultivariateFn::eval(&formula, x),
                x,
                &method.params().expect("numeric"),
            )?;
            estimated(method, e)
        }
        _ => {
            return Err(MethodError::Unsupported {
                method: method.name(),
                what: "Hessians (the numeric Hessian is central: use central or richardson)",
            });
        }
    })
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
    let values = formula.program().eval(x)?;
    let exact = |method, value| Matrix {
        method,
        value,
        error: None,
        evaluations: None,
        status: numeric::Status::Ok,
    };
    let jacobian = match method {
        Method::Symbolic => exact(method, evaluate(&symbolic::jacobian(fs, vars), vars, x)?),
        Method::Forward | Method::Auto => exact(
            Method::Forward,
            forward::jacobian(|x| VectorFn::eval(&formula, x), x),
        ),
        Method::Reverse => exact(
            method,
            reverse::jacobian(|x| VectorFn::eval(&formula, x), x),
        ),
        Method::ComplexStep => {
            // One complex step per input: column j is J·eⱼ.
            let (m, n) = (values.len(), x.len());
            let mut out = Estimate {
                value: Array2::zeros((m, n)),
                error: Array2::zeros((m, n)),
                evaluations: 0,
                status: numeric::Status::Ok,
            };
            for j in 0..n {
                let mut e = vec![0.0; n];
                e[j] = 1.0;
                let col = complex_step::jvp(|x| VectorFn::eval(&formula, x), x, &e)?;
                for i in 0..m {
                    out.value[[i, j]] = col.value[i];
                    out.error[[i, j]] = col.error[i];
                }
                out.evaluations += col.evaluations;
                if out.status == numeric::Status::Ok {
                    out.status = col.status;
                }
            }
            estimated(method, out)
        }
        m => estimated(
            m,
            numeric::jacobian_with(
                |x| VectorFn::eval(&formula, x),
                x,
                &m.params().expect("numeric"),
            )?,
        ),
    };
    Ok(Jacobian { values, jacobian })
}

fn estimated(method: Method, e: Estimate<Array2<f64>>) -> Matrix {
    Matrix {
        method,
        value: e.value,
        error: Some(e.error),
        evaluations: Some(e.evaluations),
        status: e.status,
    }
}

/// Evaluates a matrix of expressions at `x` through one compiled program.
fn evaluate(rows: &[Vec<Expr>], vars: &[&str], x: &[f64]) -> Result<Array2<f64>, MethodError> {
    let m = rows.len();
    let n = rows.first().map_or(0, Vec::len);
    let flat: Vec<Expr> = rows.iter().flatten().cloned().collect();
    let values = Formula::new(&flat, vars)?.program().eval(x)?;
    Ok(Array2::from_shape_vec((m, n), values).expect("m·n entries"))
}
