//! The fused path: a whole element-wise function and its derivative in one pass over memory.
//!
//! The graph path evaluates `f(x)` op by op, each op writing a full temporary array, then walks
//! the graph back (as PyTorch eager does). When `f` acts element by element, the same answer
//! comes from evaluating `f` once per element on a dual number `x + ε`: value and derivative
//! come out together, with no temporaries and no graph, and the loop runs on all cores above
//! a size threshold. The function is generic over [`Scalar`], so it is given as a type
//! implementing [`ElementwiseFn`] (a Rust closure cannot be generic).
//!
//! Four elements go through `f` at a time: the dual number's parts are SIMD lanes, so each
//! op of `f` (its kernel and the table's rule) runs on four values per instruction; the last
//! `len mod 4` elements take the one-element dual. [`Derivative`] is `f′` as a function of its
//! own, from the same dual number, so derivatives of any order need no code of their own.

use super::dual::Dual;
use super::kernel::{self, BLOCK, load, store};
use super::lanes::Lanes;
use super::{Element, Tensor, buffer};
use crate::Scalar;
use rayon::prelude::*;

/// A function `ℝ → ℝ` written once over [`Scalar`], applied element by element.
///
/// ```
/// use weifen::Scalar;
/// use weifen::tensor::elementwise::ElementwiseFn;
///
/// /// f(x) = (−2x² + 4x + 1)·exp(−x²/2)
/// struct Seed;
/// impl ElementwiseFn for Seed {
///     fn eval<S: Scalar>(&self, x: S) -> S {
///         let x2 = x.clone().powi(2);
///         (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
///     }
/// }
/// assert_eq!(Seed.eval(0.0), 1.0);
/// ```
pub trait ElementwiseFn: Sync {
    /// `f(x)`.
    fn eval<S: Scalar>(&self, x: S) -> S;
}

impl<F: ElementwiseFn> ElementwiseFn for &F {
    #[inline(always)]
    fn eval<S: Scalar>(&self, x: S) -> S {
        (**self).eval(x)
    }
}

/// `f′`, from `f` evaluated on a dual number: an [`ElementwiseFn`] itself, so `f″` is
/// `Derivative(Derivative(f))`.
///
/// ```
/// use weifen::Scalar;
/// use weifen::tensor::elementwise::{Derivative, ElementwiseFn};
/// struct Cube;
/// impl ElementwiseFn for Cube {
///     fn eval<S: Scalar>(&self, x: S) -> S { x.powi(3) }
/// }
/// assert_eq!(Derivative(Cube).eval(2.0), 12.0);
/// assert_eq!(Derivative(Derivative(Cube)).eval(2.0), 12.0);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Derivative<F>(pub F);

impl<F: ElementwiseFn> ElementwiseFn for Derivative<F> {
    #[inline(always)]
    fn eval<S: Scalar>(&self, x: S) -> S {
        self.0.eval(Dual::variable(x)).d
    }
}

/// `(f(x), f′(x))` for four elements.
#[inline(always)]
fn four<F: ElementwiseFn, T: Element>(f: &F, x: &[T]) -> ([T; 4], [T; 4]) {
    let y = f.eval(Dual::variable(load::<T, Lanes>(x)));
    (store(y.v), store(y.d))
}

/// `(f(x), f′(x))` for one element.
#[inline(always)]
fn one<F: ElementwiseFn, T: Element>(f: &F, x: T) -> (T, T) {
    let y = f.eval(Dual::variable(x.to_f64()));
    (T::from_f64(y.v), T::from_f64(y.d))
}

/// `(f(xᵢ), f′(xᵢ))` for every element of `x` (contiguous), as two vectors.
pub(super) fn values_and_derivatives<F: ElementwiseFn, T: Element>(
    f: &F,
    x: &[T],
) -> (Vec<T>, Vec<T>) {
    if kernel::parallel(x.len()) {
        let (mut value, mut derivative) = (buffer::scratch(x.len()), buffer::scratch(x.len()));
        x.par_chunks(BLOCK)
            .zip(value.par_chunks_mut(BLOCK))
            .zip(derivative.par_chunks_mut(BLOCK))
            .for_each(|((x, v), d)| {
                let (mut w, mut vs, mut ds) = (
                    x.chunks_exact(4),
                    v.chunks_exact_mut(4),
                    d.chunks_exact_mut(4),
                );
                for ((x, v), d) in (&mut w).zip(&mut vs).zip(&mut ds) {
                    let (a, b) = four(f, x);
                    v.copy_from_slice(&a);
                    d.copy_from_slice(&b);
                }
                let rest = w.remainder().iter().zip(vs.into_remainder());
                for ((&x, v), d) in rest.zip(ds.into_remainder()) {
                    (*v, *d) = one(f, x);
                }
            });
        return (value, derivative);
    }
    // One thread: written once into recycled vectors, no zeroing pass.
    let (mut value, mut derivative) = (buffer::reuse(x.len()), buffer::reuse(x.len()));
    let w = x.chunks_exact(4);
    let rest = w.remainder();
    for x in w {
        let (a, b) = four(f, x);
        value.extend_from_slice(&a);
        derivative.extend_from_slice(&b);
    }
    for &x in rest {
        let (a, b) = one(f, x);
        value.push(a);
        derivative.push(b);
    }
    (value, derivative)
}

/// `(f(xᵢ), f′(xᵢ))` for every element, in one pass: `f` evaluated on dual numbers. The
/// results do not require grad.
///
/// ```
/// use weifen::Scalar;
/// use weifen::tensor::{elementwise::{value_and_derivative, ElementwiseFn}, Tensor};
/// struct Sin;
/// impl ElementwiseFn for Sin {
///     fn eval<S: Scalar>(&self, x: S) -> S { x.sin() }
/// }
/// let x = Tensor::linspace(0.0, 1.0, 11);
/// let (y, dy) = value_and_derivative(&Sin, &x);
/// for ((y, d), x) in y.to_vec().iter().zip(dy.to_vec()).zip(x.to_vec()) {
///     assert_eq!((*y, d), (x.sin(), x.cos()));
/// }
/// ```
pub fn value_and_derivative<F: ElementwiseFn, T: Element>(
    f: &F,
    x: &Tensor<T>,
) -> (Tensor<T>, Tensor<T>) {
    let src = x.data.as_standard_layout();
    let (value, derivative) = values_and_derivatives(f, src.as_slice().expect("standard layout"));
    let shaped = |v| Tensor::from_shape_vec(x.shape(), v).expect("same length");
    (shaped(value), shaped(derivative))
}

/// `f(xᵢ)` for every element, in one pass (no graph), four elements at a time on SIMD lanes.
pub fn map<F: ElementwiseFn, T: Element>(f: &F, x: &Tensor<T>) -> Tensor<T> {
    Tensor::from_data(kernel::map_lanes(
        &x.data,
        |v| T::from_f64(f.eval(v.to_f64())),
        |v: Lanes| f.eval(v),
    ))
}
