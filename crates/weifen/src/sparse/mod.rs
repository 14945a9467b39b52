//! Sparse Jacobians and Hessians: detect the pattern, colour it, and compute the matrix with
//! one sweep per colour instead of one per column.
//!
//! 1. **Detection.** The function is evaluated once on [`Tracer`]s, a [`Scalar`](crate::Scalar)
//!    whose "value" is the set of inputs it depends on (and, for Hessians, the set of input
//!    pairs whose second derivative may be nonzero), propagated by each op's curvature:
//!    linear ops take unions, products pair their operands' sets, nonlinear ops pair their
//!    argument's set with itself. It gives a [`SparsityPattern`] that is structural (valid at
//!    every point where the function takes the same branches; a tracer carries the `f64`
//!    value, so comparisons follow the detection point).
//! 2. **Colouring.** Columns that share no row can be perturbed together: a Jacobian's
//!    columns get a distance-2 colouring ([`column_coloring`]; rows for reverse mode,
//!    [`row_coloring`]); a Hessian's variables a star colouring ([`star_coloring`]), which
//!    lets each entry be read directly from the compressed matrix by symmetry.
//! 3. **Compressed evaluation.** One forward direction (a sum of unit vectors, [`CHUNK`]
//!    colours per evaluation), one reverse sweep, or one Hessian–vector product per colour
//!    gives the compressed matrix `J·S`, `Sᵀ·J` or `H·S`; recovery scatters it into a CSR
//!    [`CsMat`] (from `sprs`) with the pattern's structure.
//!
//! Invariant: within one colour group, no two members share a row (columns), a column (rows)
//! or a neighbour that would make a two-coloured path on four vertices (star), so every
//! pattern entry is read from one compressed entry with no other contribution — *if the
//! pattern holds*. A pattern reused at a point where the function branches differently can be
//! wrong; the evaluation checks the compressed entries that must be zero and reports
//! [`SparseError::PatternChanged`] when one is not.
//!
//! A diagonal Hessian (one colour) comes with the gradient from one recording:
//! [`value_gradient_and_hessian_diagonal`], or [`DiagonalHessian`] to reuse its memory.
//!
//! The patterns, colourings and recovery maps are kept in [`JacobianSparsity`] and
//! [`HessianSparsity`], so a Jacobian or Hessian needed at many points is detected and
//! coloured once.
//!
//! [`CHUNK`]: crate::forward::CHUNK

mod coloring;
pub(crate) mod compressed;
mod curvature;
mod diagonal;
mod error;
mod hessian;
mod jacobian;
mod pattern;
mod set;
mod star;
mod tracer;

pub use coloring::{Coloring, column_coloring, row_coloring};
pub use compressed::{forward_jacobian_with, hessian_with, reverse_jacobian_with};
pub use diagonal::{DiagonalHessian, value_gradient_and_hessian_diagonal};
pub use error::SparseError;
pub use hessian::{HessianSparsity, sparse_hessian, sparse_hessian_with};
pub use jacobian::{JacobianSparsity, Mode, sparse_jacobian, sparse_jacobian_with};
pub use pattern::{SparsityPattern, hessian_pattern, jacobian_pattern};
pub use sprs::CsMat;
pub use star::star_coloring;
pub use tracer::Tracer;
