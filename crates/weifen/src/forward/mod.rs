//! Forward-mode automatic differentiation with dual numbers.
//!
//! A dual number `x + ẋ·ε` (`ε² = 0`) carries a value and its tangent through the function;
//! each op applies its rule from the [op table](crate::ops): `op(x + ẋε) = op(x) + op′(x)·ẋ·ε`.
//! One evaluation gives one directional derivative ([`Dual`]), or `N` of them ([`DualVec`],
//! a const-generic chunk); [`Jet`] carries a truncated Taylor series for the n-th derivative in
//! one pass. [`value_and_jacobian_fixed`] differentiates a small map of compile-time size in
//! one evaluation on the stack: the kernel of a Jacobian with block structure.
//!
//! Nesting is by type: `Dual<Dual<f64>>` differentiates twice. A value from an outer
//! differentiation enters an inner one through [`Dual::lift`], so each perturbation lives at
//! its own type level and cannot be confused with another (the classic perturbation-confusion
//! bug of untagged dual numbers cannot compile).
//!
//! The operators take the function as a closure or a generic `fn` item over the scalar type
//! named in their signature; a generic `fn f<S: Scalar>` fits all of them.

mod derivative;
mod dual;
mod dual_vec;
mod fixed;
mod gradient;
mod hessian;
mod jacobian;
mod jet;

pub use derivative::{
    derivative, nth_derivative, second_derivative, taylor_coefficients, value_and_derivative,
};
pub use dual::Dual;
pub use dual_vec::DualVec;
pub use fixed::{jacobian_fixed, value_and_jacobian_fixed};
pub use gradient::{gradient, jvp, value_and_gradient};
pub use hessian::{hessian, hvp};
pub use jacobian::{jacobian, value_and_jacobian};
pub use jet::Jet;

/// The number of directions carried per evaluation by [`gradient`] and [`jacobian`].
///
/// Eight `f64` tangents (64 bytes: four SSE2 registers on the default x86-64 target, two with
/// AVX): enough directions to amortise the value part of each evaluation, few enough to stay
/// in registers (the same trade-off as ForwardDiff.jl's chunk size).
pub const CHUNK: usize = 8;

/// The block size of [`hessian`]: each evaluation gives a `HESSIAN_BLOCK × HESSIAN_BLOCK`
/// block of second derivatives.
pub const HESSIAN_BLOCK: usize = 4;

/// The scalar type that [`gradient`] and [`jacobian`] evaluate the function with.
pub type ChunkDual<S = f64> = DualVec<S, CHUNK>;

/// The scalar type that [`hessian`] evaluates the function with: a chunk over a chunk.
pub type HessianDual<S = f64> = DualVec<DualVec<S, HESSIAN_BLOCK>, HESSIAN_BLOCK>;

/// The scalar type that [`hvp`] evaluates the function with: one direction over a chunk.
pub type HvpDual<S = f64> = Dual<DualVec<S, CHUNK>>;
