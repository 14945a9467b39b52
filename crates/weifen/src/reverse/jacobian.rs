//! Jacobians by one recording and one backward sweep per output.

use super::adjoints::backward;
use super::{Tape, Var};
use crate::Real;
use ndarray::Array2;

/// Returns `(f(x), J(x))` with `J[i][j] = ∂fᵢ/∂xⱼ` of shape `(m, n)`: `f` is recorded once and
/// swept backwards once per output.
///
/// ```
/// use weifen::{reverse, Scalar};
/// use ndarray::array;
///
/// fn f<S: Scalar>(x: &[S]) -> Vec<S> {
///     vec![x[0].clone().powi(2) + x[1].clone(), x[1].clone() * x[2].clone()]
/// }
/// let (y, j) = reverse::value_and_jacobian(|x| f(x), &[1.0, 2.0, 3.0]);
/// assert_eq!(y, vec![3.0, 6.0]);
/// assert_eq!(j, array![[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]);
/// ```
pub fn value_and_jacobian<S: Real>(
    f: impl for<'t> Fn(&[Var<'t, S>]) -> Vec<Var<'t, S>>,
    x: &[S],
) -> (Vec<S>, Array2<S>) {
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f(&vars);
    let mut j = Array2::from_elem((y.len(), x.len()), S::constant(0.0));
    for (i, yi) in y.iter().enumerate() {
        if let Some(node) = yi.index() {
            let adjoints = backward(&tape, &[(node, S::constant(1.0))]);
            for (k, &v) in vars.iter().enumerate() {
                j[[i, k]] = adjoints.wrt(v);
            }
        }
    }
    (y.iter().map(Var::primal).collect(), j)
}

/// Returns the Jacobian `J[i][j] = ∂fᵢ/∂xⱼ`. See [`value_and_jacobian`].
///
/// ```
/// use weifen::reverse;
///
/// let j = reverse::jacobian(|x| vec![x[0] * x[1]], &[2.0, 5.0]);
/// assert_eq!(j.shape(), &[1, 2]);
/// assert_eq!(j[[0, 1]], 2.0);
/// ```
pub fn jacobian<S: Real>(
    f: impl for<'t> Fn(&[Var<'t, S>]) -> Vec<Var<'t, S>>,
    x: &[S],
) -> Array2<S> {
    value_and_jacobian(f, x).1
}
