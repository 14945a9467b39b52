//! Sparse Jacobians: the pattern, both colourings, and the choice of mode.

use super::compressed::{forward_lanes, lanes, reverse_jacobian_with};
use super::error::SparseError;
use super::{Coloring, SparsityPattern, Tracer, column_coloring, jacobian_pattern, row_coloring};
use crate::VectorFn;
use crate::forward::CHUNK;
use sprs::CsMat;

/// Which sweeps a sparse Jacobian is computed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Forward mode: one directional derivative per column colour, [`CHUNK`](crate::forward::CHUNK)
    /// colours per evaluation of the function.
    Forward,
    /// Reverse mode: one recording, one backward sweep per row colour.
    Reverse,
}

/// A Jacobian's sparsity pattern with its column and row colourings and the mode they make
/// cheapest: what a sparse Jacobian needs besides the function, computed once and reused at
/// many points.
///
/// The mode is reverse when the rows need fewer colours than the columns (fewer backward
/// sweeps than directions), forward otherwise; [`with_mode`](Self::with_mode) overrides it.
///
/// ```
/// use weifen::sparse::{JacobianSparsity, Mode};
/// use weifen::Scalar;
///
/// // A diagonal Jacobian: one colour either way, and forward mode needs no tape.
/// fn f<S: Scalar>(x: &[S]) -> Vec<S> {
///     x.iter().map(|xi| xi.clone().exp()).collect()
/// }
/// let s = JacobianSparsity::detect(|x| f(x), &[1.0; 4]);
/// assert_eq!((s.column_coloring().count(), s.row_coloring().count()), (1, 1));
/// assert_eq!(s.mode(), Mode::Forward);
/// ```
#[derive(Clone, Debug)]
pub struct JacobianSparsity {
    pattern: SparsityPattern,
    transposed: SparsityPattern,
    columns: Coloring,
    rows: Coloring,
    mode: Mode,
}

impl JacobianSparsity {
    /// Colours `pattern` both ways and chooses the mode.
    pub fn new(pattern: SparsityPattern) -> Self {
        let columns = column_coloring(&pattern);
        let rows = row_coloring(&pattern);
        let mode = match rows.count() < columns.count() {
            true => Mode::Reverse,
            false => Mode::Forward,
        };
        JacobianSparsity {
            transposed: pattern.transpose(),
            pattern,
            columns,
            rows,
            mode,
        }
    }

    /// Detects the pattern of `f` at `x` ([`jacobian_pattern`]) and colours it.
    pub fn detect(f: impl Fn(&[Tracer]) -> Vec<Tracer>, x: &[f64]) -> Self {
        JacobianSparsity::new(jacobian_pattern(f, x))
    }

    /// Whether the pattern still holds at `x`: detects it there again and checks that the
    /// one in use covers it (the complete check that the evaluation's guard is not; it costs
    /// one more evaluation on tracers).
    ///
    /// ```
    /// use weifen::sparse::{JacobianSparsity, Tracer};
    ///
    /// let f = |x: &[Tracer]| match x[0] > 0.0 {
    ///     true => vec![x[1].clone()],
    ///     false => vec![x[2].clone()],
    /// };
    /// let s = JacobianSparsity::detect(f, &[1.0, 0.0, 0.0]);
    /// assert!(s.holds_at(f, &[2.0, 5.0, 5.0]));
    /// assert!(!s.holds_at(f, &[-1.0, 5.0, 5.0]));
    /// ```
    pub fn holds_at(&self, f: impl Fn(&[Tracer]) -> Vec<Tracer>, x: &[f64]) -> bool {
        self.pattern.covers(&jacobian_pattern(f, x))
    }

    /// The same, computed in `mode`.
    pub fn with_mode(self, mode: Mode) -> Self {
        JacobianSparsity { mode, ..self }
    }

    /// The pattern, `m × n`.
    pub fn pattern(&self) -> &SparsityPattern {
        &self.pattern
    }

    /// The transposed pattern, `n × m`.
    pub(crate) fn transposed(&self) -> &SparsityPattern {
        &self.transposed
    }

    /// The mode in use.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The colouring the mode in use sweeps with: columns (forward) or rows (reverse).
    pub fn coloring(&self) -> &Coloring {
        match self.mode {
            Mode::Forward => &self.columns,
            Mode::Reverse => &self.rows,
        }
    }

    /// The column colouring: no two columns of one colour share a row.
    pub fn column_coloring(&self) -> &Coloring {
        &self.columns
    }

    /// The row colouring: no two rows of one colour share a column.
    pub fn row_coloring(&self) -> &Coloring {
        &self.rows
    }
}

/// Returns the Jacobian `J[i][j] = ∂fᵢ/∂xⱼ` at `x` as a CSR matrix with the entries of
/// `sparsity`'s pattern (zeros included where they vanish at `x`), from as many sweeps as
/// colours, in the sparsity's [`Mode`]. Forward mode carries as few tangents as the colours
/// need (1, 2, 4 or [`CHUNK`]).
///
/// # Errors
/// * [`SparseError::Length`] if `x` or `f(x)` do not match the pattern's shape;
/// * [`SparseError::PatternChanged`] if the evaluation shows a nonzero where the pattern has
///   none: `f` took another branch than at the point where the pattern was detected. Only
///   the nonzeros that land in a colour group absent from their row (forward) or column
///   (reverse) can be seen; one that lands in a group already present is added silently to
///   an entry of that group. When branches may change, check with
///   [`JacobianSparsity::holds_at`] (one evaluation on tracers) or detect again.
///
/// ```
/// use weifen::sparse::{sparse_jacobian_with, JacobianSparsity};
/// use weifen::{Scalar, VectorFn};
///
/// /// Residual of u″ = eᵘ on a grid, zero boundary values: tridiagonal.
/// struct Bratu;
/// impl VectorFn for Bratu {
///     fn eval<S: Scalar>(&self, u: &[S]) -> Vec<S> {
///         let n = u.len();
///         let at = |i: usize| if i < n { u[i].clone() } else { S::constant(0.0) };
///         (0..n)
///             .map(|i| at(i.wrapping_sub(1)) - at(i) * 2.0 + at(i + 1) - u[i].clone().exp())
///             .collect()
///     }
/// }
/// let u = [0.1; 6];
/// let s = JacobianSparsity::detect(|x| Bratu.eval(x), &u);
/// assert_eq!(s.coloring().count(), 3);
/// let j = sparse_jacobian_with(&s, &Bratu, &u).unwrap();
/// assert_eq!(j.nnz(), 6 + 2 * 5);
/// assert_eq!(j.get(2, 1), Some(&1.0));
/// assert_eq!(j.get(2, 2), Some(&(-2.0 - 0.1f64.exp())));
/// ```
pub fn sparse_jacobian_with(
    sparsity: &JacobianSparsity,
    f: &impl VectorFn,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    let s = sparsity;
    match (s.mode, lanes(s.columns.count())) {
        (Mode::Reverse, _) => reverse_jacobian_with(s, |x| f.eval(x), x),
        (Mode::Forward, 1) => forward_lanes::<1>(s, |x| f.eval(x), x),
        (Mode::Forward, 2) => forward_lanes::<2>(s, |x| f.eval(x), x),
        (Mode::Forward, 4) => forward_lanes::<4>(s, |x| f.eval(x), x),
        (Mode::Forward, _) => forward_lanes::<CHUNK>(s, |x| f.eval(x), x),
    }
}

/// Detects the Jacobian's pattern at `x`, colours it and computes the sparse Jacobian: see
/// [`JacobianSparsity`] and [`sparse_jacobian_with`]. Keep the sparsity to compute the
/// Jacobian at other points without detecting again.
///
/// # Panics
/// If `f` returns outputs of different lengths on different scalar types.
#[track_caller]
pub fn sparse_jacobian(f: &impl VectorFn, x: &[f64]) -> (CsMat<f64>, JacobianSparsity) {
    let sparsity = JacobianSparsity::detect(|x| f.eval(x), x);
    match sparse_jacobian_with(&sparsity, f, x) {
        Ok(j) => (j, sparsity),
        Err(e) => panic!("sparse_jacobian: {e}"),
    }
}
