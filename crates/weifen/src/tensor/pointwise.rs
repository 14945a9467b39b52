//! The op table on arrays: `Tensor` implements [`Scalar`] element-wise.
//!
//! The forward kernel is the op's `f64` kernel mapped over the array: a plain loop that LLVM
//! vectorises for the arithmetic ops, four elements at a time on SIMD lanes for the others
//! where the array is contiguous (which measured faster); the backward rule is the
//! op's own rule (`derivative`, `partials`) evaluated on tensors, times the incoming gradient,
//! reduced to each input's shape. Under `create_graph` the rule records like any other
//! computation, so it can be differentiated again. Without it the same rule runs on plain
//! arrays: a linear op's constant derivative is the rule evaluated once, and any other op
//! whose operands and gradient have one shape takes one pass of the kernel a fused region
//! runs (`fusion::node_backward`: `g·∂` from the inputs and the output, the rule on lanes)
//! instead of its derivative as arrays and a product by each. Nothing here writes an
//! element-wise derivative by hand.

use super::buffer::{self, Buffer};
use super::error::or_panic;
use super::fusion::{self, Fusion, PointwiseOp};
use super::graph::{BackwardFn, is_grad_enabled, record_node};
use super::lanes::Lanes;
use super::shape::broadcast_shape;
use super::{Element, Tensor, TensorError};
use super::{kernel, lazy};
use crate::Scalar;
use crate::ops::{self, BinaryOp, UnaryOp};
use ndarray::ArrayD;
use std::borrow::Cow;
use std::sync::Arc;

/// `op(x)` element-wise, recorded with the table's rule.
fn unary<T: Element, O: UnaryOp>(x: &Tensor<T>, op: O) -> Tensor<T> {
    if let Some(data) = lazy::pointwise(PointwiseOp::Unary(op.id()), &[x]) {
        return unary_node(x, op, data);
    }
    // Decided per op type at compile time: `op.id()` folds. A small integer power gets a
    // loop of its own, in which the exponent is a known constant (the kernel's `match` on
    // it folds and the loop vectorises), as for the ops without a parameter.
    let out = match op.id() {
        _ if Lanes::vector(op) => kernel::map_op(&x.data, op),
        ops::Unary::Powi(2) => power::<T, 2>(&x.data),
        ops::Unary::Powi(3) => power::<T, 3>(&x.data),
        _ => kernel::map(&x.data, kernel::one(op)),
    };
    unary_node(x, op, Arc::new(Buffer::new(out)))
}

/// `op(x)` with values `data`, recorded with the table's rule and as an element-wise node.
fn unary_node<T: Element, O: UnaryOp>(x: &Tensor<T>, op: O, data: Arc<Buffer<T>>) -> Tensor<T> {
    let fusion = Fusion::Pointwise(PointwiseOp::Unary(op.id()));
    record_node(op.spec().name, &[x], data, unary_rule(op), fusion)
}

/// The backward rule of `op`: `g·op′(x, y)`. Under `create_graph` the rule needs `y` as a
/// recorded tensor: it is the saved output made a node of its own (the same values, shared —
/// not computed again, nor held twice).
fn unary_rule<T: Element, O: UnaryOp>(op: O) -> BackwardFn<T> {
    Box::new(move |inputs, y, g| {
        let x = &inputs[0];
        if op.is_linear() {
            // Recorded when `g` is (`create_graph`): the product by a constant is an op.
            return vec![Some(times_constant(g, linear_derivative::<T, O>(op)))];
        }
        if !is_grad_enabled() {
            return vec![Some(unary_grad(op, x, y, g))];
        }
        // The output becomes a node of its own only for a rule that reads it.
        let y = if ops::derivative_reads_output(op) {
            unary_node(x, op, y.data.clone())
        } else {
            y.clone()
        };
        vec![Some(times(g, &op.derivative(x, &y)))]
    })
}

/// A linear op's derivative, a constant: the table's rule evaluated once on `f64`, rounded
/// to the element type as the rule's constant tensor would be.
fn linear_derivative<T: Element, O: UnaryOp>(op: O) -> f64 {
    let x0 = 0.0;
    rounded::<T>(op.derivative(&x0, &op.eval(x0)))
}

/// `g·op′(x, y)` on plain arrays (a pass without `create_graph`) for an op that is not
/// linear: one pass of the region's kernel where it can ([`in_one_pass`]), else the rule's
/// derivative as an array times `g` (which skips a product by ones).
fn unary_grad<T: Element, O: UnaryOp>(
    op: O,
    x: &Tensor<T>,
    y: &Tensor<T>,
    g: &Tensor<T>,
) -> Tensor<T> {
    match in_one_pass(PointwiseOp::Unary(op.id()), &[x], y, g) {
        Some(mut d) => d.swap_remove(0),
        None => times(g, &op.derivative(x, y)),
    }
}

/// The gradients of an element-wise node for each of its operands, by one pass of the
/// kernel a region runs (`fusion::node_backward`: `g·∂` from the operands and the output)
/// instead of the rule's partials as arrays and a product by each. `None` unless operands,
/// output and gradient have one shape and are contiguous, and the gradient was not made as
/// one value (the rule's products skip a product by ones).
fn in_one_pass<T: Element>(
    op: PointwiseOp,
    operands: &[&Tensor<T>],
    y: &Tensor<T>,
    g: &Tensor<T>,
) -> Option<Vec<Tensor<T>>> {
    let shaped_like_g = |t: &Tensor<T>| t.shape() == g.shape();
    if g.data.uniform_value().is_some()
        || !operands.iter().all(|t| shaped_like_g(t))
        || !shaped_like_g(y)
    {
        return None;
    }
    let a = operands[0].data.as_slice()?;
    let b = match operands.get(1) {
        Some(b) => b.data.as_slice()?,
        None => &[],
    };
    let grads = fusion::node_backward(op, [a, b, y.data.as_slice()?], g.data.as_slice()?);
    let grads = grads.into_iter().take(operands.len());
    Some(
        grads
            .map(|d| Tensor::from_data(buffer::shaped(g.shape(), d)))
            .collect(),
    )
}

/// A constant of a rule evaluated on `f64`, rounded to the element type as the rule's
/// constant tensor would be.
fn rounded<T: Element>(c: f64) -> f64 {
    T::from_f64(c).to_f64()
}

/// `g·c` for a constant `c`: `g` itself for 1, its negation for −1.
fn times_constant<T: Element>(g: &Tensor<T>, c: f64) -> Tensor<T> {
    match c {
        1.0 => g.clone(),
        -1.0 => unary(g, ops::Neg),
        c => unary(g, ops::MulConst(c)),
    }
}

/// `xᴺ` element-wise by the table's kernel, `N` a constant of the loop (a closure type of
/// its own for each `N`, so that no instance of the loop is shared between exponents).
#[inline(always)]
fn power<T: Element, const N: i32>(x: &ArrayD<T>) -> ArrayD<T> {
    kernel::map(x, |v| T::from_f64(ops::Powi(N).eval(v.to_f64())))
}

/// `op(a, b)` element-wise with broadcasting, recorded with the table's partials.
fn try_binary<T: Element, O: BinaryOp>(
    a: &Tensor<T>,
    op: O,
    b: &Tensor<T>,
) -> Result<Tensor<T>, TensorError> {
    // Operands of one shape (the common case) need no broadcast shape built.
    let shape = if a.shape() == b.shape() {
        Cow::Borrowed(a.shape())
    } else {
        Cow::Owned(broadcast_shape(op.spec().name, a.shape(), b.shape())?)
    };
    if let Some(data) = lazy::pointwise(PointwiseOp::Binary(op.id()), &[a, b]) {
        return Ok(binary_node(a, b, op, data));
    }
    let out = kernel::zip(&a.data, &b.data, &shape, |p: T, q: T| {
        T::from_f64(op.eval(p.to_f64(), q.to_f64()))
    });
    Ok(binary_node(a, b, op, Arc::new(Buffer::new(out))))
}

/// `op(a, b)` with values `data`, recorded with the table's partials, and as an element-wise
/// node when both operands have the output's shape (no broadcasting).
fn binary_node<T: Element, O: BinaryOp>(
    a: &Tensor<T>,
    b: &Tensor<T>,
    op: O,
    data: Arc<Buffer<T>>,
) -> Tensor<T> {
    let same = a.shape() == data.shape() && b.shape() == data.shape();
    let fusion = if same {
        Fusion::Pointwise(PointwiseOp::Binary(op.id()))
    } else {
        Fusion::None
    };
    record_node(op.spec().name, &[a, b], data, binary_rule(op), fusion)
}

/// The backward rule of `op`: `g·∂op`, reduced to each operand's shape; under
/// `create_graph`, `y` is the saved output made a node (see [`unary_rule`]).
fn binary_rule<T: Element, O: BinaryOp>(op: O) -> BackwardFn<T> {
    Box::new(move |inputs, y, g| {
        let (a, b) = (&inputs[0], &inputs[1]);
        let wanted = [a.requires_grad(), b.requires_grad()];
        if op.is_linear() {
            // Constant partials, the table's rule evaluated once on `f64` and rounded as its
            // constant tensors would be; recorded when `g` is.
            let (x0, y0) = (0.0, op.eval(0.0, 0.0));
            let (da, db) = op.partials(&x0, &x0, &y0);
            let grads = [(a, da), (b, db)].into_iter().zip(wanted);
            let grads = grads
                .map(|((x, d), w)| w.then(|| times_constant(g, rounded::<T>(d)).sum_to(x.shape())));
            return grads.collect();
        }
        if !is_grad_enabled() {
            if let Some(grads) = binary_grad(op, a, b, y, g, wanted) {
                return grads;
            }
            let (pa, pb) = op.partials(a, b, y);
            return products(g, [(a, pa), (b, pb)], wanted);
        }
        // The output becomes a node of its own only for partials that read it.
        let y = if ops::partials_read_output(op) {
            binary_node(a, b, op, y.data.clone())
        } else {
            y.clone()
        };
        let (pa, pb) = op.partials(a, b, &y);
        products(g, [(a, pa), (b, pb)], wanted)
    })
}

/// `g·∂` for each operand that wants it, reduced to the operand's shape.
fn products<T: Element>(
    g: &Tensor<T>,
    operands: [(&Tensor<T>, Tensor<T>); 2],
    wanted: [bool; 2],
) -> Vec<Option<Tensor<T>>> {
    operands
        .into_iter()
        .zip(wanted)
        .map(|((x, p), w)| w.then(|| times(g, &p).sum_to(x.shape())))
        .collect()
}

/// The gradients of a binary node that is not linear on plain arrays (a pass without
/// `create_graph`): one pass of the region's kernel for both operands where it can
/// ([`in_one_pass`]; a product only when both want theirs: for one, the rule's product by
/// the other operand is already one pass). `None` where the rule runs as tensors.
fn binary_grad<T: Element, O: BinaryOp>(
    op: O,
    a: &Tensor<T>,
    b: &Tensor<T>,
    y: &Tensor<T>,
    g: &Tensor<T>,
    wanted: [bool; 2],
) -> Option<Vec<Option<Tensor<T>>>> {
    if op.is_product() && wanted != [true; 2] {
        return None;
    }
    let grads = in_one_pass(PointwiseOp::Binary(op.id()), &[a, b], y, g)?;
    Some(
        grads
            .into_iter()
            .zip(wanted)
            .map(|(d, w)| w.then_some(d))
            .collect(),
    )
}

/// `g · p`, skipping the product when `p` is the constant ±1 (the partials of `+` and `−`)
/// or `g` ones of `p`'s shape (an output gradient `ones_like(y)`), and taking the table's
/// constant-operand op (`MulConst`, one pass) for any other constant, or any other `g` made
/// as one value repeated.
fn times<T: Element>(g: &Tensor<T>, p: &Tensor<T>) -> Tensor<T> {
    if p.node.is_none() && p.ndim() == 0 {
        return times_constant(g, p.item().to_f64());
    }
    if let Some(c) = g.data.uniform_value()
        && g.node.is_none()
        && g.shape() == p.shape()
    {
        return match c.to_f64() {
            1.0 => p.clone(),
            c => unary(p, ops::MulConst(c)),
        };
    }
    or_panic(try_binary(g, ops::Mul, p))
}

impl<T: Element> Tensor<T> {
    /// `op(self, rhs)` for a binary op of the table, with broadcasting.
    ///
    /// # Errors
    /// [`TensorError::ShapeMismatch`] if the shapes do not broadcast.
    pub fn try_binary<O: BinaryOp>(
        &self,
        op: O,
        rhs: &Tensor<T>,
    ) -> Result<Tensor<T>, TensorError> {
        try_binary(self, op, rhs)
    }

    /// `self + rhs` with broadcasting. # Errors: shapes that do not broadcast.
    pub fn try_add(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        try_binary(self, ops::Add, rhs)
    }

    /// `self − rhs` with broadcasting. # Errors: shapes that do not broadcast.
    pub fn try_sub(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        try_binary(self, ops::Sub, rhs)
    }

    /// `self · rhs` with broadcasting. # Errors: shapes that do not broadcast.
    pub fn try_mul(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        try_binary(self, ops::Mul, rhs)
    }

    /// `self / rhs` with broadcasting. # Errors: shapes that do not broadcast.
    pub fn try_div(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        try_binary(self, ops::Div, rhs)
    }

    /// `selfʳʰˢ` with broadcasting. # Errors: shapes that do not broadcast.
    pub fn try_pow(&self, rhs: &Tensor<T>) -> Result<Tensor<T>, TensorError> {
        try_binary(self, ops::Pow, rhs)
    }
}

/// Element-wise: every op of the table applies to each element; binary ops and `+ − × ÷`
/// broadcast (NumPy's rule) and panic, with the message of [`Tensor::try_binary`], on shapes
/// that do not broadcast.
impl<T: Element> Scalar for Tensor<T> {
    fn constant(c: f64) -> Self {
        Tensor::filled(&[], c)
    }
    fn unary<O: UnaryOp>(self, op: O) -> Self {
        unary(&self, op)
    }
    #[track_caller]
    fn binary<O: BinaryOp>(self, op: O, rhs: Self) -> Self {
        or_panic(try_binary(&self, op, &rhs))
    }
}

scalar_operators!([T: Element] Tensor<T>);

/// The operators on references (`&a + &b`, `&a * 2.0`, `2.0 * &a`), which clone the handles.
macro_rules! reference_operators {
    ($($tr:ident $f:ident),*) => {$(
        impl<T: Element> std::ops::$tr<&Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $f(self, rhs: &Tensor<T>) -> Tensor<T> {
                std::ops::$tr::$f(self.clone(), rhs.clone())
            }
        }
        impl<T: Element> std::ops::$tr<f64> for &Tensor<T> {
            type Output = Tensor<T>;
            fn $f(self, rhs: f64) -> Tensor<T> {
                std::ops::$tr::$f(self.clone(), rhs)
            }
        }
        impl<T: Element> std::ops::$tr<&Tensor<T>> for f64 {
            type Output = Tensor<T>;
            fn $f(self, rhs: &Tensor<T>) -> Tensor<T> {
                std::ops::$tr::$f(self, rhs.clone())
            }
        }
    )*};
}
reference_operators!(Add add, Sub sub, Mul mul, Div div);

impl<T: Element> std::ops::Neg for &Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        -self.clone()
    }
}

impl<T: Element> From<&Tensor<T>> for Tensor<T> {
    fn from(t: &Tensor<T>) -> Tensor<T> {
        t.clone()
    }
}
