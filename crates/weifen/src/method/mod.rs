//! Run-time choice of method: the grid of verbs on a [`Backend`] value.
//!
//! The operators of [`forward`](crate::forward), [`reverse`](crate::reverse),
//! [`numeric`](crate::numeric) and [`symbolic`](crate::symbolic) are chosen at compile time
//! by their path. A [`Backend`] chooses at run time: it carries the method and its
//! parameters, and every verb of the grid (`derivative`, `second_derivative`,
//! `nth_derivative`, `gradient`, `jacobian`, `hessian`, `jvp`, `vjp`, `hvp`, each with a
//! `value_and_` form, and `value_gradient_and_hessian`) is one of its methods, generic over
//! the function traits, returning an [`Outcome`] of the same shape for every backend.
//! Invariants: every dispatch is one exhaustive `match` on the backend (a new backend does
//! not compile until every verb handles it); a verb a backend lacks is composed from its
//! other verbs where that is honest, or is [`MethodError::Unsupported`]; every verb asks the
//! function for its arity first, so a formula of the wrong shape is an error, never a panic.
//!
//! [`Method`] names the presets (`"richardson"`, `"central"`, …): the command line's method
//! names come from it. [`derivative`], [`gradient`], [`hessian`] and [`jacobian`] are the
//! grid on a parsed [`Expr`](crate::symbolic::Expr) with named variables; [`compare`] runs
//! every method against the symbolic derivative; [`trace`] lists the evaluation trace of a
//! formula on a tape, with forward tangents and reverse adjoints.
//!
//! ```
//! use weifen::method::{self, Method};
//! use weifen::symbolic::Expr;
//!
//! let f: Expr = "x^3*y".parse().unwrap();
//! let at = [("x", 2.0), ("y", 5.0)];
//! for m in Method::ALL {
//!     let d = method::derivative(&f, "x", &at, 1, m).unwrap();
//!     assert!((d.derivative - 60.0).abs() < 1e-5, "{m}: {}", d.derivative); // 3x²y
//! }
//! ```

mod backend;
mod compare;
mod derivative;
mod error;
mod grid;
mod multivariate;
mod name;
mod trace;

pub use backend::{Backend, Outcome, Verb};
pub use compare::{Comparison, compare};
pub use derivative::{Derivative, Slice, derivative, derivative_along, derivative_fn};
pub use error::{MethodError, UnknownMethod};
pub use grid::ValueGradientHessian;
pub use multivariate::{Gradient, Jacobian, Matrix, gradient, hessian, jacobian};
pub use name::Method;
pub use trace::{TraceRow, trace, trace_fn};
