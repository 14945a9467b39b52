//! Jacobians of `ℝⁿ → ℝᵐ`, in chunks of directions.

use super::gradient::{reseed_chunk, seed_chunk};
use super::{CHUNK, ChunkDual};
use crate::Scalar;
use ndarray::Array2;

/// Returns `(f(x), J(x))` with `J[i][j] = ∂fᵢ/∂xⱼ` of shape `(m, n)`, by `⌈n/CHUNK⌉`
/// evaluations of `f` on [`ChunkDual`]s.
///
/// An empty `x` gives an `(m, 0)` Jacobian.
///
/// # Panics
/// If `f` returns outputs of different lengths on different evaluations (it must depend only
/// on the length of its input).
///
/// ```
/// use weifen::{forward, Scalar};
/// use ndarray::array;
///
/// fn f<S: Scalar>(x: &[S]) -> Vec<S> {
///     vec![x[0].clone().powi(2) + x[1].clone(), x[1].clone() * x[2].clone()]
/// }
/// let (y, j) = forward::value_and_jacobian(f, &[1.0, 2.0, 3.0]);
/// assert_eq!(y, vec![3.0, 6.0]);
/// assert_eq!(j, array![[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]);
/// ```
#[track_caller]
pub fn value_and_jacobian<S: Scalar>(
    f: impl Fn(&[ChunkDual<S>]) -> Vec<ChunkDual<S>>,
    x: &[S],
) -> (Vec<S>, Array2<S>) {
    let (values, jacobian) = evaluate(f, x, true);
    (values.unwrap_or_default(), jacobian)
}

/// The Jacobian, and the values when asked for. Up to `CHUNK` inputs are seeded in a stack
/// array: on small maps the allocations, not the arithmetic, are the cost (the seed Jacobian
/// 3 → 2 went from 57 to about 35 ns without the seed and value vectors).
#[track_caller]
fn evaluate<S: Scalar>(
    f: impl Fn(&[ChunkDual<S>]) -> Vec<ChunkDual<S>>,
    x: &[S],
    want_values: bool,
) -> (Option<Vec<S>>, Array2<S>) {
    let n = x.len();
    if n <= CHUNK {
        let seeded: [ChunkDual<S>; CHUNK] = std::array::from_fn(|k| match x.get(k) {
            Some(xk) => ChunkDual::seeded(xk.clone(), k),
            None => ChunkDual::lift(S::constant(0.0)),
        });
        let y = f(&seeded[..n]);
        let values = want_values.then(|| y.iter().map(|yi| yi.value.clone()).collect());
        let jacobian = Array2::from_shape_fn((y.len(), n), |(i, k)| y[i].tangent[k].clone());
        return (values, jacobian);
    }
    let mut seeded = seed_chunk(x, 0);
    let mut y = f(&seeded);
    let values = want_values.then(|| y.iter().map(|yi| yi.value.clone()).collect());
    let m = y.len();
    // Filled column block by column block as the chunks are evaluated, with no
    // intermediate per-column vectors.
    let mut jacobian = Array2::from_elem((m, n), S::constant(0.0));
    let mut start = 0;
    loop {
        assert_eq!(
            y.len(),
            m,
            "jacobian: the function returned {} outputs on one evaluation and {m} on another; \
             its output length must depend only on its input length",
            y.len()
        );
        for (i, yi) in y.iter().enumerate() {
            for k in 0..CHUNK.min(n - start) {
                jacobian[[i, start + k]] = yi.tangent[k].clone();
            }
        }
        let next = start + CHUNK;
        if next >= n {
            break;
        }
        reseed_chunk(&mut seeded, start, next);
        start = next;
        y = f(&seeded);
    }
    (values, jacobian)
}

/// Returns the Jacobian `J[i][j] = ∂fᵢ/∂xⱼ` of shape `(m, n)`. See [`value_and_jacobian`].
///
/// ```
/// use weifen::forward;
///
/// let j = forward::jacobian(|x| vec![x[0] * x[1]], &[2.0, 5.0]);
/// assert_eq!(j.shape(), &[1, 2]);
/// assert_eq!(j[[0, 0]], 5.0);
/// ```
#[track_caller]
pub fn jacobian<S: Scalar>(f: impl Fn(&[ChunkDual<S>]) -> Vec<ChunkDual<S>>, x: &[S]) -> Array2<S> {
    evaluate(f, x, false).1
}
