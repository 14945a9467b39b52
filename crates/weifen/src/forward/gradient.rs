//! Gradients of `ℝⁿ → ℝ` and Jacobian–vector products of `ℝⁿ → ℝᵐ`.

use super::{CHUNK, ChunkDual, Dual, DualVec};
use crate::Scalar;
use crate::error::{LengthError, check_length};

/// Seeds `x` for the chunk of directions starting at `start`: input `k` gets tangent 1 in
/// direction `k − start` when that falls in the chunk, and is a constant otherwise.
pub(super) fn seed_chunk<S: Scalar, const N: usize>(x: &[S], start: usize) -> Vec<DualVec<S, N>> {
    x.iter()
        .enumerate()
        .map(|(k, xk)| DualVec::seeded(xk.clone(), k.wrapping_sub(start)))
        .collect()
}

/// Moves the seeds of `seeded` from the chunk at `from` to the chunk at `to`, touching only
/// the inputs of those two chunks: O(N) per chunk instead of reseeding (and reallocating) all n.
pub(super) fn reseed_chunk<S: Scalar, const N: usize>(
    seeded: &mut [DualVec<S, N>],
    from: usize,
    to: usize,
) {
    for (i, xk) in seeded.iter_mut().skip(from).take(N).enumerate() {
        xk.tangent[i] = S::constant(0.0);
    }
    for (i, xk) in seeded.iter_mut().skip(to).take(N).enumerate() {
        xk.tangent[i] = S::constant(1.0);
    }
}

/// Returns `(f(x), ∇f(x))`, by `⌈n/CHUNK⌉` evaluations of `f` on [`ChunkDual`]s.
///
/// An empty `x` gives an empty gradient (and one evaluation for the value).
///
/// ```
/// use weifen::{forward, Scalar};
///
/// let (y, g) = forward::value_and_gradient(|x| x[0] * x[1].sin(), &[2.0, 0.0]);
/// assert_eq!(y, 0.0);
/// assert_eq!(g, vec![0.0, 2.0]);
/// ```
pub fn value_and_gradient<S: Scalar>(
    f: impl Fn(&[ChunkDual<S>]) -> ChunkDual<S>,
    x: &[S],
) -> (S, Vec<S>) {
    let mut gradient = Vec::with_capacity(x.len());
    let mut value = None;
    let mut seeded = seed_chunk(x, 0);
    let mut start = 0;
    loop {
        let y = f(&seeded);
        let width = CHUNK.min(x.len() - start);
        gradient.extend(y.tangent.into_iter().take(width));
        value.get_or_insert(y.value);
        let next = start + CHUNK;
        if next >= x.len() {
            break;
        }
        reseed_chunk(&mut seeded, start, next);
        start = next;
    }
    (value.expect("evaluated at least once"), gradient)
}

/// Returns `∇f(x)`, by `⌈n/CHUNK⌉` evaluations of `f` on [`ChunkDual`]s.
///
/// ```
/// use weifen::{forward, Scalar};
///
/// // Rosenbrock: ∇f(1, 1) = 0
/// fn rosenbrock<S: Scalar>(x: &[S]) -> S {
///     (-x[0].clone() + 1.0).powi(2) + (x[1].clone() - x[0].clone().powi(2)).powi(2) * 100.0
/// }
/// assert_eq!(forward::gradient(rosenbrock, &[1.0, 1.0]), vec![0.0, 0.0]);
/// ```
pub fn gradient<S: Scalar>(f: impl Fn(&[ChunkDual<S>]) -> ChunkDual<S>, x: &[S]) -> Vec<S> {
    value_and_gradient(f, x).1
}

/// Returns `(f(x), J(x)·v)`: the value and the derivative of `f` along `v`, from one
/// evaluation on [`Dual`]s.
///
/// # Errors
/// [`LengthError`] if `v` and `x` differ in length.
///
/// ```
/// use weifen::forward;
///
/// let f = |x: &[forward::Dual<f64>]| vec![x[0] * x[1], x[0] + x[1]];
/// let (y, jv) = forward::jvp(f, &[2.0, 3.0], &[1.0, -1.0]).unwrap();
/// assert_eq!(y, vec![6.0, 5.0]);
/// assert_eq!(jv, vec![3.0 - 2.0, 0.0]);
///
/// let err = forward::jvp(f, &[2.0, 3.0], &[1.0]).unwrap_err();
/// assert_eq!(err.to_string(), "jvp direction has length 1, but the input x has length 2; they must be equal");
/// ```
pub fn jvp<S: Scalar>(
    f: impl Fn(&[Dual<S>]) -> Vec<Dual<S>>,
    x: &[S],
    v: &[S],
) -> Result<(Vec<S>, Vec<S>), LengthError> {
    check_length("jvp direction", "the input x", x.len(), v.len())?;
    let seeded: Vec<_> = x
        .iter()
        .zip(v)
        .map(|(xk, vk)| Dual::new(xk.clone(), vk.clone()))
        .collect();
    Ok(f(&seeded).into_iter().map(|y| (y.value, y.tangent)).unzip())
}
