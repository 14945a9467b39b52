//! Univariate derivatives of any order by a method chosen at run time.

use super::{Method, MethodError};
use crate::numeric::Status;
use crate::symbolic::{Expr, Formula, Program};
use crate::{MultivariateFn, Scalar, ScalarFn};

/// A derivative of a formula at a point, by one method.
#[derive(Clone, Debug, PartialEq)]
pub struct Derivative {
    /// The method that computed it (`Auto` resolved to the method it chose).
    pub method: Method,
    /// `f` at the point.
    pub value: f64,
    /// The derivative.
    pub derivative: f64,
    /// The finite-difference or complex-step error estimate (`None` for exact methods).
    pub error: Option<f64>,
    /// The evaluations of `f` it cost (`None` for automatic and symbolic differentiation).
    pub evaluations: Option<usize>,
    /// What the estimate says about itself (`Ok` for exact methods).
    pub status: Status,
    /// The derivative as a formula (symbolic only).
    pub expression: Option<Expr>,
}

/// Returns the derivative of order `order` of `f` with respect to `var` at the point `at`
/// (every variable of `f`, and `var`, bound by name), by `method`.
///
/// # Errors
/// [`MethodError::UnsupportedOrder`] for an order the method cannot give (see
/// [`Method::max_order`]); [`MethodError::Eval`] naming a variable without a value;
/// [`MethodError::Numeric`] when a finite-difference method rejects the point.
///
/// ```
/// use weifen::method::{self, Method};
/// use weifen::symbolic::Expr;
///
/// let f: Expr = "sin(x)".parse().unwrap();
/// let d = method::derivative(&f, "x", &[("x", 0.0)], 3, Method::Reverse).unwrap();
/// assert_eq!(d.derivative, -1.0); // −cos 0
/// ```
pub fn derivative(
    f: &Expr,
    var: &str,
    at: &[(&str, f64)],
    order: usize,
    method: Method,
) -> Result<Derivative, MethodError> {
    derivative_of(f, &Slice::new(f, var, at)?, at, order, method)
}

/// [`derivative`] at each value of `var` in `xs` (the other variables fixed at their values
/// in `at`), with the formula compiled once, and for `Symbolic` the derivative built and
/// compiled once: what a plot needs.
///
/// # Errors
/// As [`derivative`].
///
/// ```
/// use weifen::method::{self, Method};
///
/// let f = "x^2*y".parse().unwrap();
/// let at = [("x", 0.0), ("y", 3.0)];
/// let ds = method::derivative_along(&f, "x", &at, &[1.0, 2.0], 1, Method::Symbolic).unwrap();
/// let slopes: Vec<f64> = ds.iter().map(|d| d.derivative).collect();
/// assert_eq!(slopes, vec![6.0, 12.0]); // 2xy
/// ```
pub fn derivative_along(
    f: &Expr,
    var: &str,
    at: &[(&str, f64)],
    xs: &[f64],
    order: usize,
    method: Method,
) -> Result<Vec<Derivative>, MethodError> {
    let mut slice = Slice::new(f, var, at)?;
    if method != Method::Symbolic {
        return xs
            .iter()
            .map(|&x| {
                slice.point[slice.index] = x;
                derivative_of(f, &slice, at, order, method)
            })
            .collect();
    }
    method.backend().check_order(order)?;
    let d = f.nth_diff(var, order);
    let names: Vec<&str> = at.iter().map(|(n, _)| *n).collect();
    let both = Formula::new(&[f.clone(), d.clone()], &names)?;
    xs.iter()
        .map(|&x| {
            slice.point[slice.index] = x;
            let y = both.program().eval(&slice.point)?;
            Ok(Derivative {
                method,
                value: y[0],
                derivative: y[1],
                error: None,
                evaluations: None,
                status: Status::Ok,
                expression: Some(d.clone()),
            })
        })
        .collect()
}

/// [`derivative`] with the formula already compiled as a function of `var`: what
/// [`compare`](super::compare) times, so that compiling the formula is not charged to a
/// method.
pub(super) fn derivative_of(
    f: &Expr,
    slice: &Slice,
    at: &[(&str, f64)],
    order: usize,
    method: Method,
) -> Result<Derivative, MethodError> {
    if method != Method::Symbolic {
        return derivative_fn(slice, slice.x(), order, method);
    }
    method.backend().check_order(order)?;
    let e = f.nth_diff(&slice.var, order);
    // Through a compiled program, which re-evaluates points whose powers leave f64.
    let (names, values): (Vec<&str>, Vec<f64>) = at.iter().copied().unzip();
    let derivative = Program::new(std::slice::from_ref(&e), &names)?.eval(&values)?[0];
    Ok(Derivative {
        method,
        value: slice.eval(slice.x()),
        derivative,
        error: None,
        evaluations: None,
        status: Status::Ok,
        expression: Some(e),
    })
}

/// Returns `f⁽ᵏ⁾(x)` (`k = order`) of a function written once, by `method`: the grid's
/// [`Backend::value_and_nth_derivative`](super::Backend::value_and_nth_derivative) in the
/// shape of a [`Derivative`].
///
/// # Errors
/// [`MethodError::UnsupportedOrder`] for an order the method cannot give;
/// [`MethodError::Numeric`] when a finite-difference method rejects `x`.
///
/// ```
/// use weifen::method::{self, Method};
/// use weifen::{Scalar, ScalarFn};
///
/// struct Cube;
/// impl ScalarFn for Cube {
///     fn eval<S: Scalar>(&self, x: S) -> S {
///         x.powi(3)
///     }
/// }
/// for m in [Method::Symbolic, Method::Reverse, Method::Richardson] {
///     let d = method::derivative_fn(&Cube, 2.0, 2, m).unwrap();
///     assert!((d.derivative - 12.0).abs() < 1e-6, "{m}"); // 6x
/// }
/// ```
pub fn derivative_fn(
    f: &impl ScalarFn,
    x: f64,
    order: usize,
    method: Method,
) -> Result<Derivative, MethodError> {
    let (value, d) = method.backend().value_and_nth_derivative(f, x, order)?;
    Ok(Derivative {
        method: d.backend.preset().unwrap_or(method),
        value,
        derivative: d.derivative,
        error: d.error,
        evaluations: d.evaluations,
        status: d.status,
        expression: None,
    })
}

/// A formula as a function of one of its variables, the others fixed at a point: a
/// [`ScalarFn`] every method can evaluate.
///
/// ```
/// use weifen::method::Slice;
/// use weifen::ScalarFn;
///
/// let f = "x*y".parse().unwrap();
/// let g = Slice::new(&f, "x", &[("x", 1.0), ("y", 3.0)]).unwrap();
/// assert_eq!((g.x(), g.eval(2.0)), (1.0, 6.0));
/// ```
pub struct Slice {
    formula: Formula,
    var: String,
    index: usize,
    point: Vec<f64>,
}

impl Slice {
    /// `f` as a function of `var`, the other variables fixed at their values in `at`.
    ///
    /// # Errors
    /// [`MethodError::Eval`] naming `var` or another variable of `f` without a value.
    pub fn new(f: &Expr, var: &str, at: &[(&str, f64)]) -> Result<Slice, MethodError> {
        let names: Vec<&str> = at.iter().map(|(n, _)| *n).collect();
        let index = names.iter().position(|n| *n == var).ok_or_else(|| {
            crate::symbolic::EvalError::UnknownVariable {
                name: var.to_string(),
            }
        })?;
        Ok(Slice {
            formula: Formula::new(std::slice::from_ref(f), &names)?,
            var: var.to_string(),
            index,
            point: at.iter().map(|(_, v)| *v).collect(),
        })
    }

    /// The value of the free variable at the point.
    pub fn x(&self) -> f64 {
        self.point[self.index]
    }
}

impl ScalarFn for Slice {
    fn eval<S: Scalar>(&self, x: S) -> S {
        let args: Vec<S> = self
            .point
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if i == self.index {
                    x.clone()
                } else {
                    S::constant(v)
                }
            })
            .collect();
        MultivariateFn::eval(&self.formula, &args)
    }
}
