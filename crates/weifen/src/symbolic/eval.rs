//! Evaluation through the scalar trait: by name ([`Expr::eval`]) or by position
//! ([`Formula`], which every method's operators accept).

use super::compile::Program;
use super::error::EvalError;
use super::expr::Expr;
use crate::{MultivariateFn, Scalar, ScalarFn, VectorFn};

impl Expr {
    /// The value with each variable bound by name, on any [`Scalar`]. Division by zero and
    /// domain errors follow IEEE (`1/0 = inf`, `ln(-1) = NaN`).
    ///
    /// # Errors
    /// [`EvalError::UnknownVariable`] naming a variable that has no value.
    ///
    /// ```
    /// use weifen::symbolic::{EvalError, Expr};
    ///
    /// let f: Expr = "x/y".parse().unwrap();
    /// assert_eq!(f.eval(&[("x", 1.0), ("y", 4.0)]), Ok(0.25));
    /// assert_eq!(f.eval(&[("x", 1.0), ("y", 0.0)]), Ok(f64::INFINITY));
    /// assert_eq!(
    ///     f.eval(&[("x", 1.0)]),
    ///     Err(EvalError::UnknownVariable { name: "y".into() })
    /// );
    /// ```
    pub fn eval<S: Scalar>(&self, bindings: &[(&str, S)]) -> Result<S, EvalError> {
        let names: Vec<&str> = bindings.iter().map(|(n, _)| *n).collect();
        let values: Vec<S> = bindings.iter().map(|(_, v)| v.clone()).collect();
        let mut out = Program::new(std::slice::from_ref(self), &names)?.eval_scalar(&values)?;
        Ok(out.swap_remove(0))
    }
}

/// Expressions with an ordered list of variables: a function that every method can
/// differentiate, through [`ScalarFn`] (one variable, one output), [`MultivariateFn`] (one
/// output) and [`VectorFn`].
///
/// The three traits share the method name `eval`: import the one you use, or call it as
/// `MultivariateFn::eval(&f, x)`.
///
/// ```
/// use weifen::symbolic::{Expr, Formula};
/// use weifen::{forward, reverse, MultivariateFn};
///
/// let f: Expr = "x^2*y + sin(y)".parse().unwrap();
/// let formula = Formula::new(&[f], &["x", "y"]).unwrap();
/// let x = [1.5, 0.5];
/// let by_forward = forward::gradient(|x| formula.eval(x), &x);
/// let by_reverse = reverse::gradient(|x| formula.eval(x), &x);
/// let exact = [2.0 * 1.5 * 0.5, 1.5 * 1.5 + 0.5f64.cos()];
/// assert_eq!(by_forward, exact);
/// assert_eq!(by_reverse, exact);
/// ```
#[derive(Clone, Debug)]
pub struct Formula {
    outputs: Vec<Expr>,
    program: Program,
}

impl Formula {
    /// The function `variables ↦ outputs`.
    ///
    /// # Errors
    /// [`EvalError::UnknownVariable`] if an output uses a variable not in `variables`.
    pub fn new(outputs: &[Expr], variables: &[&str]) -> Result<Formula, EvalError> {
        Ok(Formula {
            outputs: outputs.to_vec(),
            program: Program::new(outputs, variables)?,
        })
    }

    /// The outputs.
    pub fn outputs(&self) -> &[Expr] {
        &self.outputs
    }

    /// The variables, in the order their values are given.
    pub fn variables(&self) -> &[String] {
        self.program.variables()
    }

    /// The compiled form.
    pub fn program(&self) -> &Program {
        &self.program
    }

    #[track_caller]
    fn outputs_at<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        match self.program.eval_scalar(x) {
            Ok(y) => y,
            Err(e) => panic!("{e}"),
        }
    }

    #[track_caller]
    fn single<S: Scalar>(&self, x: &[S]) -> S {
        assert_eq!(
            self.outputs.len(),
            1,
            "the formula has {} outputs, not one",
            self.outputs.len()
        );
        self.outputs_at(x).swap_remove(0)
    }
}

/// **Panics** unless the formula has one variable and one output.
impl ScalarFn for Formula {
    fn eval<S: Scalar>(&self, x: S) -> S {
        self.single(&[x])
    }
}

/// **Panics** unless the formula has one output and `x` one value per variable.
impl MultivariateFn for Formula {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        self.single(x)
    }
}

/// **Panics** unless `x` has one value per variable.
impl VectorFn for Formula {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        self.outputs_at(x)
    }
}
