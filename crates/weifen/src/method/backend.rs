//! A backend as a value: the method and its parameters, and what the grid's verbs return.

use super::{Method, MethodError};
use crate::numeric::{Estimate, Params, Scheme, Status};
use std::fmt;

/// A way to compute derivatives, with its parameters: a value that carries the method, on
/// which every verb of the grid is called (`backend.gradient(&f, &x)`).
///
/// [`Method`] names the presets (`"richardson"`, `"central"`, …) and [`Method::backend`]
/// turns a name into a `Backend`; a `Backend` built by hand may carry any
/// [`numeric::Params`](Params) (step, scheme, domain, evaluation cap).
///
/// ```
/// use weifen::method::Backend;
/// use weifen::numeric::{Params, Scheme};
/// use weifen::{MultivariateFn, Scalar};
///
/// struct Rosenbrock;
/// impl MultivariateFn for Rosenbrock {
///     fn eval<S: Scalar>(&self, x: &[S]) -> S {
///         let (a, b) = (x[0].clone(), x[1].clone());
///         (a.clone() - 1.0).powi(2) + (b - a.powi(2)).powi(2) * 100.0
///     }
/// }
/// let five_point = Backend::Numeric(Params { scheme: Scheme::FivePoint, ..Params::default() });
/// for backend in [Backend::Reverse, Backend::Symbolic, five_point] {
///     let g = backend.gradient(&Rosenbrock, &[1.0, 2.0]).unwrap();
///     // ∇f = (−2(1 − a) − 400a(b − a²), 200(b − a²))
///     assert!((g.derivative[0] + 400.0).abs() < 1e-6 && (g.derivative[1] - 200.0).abs() < 1e-6);
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    /// Trace the function into an expression, differentiate it, evaluate the derivative.
    Symbolic,
    /// Forward-mode AD: dual numbers in chunks of [`CHUNK`](crate::forward::CHUNK) directions,
    /// Taylor jets for higher orders.
    Forward,
    /// Reverse-mode AD: a tape and a backward sweep; forward over reverse for second order.
    Reverse,
    /// Finite differences from `f64` values only, with these parameters.
    Numeric(Params),
    /// The complex step `Im f(x + ih)/h`: first derivatives, exact to rounding.
    ComplexStep,
    /// Forward mode for derivatives, Jacobians and JVPs; reverse mode for gradients,
    /// Hessians, VJPs and HVPs.
    Auto,
}

/// The verbs of the grid, for messages and tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verb {
    /// `f′(x)`.
    Derivative,
    /// `f″(x)`.
    SecondDerivative,
    /// `f⁽ⁿ⁾(x)`.
    NthDerivative,
    /// `∇f(x)`.
    Gradient,
    /// `J_f(x)`.
    Jacobian,
    /// `∇²f(x)`.
    Hessian,
    /// `J·v`.
    Jvp,
    /// `uᵀ·J`.
    Vjp,
    /// `∇²f·v`.
    Hvp,
}

impl Verb {
    /// The verb's name, as its method is spelled (`"hvp"`).
    pub fn name(self) -> &'static str {
        match self {
            Verb::Derivative => "derivative",
            Verb::SecondDerivative => "second_derivative",
            Verb::NthDerivative => "nth_derivative",
            Verb::Gradient => "gradient",
            Verb::Jacobian => "jacobian",
            Verb::Hessian => "hessian",
            Verb::Jvp => "jvp",
            Verb::Vjp => "vjp",
            Verb::Hvp => "hvp",
        }
    }
}

impl Verb {
    /// What the verb computes, in the plural, for messages (`"Hessians"`).
    pub fn noun(self) -> &'static str {
        match self {
            Verb::Derivative => "derivatives",
            Verb::SecondDerivative => "second derivatives",
            Verb::NthDerivative => "higher derivatives",
            Verb::Gradient => "gradients",
            Verb::Jacobian => "Jacobians",
            Verb::Hessian => "Hessians",
            Verb::Jvp => "Jacobian-vector products (jvp)",
            Verb::Vjp => "vector-Jacobian products (vjp)",
            Verb::Hvp => "Hessian-vector products (hvp)",
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Backend {
    /// The name, as the command line spells it (a numeric backend by whether it
    /// extrapolates, then by its scheme).
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Symbolic => "symbolic",
            Backend::Forward => "forward",
            Backend::Reverse => "reverse",
            Backend::ComplexStep => "complex-step",
            Backend::Auto => "auto",
            Backend::Numeric(p) if p.extrapolate => "richardson",
            Backend::Numeric(p) => match p.scheme {
                Scheme::Central => "central",
                Scheme::Forward => "forward-difference",
                Scheme::Backward => "backward-difference",
                Scheme::FivePoint => "five-point",
                Scheme::Custom(_) => "custom-stencil",
            },
        }
    }

    /// The named [`Method`] this backend is, if it is one of the presets.
    pub fn preset(&self) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.backend() == *self)
    }

    /// The highest order of [`nth_derivative`](Backend::nth_derivative) (`None`: any).
    ///
    /// Reverse mode takes any order through a Taylor jet of tape variables; the complex step
    /// gives first derivatives (higher orders need multicomplex numbers). Finite differences
    /// divide rounding errors by `hⁿ`, so each order costs digits: at order 4 Richardson
    /// extrapolation vouches for about three (its honest error bound for `sin` at 0.5 is
    /// 0.16 % at order 4, 40 % at order 6), a single difference for about four. Beyond order
    /// 4 they are refused rather than answered with noise.
    pub fn max_order(&self) -> Option<usize> {
        match self {
            Backend::ComplexStep => Some(1),
            Backend::Numeric(_) => Some(4),
            Backend::Symbolic | Backend::Forward | Backend::Reverse | Backend::Auto => None,
        }
    }

    /// Whether the backend is exact to rounding (no error estimate, no evaluation count).
    pub fn is_exact(&self) -> bool {
        match self {
            Backend::Symbolic | Backend::Forward | Backend::Reverse | Backend::Auto => true,
            Backend::Numeric(_) | Backend::ComplexStep => false,
        }
    }

    pub(super) fn check_order(&self, order: usize) -> Result<(), MethodError> {
        match self.max_order() {
            Some(max) if order > max => Err(MethodError::UnsupportedOrder {
                method: self.name(),
                order,
                max: Some(max),
            }),
            max if order == 0 => Err(MethodError::UnsupportedOrder {
                method: self.name(),
                order,
                max,
            }),
            _ => Ok(()),
        }
    }

    pub(super) fn unsupported(&self, verb: Verb, reason: &'static str) -> MethodError {
        MethodError::Unsupported {
            method: self.name(),
            verb,
            reason,
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Method> for Backend {
    fn from(m: Method) -> Backend {
        m.backend()
    }
}

/// What a verb of the grid returns: the derivative (or product) in the same shape for every
/// backend, with what a numeric backend says about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome<T> {
    /// The backend that computed it (`Auto` resolved to the backend it chose).
    pub backend: Backend,
    /// The derivative, gradient, Jacobian, Hessian or product.
    pub derivative: T,
    /// A bound on `|derivative − exact|`, entry by entry (`None` for exact backends).
    pub error: Option<T>,
    /// The evaluations of `f` the derivative cost (`None` for exact backends); the one
    /// evaluation of `f(x)` in a `value_and_` form is not counted.
    pub evaluations: Option<usize>,
    /// What a numeric estimate says about itself (`Ok` for exact backends).
    pub status: Status,
}

impl<T> Outcome<T> {
    pub(super) fn exact(backend: Backend, derivative: T) -> Outcome<T> {
        Outcome {
            backend,
            derivative,
            error: None,
            evaluations: None,
            status: Status::Ok,
        }
    }

    pub(super) fn estimated(backend: Backend, e: Estimate<T>) -> Outcome<T> {
        Outcome {
            backend,
            derivative: e.value,
            error: Some(e.error),
            evaluations: Some(e.evaluations),
            status: e.status,
        }
    }

    /// Applies `g` to the derivative and to its error bound (which `g` must keep a bound:
    /// `g` is linear with non-negative weights on the errors, see the callers).
    pub(super) fn map<U>(self, g: impl Fn(T, bool) -> U) -> Outcome<U> {
        Outcome {
            backend: self.backend,
            derivative: g(self.derivative, false),
            error: self.error.map(|e| g(e, true)),
            evaluations: self.evaluations,
            status: self.status,
        }
    }
}
