//! The fused path: a whole element-wise function and its derivative in one pass over memory.
//!
//! The graph path evaluates `f(x)` op by op, each op writing a full temporary array, then walks
//! the graph back (as PyTorch eager does). When `f` acts element by element, the same answer
//! comes from evaluating `f` once per element on a dual number `x + ε`: value and derivative
//! come out together, with no temporaries and no graph, and the loop runs on all cores above
//! a size threshold. The function is generic over [`Scalar`], so it is given as a type
//! implementing [`ElementwiseFn`] (a Rust closure cannot be generic).

use super::dual::Dual;
use super::{Element, Tensor, buffer, kernel};
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

/// Blocks of this many elements are the unit of parallel work.
const BLOCK: usize = 4096;

/// Runs `body` over `(x, out₁, out₂)` in blocks, in parallel for large inputs.
fn blocks<T: Element>(
    x: &[T],
    a: &mut [T],
    b: &mut [T],
    body: impl Fn(&[T], &mut [T], &mut [T]) + Sync,
) {
    if x.len() >= kernel::PARALLEL_MIN {
        x.par_chunks(BLOCK)
            .zip(a.par_chunks_mut(BLOCK))
            .zip(b.par_chunks_mut(BLOCK))
            .for_each(|((x, a), b)| body(x, a, b));
    } else {
        body(x, a, b);
    }
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
    let src = src.as_slice().expect("standard layout");
    // From the pool of freed buffers where it can: fresh large vectors are page faults.
    let mut value = buffer::take(src.len());
    let mut derivative = buffer::take(src.len());
    blocks(src, &mut value, &mut derivative, |x, v, d| {
        for ((x, v), d) in x.iter().zip(v).zip(d) {
            let y = f.eval(Dual {
                v: x.to_f64(),
                d: 1.0,
            });
            (*v, *d) = (T::from_f64(y.v), T::from_f64(y.d));
        }
    });
    let shaped = |v| Tensor::from_shape_vec(x.shape(), v).expect("same length");
    (shaped(value), shaped(derivative))
}

/// `f(xᵢ)` for every element, evaluated on `f64` in one pass (no graph).
pub fn map<F: ElementwiseFn, T: Element>(f: &F, x: &Tensor<T>) -> Tensor<T> {
    Tensor::from_data(kernel::map(&x.data, |v| T::from_f64(f.eval(v.to_f64()))))
}
