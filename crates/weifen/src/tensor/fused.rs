//! One graph node for a whole element-wise function: [`Tensor::map_fn`].
//!
//! The op-by-op graph of `f(x)` writes one temporary per op forward and as many backward. A
//! function written once over [`Scalar`](crate::Scalar) can instead be one node: its forward pass computes
//! `f(x)` and `f′(x)` together on dual numbers (the fused kernel of
//! [`elementwise`](super::elementwise)) and saves `f′`; its backward rule is `g·f′`. With
//! `create_graph` the rule is recorded as `g · f′(x)`, where `f′(x)` is a node holding the
//! saved values whose own rule is `g·f″(x)`, computed by the fused kernel (as the node of
//! `f″` and its saved `f‴`) only when a pass reaches it — `f′` is the function [`Derivative`]
//! makes from `f` — so each order costs one fused pass. Orders are counted
//! at run time (a node of order `k` evaluates `f⁽ᵏ⁾`), so that the types do not nest without
//! end; above [`FUSED_ORDERS`] the next derivative is recorded op by op on tensors, which the
//! graph differentiates to any order.

use super::elementwise::{self, Derivative, ElementwiseFn, values_and_derivatives};
use super::graph::{is_grad_enabled, record, record_shared};
use super::{Element, Tensor};
use ndarray::ArrayD;

/// The derivative orders `f, f′, …, f⁽ᴺ⁻¹⁾` whose nodes run the fused kernel (the kernel of
/// order `k` evaluates `f` on `k + 1` nested dual numbers, so its code doubles per order).
const FUSED_ORDERS: u32 = 4;

/// `$body` with `$g` bound to `f⁽ᵏ⁾` as a function of its own (`k < FUSED_ORDERS`): the
/// order is chosen once per call, outside the element loop, and each arm compiles its own loop.
macro_rules! at_order {
    ($f:expr, $order:expr, |$g:ident| $body:expr) => {
        match $order {
            0 => {
                let $g = $f;
                $body
            }
            1 => {
                let $g = &Derivative($f);
                $body
            }
            2 => {
                let $g = &Derivative(Derivative($f));
                $body
            }
            _ => {
                let $g = &Derivative(Derivative(Derivative($f)));
                $body
            }
        }
    };
}

/// `f⁽ᵏ⁾(x)` element-wise: one recorded node when grad mode is on and `x` requires grad.
fn nth<F, T>(x: &Tensor<T>, f: &F, order: u32) -> Tensor<T>
where
    F: ElementwiseFn + Clone + Send + 'static,
    T: Element,
{
    if order >= FUSED_ORDERS {
        // Op by op on tensors: the graph carries every further order. Reached only at
        // `FUSED_ORDERS`, from the rule of a node one order below.
        debug_assert_eq!(order, FUSED_ORDERS);
        return Derivative(Derivative(Derivative(Derivative(f)))).eval(x.clone());
    }
    if !(is_grad_enabled() && x.requires_grad()) {
        return at_order!(f, order, |g| elementwise::map(g, x));
    }
    let src = x.data.as_standard_layout();
    let src = src.as_slice().expect("standard layout");
    let (y, dy) = at_order!(f, order, |g| values_and_derivatives(g, src));
    let shaped = |v| ArrayD::from_shape_vec(x.data.raw_dim(), v).expect("same length");
    // f⁽ᵏ⁺¹⁾ is saved as a second input that does not require grad, so that a pass without
    // `retain_graph` frees it with the node's other saved values.
    let dy = Tensor::from_data(shaped(dy));
    let f = f.clone();
    record(
        "map_fn",
        &[x, &dy],
        shaped(y),
        Box::new(move |inputs, _y, g| {
            let (x, dy) = (&inputs[0], &inputs[1]);
            let d = if !is_grad_enabled() {
                dy.clone()
            } else if order + 1 < FUSED_ORDERS {
                known(x, &f, order + 1, dy)
            } else {
                nth(x, &f, order + 1)
            };
            vec![Some(g.clone() * d), None]
        }),
    )
}

/// `f⁽ᵏ⁾(x)` already computed (`value`, saved by the node one order below), recorded as a node
/// whose rule computes `f⁽ᵏ⁺¹⁾` when a pass reaches it: a `create_graph` pass costs one
/// fused pass forward, not two, and the next order is computed only if asked for.
fn known<F, T>(x: &Tensor<T>, f: &F, order: u32, value: &Tensor<T>) -> Tensor<T>
where
    F: ElementwiseFn + Clone + Send + 'static,
    T: Element,
{
    let f = f.clone();
    record_shared(
        "map_fn",
        &[x],
        value.data.clone(),
        Box::new(move |inputs, _y, g| vec![Some(g.clone() * nth(&inputs[0], &f, order + 1))]),
    )
}

impl<T: Element> Tensor<T> {
    /// `f(x)` element-wise as one graph node: the forward pass computes `f(xᵢ)` and `f′(xᵢ)`
    /// in one pass over memory (on dual numbers, 4–16 elements per SIMD instruction, on all
    /// cores for large tensors) and the backward rule is `g·f′(x)`, with no temporaries of
    /// the ops inside `f`. With `create_graph` the backward pass records `g·f′(x)` as another
    /// such node, so higher derivatives work as on the op-by-op graph. `f` is a type
    /// implementing [`ElementwiseFn`] (`Clone + Send + 'static`: the node keeps a copy for its
    /// backward rule); its derivative comes from the op table's rules.
    ///
    /// ```
    /// use weifen::Scalar;
    /// use weifen::tensor::{elementwise::ElementwiseFn, grad, GradOptions, Tensor};
    ///
    /// /// f(x) = x·eˣ, f′ = (x + 1)·eˣ
    /// #[derive(Clone)]
    /// struct XExp;
    /// impl ElementwiseFn for XExp {
    ///     fn eval<S: Scalar>(&self, x: S) -> S { x.clone() * x.exp() }
    /// }
    /// let x = Tensor::linspace(-1.0, 1.0, 9).requires_grad_(true);
    /// let y = x.map_fn(&XExp);
    /// let options = GradOptions { create_graph: true, ..Default::default() };
    /// let d = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], options).unwrap().remove(0);
    /// for (d, x) in d.to_vec().into_iter().zip(x.to_vec()) {
    ///     assert!((d - (x + 1.0) * x.exp()).abs() < 1e-15);
    /// }
    /// assert!(d.requires_grad());
    /// ```
    pub fn map_fn<F: ElementwiseFn + Clone + Send + 'static>(&self, f: &F) -> Tensor<T> {
        nth(self, f, 0)
    }
}
