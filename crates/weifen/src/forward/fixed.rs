//! Jacobians of small maps `ℝᴺ → ℝᴹ` whose sizes are known at compile time: one evaluation
//! on `DualVec<S, N>` seeded with all `N` directions, with inputs, outputs and the Jacobian
//! in stack arrays.
//!
//! This is the kernel of a Jacobian with block structure: a residual function applied to
//! many small subsets of a large input (a camera and a point per observation in bundle
//! adjustment, one element's nodes in finite elements). Each block costs one evaluation and
//! no allocation, so a million blocks cost a million small evaluations rather than the
//! colouring and the `⌈colours/CHUNK⌉` sweeps of a general [sparse
//! Jacobian](crate::sparse); the caller gathers each block's inputs and scatters its
//! `M × N` block into whatever sparse layout it keeps. [`jacobian`](super::jacobian) on the
//! same map returns a heap `Array2` and evaluates in chunks of [`CHUNK`](super::CHUNK)
//! directions, which costs more than the arithmetic when the map is this small.

use super::DualVec;
use crate::Scalar;

/// Returns `(f(x), J(x))` with `J[i][j] = ∂fᵢ/∂xⱼ`, by one evaluation of `f` on
/// `DualVec<S, N>` (input `j` seeded with direction `j`).
///
/// `N` is the width of every tangent, so keep it small: the cost of each operation grows
/// with `N`, and on x86-64 a `DualVec<f64, N>` of more than 128 bytes (`N > 15`) is moved
/// with `memcpy` calls rather than in registers (measured at 26 directions: two evaluations
/// of 13 were faster than one of 26). For a map of unknown or large size use [`value_and_jacobian`](super::value_and_jacobian).
///
/// ```
/// use weifen::{forward, Scalar};
///
/// // f(x, y) = (x·y, sin x): J = [[y, x], [cos x, 0]]
/// let (y, j) = forward::value_and_jacobian_fixed(
///     |[x, y]: &[_; 2]| [*x * *y, x.sin()],
///     &[2.0, 3.0],
/// );
/// assert_eq!(y, [6.0, 2.0_f64.sin()]);
/// assert_eq!(j, [[3.0, 2.0], [2.0_f64.cos(), 0.0]]);
/// ```
#[inline]
pub fn value_and_jacobian_fixed<S: Scalar, const N: usize, const M: usize>(
    f: impl FnOnce(&[DualVec<S, N>; N]) -> [DualVec<S, N>; M],
    x: &[S; N],
) -> ([S; M], [[S; N]; M]) {
    let seeded: [DualVec<S, N>; N] = std::array::from_fn(|k| DualVec::seeded(x[k].clone(), k));
    let y = f(&seeded);
    let values = std::array::from_fn(|i| y[i].value.clone());
    let jacobian = y.map(|yi| yi.tangent);
    (values, jacobian)
}

/// Returns the Jacobian `J[i][j] = ∂fᵢ/∂xⱼ` of a small map. See [`value_and_jacobian_fixed`].
///
/// ```
/// use weifen::forward;
///
/// // f(x, y) = x²·y: J = [2xy, x²]
/// let j = forward::jacobian_fixed(|[x, y]: &[_; 2]| [*x * *x * *y], &[3.0, 5.0]);
/// assert_eq!(j, [[30.0, 9.0]]);
/// ```
#[inline]
pub fn jacobian_fixed<S: Scalar, const N: usize, const M: usize>(
    f: impl FnOnce(&[DualVec<S, N>; N]) -> [DualVec<S, N>; M],
    x: &[S; N],
) -> [[S; N]; M] {
    value_and_jacobian_fixed(f, x).1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forward::value_and_jacobian;
    use crate::{Real, reverse};

    /// A map with every kind of entry: products, a quotient, transcendental functions and an
    /// output that ignores an input.
    fn map<S: Real>(x: &[S]) -> [S; 3] {
        [
            x[0] * x[1] + x[2].exp(),
            x[1].sin() / x[0],
            (x[2] * x[2] + x[1]).sqrt() * x[3],
        ]
    }

    const X: [f64; 4] = [1.5, 0.7, 0.3, 2.0];

    #[test]
    fn fixed_jacobian_matches_the_chunked_forward_and_reverse_jacobians() {
        let (y, j) = value_and_jacobian_fixed(|x| map(x), &X);
        let (y_chunked, j_chunked) = value_and_jacobian(|x| map(x).to_vec(), &X);
        let j_reverse = reverse::jacobian(|x| map(x).to_vec(), &X);
        assert_eq!(y.to_vec(), y_chunked);
        for i in 0..3 {
            for k in 0..4 {
                assert!((j[i][k] - j_chunked[[i, k]]).abs() < 1e-14, "({i}, {k})");
                assert!((j[i][k] - j_reverse[[i, k]]).abs() < 1e-14, "({i}, {k})");
            }
        }
    }

    #[test]
    fn fixed_jacobian_matches_closed_forms() {
        let [a, b, c, d] = X;
        let j = jacobian_fixed(|x| map(x), &X);
        let r = (c * c + b).sqrt();
        let expected = [
            [b, a, c.exp(), 0.0],
            [-b.sin() / (a * a), b.cos() / a, 0.0, 0.0],
            [0.0, d / (2.0 * r), d * c / r, r],
        ];
        for i in 0..3 {
            for k in 0..4 {
                assert!((j[i][k] - expected[i][k]).abs() < 1e-14, "({i}, {k})");
            }
        }
    }
}
