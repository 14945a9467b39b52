//! The verbs on `f: ℝ → ℝ`: `derivative`, `second_derivative`, `nth_derivative`.

use super::traced;
use crate::method::{Backend, MethodError, Outcome};
use crate::numeric::{self, complex_step};
use crate::{ScalarFn, forward, reverse};

impl Backend {
    /// Returns `f(x)` and `f⁽ⁿ⁾(x)`.
    ///
    /// # Errors
    /// [`MethodError::UnsupportedOrder`] for `n = 0` or an order above
    /// [`max_order`](Backend::max_order); [`MethodError::Length`] if `f` is not a function
    /// of one variable ([`ScalarFn::check_arity`]); [`MethodError::Numeric`] if a numeric
    /// backend rejects `x`; [`MethodError::Eval`] if a symbolic derivative cannot be
    /// evaluated.
    ///
    /// ```
    /// use weifen::method::Backend;
    /// use weifen::{Scalar, ScalarFn};
    ///
    /// struct Sin;
    /// impl ScalarFn for Sin {
    ///     fn eval<S: Scalar>(&self, x: S) -> S {
    ///         x.sin()
    ///     }
    /// }
    /// let (y, d3) = Backend::Reverse.value_and_nth_derivative(&Sin, 0.0, 3).unwrap();
    /// assert_eq!((y, d3.derivative), (0.0, -1.0)); // sin‴ = −cos
    /// ```
    pub fn value_and_nth_derivative(
        &self,
        f: &impl ScalarFn,
        x: f64,
        n: usize,
    ) -> Result<(f64, Outcome<f64>), MethodError> {
        f.check_arity()?;
        self.check_order(n)?;
        let value = f.eval(x);
        let exact = |d| Ok((value, Outcome::exact(self.clone(), d)));
        match self {
            Backend::Forward => match n {
                1 => exact(forward::derivative(|x| f.eval(x), x)),
                2 => exact(forward::second_derivative(|x| f.eval(x), x)),
                _ => exact(forward::nth_derivative(|x| f.eval(x), x, n)),
            },
            Backend::Reverse => match n {
                1 => exact(reverse::derivative(|x| f.eval(x), x)),
                2 => exact(reverse::second_derivative(|x| f.eval(x), x)),
                // Reverse over Taylor: a jet of tape variables.
                _ => exact(reverse::nth_derivative(|x| f.eval(x), x, n)),
            },
            Backend::Numeric(p) => {
                let e = numeric::nth_derivative_with(|x| f.eval(x), x, n, p)?;
                Ok((value, Outcome::estimated(self.clone(), e)))
            }
            // `check_order` has let only n = 1 through.
            Backend::ComplexStep => {
                let e = complex_step::derivative_given_value(|x| f.eval(x), x, value)?;
                Ok((value, Outcome::estimated(self.clone(), e)))
            }
            Backend::Symbolic => exact(traced::nth_derivative(f, x, n)?),
            Backend::Auto => Backend::Forward.value_and_nth_derivative(f, x, n),
        }
    }

    /// Returns `f⁽ⁿ⁾(x)`.
    ///
    /// # Errors
    /// As [`value_and_nth_derivative`](Backend::value_and_nth_derivative).
    pub fn nth_derivative(
        &self,
        f: &impl ScalarFn,
        x: f64,
        n: usize,
    ) -> Result<Outcome<f64>, MethodError> {
        Ok(self.value_and_nth_derivative(f, x, n)?.1)
    }

    /// Returns `f(x)` and `f′(x)`.
    ///
    /// # Errors
    /// As [`value_and_nth_derivative`](Backend::value_and_nth_derivative).
    pub fn value_and_derivative(
        &self,
        f: &impl ScalarFn,
        x: f64,
    ) -> Result<(f64, Outcome<f64>), MethodError> {
        self.value_and_nth_derivative(f, x, 1)
    }

    /// Returns `f′(x)`.
    ///
    /// # Errors
    /// As [`value_and_nth_derivative`](Backend::value_and_nth_derivative).
    pub fn derivative(&self, f: &impl ScalarFn, x: f64) -> Result<Outcome<f64>, MethodError> {
        self.nth_derivative(f, x, 1)
    }

    /// Returns `f(x)` and `f″(x)`.
    ///
    /// # Errors
    /// As [`value_and_nth_derivative`](Backend::value_and_nth_derivative); the complex step
    /// has no second derivative ([`MethodError::UnsupportedOrder`]).
    pub fn value_and_second_derivative(
        &self,
        f: &impl ScalarFn,
        x: f64,
    ) -> Result<(f64, Outcome<f64>), MethodError> {
        self.value_and_nth_derivative(f, x, 2)
    }

    /// Returns `f″(x)`.
    ///
    /// # Errors
    /// As [`value_and_second_derivative`](Backend::value_and_second_derivative).
    pub fn second_derivative(
        &self,
        f: &impl ScalarFn,
        x: f64,
    ) -> Result<Outcome<f64>, MethodError> {
        self.nth_derivative(f, x, 2)
    }
}
