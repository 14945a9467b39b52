//! Hessians and Hessian–vector products, reverse over forward.

use super::{Tape, Var};
use crate::Real;
use crate::error::{LengthError, check_length};
use crate::forward::{CHUNK, Dual, DualVec};
use ndarray::Array2;

/// The scalar type that [`hessian`] evaluates the function with: a chunk of tangents whose
/// parts are tape variables.
pub type HessianVar<'t, S = f64> = DualVec<Var<'t, S>, CHUNK>;

/// Returns `H(x)·v`, reverse over forward: `f` is evaluated once on dual numbers with tangent
/// `v` whose parts are tape variables; the tangent of the result is `∇f·v`, and one backward
/// sweep from it gives its gradient `H·v`.
///
/// # Errors
/// [`LengthError`] if `v` and `x` differ in length.
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// // f = x²y + y³: H(1, 2)·(1, 1) = [[4, 2], [2, 12]]·(1, 1)
/// let hv = reverse::hvp(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0], &[1.0, 1.0]);
/// assert_eq!(hv, Ok(vec![6.0, 14.0]));
/// ```
pub fn hvp<S: Real>(
    f: impl for<'t> Fn(&[Dual<Var<'t, S>>]) -> Dual<Var<'t, S>>,
    x: &[S],
    v: &[S],
) -> Result<Vec<S>, LengthError> {
    check_length("hvp vector", "the input x", x.len(), v.len())?;
    let tape = Tape::new();
    let vars = tape.vars(x);
    let seeded: Vec<_> = vars
        .iter()
        .zip(v)
        .map(|(&xk, &vk)| Dual::new(xk, Var::constant_of(vk)))
        .collect();
    Ok(f(&seeded).tangent.backward().wrt_all(&vars))
}

/// Returns the Hessian `H[i][j] = ∂²f/∂xᵢ∂xⱼ`, reverse over forward: each evaluation of `f`
/// on [`HessianVar`]s gives `CHUNK` directional derivatives of `f` as tape variables, and one
/// backward sweep from each gives a row of `H`: `⌈n/CHUNK⌉` recordings and `n` sweeps.
///
/// ```
/// use weifen::{reverse, Scalar};
/// use ndarray::array;
///
/// // f = x²y + y³: H = [[2y, 2x], [2x, 6y]]
/// let h = reverse::hessian(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// assert_eq!(h, array![[4.0, 2.0], [2.0, 12.0]]);
/// ```
pub fn hessian<S: Real>(
    f: impl for<'t> Fn(&[HessianVar<'t, S>]) -> HessianVar<'t, S>,
    x: &[S],
) -> Array2<S> {
    let n = x.len();
    let mut h = Array2::from_elem((n, n), S::constant(0.0));
    for start in (0..n).step_by(CHUNK) {
        let tape = Tape::new();
        let vars = tape.vars(x);
        let seeded: Vec<HessianVar<'_, S>> = vars
            .iter()
            .enumerate()
            .map(|(k, &xk)| DualVec::seeded(xk, k.wrapping_sub(start)))
            .collect();
        let y = f(&seeded);
        for (j, dj) in y.tangent.iter().enumerate().take(n - start) {
            let row = dj.backward().wrt_all(&vars);
            for (k, hk) in row.into_iter().enumerate() {
                h[[start + j, k]] = hk;
            }
        }
    }
    h
}
