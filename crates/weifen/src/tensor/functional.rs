//! The functional API (`torch.autograd.functional`, `torch.func`): Jacobians, Hessians and
//! their products of a function `f: Tensor → Tensor`, each with a `value_and_*` form.
//!
//! Everything is built on one primitive, the vector–Jacobian product `vᵀJ` ([`grad`] with an
//! output gradient). A Jacobian–vector product `Jv` comes from the "double vjp": `u ↦ Jᵀu` is
//! linear in `u`, so recording it (`create_graph`) at `u = 0` and differentiating `⟨Jᵀu, v⟩`
//! in `u` gives `Jv`; it costs two backward passes and no forward-mode type (this module
//! imports no other method). Hessians are reverse over reverse.
//!
//! `f` is called once on a copy of `x` that requires grad; it may be any Rust closure
//! `Fn(&Tensor) -> Tensor`.

use super::{Element, GradOptions, Tensor, TensorError, grad};

/// How [`value_and_jacobian_with`] builds the Jacobian of `f: ℝⁿ → ℝᵐ`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum JacobianMode {
    /// Reverse when `m ≤ n`, forward otherwise (the fewer passes).
    #[default]
    Auto,
    /// One vector–Jacobian product per output element (a row each).
    Reverse,
    /// One Jacobian–vector product per input element (a column each), by double vjp.
    Forward,
}

fn check<T: Element>(
    op: &'static str,
    expected: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<(), TensorError> {
    if expected.shape() == v.shape() {
        Ok(())
    } else {
        Err(TensorError::ShapeMismatch {
            op,
            lhs: expected.shape().to_vec(),
            rhs: v.shape().to_vec(),
        })
    }
}

/// `vᵀ·∂y/∂x`, zeros where `y` does not depend on `x`; the graph is kept (`retain_graph`).
fn pullback<T: Element>(
    y: &Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
    create_graph: bool,
) -> Result<Tensor<T>, TensorError> {
    if !y.requires_grad() {
        return Ok(Tensor::zeros_like(x));
    }
    let options = GradOptions {
        retain_graph: true,
        create_graph,
        allow_unused: true,
    };
    Ok(grad(&[y], &[x], &[v], options)?.remove(0))
}

/// `∂y/∂x · v` by double vjp: `w = Jᵀu` recorded at `u = 0`, then `⟨w, v⟩` differentiated in `u`.
struct Pushforward<T: Element> {
    w: Tensor<T>,
    u: Tensor<T>,
}

impl<T: Element> Pushforward<T> {
    fn new(y: &Tensor<T>, x: &Tensor<T>) -> Result<Pushforward<T>, TensorError> {
        let u = Tensor::zeros_like(y).requires_grad_(true);
        let w = pullback(y, x, &u, true)?;
        Ok(Pushforward { w, u })
    }

    fn apply(&self, v: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        pullback(&self.w, &self.u, v, false)
    }
}

/// A one-hot tensor of `shape` with a 1 at flat position `i`.
fn one_hot<T: Element>(shape: &[usize], i: usize) -> Tensor<T> {
    let mut v = vec![T::zero(); shape.iter().product()];
    v[i] = T::one();
    Tensor::from_shape_vec(shape, v).expect("length is the product of the shape")
}

/// `(f(x), ∂f/∂x)`, the Jacobian of shape `f(x).shape ++ x.shape`, by `mode`.
///
/// # Errors
/// Errors of `f`'s graph (none for ordinary functions).
pub fn value_and_jacobian_with<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    mode: JacobianMode,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    let x = x.detach().requires_grad_(true);
    let y = f(&x);
    let (m, n) = (y.len(), x.len());
    let forward = match mode {
        JacobianMode::Auto => m > n,
        JacobianMode::Reverse => false,
        JacobianMode::Forward => true,
    };
    let mut shape = y.shape().to_vec();
    shape.extend_from_slice(x.shape());
    let flat = |t: Tensor<T>| t.reshape(&[t.len()]);
    let j = if forward {
        let push = Pushforward::new(&y, &x)?;
        let cols = (0..n)
            .map(|i| push.apply(&one_hot(x.shape(), i)).map(flat))
            .collect::<Result<Vec<_>, _>>()?;
        Tensor::stack(&cols.iter().collect::<Vec<_>>(), 1)
    } else {
        let rows = (0..m)
            .map(|i| pullback(&y, &x, &one_hot(y.shape(), i), false).map(flat))
            .collect::<Result<Vec<_>, _>>()?;
        Tensor::stack(&rows.iter().collect::<Vec<_>>(), 0)
    };
    Ok((y.detach(), j.reshape(&shape)))
}

/// `∂f/∂x` at `x`, of shape `f(x).shape ++ x.shape` (`torch.autograd.functional.jacobian`),
/// by reverse mode when `f` has no more outputs than inputs and forward otherwise.
///
/// ```
/// use weifen::tensor::{functional::jacobian, Tensor};
/// use weifen::tensor;
/// // g(x) = (x₀² + x₁, x₁·x₂)
/// let g = |x: &Tensor| Tensor::stack(&[&(x.get(0).powi(2) + x.get(1)), &(x.get(1) * x.get(2))], 0);
/// # use weifen::Scalar;
/// let j = jacobian(g, &tensor![1.0, 2.0, 3.0]).unwrap();
/// assert_eq!(j.shape(), &[2, 3]);
/// assert_eq!(j.to_vec(), vec![2.0, 1.0, 0.0, 0.0, 3.0, 2.0]);
/// ```
///
/// # Errors
/// Errors of `f`'s graph (none for ordinary functions).
pub fn jacobian<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    Ok(value_and_jacobian_with(f, x, JacobianMode::Auto)?.1)
}

/// `(f(x), ∂f/∂x)`, by the mode [`jacobian`] picks.
///
/// # Errors
/// As [`jacobian`].
pub fn value_and_jacobian<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    value_and_jacobian_with(f, x, JacobianMode::Auto)
}

/// `(f(x), vᵀ·∂f/∂x)`: the vector–Jacobian product, shaped like `x`.
///
/// # Errors
/// [`TensorError::ShapeMismatch`] if `v`'s shape is not `f(x)`'s.
pub fn value_and_vjp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    let x = x.detach().requires_grad_(true);
    let y = f(&x);
    check("vjp (output vs v)", &y, v)?;
    let g = pullback(&y, &x, v, false)?;
    Ok((y.detach(), g))
}

/// `vᵀ·∂f/∂x`. See [`value_and_vjp`].
///
/// # Errors
/// As [`value_and_vjp`].
pub fn vjp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    Ok(value_and_vjp(f, x, v)?.1)
}

/// `(f(x), ∂f/∂x · v)`: the Jacobian–vector product, shaped like `f(x)`, by double vjp.
///
/// # Errors
/// [`TensorError::ShapeMismatch`] if `v`'s shape is not `x`'s.
pub fn value_and_jvp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    check("jvp (input vs v)", x, v)?;
    let x = x.detach().requires_grad_(true);
    let y = f(&x);
    let jv = Pushforward::new(&y, &x)?.apply(v)?;
    Ok((y.detach(), jv))
}

/// `∂f/∂x · v`. See [`value_and_jvp`].
///
/// # Errors
/// As [`value_and_jvp`].
pub fn jvp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    Ok(value_and_jvp(f, x, v)?.1)
}

/// `f(x)` (detached), its gradient (recorded) and the copy of `x` it is recorded against.
type Recorded<T> = (Tensor<T>, Tensor<T>, Tensor<T>);

/// `f(x)` and its gradient, recorded (`create_graph`), for a one-element `f(x)`.
fn value_and_recorded_gradient<T: Element>(
    op: &'static str,
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
) -> Result<Recorded<T>, TensorError> {
    let x = x.detach().requires_grad_(true);
    let y = f(&x);
    if y.len() != 1 {
        return Err(TensorError::InvalidArgument {
            op,
            reason: format!(
                "f must return one element, but it returned shape {:?}",
                y.shape()
            ),
        });
    }
    let g = pullback(&y, &x, &Tensor::ones_like(&y), true)?;
    Ok((y.detach(), g, x))
}

/// `(f(x), ∇²f(x))` for `f` with one-element output; the Hessian has shape
/// `x.shape ++ x.shape`. Reverse over reverse: one recorded gradient, then one vjp per input.
///
/// # Errors
/// [`TensorError::InvalidArgument`] if `f(x)` has more than one element.
pub fn value_and_hessian<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    let (y, g, x) = value_and_recorded_gradient("hessian", f, x)?;
    let rows = (0..x.len())
        .map(|i| pullback(&g, &x, &one_hot(x.shape(), i), false).map(|r| r.reshape(&[x.len()])))
        .collect::<Result<Vec<_>, _>>()?;
    let mut shape = x.shape().to_vec();
    shape.extend_from_slice(x.shape());
    Ok((
        y,
        Tensor::stack(&rows.iter().collect::<Vec<_>>(), 0).reshape(&shape),
    ))
}

/// `∇²f(x)`. See [`value_and_hessian`].
///
/// # Errors
/// As [`value_and_hessian`].
pub fn hessian<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    Ok(value_and_hessian(f, x)?.1)
}

/// `(f(x), vᵀ·∇²f(x))`: one recorded gradient and one vjp through it.
///
/// # Errors
/// [`TensorError::InvalidArgument`] if `f(x)` has more than one element,
/// [`TensorError::ShapeMismatch`] if `v`'s shape is not `x`'s.
pub fn value_and_vhp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    check("vhp (input vs v)", x, v)?;
    let (y, g, x) = value_and_recorded_gradient("vhp", f, x)?;
    Ok((y, pullback(&g, &x, v, false)?))
}

/// `vᵀ·∇²f(x)`. See [`value_and_vhp`].
///
/// # Errors
/// As [`value_and_vhp`].
pub fn vhp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    Ok(value_and_vhp(f, x, v)?.1)
}

/// `(f(x), ∇²f(x)·v)`: the double vjp through the recorded gradient, so it is `Hv` even
/// where the Hessian is not symmetric.
///
/// # Errors
/// As [`value_and_vhp`].
pub fn value_and_hvp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<(Tensor<T>, Tensor<T>), TensorError> {
    check("hvp (input vs v)", x, v)?;
    let (y, g, x) = value_and_recorded_gradient("hvp", f, x)?;
    Ok((y, Pushforward::new(&g, &x)?.apply(v)?))
}

/// `∇²f(x)·v`. See [`value_and_hvp`].
///
/// # Errors
/// As [`value_and_vhp`].
pub fn hvp<T: Element>(
    f: impl Fn(&Tensor<T>) -> Tensor<T>,
    x: &Tensor<T>,
    v: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    Ok(value_and_hvp(f, x, v)?.1)
}
