//! Star colouring of a symmetric pattern, and the direct recovery of a Hessian from its
//! products with the colour groups' sum vectors.
//!
//! A star colouring of the adjacency graph (an edge `i – j` for each off-diagonal nonzero)
//! is a proper colouring in which every path on four vertices uses at least three colours.
//! It is what direct recovery needs: for an edge `i – j`, if another neighbour `k` of `i`
//! had `j`'s colour and another neighbour `l` of `j` had `i`'s, then `k – i – j – l` would be
//! a two-coloured path. So either `j` is the only neighbour of `i` with its colour, and
//! `H[i][j] = (H·s_{c(j)})[i]`, or `i` is the only neighbour of `j` with its colour, and
//! `H[i][j] = (H·s_{c(i)})[j]`.

use super::{Coloring, SparsityPattern};

/// The adjacency lists of the symmetrised off-diagonal pattern.
fn adjacency(pattern: &SparsityPattern) -> Vec<Vec<usize>> {
    let n = pattern.nrows();
    let mut adj = vec![Vec::new(); n];
    for (i, j) in pattern.positions() {
        if i != j {
            adj[i].push(j);
            adj[j].push(i);
        }
    }
    for a in &mut adj {
        a.sort_unstable();
        a.dedup();
    }
    adj
}

/// Greedy star colouring of a square pattern (taken as symmetric: `(i, j)` stands for
/// `(j, i)` too), vertices in largest-first order of degree, ties by index.
///
/// Each vertex `v` takes the smallest colour that keeps the colouring proper and creates no
/// two-coloured path on four vertices among the vertices coloured so far, with `v` at an end
/// (`v – w – x – y`: forbid `c(x)` if `x` has a neighbour `y ≠ w` of colour `c(w)`) or inside
/// (`u – v – w – x`: forbid `c(x)` if `v` has two neighbours of colour `c(w)`). Every such path
/// is checked when its last vertex is coloured, so the result is a star colouring; a fresh
/// colour is always allowed, so the greedy step never fails. Cost: `O(Σ_v Σ_{w ~ v} Σ_{x ~ w}
/// deg x)`.
///
/// # Panics
/// If the pattern is not square.
///
/// ```
/// use weifen::sparse::{star_coloring, SparsityPattern};
///
/// // Tridiagonal: two colours alternate along the path and leave two-coloured paths, so 3.
/// let rows = (0..6usize).map(|i| (i.saturating_sub(1)..(i + 2).min(6)).collect()).collect();
/// let p = SparsityPattern::new(6, 6, rows).unwrap();
/// assert_eq!(star_coloring(&p).count(), 3);
/// ```
#[track_caller]
pub fn star_coloring(pattern: &SparsityPattern) -> Coloring {
    assert_eq!(
        pattern.nrows(),
        pattern.ncols(),
        "star_coloring: the pattern of a Hessian must be square"
    );
    let adj = adjacency(pattern);
    let n = adj.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| adj[b].len().cmp(&adj[a].len()).then(a.cmp(&b)));
    const NONE: usize = usize::MAX;
    let mut colors = vec![NONE; n];
    let mut forbidden: Vec<usize> = Vec::new();
    // seen[c] counts the neighbours of the current vertex with colour c.
    let mut seen: Vec<usize> = Vec::new();
    for &v in &order {
        let stamp = v + 1;
        let forbid = |c: usize, forbidden: &mut Vec<usize>| {
            if c >= forbidden.len() {
                forbidden.resize(c + 1, 0);
            }
            forbidden[c] = stamp;
        };
        for &w in &adj[v] {
            if colors[w] != NONE {
                forbid(colors[w], &mut forbidden);
                if colors[w] >= seen.len() {
                    seen.resize(colors[w] + 1, 0);
                }
                seen[colors[w]] += 1;
            }
        }
        for &w in &adj[v] {
            let cw = colors[w];
            if cw == NONE {
                continue;
            }
            let inside = seen[cw] >= 2;
            for &x in &adj[w] {
                let cx = colors[x];
                if x == v || cx == NONE {
                    continue;
                }
                let end = adj[x].iter().any(|&y| y != w && colors[y] == cw);
                if inside || end {
                    forbid(cx, &mut forbidden);
                }
            }
        }
        for &w in &adj[v] {
            if colors[w] != NONE {
                seen[colors[w]] = 0;
            }
        }
        let c = (0..forbidden.len())
            .find(|&c| forbidden[c] != stamp)
            .unwrap_or(forbidden.len());
        colors[v] = c;
    }
    Coloring::from_colors(colors)
}

/// For each stored entry `(i, j)` of the pattern (in CSR order), where to read it in the
/// compressed matrix `B = H·S` (`B[r][c]`, `S` the colour groups' sum vectors): `(i, c(j))`
/// if `j` is the only one of its colour among `i`'s row, else `(j, c(i))`.
///
/// # Panics
/// If `coloring` is not a star colouring of `pattern` (an entry with neither reading).
pub(crate) fn recovery(pattern: &SparsityPattern, coloring: &Coloring) -> Vec<(usize, usize)> {
    let c = coloring.colors();
    let adj = adjacency(pattern);
    // count[k] = how many neighbours of the current row have colour k.
    let mut count = vec![0usize; coloring.count()];
    let mut read = Vec::with_capacity(pattern.nnz());
    for i in 0..pattern.nrows() {
        adj[i].iter().for_each(|&q| count[c[q]] += 1);
        for &j in pattern.row(i) {
            if i == j || count[c[j]] == 1 {
                read.push((i, c[j]));
            } else {
                let once = adj[j].iter().filter(|&&q| c[q] == c[i]).count() == 1;
                assert!(
                    once,
                    "the colouring is not a star colouring of the pattern at ({i}, {j})"
                );
                read.push((j, c[i]));
            }
        }
        adj[i].iter().for_each(|&q| count[c[q]] = 0);
    }
    read
}
