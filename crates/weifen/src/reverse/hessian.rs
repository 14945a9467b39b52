//! Hessians and Hessian–vector products: forward over reverse on one recording, and reverse
//! over forward on dual numbers of tape variables.

use super::{HessianStrategy, Tape, Var, record};
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
/// For many directions at one point, record once and use
/// [`Recording::second_order`](super::Recording::second_order): each product then costs two
/// sweeps without op dispatch.
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

/// Returns the Hessian `H[i][j] = ∂²f/∂xᵢ∂xⱼ`, forward over reverse: `f` is recorded once,
/// and the Hessian is assembled from Hessian–vector products on the recording
/// ([`Recording::second_order`](super::Recording::second_order)), by
/// [`HessianStrategy::Auto`]: densely (`⌈n/CHUNK⌉` batches of `CHUNK` products) up to
/// [`DENSE_UP_TO`](super::DENSE_UP_TO) inputs, and above that by star colouring when the
/// pattern read off the recording needs fewer products.
///
/// The pattern is the one of the branches `f` takes at `x`, which is all a Hessian at `x`
/// needs. The result is exactly symmetric.
///
/// `f` is evaluated on tape variables (`Var`), like [`gradient`](super::gradient); the
/// reverse-over-forward Hessian, which evaluates it on [`HessianVar`]s, is
/// [`hessian_reverse_over_forward`].
///
/// # Panics
/// If `f` records a [`checkpoint`](super::checkpoint) (a checkpointed segment keeps no
/// operations to differentiate twice).
///
/// ```
/// use weifen::{reverse, Scalar};
/// use ndarray::array;
///
/// // f = x²y + y³: H = [[2y, 2x], [2x, 6y]]
/// let h = reverse::hessian(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// assert_eq!(h, array![[4.0, 2.0], [2.0, 12.0]]);
/// ```
pub fn hessian<S: Real>(f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>, x: &[S]) -> Array2<S> {
    hessian_with(f, x, HessianStrategy::Auto)
}

/// [`hessian`] by the given strategy.
///
/// # Panics
/// As [`hessian`].
///
/// ```
/// use weifen::reverse::{self, HessianStrategy};
/// use weifen::Scalar;
///
/// // A chain: tridiagonal Hessian, three colours.
/// fn chain<S: Scalar>(x: &[S]) -> S {
///     x.windows(2)
///         .fold(S::constant(0.0), |s, w| s + (w[0].clone() * w[1].clone()).sin())
/// }
/// let x: Vec<f64> = (0..20).map(|i| 0.1 * i as f64).collect();
/// let dense = reverse::hessian_with(|x| chain(x), &x, HessianStrategy::Dense);
/// let sparse = reverse::hessian_with(|x| chain(x), &x, HessianStrategy::Sparse);
/// assert!((dense - sparse).iter().all(|d| d.abs() < 1e-14));
/// ```
pub fn hessian_with<S: Real>(
    f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>,
    x: &[S],
    strategy: HessianStrategy,
) -> Array2<S> {
    record(f, x).linearize().hessian_with(strategy)
}

/// Returns `(f(x), ∇f(x), H(x))` from one recording: the value and the gradient come with
/// the linearisation the Hessian is built on. See [`hessian`].
///
/// # Panics
/// As [`hessian`].
///
/// ```
/// use weifen::{reverse, Scalar};
/// use ndarray::array;
///
/// // f = x²y + y³
/// let (y, g, h) = reverse::value_gradient_and_hessian(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// assert_eq!((y, g), (10.0, vec![4.0, 13.0]));
/// assert_eq!(h, array![[4.0, 2.0], [2.0, 12.0]]);
/// ```
pub fn value_gradient_and_hessian<S: Real>(
    f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>,
    x: &[S],
) -> (S, Vec<S>, Array2<S>) {
    let mut recording = record(f, x);
    let mut at = recording.linearize();
    let h = at.hessian();
    (at.value(), at.gradient(), h)
}

/// Returns the Hessian `H[i][j] = ∂²f/∂xᵢ∂xⱼ`, reverse over forward: each evaluation of `f`
/// on [`HessianVar`]s gives `CHUNK` directional derivatives of `f` as tape variables, and one
/// backward sweep from each gives a row of `H`: `⌈n/CHUNK⌉` recordings and `n` sweeps.
///
/// This was `hessian` before the forward-over-reverse one; it remains for functions written
/// for `HessianVar`s (and as an independent check).
///
/// ```
/// use weifen::{reverse, Scalar};
/// use ndarray::array;
///
/// // f = x²y + y³: H = [[2y, 2x], [2x, 6y]]
/// let h = reverse::hessian_reverse_over_forward(|x| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// assert_eq!(h, array![[4.0, 2.0], [2.0, 12.0]]);
/// ```
pub fn hessian_reverse_over_forward<S: Real>(
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
