//! Functions written once, evaluated by every method.
//!
//! Rust closures cannot be generic, so a function that every method can evaluate is either
//! a generic `fn` item (`fn f<S: Scalar>(x: S) -> S`), which each operator instantiates with
//! its own scalar type (`forward::derivative(f, x)`, and the same call under another method's
//! path), or a value of a type implementing one of these traits. The traits are for what a
//! generic `fn` cannot be: functions that carry data (parameters, a parsed formula) and
//! functions chosen at run time. Pass one to an operator as `|x| f.eval(x)`.

use crate::{LengthError, Scalar};

/// A function `ℝ → ℝ` that every method can evaluate.
///
/// ```
/// use weifen::{forward, Scalar, ScalarFn};
///
/// /// A Gaussian bump centred at `mu`.
/// struct Bump {
///     mu: f64,
/// }
///
/// impl ScalarFn for Bump {
///     fn eval<S: Scalar>(&self, x: S) -> S {
///         ((x - self.mu).powi(2) * -0.5).exp()
///     }
/// }
///
/// let bump = Bump { mu: 1.0 };
/// let d = forward::derivative(|x| bump.eval(x), 2.0);
/// assert!((d - (-(-0.5f64).exp())).abs() < 1e-15); // −(x−μ)·e^{−(x−μ)²/2}
/// ```
pub trait ScalarFn {
    /// `f(x)`.
    fn eval<S: Scalar>(&self, x: S) -> S;

    /// Whether `f` is a function of one variable with one output. The default says yes;
    /// a function whose shape is known only at run time (a parsed formula) overrides it,
    /// and every verb of [`Backend`](crate::method::Backend) asks it first.
    ///
    /// # Errors
    /// A [`LengthError`] naming the inputs or outputs that do not match.
    fn check_arity(&self) -> Result<(), LengthError> {
        Ok(())
    }
}

/// A function `ℝⁿ → ℝ` (an objective: gradients, Hessians).
pub trait MultivariateFn {
    /// `f(x)`.
    fn eval<S: Scalar>(&self, x: &[S]) -> S;

    /// Whether `f` takes `inputs` values to one output (default: yes); see
    /// [`ScalarFn::check_arity`].
    ///
    /// # Errors
    /// A [`LengthError`] naming the inputs or outputs that do not match.
    fn check_arity(&self, inputs: usize) -> Result<(), LengthError> {
        let _ = inputs;
        Ok(())
    }
}

/// A function `ℝⁿ → ℝᵐ` (a map: Jacobians, JVPs).
pub trait VectorFn {
    /// `f(x)`, of a length that depends only on the length of `x`.
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S>;

    /// Whether `f` takes `inputs` values (default: yes); see [`ScalarFn::check_arity`].
    ///
    /// # Errors
    /// A [`LengthError`] naming the inputs that do not match.
    fn check_arity(&self, inputs: usize) -> Result<(), LengthError> {
        let _ = inputs;
        Ok(())
    }
}
