//! Column colouring for Jacobians: a partition of the columns into groups whose members
//! share no row, so that one directional derivative along the sum of a group's unit vectors
//! gives every entry of those columns.

use super::SparsityPattern;

/// A colouring of the columns (or rows, or Hessian variables) of a pattern: `colors()[j]`
/// is the group of `j`, in `0..count()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coloring {
    colors: Vec<usize>,
    count: usize,
}

impl Coloring {
    /// A colouring from the colour of each index.
    pub fn from_colors(colors: Vec<usize>) -> Coloring {
        let count = colors.iter().max().map_or(0, |&c| c + 1);
        Coloring { colors, count }
    }

    /// The colour of each index.
    pub fn colors(&self) -> &[usize] {
        &self.colors
    }

    /// The number of colours: the number of directions (or sweeps) a compressed evaluation
    /// needs.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The indices of each colour, increasing.
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let mut groups = vec![Vec::new(); self.count];
        for (j, &c) in self.colors.iter().enumerate() {
            groups[c].push(j);
        }
        groups
    }
}

/// Greedy distance-2 colouring of the column intersection graph (columns `j`, `k` conflict
/// when some row has nonzeros in both), so that no two columns of one colour share a row.
///
/// Columns are coloured in largest-first order of the bound `Σ_{i ∈ rows(j)} (|row i| − 1)`
/// on their number of conflicts (it counts a conflicting column once per shared row; the
/// exact degree would need the intersection graph built first), ties by index; each column
/// takes the smallest colour no conflicting column has. The count is at least the longest
/// row's length, and at most one more than the most conflicts of a column. Cost:
/// `Σᵢ |row i|²`.
///
/// ```
/// use weifen::sparse::{column_coloring, SparsityPattern};
///
/// // Tridiagonal 5 × 5: columns j and j + 2 share row j + 1, so 3 colours.
/// let rows = (0..5usize).map(|i| (i.saturating_sub(1)..(i + 2).min(5)).collect()).collect();
/// let p = SparsityPattern::new(5, 5, rows).unwrap();
/// assert_eq!(column_coloring(&p).count(), 3);
/// ```
pub fn column_coloring(pattern: &SparsityPattern) -> Coloring {
    let columns = pattern.transpose();
    let degree = |j: usize| -> usize {
        columns
            .row(j)
            .iter()
            .map(|&i| pattern.row(i).len() - 1)
            .sum()
    };
    let mut order: Vec<(usize, usize)> = (0..pattern.ncols()).map(|j| (degree(j), j)).collect();
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    const NONE: usize = usize::MAX;
    let mut colors = vec![NONE; pattern.ncols()];
    // forbidden[c] == j + 1 marks colour c as taken by a neighbour of column j (stamps avoid
    // clearing the array per column).
    let mut forbidden: Vec<usize> = Vec::new();
    for &(_, j) in &order {
        for &i in columns.row(j) {
            for &k in pattern.row(i) {
                if colors[k] != NONE {
                    forbidden[colors[k]] = j + 1;
                }
            }
        }
        let c = (0..forbidden.len())
            .find(|&c| forbidden[c] != j + 1)
            .unwrap_or(forbidden.len());
        if c == forbidden.len() {
            forbidden.push(0);
        }
        colors[j] = c;
    }
    Coloring::from_colors(colors)
}

/// Greedy distance-2 colouring of the rows: no two rows of one colour share a column, so
/// one vector–Jacobian product along the sum of a group's unit vectors gives all their rows.
/// See [`column_coloring`].
pub fn row_coloring(pattern: &SparsityPattern) -> Coloring {
    column_coloring(&pattern.transpose())
}
