//! The verbs on an objective `f: ℝⁿ → ℝ`: `gradient`, `hessian`, `hvp`, and
//! `value_gradient_and_hessian`.

use super::{compose, traced};
use crate::error::check_length;
use crate::method::{Backend, MethodError, Outcome, Verb};
use crate::numeric::{self, Params, Scheme, complex_step};
use crate::{MultivariateFn, forward, reverse};
use ndarray::Array2;

impl Backend {
    /// Returns `f(x)` and `∇f(x)`.
    ///
    /// # Errors
    /// [`MethodError::Length`] if `f` does not take `x.len()` inputs to one output
    /// ([`MultivariateFn::check_arity`]); [`MethodError::Numeric`] if a numeric backend
    /// rejects `x`; [`MethodError::Eval`] if a symbolic derivative cannot be evaluated.
    pub fn value_and_gradient(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
    ) -> Result<(f64, Outcome<Vec<f64>>), MethodError> {
        f.check_arity(x.len())?;
        let exact = |(value, g)| (value, Outcome::exact(self.clone(), g));
        Ok(match self {
            Backend::Forward => exact(forward::value_and_gradient(|x| f.eval(x), x)),
            Backend::Reverse => exact(reverse::value_and_gradient(|x| f.eval(x), x)),
            Backend::Numeric(p) => {
                let e = numeric::gradient_with(|x| f.eval(x), x, p)?;
                (f.eval(x), Outcome::estimated(self.clone(), e))
            }
            Backend::ComplexStep => {
                let e = complex_step::gradient(|x| f.eval(x), x)?;
                (f.eval(x), Outcome::estimated(self.clone(), e))
            }
            Backend::Symbolic => exact((f.eval(x), traced::gradient(f, x)?)),
            Backend::Auto => return Backend::Reverse.value_and_gradient(f, x),
        })
    }

    /// Returns `∇f(x)`.
    ///
    /// # Errors
    /// As [`value_and_gradient`](Backend::value_and_gradient).
    pub fn gradient(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
    ) -> Result<Outcome<Vec<f64>>, MethodError> {
        Ok(self.value_and_gradient(f, x)?.1)
    }

    /// Returns `∇²f(x)`.
    ///
    /// # Errors
    /// As [`value_and_gradient`](Backend::value_and_gradient), and
    /// [`MethodError::Unsupported`] for the complex step and for a numeric backend whose
    /// scheme is not central.
    pub fn hessian(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
    ) -> Result<Outcome<Array2<f64>>, MethodError> {
        f.check_arity(x.len())?;
        let exact = |h| Ok(Outcome::exact(self.clone(), h));
        match self {
            Backend::Forward => exact(forward::hessian(|x| f.eval(x), x)),
            Backend::Reverse => exact(reverse::hessian(|x| f.eval(x), x)),
            Backend::Numeric(p) => {
                self.central_only(p, Verb::Hessian)?;
                let e = numeric::hessian_with(|x| f.eval(x), x, p)?;
                Ok(Outcome::estimated(self.clone(), e))
            }
            Backend::ComplexStep => Err(self.unsupported(Verb::Hessian, SECOND_ORDER)),
            Backend::Symbolic => exact(traced::hessian(f, x)?),
            Backend::Auto => Backend::Reverse.hessian(f, x),
        }
    }

    /// Returns `f(x)` and `∇²f(x)`.
    ///
    /// # Errors
    /// As [`hessian`](Backend::hessian).
    pub fn value_and_hessian(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
    ) -> Result<(f64, Outcome<Array2<f64>>), MethodError> {
        let h = self.hessian(f, x)?;
        Ok((f.eval(x), h))
    }

    /// Returns `f(x)`, `∇f(x)` and `∇²f(x)`.
    ///
    /// # Errors
    /// As [`hessian`](Backend::hessian).
    pub fn value_gradient_and_hessian(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
    ) -> Result<ValueGradientHessian, MethodError> {
        match self {
            Backend::Reverse => {
                f.check_arity(x.len())?;
                let (value, g, h) = reverse_value_gradient_and_hessian(f, x);
                let g = Outcome::exact(self.clone(), g);
                Ok((value, g, Outcome::exact(self.clone(), h)))
            }
            Backend::Forward | Backend::Numeric(_) | Backend::ComplexStep | Backend::Symbolic => {
                let h = self.hessian(f, x)?;
                let (value, g) = self.value_and_gradient(f, x)?;
                Ok((value, g, h))
            }
            Backend::Auto => Backend::Reverse.value_gradient_and_hessian(f, x),
        }
    }

    /// Returns `f(x)` and `∇²f(x)·v`.
    ///
    /// # Errors
    /// As [`hessian`](Backend::hessian), and [`MethodError::Length`] if `v` and `x` differ
    /// in length.
    pub fn value_and_hvp(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
        v: &[f64],
    ) -> Result<(f64, Outcome<Vec<f64>>), MethodError> {
        f.check_arity(x.len())?;
        check_length("hvp vector", "the input x", x.len(), v.len())?;
        let exact = |hv| Ok((f.eval(x), Outcome::exact(self.clone(), hv)));
        match self {
            Backend::Forward => exact(forward::hvp(|x| f.eval(x), x, v)?),
            // Forward over reverse on one recording.
            Backend::Reverse => exact(reverse::hvp(|x| f.eval(x), x, v)?),
            Backend::Numeric(p) => {
                self.central_only(p, Verb::Hvp)?;
                let e = numeric::hvp_with(|x| f.eval(x), x, v, p)?;
                Ok((f.eval(x), Outcome::estimated(self.clone(), e)))
            }
            Backend::ComplexStep => Err(self.unsupported(Verb::Hvp, SECOND_ORDER)),
            Backend::Symbolic => {
                let h = Outcome::exact(self.clone(), traced::hessian(f, x)?);
                Ok((f.eval(x), compose::times(h, v)))
            }
            Backend::Auto => Backend::Reverse.value_and_hvp(f, x, v),
        }
    }

    /// Returns `∇²f(x)·v`.
    ///
    /// # Errors
    /// As [`value_and_hvp`](Backend::value_and_hvp).
    pub fn hvp(
        &self,
        f: &impl MultivariateFn,
        x: &[f64],
        v: &[f64],
    ) -> Result<Outcome<Vec<f64>>, MethodError> {
        Ok(self.value_and_hvp(f, x, v)?.1)
    }

    fn central_only(&self, p: &Params, verb: Verb) -> Result<(), MethodError> {
        match p.scheme {
            Scheme::Central => Ok(()),
            Scheme::Forward | Scheme::Backward | Scheme::FivePoint | Scheme::Custom(_) => {
                Err(self.unsupported(verb, CENTRAL_ONLY))
            }
        }
    }
}

/// `f(x)`, `∇f(x)` and `∇²f(x)`.
pub type ValueGradientHessian = (f64, Outcome<Vec<f64>>, Outcome<Array2<f64>>);

const SECOND_ORDER: &str =
    "the complex step gives first derivatives only; use forward, reverse, symbolic or central";
const CENTRAL_ONLY: &str =
    "the numeric Hessian is built on central differences; use central or richardson";

/// Reverse mode's value, gradient and Hessian from one recording (forward over reverse).
fn reverse_value_gradient_and_hessian(
    f: &impl MultivariateFn,
    x: &[f64],
) -> (f64, Vec<f64>, Array2<f64>) {
    reverse::value_gradient_and_hessian(|x| f.eval(x), x)
}
