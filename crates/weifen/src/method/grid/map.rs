//! The verbs on a map `f: ℝⁿ → ℝᵐ`: `jacobian`, `jvp`, `vjp`.

use super::{compose, traced};
use crate::error::check_length;
use crate::method::{Backend, MethodError, Outcome};
use crate::numeric::{self, Estimate, Status, complex_step};
use crate::{VectorFn, forward, reverse};
use ndarray::Array2;

impl Backend {
    /// Returns `f(x)` and its Jacobian `J[i][j] = ∂fᵢ/∂xⱼ`, one row per output.
    ///
    /// # Errors
    /// [`MethodError::Length`] if `f` does not take `x.len()` inputs
    /// ([`VectorFn::check_arity`]); [`MethodError::Numeric`] if a numeric backend rejects
    /// `x`; [`MethodError::Eval`] if a symbolic derivative cannot be evaluated.
    ///
    /// ```
    /// use weifen::method::Backend;
    /// use weifen::symbolic::Formula;
    ///
    /// let f = Formula::new(&["x^2 + y".parse().unwrap(), "y*z".parse().unwrap()], &["x", "y", "z"])
    ///     .unwrap();
    /// let (y, j) = Backend::ComplexStep.value_and_jacobian(&f, &[1.0, 2.0, 3.0]).unwrap();
    /// assert_eq!(y, vec![3.0, 6.0]);
    /// assert_eq!(j.derivative, ndarray::array![[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]);
    /// ```
    pub fn value_and_jacobian(
        &self,
        f: &impl VectorFn,
        x: &[f64],
    ) -> Result<(Vec<f64>, Outcome<Array2<f64>>), MethodError> {
        f.check_arity(x.len())?;
        let exact = |(y, j)| (y, Outcome::exact(self.clone(), j));
        Ok(match self {
            Backend::Forward => exact(forward::value_and_jacobian(|x| f.eval(x), x)),
            Backend::Reverse => exact(reverse::value_and_jacobian(|x| f.eval(x), x)),
            Backend::Numeric(p) => {
                let e = numeric::jacobian_with(|x| f.eval(x), x, p)?;
                (f.eval(x), Outcome::estimated(self.clone(), e))
            }
            Backend::ComplexStep => {
                let y = f.eval(x);
                let e = complex_jacobian(f, x, y.len())?;
                (y, Outcome::estimated(self.clone(), e))
            }
            Backend::Symbolic => exact((f.eval(x), traced::jacobian(f, x)?)),
            Backend::Auto => return Backend::Forward.value_and_jacobian(f, x),
        })
    }

    /// Returns the Jacobian of `f` at `x`.
    ///
    /// # Errors
    /// As [`value_and_jacobian`](Backend::value_and_jacobian).
    pub fn jacobian(
        &self,
        f: &impl VectorFn,
        x: &[f64],
    ) -> Result<Outcome<Array2<f64>>, MethodError> {
        Ok(self.value_and_jacobian(f, x)?.1)
    }

    /// Returns `f(x)` and `J·v`. Reverse mode and the symbolic backend form `J` and multiply.
    ///
    /// # Errors
    /// As [`value_and_jacobian`](Backend::value_and_jacobian), and [`MethodError::Length`]
    /// if `v` and `x` differ in length.
    pub fn value_and_jvp(
        &self,
        f: &impl VectorFn,
        x: &[f64],
        v: &[f64],
    ) -> Result<(Vec<f64>, Outcome<Vec<f64>>), MethodError> {
        f.check_arity(x.len())?;
        check_length("jvp direction", "the input x", x.len(), v.len())?;
        Ok(match self {
            Backend::Forward => {
                let (y, jv) = forward::jvp(|x| f.eval(x), x, v)?;
                (y, Outcome::exact(self.clone(), jv))
            }
            Backend::Numeric(p) => {
                let e = numeric::jvp_with(|x| f.eval(x), x, v, p)?;
                (f.eval(x), Outcome::estimated(self.clone(), e))
            }
            Backend::ComplexStep => {
                let e = complex_step::jvp(|x| f.eval(x), x, v)?;
                (f.eval(x), Outcome::estimated(self.clone(), e))
            }
            Backend::Reverse | Backend::Symbolic => {
                let (y, j) = self.value_and_jacobian(f, x)?;
                (y, compose::times(j, v))
            }
            Backend::Auto => return Backend::Forward.value_and_jvp(f, x, v),
        })
    }

    /// Returns `J·v`.
    ///
    /// # Errors
    /// As [`value_and_jvp`](Backend::value_and_jvp).
    pub fn jvp(
        &self,
        f: &impl VectorFn,
        x: &[f64],
        v: &[f64],
    ) -> Result<Outcome<Vec<f64>>, MethodError> {
        Ok(self.value_and_jvp(f, x, v)?.1)
    }

    /// Returns `f(x)` and `uᵀ·J`. Every backend but reverse mode forms `J` and multiplies.
    ///
    /// # Errors
    /// As [`value_and_jacobian`](Backend::value_and_jacobian), and [`MethodError::Length`]
    /// if `u` and `f(x)` differ in length.
    pub fn value_and_vjp(
        &self,
        f: &impl VectorFn,
        x: &[f64],
        u: &[f64],
    ) -> Result<(Vec<f64>, Outcome<Vec<f64>>), MethodError> {
        f.check_arity(x.len())?;
        Ok(match self {
            Backend::Reverse => {
                let (y, ju) = reverse::vjp(|x| f.eval(x), x, u)?;
                (y, Outcome::exact(self.clone(), ju))
            }
            Backend::Forward | Backend::Numeric(_) | Backend::ComplexStep | Backend::Symbolic => {
                let (y, j) = self.value_and_jacobian(f, x)?;
                check_length("vjp cotangent", "the output f(x)", y.len(), u.len())?;
                (y, compose::transposed_times(j, u))
            }
            Backend::Auto => return Backend::Reverse.value_and_vjp(f, x, u),
        })
    }

    /// Returns `uᵀ·J`.
    ///
    /// # Errors
    /// As [`value_and_vjp`](Backend::value_and_vjp).
    pub fn vjp(
        &self,
        f: &impl VectorFn,
        x: &[f64],
        u: &[f64],
    ) -> Result<Outcome<Vec<f64>>, MethodError> {
        Ok(self.value_and_vjp(f, x, u)?.1)
    }
}

/// The Jacobian by the complex step, one column `J·eⱼ` per input.
fn complex_jacobian(
    f: &impl VectorFn,
    x: &[f64],
    m: usize,
) -> Result<Estimate<Array2<f64>>, MethodError> {
    let n = x.len();
    let mut out = Estimate {
        value: Array2::zeros((m, n)),
        error: Array2::zeros((m, n)),
        evaluations: 0,
        status: Status::Ok,
    };
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        let column = complex_step::jvp(|x| f.eval(x), x, &e)?;
        for i in 0..m {
            out.value[[i, j]] = column.value[i];
            out.error[[i, j]] = column.error[i];
        }
        out.evaluations += column.evaluations;
        if out.status == Status::Ok {
            out.status = column.status;
        }
    }
    Ok(out)
}
