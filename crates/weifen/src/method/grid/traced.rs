//! The symbolic backend on a function written once: evaluate it on the variables
//! `x0, x1, …` (expressions implement `Scalar`), differentiate the expression it builds, and
//! evaluate the derivative through one compiled program.

use crate::method::MethodError;
use crate::symbolic::{self, Expr, Formula};
use crate::{MultivariateFn, ScalarFn, VectorFn};
use ndarray::Array2;

/// `f⁽ⁿ⁾(x)` from the expression of `f`.
pub(super) fn nth_derivative(f: &impl ScalarFn, x: f64, n: usize) -> Result<f64, MethodError> {
    let e = f.eval(Expr::var("x")).nth_diff("x", n);
    // Through a compiled program, which re-evaluates points whose powers leave f64.
    Ok(symbolic::Program::new(&[e], &["x"])?.eval(&[x])?[0])
}

/// `∇f(x)` from the expression of `f`.
pub(super) fn gradient(f: &impl MultivariateFn, x: &[f64]) -> Result<Vec<f64>, MethodError> {
    let inputs = Inputs::new(x.len());
    let e = f.eval(&inputs.vars);
    inputs.evaluate(&symbolic::gradient(&e, &inputs.names()), x)
}

/// `∇²f(x)` from the expression of `f`.
pub(super) fn hessian(f: &impl MultivariateFn, x: &[f64]) -> Result<Array2<f64>, MethodError> {
    let inputs = Inputs::new(x.len());
    let e = f.eval(&inputs.vars);
    inputs.matrix(&symbolic::hessian(&e, &inputs.names()), x)
}

/// `J_f(x)` from the expressions of `f`'s outputs.
pub(super) fn jacobian(f: &impl VectorFn, x: &[f64]) -> Result<Array2<f64>, MethodError> {
    let inputs = Inputs::new(x.len());
    let outputs = f.eval(&inputs.vars);
    inputs.matrix(&symbolic::jacobian(&outputs, &inputs.names()), x)
}

/// The variables `x0, x1, …` a function is traced on.
struct Inputs {
    names: Vec<String>,
    vars: Vec<Expr>,
}

impl Inputs {
    fn new(n: usize) -> Inputs {
        let names: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
        let vars = names.iter().map(|name| Expr::var(name)).collect();
        Inputs { names, vars }
    }

    fn names(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    fn evaluate(&self, exprs: &[Expr], x: &[f64]) -> Result<Vec<f64>, MethodError> {
        Ok(Formula::new(exprs, &self.names())?.program().eval(x)?)
    }

    /// A matrix of expressions (rows of equal length) evaluated at `x`.
    fn matrix(&self, rows: &[Vec<Expr>], x: &[f64]) -> Result<Array2<f64>, MethodError> {
        let flat: Vec<Expr> = rows.iter().flatten().cloned().collect();
        let values = self.evaluate(&flat, x)?;
        let columns = if rows.is_empty() {
            x.len()
        } else {
            values.len() / rows.len()
        };
        Ok(Array2::from_shape_fn((rows.len(), columns), |(i, j)| {
            values[i * columns + j]
        }))
    }
}
