//! Derivatives, gradients and vector–Jacobian products by one backward sweep.

use super::adjoints::backward;
use super::{Tape, Var, Workspace};
use crate::Real;
use crate::error::{LengthError, check_length};
use crate::forward::{Dual, Jet};

/// Returns `(f(x), f′(x))`: one recording, one backward sweep.
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// let (y, d) = reverse::value_and_derivative(|x| x.sin() * x, 2.0);
/// assert_eq!(y, 2f64.sin() * 2.0);
/// assert_eq!(d, 2f64.cos() * 2.0 + 2f64.sin());
/// ```
pub fn value_and_derivative<S: Real>(f: impl for<'t> Fn(Var<'t, S>) -> Var<'t, S>, x: S) -> (S, S) {
    let tape = Tape::new();
    let x = tape.var(x);
    let y = f(x);
    (y.primal(), y.backward().wrt(x))
}

/// Returns `f′(x)`. See [`value_and_derivative`].
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// assert_eq!(reverse::derivative(|x| x.exp(), 0.0), 1.0);
/// ```
pub fn derivative<S: Real>(f: impl for<'t> Fn(Var<'t, S>) -> Var<'t, S>, x: S) -> S {
    value_and_derivative(f, x).1
}

/// Returns `f″(x)`, reverse over forward: `f` is evaluated on a dual number whose parts are
/// tape variables, and the backward sweep from its tangent `f′(x)` gives `f″(x)`.
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// assert_eq!(reverse::second_derivative(|x| x.powi(3), 2.0), 12.0); // 6x
/// ```
pub fn second_derivative<S: Real>(
    f: impl for<'t> Fn(Dual<Var<'t, S>>) -> Dual<Var<'t, S>>,
    x: S,
) -> S {
    let tape = Tape::new();
    let x = tape.var(x);
    let y = f(Dual::variable(x));
    y.tangent.backward().wrt(x)
}

/// Returns `f⁽ⁿ⁾(x)` for any `n ≥ 1`, reverse over Taylor: `f` is evaluated on a
/// [`Jet`](crate::forward::Jet) of order `n − 1` whose coefficients are tape variables, and the
/// backward sweep from its last coefficient `f⁽ⁿ⁻¹⁾(x)/(n−1)!` gives `f⁽ⁿ⁾(x)/(n−1)!`. One
/// recording of `O(n²)` operations per op of `f`, one sweep.
///
/// `n = 0` gives `f(x)`.
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// // d⁶/dx⁶ sin x = −sin x
/// let d6 = reverse::nth_derivative(|x| x.sin(), 0.5, 6);
/// assert!((d6 + 0.5f64.sin()).abs() < 1e-14);
/// ```
pub fn nth_derivative<S: Real>(
    f: impl for<'t> Fn(Jet<Var<'t, S>>) -> Jet<Var<'t, S>>,
    x: S,
    n: usize,
) -> S {
    let tape = Tape::new();
    let xv = tape.var(x);
    let order = n.saturating_sub(1);
    let c = f(Jet::variable(xv, order)).into_coefficients();
    let last = c
        .get(order)
        .copied()
        .unwrap_or(Var::constant_of(S::constant(0.0)));
    if n == 0 {
        return last.primal();
    }
    // (n−1)!·∂c_{n−1}/∂x
    let factorial = (1..n).map(|k| k as f64).product::<f64>();
    last.backward().wrt(xv) * factorial
}

/// Returns `(f(x), ∇f(x))`: one recording and one backward sweep, whatever the number of
/// inputs. For `f64` the tape's memory is reused from the previous call on the same thread
/// ([`release_buffers`](super::release_buffers) frees it).
///
/// An empty `x` gives an empty gradient.
///
/// ```
/// use weifen::{reverse, Scalar};
///
/// // Rosenbrock: ∇f(1, 1) = 0
/// fn rosenbrock<S: Scalar>(x: &[S]) -> S {
///     (-x[0].clone() + 1.0).powi(2) + (x[1].clone() - x[0].clone().powi(2)).powi(2) * 100.0
/// }
/// let (y, g) = reverse::value_and_gradient(|x| rosenbrock(x), &[1.0, 1.0]);
/// assert_eq!((y, g), (0.0, vec![0.0, 0.0]));
/// ```
pub fn value_and_gradient<S: Real>(
    f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>,
    x: &[S],
) -> (S, Vec<S>) {
    // Into this thread's pooled arrays for `f64` (see `release_buffers`).
    let mut ws = Workspace::pooled();
    let result = ws.value_and_gradient(f, x);
    ws.into_pool();
    result
}

/// Returns `∇f(x)`. See [`value_and_gradient`].
///
/// ```
/// use weifen::reverse;
///
/// assert_eq!(reverse::gradient(|x| x[0] * x[1], &[3.0, 4.0]), vec![4.0, 3.0]);
/// ```
pub fn gradient<S: Real>(f: impl for<'t> Fn(&[Var<'t, S>]) -> Var<'t, S>, x: &[S]) -> Vec<S> {
    value_and_gradient(f, x).1
}

/// Returns `(f(x), uᵀJ(x))`: the value and the vector–Jacobian product, from one recording
/// and one backward sweep seeded with `u`.
///
/// # Errors
/// [`LengthError`] if `u` and the output `f(x)` differ in length.
///
/// ```
/// use weifen::reverse;
///
/// let (y, ju) = reverse::vjp(|x| vec![x[0] * x[1], x[0] + x[1]], &[2.0, 3.0], &[1.0, -1.0])
///     .unwrap();
/// assert_eq!(y, vec![6.0, 5.0]);
/// assert_eq!(ju, vec![3.0 - 1.0, 2.0 - 1.0]);
///
/// let err = reverse::vjp(|x| vec![x[0] * x[1]], &[2.0, 3.0], &[1.0, -1.0]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "vjp cotangent has length 2, but the output f(x) has length 1; they must be equal"
/// );
/// ```
pub fn vjp<S: Real>(
    f: impl for<'t> Fn(&[Var<'t, S>]) -> Vec<Var<'t, S>>,
    x: &[S],
    u: &[S],
) -> Result<(Vec<S>, Vec<S>), LengthError> {
    let tape = Tape::new();
    let vars = tape.vars(x);
    let y = f(&vars);
    check_length("vjp cotangent", "the output f(x)", y.len(), u.len())?;
    let seeds: Vec<(u32, S)> = y
        .iter()
        .zip(u)
        .filter_map(|(yi, &ui)| yi.index().map(|i| (i, ui)))
        .collect();
    let adjoints = backward(&tape, &seeds);
    Ok((y.iter().map(Var::primal).collect(), adjoints.wrt_all(&vars)))
}
