//! Sparsity patterns: which entries of a matrix may be nonzero, and their detection.

use super::Tracer;
use super::error::SparseError;

/// The positions of the entries of an `nrows × ncols` matrix that may be nonzero, row by row
/// (compressed sparse rows, column indices increasing within a row).
///
/// ```
/// use weifen::sparse::SparsityPattern;
///
/// let p = SparsityPattern::new(2, 3, vec![vec![2, 0], vec![1]]).unwrap();
/// assert_eq!(p.row(0), &[0, 2]);
/// assert_eq!(p.positions().collect::<Vec<_>>(), vec![(0, 0), (0, 2), (1, 1)]);
/// assert!(p.contains(1, 1) && !p.contains(1, 2));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SparsityPattern {
    nrows: usize,
    ncols: usize,
    offsets: Vec<usize>,
    columns: Vec<usize>,
}

impl SparsityPattern {
    /// The pattern with nonzeros `rows[i]` in row `i` (any order, repeats allowed).
    ///
    /// # Errors
    /// [`SparseError::Shape`] if `rows` does not have `nrows` rows, or
    /// [`SparseError::IndexOutOfRange`] naming the first column index `≥ ncols`.
    pub fn new(nrows: usize, ncols: usize, rows: Vec<Vec<usize>>) -> Result<Self, SparseError> {
        if rows.len() != nrows {
            return Err(SparseError::Shape {
                what: "the rows given for the pattern",
                expected: nrows,
                found: rows.len(),
            });
        }
        let mut offsets = Vec::with_capacity(nrows + 1);
        let mut columns = Vec::new();
        offsets.push(0);
        for (i, mut row) in rows.into_iter().enumerate() {
            if let Some(&j) = row.iter().find(|&&j| j >= ncols) {
                return Err(SparseError::IndexOutOfRange {
                    row: i,
                    column: j,
                    ncols,
                });
            }
            row.sort_unstable();
            row.dedup();
            columns.extend(row);
            offsets.push(columns.len());
        }
        Ok(SparsityPattern {
            nrows,
            ncols,
            offsets,
            columns,
        })
    }

    /// The pattern of the matrix's entries that are not zero (NaN counts as nonzero).
    pub fn of_matrix(m: &ndarray::Array2<f64>) -> Self {
        let rows = m
            .outer_iter()
            .map(|r| (0..r.len()).filter(|&j| r[j] != 0.0).collect())
            .collect();
        SparsityPattern::new(m.nrows(), m.ncols(), rows).expect("indices are in range")
    }

    /// The number of rows.
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// The number of columns.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// The number of positions that may be nonzero.
    pub fn nnz(&self) -> usize {
        self.columns.len()
    }

    /// The columns of the nonzeros of row `i`, increasing.
    ///
    /// # Panics
    /// If `i ≥ nrows`.
    pub fn row(&self, i: usize) -> &[usize] {
        &self.columns[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Whether `(i, j)` may be nonzero.
    pub fn contains(&self, i: usize, j: usize) -> bool {
        i < self.nrows && self.row(i).binary_search(&j).is_ok()
    }

    /// The positions `(i, j)`, row by row.
    pub fn positions(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.nrows).flat_map(move |i| self.row(i).iter().map(move |&j| (i, j)))
    }

    /// Whether every position of `other` is a position of `self` (and the shapes agree):
    /// a pattern detected again at a new point is covered by the one in use.
    pub fn covers(&self, other: &SparsityPattern) -> bool {
        self.nrows == other.nrows
            && self.ncols == other.ncols
            && other.positions().all(|(i, j)| self.contains(i, j))
    }

    /// The transposed pattern.
    pub fn transpose(&self) -> SparsityPattern {
        let mut rows = vec![Vec::new(); self.ncols];
        for (i, j) in self.positions() {
            rows[j].push(i);
        }
        SparsityPattern::new(self.ncols, self.nrows, rows).expect("indices are in range")
    }

    /// The CSR arrays `(offsets, columns)`.
    pub(crate) fn csr(&self) -> (&[usize], &[usize]) {
        (&self.offsets, &self.columns)
    }
}

/// The pattern of the Jacobian of `f` at `x`, from one evaluation on [`Tracer`]s: row `i`
/// holds the inputs output `i` depends on. Valid wherever `f` takes the branches it takes at
/// `x` (see [`Tracer`]).
///
/// ```
/// use weifen::sparse::jacobian_pattern;
/// use weifen::Scalar;
///
/// fn f<S: Scalar>(x: &[S]) -> Vec<S> {
///     vec![x[0].clone() * x[1].clone(), x[2].clone().exp()]
/// }
/// let p = jacobian_pattern(f, &[1.0, 2.0, 3.0]);
/// assert_eq!(p.positions().collect::<Vec<_>>(), vec![(0, 0), (0, 1), (1, 2)]);
/// ```
pub fn jacobian_pattern(f: impl Fn(&[Tracer]) -> Vec<Tracer>, x: &[f64]) -> SparsityPattern {
    let y = f(&Tracer::inputs(x, false));
    let rows = y
        .iter()
        .map(|yi| yi.dependencies().iter().map(|&j| j as usize).collect())
        .collect();
    SparsityPattern::new(y.len(), x.len(), rows).expect("tracer indices are inputs")
}

/// The (symmetric) pattern of the Hessian of `f` at `x`, from one evaluation on
/// [`Tracer`]s tracking second order. Valid wherever `f` takes the branches it takes at `x`.
///
/// ```
/// use weifen::sparse::hessian_pattern;
/// use weifen::Scalar;
///
/// // f = x₀x₁ + sin x₂: ∂²f/∂x₀∂x₁ and ∂²f/∂x₂² only.
/// let p = hessian_pattern(|x| x[0].clone() * x[1].clone() + x[2].clone().sin(), &[1.0; 3]);
/// assert_eq!(p.positions().collect::<Vec<_>>(), vec![(0, 1), (1, 0), (2, 2)]);
/// ```
pub fn hessian_pattern(f: impl Fn(&[Tracer]) -> Tracer, x: &[f64]) -> SparsityPattern {
    let y = f(&Tracer::inputs(x, true));
    let mut rows = vec![Vec::new(); x.len()];
    for &(i, j) in y.second_order() {
        rows[i as usize].push(j as usize);
        if i != j {
            rows[j as usize].push(i as usize);
        }
    }
    SparsityPattern::new(x.len(), x.len(), rows).expect("tracer indices are inputs")
}
