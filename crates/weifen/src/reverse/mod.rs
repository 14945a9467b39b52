//! Reverse-mode automatic differentiation on a tape.
//!
//! The function runs once on [`Var`]s, recording each operation on a [`Tape`] with its local
//! partials (from the same [op table](crate::ops) rules forward mode uses). A backward sweep
//! from the output then propagates adjoints `v̄ = ∂y/∂v` by the chain rule, last node first:
//! the whole gradient costs a small constant times one evaluation, whatever the number of
//! inputs.
//!
//! The tape is an arena: one flat array of nodes, each two operand indices (`u32`, whose top
//! bits say how the node's partials are found) and its value, 16 bytes per operation for
//! `f64`, and a second array with the partials of the ops other than `+`, `−` and `·` (8
//! bytes each; a product's partials are its operands' values). A `Var` is a `Copy` handle
//! that borrows the tape. An explicit
//! tape rather than a thread-local one: every `Var` knows its tape, so variables of two tapes
//! cannot be mixed silently (it panics), a `Var` cannot outlive its tape (it does not
//! compile), and tapes nest: a tape of `Var`s (reverse over reverse) or a dual number of
//! `Var`s (reverse over forward, for Hessians) needs no special code.
//!
//! Because `Var` borrows its tape, the operators take closures that work for any tape
//! lifetime: pass a generic function as `|x| f(x)`.
//!
//! A [`Tape::replayable`] tape also keeps the operations and comparisons: it can be
//! listed ([`Tape::rows`]) and re-evaluated at new inputs ([`record`], [`Recording`]).

mod adjoints;
mod checkpoint;
mod gradient;
mod hessian;
mod jacobian;
mod pattern;
mod pool;
mod record;
mod replay;
mod rows;
mod second_order;
mod second_order_at;
mod tape;
mod var;
mod workspace;

pub use adjoints::{Adjoints, OtherTapeError};
pub use checkpoint::checkpoint;
pub use gradient::{
    derivative, gradient, nth_derivative, second_derivative, value_and_derivative,
    value_and_gradient, vjp,
};
pub use hessian::{
    HessianVar, hessian, hessian_reverse_over_forward, hessian_with, hvp,
    value_gradient_and_hessian,
};
pub use jacobian::{jacobian, value_and_jacobian};
#[doc(hidden)]
pub use pool::TapePool;
pub use pool::release_buffers;
pub(crate) use pool::with_f64_pool;
pub use record::ReplayError;
pub use replay::{Recording, record};
pub use rows::Row;
pub use second_order_at::{DENSE_UP_TO, HessianStrategy, SecondOrder};
pub use tape::Tape;
pub use var::Var;
pub use workspace::Workspace;
