//! Compressed evaluation: one derivative sweep per colour, then recovery into CSR.

use super::error::SparseError;
use super::{HessianSparsity, JacobianSparsity, SparsityPattern};
use crate::error::check_length;
use crate::forward::{CHUNK, ChunkDual, DualVec};
use crate::reverse::{HessianVar, Tape, Var};
use sprs::CsMat;

/// The number of lanes of the dual numbers that carry `colors` colours: the fewest of 1, 2,
/// 4 and `CHUNK` that take them all in one evaluation, so that a tridiagonal pattern
/// (3 colours) does not pay for 8 tangents.
pub(crate) fn lanes(colors: usize) -> usize {
    [1, 2, 4]
        .into_iter()
        .find(|&n| colors <= n)
        .unwrap_or(CHUNK)
}

/// The CSR matrix with `pattern`'s structure and `values` in its order.
pub(crate) fn csr(pattern: &SparsityPattern, values: Vec<f64>) -> CsMat<f64> {
    let (offsets, columns) = pattern.csr();
    CsMat::new(
        (pattern.nrows(), pattern.ncols()),
        offsets.to_vec(),
        columns.to_vec(),
        values,
    )
}

/// The guard against a pattern that no longer holds: in compressed row `r`, whose pattern
/// entries are `entries` (their colours `colors[j]`), each colour `c` in `lanes` that no entry
/// has must have a zero compressed value `value(c)`. Non-finite values are let through: a
/// zero tangent times an infinite partial (`√′(0)`) is NaN without any dependence.
pub(crate) fn guard(
    r: usize,
    entries: &[usize],
    colors: &[usize],
    lanes: std::ops::Range<usize>,
    present: &mut [usize],
    value: impl Fn(usize) -> f64,
) -> Result<(), SparseError> {
    entries.iter().for_each(|&j| present[colors[j]] = r);
    for color in lanes {
        let v = value(color);
        if present[color] != r && v != 0.0 && v.is_finite() {
            return Err(SparseError::PatternChanged {
                row: r,
                color,
                value: v,
            });
        }
    }
    Ok(())
}

/// The sparse Jacobian in forward mode with `sparsity`'s column colouring, whatever its
/// [`Mode`](super::Mode): `⌈colours/CHUNK⌉` evaluations of `f` on [`ChunkDual`]s, each input
/// seeded with the unit direction of its colour's lane. Errors as
/// [`sparse_jacobian_with`](super::sparse_jacobian_with).
///
/// ```
/// use weifen::sparse::{forward_jacobian_with, JacobianSparsity};
///
/// let s = JacobianSparsity::detect(|x| vec![x[0].clone() * x[1].clone()], &[2.0, 3.0]);
/// let j = forward_jacobian_with(&s, |x| vec![x[0] * x[1]], &[2.0, 3.0]).unwrap();
/// assert_eq!(j.to_dense(), ndarray::array![[3.0, 2.0]]);
/// ```
pub fn forward_jacobian_with(
    sparsity: &JacobianSparsity,
    f: impl Fn(&[ChunkDual]) -> Vec<ChunkDual>,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    forward_lanes(sparsity, f, x)
}

/// [`forward_jacobian_with`] with `N` colours per evaluation.
pub(crate) fn forward_lanes<const N: usize>(
    sparsity: &JacobianSparsity,
    f: impl Fn(&[DualVec<f64, N>]) -> Vec<DualVec<f64, N>>,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    let pattern = sparsity.pattern();
    check_length(
        "the point x",
        "the pattern's columns",
        pattern.ncols(),
        x.len(),
    )?;
    let colors = sparsity.column_coloring().colors();
    let p = sparsity.column_coloring().count();
    let mut values = vec![0.0; pattern.nnz()];
    let mut present = vec![usize::MAX; p];
    let (offsets, columns) = pattern.csr();
    // At least one evaluation, so that the output length is checked even with no colours.
    for start in (0..p.max(1)).step_by(N) {
        let seeded: Vec<DualVec<f64, N>> = x
            .iter()
            .zip(colors)
            .map(|(&xk, &c)| DualVec::seeded(xk, c.wrapping_sub(start)))
            .collect();
        let y = f(&seeded);
        check_length(
            "the output f(x)",
            "the pattern's rows",
            pattern.nrows(),
            y.len(),
        )?;
        let lanes = start..p.min(start + N);
        for (i, yi) in y.iter().enumerate() {
            for e in offsets[i]..offsets[i + 1] {
                let c = colors[columns[e]];
                if lanes.contains(&c) {
                    values[e] = yi.tangent[c - start];
                }
            }
            guard(
                i,
                pattern.row(i),
                colors,
                lanes.clone(),
                &mut present,
                |c| yi.tangent[c - start],
            )?;
        }
    }
    Ok(csr(pattern, values))
}

/// The sparse Jacobian in reverse mode with `sparsity`'s row colouring, whatever its
/// [`Mode`](super::Mode): one recording of `f`, then per colour one backward sweep from the
/// sum of that colour's outputs, which gives the sum of their rows (they share no column).
/// Errors as [`sparse_jacobian_with`](super::sparse_jacobian_with).
///
/// ```
/// use weifen::sparse::{reverse_jacobian_with, JacobianSparsity};
///
/// let s = JacobianSparsity::detect(|x| vec![x[0].clone() * x[1].clone()], &[2.0, 3.0]);
/// let j = reverse_jacobian_with(&s, |x| vec![x[0] * x[1]], &[2.0, 3.0]).unwrap();
/// assert_eq!(j.to_dense(), ndarray::array![[3.0, 2.0]]);
/// ```
pub fn reverse_jacobian_with(
    sparsity: &JacobianSparsity,
    f: impl for<'t> Fn(&[Var<'t, f64>]) -> Vec<Var<'t, f64>>,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    let pattern = sparsity.pattern();
    let transposed = sparsity.transposed();
    check_length(
        "the point x",
        "the pattern's columns",
        pattern.ncols(),
        x.len(),
    )?;
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f(&vars);
    check_length(
        "the output f(x)",
        "the pattern's rows",
        pattern.nrows(),
        y.len(),
    )?;
    let coloring = sparsity.row_coloring();
    let colors = coloring.colors();
    let mut values = vec![0.0; pattern.nnz()];
    let mut present = vec![usize::MAX; coloring.count()];
    let (offsets, columns) = pattern.csr();
    for (color, group) in coloring.groups().iter().enumerate() {
        let Some(sum) = group.iter().map(|&i| y[i]).reduce(|a, b| a + b) else {
            continue;
        };
        let row = sum.backward().wrt_all(&vars);
        for &i in group {
            for e in offsets[i]..offsets[i + 1] {
                values[e] = row[columns[e]];
            }
        }
        for (j, &v) in row.iter().enumerate() {
            guard(
                j,
                transposed.row(j),
                colors,
                color..color + 1,
                &mut present,
                |_| v,
            )?;
        }
    }
    Ok(csr(pattern, values))
}

/// The sparse Hessian of `f` with `sparsity`'s star colouring, reverse over forward: per
/// [`CHUNK`] colours one recording of `f` on [`HessianVar`]s whose tangent lanes are the
/// colours' sum vectors, then one backward sweep per lane gives `H·s_c`. Errors as
/// [`sparse_hessian_with`](super::sparse_hessian_with).
///
/// ```
/// use weifen::sparse::{hessian_with, HessianSparsity};
/// use weifen::Scalar;
///
/// let s = HessianSparsity::detect(|x| x[0].clone() * x[1].clone().exp(), &[2.0, 0.0]);
/// let h = hessian_with(&s, |x| x[0] * x[1].exp(), &[2.0, 0.0]).unwrap();
/// assert_eq!(h.to_dense(), ndarray::array![[0.0, 1.0], [1.0, 2.0]]);
/// ```
pub fn hessian_with(
    sparsity: &HessianSparsity,
    f: impl for<'t> Fn(&[HessianVar<'t>]) -> HessianVar<'t>,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    hessian_lanes(sparsity, f, x)
}

/// [`hessian_with`] with `N` colours per recording.
pub(crate) fn hessian_lanes<const N: usize>(
    sparsity: &HessianSparsity,
    f: impl for<'t> Fn(&[DualVec<Var<'t, f64>, N>]) -> DualVec<Var<'t, f64>, N>,
    x: &[f64],
) -> Result<CsMat<f64>, SparseError> {
    let pattern = sparsity.pattern();
    let n = pattern.ncols();
    check_length("the point x", "the Hessian pattern's size", n, x.len())?;
    let colors = sparsity.coloring().colors();
    let p = sparsity.coloring().count();
    // compressed[r * p + c] = (H·s_c)[r]
    let mut compressed = vec![0.0; n * p];
    for start in (0..p).step_by(N) {
        let tape = Tape::new();
        let vars = tape.vars(x);
        let seeded: Vec<DualVec<Var<'_, f64>, N>> = vars
            .iter()
            .zip(colors)
            .map(|(&v, &c)| DualVec::seeded(v, c.wrapping_sub(start)))
            .collect();
        let y = f(&seeded);
        for c in start..p.min(start + N) {
            let hv = y.tangent[c - start].backward().wrt_all(&vars);
            for (r, v) in hv.into_iter().enumerate() {
                compressed[r * p + c] = v;
            }
        }
    }
    let mut present = vec![usize::MAX; p];
    for r in 0..n {
        guard(r, pattern.row(r), colors, 0..p, &mut present, |c| {
            compressed[r * p + c]
        })?;
    }
    let values = sparsity
        .read()
        .iter()
        .map(|&(r, c)| compressed[r * p + c])
        .collect();
    Ok(csr(pattern, values))
}
