//! Hessians and Hessian–vector products, forward over forward.

use super::gradient::seed_chunk;
use super::{CHUNK, Dual, DualVec, HESSIAN_BLOCK, HessianDual, HvpDual};
use crate::Scalar;
use crate::error::{LengthError, check_length};
use ndarray::Array2;

/// Returns the Hessian `H[i][j] = ∂²f/∂xᵢ∂xⱼ`, of shape `(n, n)`.
///
/// Each evaluation of `f` on [`HessianDual`]s seeds one block of directions in the outer
/// chunk and one in the inner chunk, and gives that block of `H`; by symmetry only the blocks
/// on and above the diagonal are evaluated: `b(b+1)/2` evaluations for `b = ⌈n/HESSIAN_BLOCK⌉`.
///
/// ```
/// use weifen::{forward, Scalar};
/// use ndarray::array;
///
/// // f = x²y + y³: H = [[2y, 2x], [2x, 6y]]
/// let h = forward::hessian(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// assert_eq!(h, array![[4.0, 2.0], [2.0, 12.0]]);
/// ```
pub fn hessian<S: Scalar>(f: impl Fn(&[HessianDual<S>]) -> HessianDual<S>, x: &[S]) -> Array2<S> {
    let n = x.len();
    let mut h = Array2::from_elem((n, n), S::constant(0.0));
    // One vector of inputs, reseeded in place for each block: set the block's seeds, evaluate,
    // clear them (building it anew per block was a tenth of the time at n = 100).
    let mut seeded: Vec<HessianDual<S>> = x
        .iter()
        .map(|xk| HessianDual::lift(DualVec::lift(xk.clone())))
        .collect();
    let set = |seeded: &mut [HessianDual<S>], outer: usize, inner: usize, on: f64| {
        for (k, xk) in seeded
            .iter_mut()
            .enumerate()
            .skip(inner)
            .take(HESSIAN_BLOCK)
        {
            xk.value.tangent[k - inner] = S::constant(on);
        }
        for (k, xk) in seeded
            .iter_mut()
            .enumerate()
            .skip(outer)
            .take(HESSIAN_BLOCK)
        {
            xk.tangent[k - outer] = DualVec::lift(S::constant(on));
        }
    };
    for outer in (0..n).step_by(HESSIAN_BLOCK) {
        for inner in (outer..n).step_by(HESSIAN_BLOCK) {
            set(&mut seeded, outer, inner, 1.0);
            let y = f(&seeded);
            set(&mut seeded, outer, inner, 0.0);
            for (i, row) in y.tangent.iter().enumerate().take(n - outer) {
                for (j, hij) in row.tangent.iter().enumerate().take(n - inner) {
                    h[[outer + i, inner + j]] = hij.clone();
                    h[[inner + j, outer + i]] = hij.clone();
                }
            }
        }
    }
    h
}

/// Returns the Hessian–vector product `H(x)·v` without forming `H`: the derivative along `v`
/// of the gradient, in `⌈n/CHUNK⌉` evaluations of `f` on [`HvpDual`]s.
///
/// # Errors
/// [`LengthError`] if `v` and `x` differ in length.
///
/// ```
/// use weifen::{forward, Scalar};
///
/// // f = x²y + y³: H(1, 2)·(1, 1) = [[4, 2], [2, 12]]·(1, 1)
/// let hv = forward::hvp(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0], &[1.0, 1.0]);
/// assert_eq!(hv, Ok(vec![6.0, 14.0]));
/// ```
pub fn hvp<S: Scalar>(
    f: impl Fn(&[HvpDual<S>]) -> HvpDual<S>,
    x: &[S],
    v: &[S],
) -> Result<Vec<S>, LengthError> {
    check_length("hvp vector", "the input x", x.len(), v.len())?;
    let mut hv = Vec::with_capacity(x.len());
    for start in (0..x.len()).step_by(CHUNK) {
        let seeded: Vec<HvpDual<S>> = seed_chunk(x, start)
            .into_iter()
            .zip(v)
            .map(|(xk, vk)| Dual::new(xk, DualVec::lift(vk.clone())))
            .collect();
        let y = f(&seeded);
        let width = CHUNK.min(x.len() - start);
        hv.extend(y.tangent.tangent.into_iter().take(width));
    }
    Ok(hv)
}
