//! Evaluation through the scalar trait: by name ([`Expr::eval`]) or by position
//! ([`Formula`], which every method's operators accept).

use super::compile::Program;
use super::error::EvalError;
use super::expr::Expr;
use crate::error::check_length;
use crate::{LengthError, MultivariateFn, Scalar, ScalarFn, VectorFn};

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

    /// Checks that the formula takes `inputs` values (one per variable) and, when `single`,
    /// has one output.
    ///
    /// # Errors
    /// A [`LengthError`] naming the count that does not match.
    ///
    /// ```
    /// use weifen::symbolic::Formula;
    ///
    /// let f = Formula::new(&["x*y".parse().unwrap()], &["x", "y"]).unwrap();
    /// assert!(f.check(2, true).is_ok());
    /// let err = f.check(3, true).unwrap_err();
    /// assert_eq!((err.expected, err.found), (2, 3));
    /// ```
    pub fn check(&self, inputs: usize, single: bool) -> Result<(), LengthError> {
        check_length(
            "the point x",
            "the formula's list of variables",
            self.variables().len(),
            inputs,
        )?;
        match single {
            true => check_length(
                "the formula's list of outputs",
                "the one output of a function ℝⁿ → ℝ",
                1,
                self.outputs.len(),
            ),
            false => Ok(()),
        }
    }

    /// The outputs at `x`.
    ///
    /// # Panics
    /// If `x` has not one value per variable: a programming error, since every operator of
    /// [`Backend`](crate::method::Backend) calls [`check`](Formula::check) first (through the
    /// traits' `check_arity`); call it yourself before passing a formula to a module operator.
    #[track_caller]
    fn outputs_at<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        match self.program.eval_scalar(x) {
            Ok(y) => y,
            Err(e) => panic!("{e}"),
        }
    }

    #[track_caller]
    fn single<S: Scalar>(&self, x: &[S]) -> S {
        if let Err(e) = check_length(
            "the formula's list of outputs",
            "the one output of a function ℝⁿ → ℝ",
            1,
            self.outputs.len(),
        ) {
            panic!("{e}");
        }
        self.outputs_at(x).swap_remove(0)
    }
}

/// # Panics
/// Unless the formula has one variable and one output; [`ScalarFn::check_arity`] says which.
impl ScalarFn for Formula {
    fn eval<S: Scalar>(&self, x: S) -> S {
        self.single(&[x])
    }

    fn check_arity(&self) -> Result<(), LengthError> {
        self.check(1, true)
    }
}

/// # Panics
/// Unless the formula has one output and `x` one value per variable;
/// [`MultivariateFn::check_arity`] says which.
impl MultivariateFn for Formula {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        self.single(x)
    }

    fn check_arity(&self, inputs: usize) -> Result<(), LengthError> {
        self.check(inputs, true)
    }
}

/// # Panics
/// Unless `x` has one value per variable; [`VectorFn::check_arity`] says so.
impl VectorFn for Formula {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        self.outputs_at(x)
    }

    fn check_arity(&self, inputs: usize) -> Result<(), LengthError> {
        self.check(inputs, false)
    }
}
