//! The grid: every verb on every [`Backend`](super::Backend), as methods of the backend.
//!
//! Each verb dispatches by one exhaustive `match` on the backend to the module operator
//! that computes it (`forward::gradient`, `numeric::hessian_with`, …); a verb a backend
//! lacks is composed here where the composition is honest (`J·v` and `uᵀ·J` from a
//! Jacobian, with the error bounds carried through) or refused with
//! [`MethodError::Unsupported`](super::MethodError::Unsupported). `Auto` resolves to a
//! backend per verb and reports the one it chose in the [`Outcome`](super::Outcome).
//! Every verb first asks the function whether it takes that many inputs (the `check_arity`
//! of the function traits), so that a parsed formula of the wrong shape is an error, not a
//! panic inside an operator.

mod compose;
mod map;
mod objective;
mod scalar;
mod traced;

pub use objective::ValueGradientHessian;
