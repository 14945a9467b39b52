//! Products that a backend without the verb composes from its Jacobian or Hessian:
//! `J·v` and `uᵀ·J`, with the error bounds carried through (`|E|·|v|`, `|u|ᵀ·|E|`).

use crate::method::Outcome;
use ndarray::Array2;

/// `M·v`; an error bound `E` becomes `|E|·|v|`.
pub(super) fn times(m: Outcome<Array2<f64>>, v: &[f64]) -> Outcome<Vec<f64>> {
    m.map(|a, is_error| {
        (0..a.nrows())
            .map(|i| weighted(a.row(i).iter().copied(), v, is_error))
            .collect()
    })
}

/// `uᵀ·M`; an error bound `E` becomes `|u|ᵀ·|E|`.
pub(super) fn transposed_times(m: Outcome<Array2<f64>>, u: &[f64]) -> Outcome<Vec<f64>> {
    m.map(|a, is_error| {
        (0..a.ncols())
            .map(|j| weighted(a.column(j).iter().copied(), u, is_error))
            .collect()
    })
}

/// `Σ wₖ·aₖ`, or `Σ |wₖ|·|aₖ|` for an error bound. A zero weight contributes nothing, even
/// against an infinite bound (an entry the product does not use cannot spoil it).
fn weighted(a: impl Iterator<Item = f64>, w: &[f64], is_error: bool) -> f64 {
    a.zip(w)
        .filter(|&(_, &wk)| wk != 0.0)
        .map(|(ak, &wk)| match is_error {
            true => ak.abs() * wk.abs(),
            false => ak * wk,
        })
        .sum()
}
