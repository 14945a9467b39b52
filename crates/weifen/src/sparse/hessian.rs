//! Sparse Hessians: the symmetric pattern, its star colouring and its recovery map.

use super::error::SparseError;
use super::star::recovery;
use super::{Coloring, SparsityPattern, Tracer, hessian_pattern, star_coloring};
use crate::error::check_length;
#[cfg(doc)]
use crate::forward::CHUNK;
use crate::{MultivariateFn, reverse};
use sprs::CsMat;

/// A Hessian's symmetric sparsity pattern with its star colouring and, for each entry, the
/// compressed entry it is read from: computed once, reused at many points.
///
/// ```
/// use weifen::sparse::HessianSparsity;
/// use weifen::Scalar;
///
/// // f = Σ (xᵢ₊₁ − xᵢ²)²: tridiagonal Hessian, 3 colours whatever n.
/// fn f<S: Scalar>(x: &[S]) -> S {
///     let mut s = S::constant(0.0);
///     for w in x.windows(2) {
///         s = s + (w[1].clone() - w[0].clone().powi(2)).powi(2);
///     }
///     s
/// }
/// let s = HessianSparsity::detect(|x| f(x), &[0.5; 50]);
/// assert_eq!(s.pattern().nnz(), 50 + 2 * 49);
/// assert_eq!(s.coloring().count(), 3);
/// ```
#[derive(Clone, Debug)]
pub struct HessianSparsity {
    pattern: SparsityPattern,
    coloring: Coloring,
    read: Vec<(usize, usize)>,
}

impl HessianSparsity {
    /// Symmetrises `pattern` (a Hessian is symmetric: `(i, j)` stands for `(j, i)` too),
    /// star-colours it and maps each entry to the compressed entry it is read from.
    ///
    /// # Errors
    /// [`SparseError::Shape`] if `pattern` is not square.
    pub fn new(pattern: SparsityPattern) -> Result<Self, SparseError> {
        if pattern.nrows() != pattern.ncols() {
            return Err(SparseError::Shape {
                what: "the Hessian pattern's columns",
                expected: pattern.nrows(),
                found: pattern.ncols(),
            });
        }
        let n = pattern.nrows();
        let mut rows: Vec<Vec<usize>> = (0..n).map(|i| pattern.row(i).to_vec()).collect();
        for (i, j) in pattern.positions() {
            rows[j].push(i);
        }
        let pattern = SparsityPattern::new(n, n, rows)?;
        let coloring = star_coloring(&pattern);
        let read = recovery(&pattern, &coloring);
        Ok(HessianSparsity {
            pattern,
            coloring,
            read,
        })
    }

    /// Detects the pattern of `f` at `x` ([`hessian_pattern`]) and colours it.
    pub fn detect(f: impl Fn(&[Tracer]) -> Tracer, x: &[f64]) -> Self {
        HessianSparsity::new(hessian_pattern(f, x)).expect("a detected Hessian pattern is square")
    }

    /// Whether the pattern still holds at `x`: detects it there again and checks that the
    /// one in use covers it (see [`JacobianSparsity::holds_at`](super::JacobianSparsity::holds_at)).
    pub fn holds_at(&self, f: impl Fn(&[Tracer]) -> Tracer, x: &[f64]) -> bool {
        self.pattern.covers(&hessian_pattern(f, x))
    }

    /// The pattern, `n × n`, symmetric.
    pub fn pattern(&self) -> &SparsityPattern {
        &self.pattern
    }

    /// The star colouring of the variables: one Hessian–vector product per colour.
    pub fn coloring(&self) -> &Coloring {
        &self.coloring
    }

    /// For each entry of the pattern, in CSR order, the compressed entry `(row, colour)` of
    /// `H·S` it equals.
    pub(crate) fn read(&self) -> &[(usize, usize)] {
        &self.read
    }
}

/// Returns the Hessian `H[i][j] = ∂²f/∂xᵢ∂xⱼ` at `x` as a CSR matrix with the entries of
/// `sparsity`'s pattern, from one Hessian–vector product per colour (forward over reverse:
/// one recording of `f`, then one pair of tangent sweeps per [`CHUNK`] colours, or 1, 2 or 4
/// when the colours fit; see [`SecondOrder`](crate::reverse::SecondOrder))
/// and direct recovery from the star colouring.
///
/// # Errors
/// * [`SparseError::Length`] if `x` does not match the pattern;
/// * [`SparseError::PatternChanged`] if a Hessian–vector product has a nonzero in a row and
///   colour group where the pattern has none (another branch than at detection). As for
///   [`sparse_jacobian_with`](super::sparse_jacobian_with), a stray nonzero in a group already
///   present in its row goes undetected: detect again where branches may change.
///
/// ```
/// use weifen::sparse::{sparse_hessian_with, HessianSparsity};
/// use weifen::{MultivariateFn, Scalar};
///
/// struct Chain;
/// impl MultivariateFn for Chain {
///     fn eval<S: Scalar>(&self, x: &[S]) -> S {
///         let mut s = S::constant(0.0);
///         for w in x.windows(2) {
///             s = s + w[0].clone() * w[1].clone().sin();
///         }
///         s
///     }
/// }
/// let x = [0.3, 0.7, 1.1];
/// let s = HessianSparsity::detect(|x| Chain.eval(x), &x);
/// let h = sparse_hessian_with(&s, &Chain, &x).unwrap();
/// // ∂²/∂x₀∂x₁ = cos x₁, ∂²/∂x₁² = −x₀ sin x₁, and nothing couples x₀ with x₂.
/// assert_eq!(h.get(0, 1), Some(&0.7f64.cos()));
/// assert!((h.get(1, 1).unwrap() + 0.3 * 0.7f64.sin()).abs() < 1e-15);
/// assert_eq!(h.get(0, 2), None);
/// ```
pub fn sparse_hessian_with(
    sparsity: &HessianSparsity,
    f: &impl MultivariateFn,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    let n = sparsity.pattern().ncols();
    check_length("the point x", "the Hessian pattern's size", n, x.len())?;
    let mut recording = reverse::record(|x| f.eval(x), x);
    recording.linearize().sparse_hessian(sparsity)
}

/// Detects the Hessian's pattern at `x`, star-colours it and computes the sparse Hessian:
/// see [`HessianSparsity`] and [`sparse_hessian_with`].
pub fn sparse_hessian(f: &impl MultivariateFn, x: &[f64]) -> (CsMat<f64>, HessianSparsity) {
    let sparsity = HessianSparsity::detect(|x| f.eval(x), x);
    let h = sparse_hessian_with(&sparsity, f, x).expect("the pattern was detected at x");
    (h, sparsity)
}
