//! Element-wise loops over arrays, serial below [`PARALLEL_MIN`] elements and on all cores
//! (rayon) above it. The element function is a generic closure, so each call site compiles to
//! its own loop with the op resolved at compile time: no per-element dispatch.

use super::{Element, buffer};
use ndarray::{ArrayD, IxDyn, Zip};
use rayon::prelude::*;

/// Arrays with at least this many elements are processed in parallel; below it the cost of
/// waking the thread pool (a few µs) would exceed the work.
pub(super) const PARALLEL_MIN: usize = 1 << 15;

/// `f` applied to every element of `x`.
#[inline(always)]
pub(super) fn map<T: Element>(x: &ArrayD<T>, f: impl Fn(T) -> T + Sync + Send) -> ArrayD<T> {
    // Contiguous input: written once into a recycled vector, no zeroing pass.
    if let Some(s) = x.as_slice() {
        let mut v = buffer::reuse(s.len());
        if s.len() >= PARALLEL_MIN {
            s.par_iter().map(|&a| f(a)).collect_into_vec(&mut v);
        } else {
            v.extend(s.iter().map(|&a| f(a)));
        }
        return ArrayD::from_shape_vec(x.raw_dim(), v).expect("the input's shape");
    }
    let mut out = output(x.shape());
    let z = Zip::from(&mut out).and(x);
    if x.len() >= PARALLEL_MIN {
        z.par_for_each(|o, &v| *o = f(v));
    } else {
        z.for_each(|o, &v| *o = f(v));
    }
    out
}

/// A zeroed array of `shape`, its memory from the pool of freed buffers when it can be.
fn output<T: Element>(shape: &[usize]) -> ArrayD<T> {
    let len = shape.iter().product();
    ArrayD::from_shape_vec(IxDyn(shape), buffer::take(len)).expect("the length of the shape")
}

/// `f(a, b)` element-wise over `a` and `b` broadcast to `shape` (which the caller checked).
#[inline(always)]
pub(super) fn zip<T: Element, R: Element>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    shape: &[usize],
    f: impl Fn(T, T) -> R + Sync + Send,
) -> ArrayD<R> {
    let av = a
        .broadcast(IxDyn(shape))
        .expect("shape checked by the caller");
    let bv = b
        .broadcast(IxDyn(shape))
        .expect("shape checked by the caller");
    if let (Some(p), Some(q)) = (a.as_slice(), b.as_slice())
        && a.shape() == shape
        && b.shape() == shape
    {
        let mut v = buffer::reuse(p.len());
        if p.len() >= PARALLEL_MIN {
            p.par_iter()
                .zip(q)
                .map(|(&p, &q)| f(p, q))
                .collect_into_vec(&mut v);
        } else {
            v.extend(p.iter().zip(q).map(|(&p, &q)| f(p, q)));
        }
        return ArrayD::from_shape_vec(IxDyn(shape), v).expect("the shape checked");
    }
    let mut out = output(shape);
    let z = Zip::from(&mut out).and(&av).and(&bv);
    if av.len() >= PARALLEL_MIN {
        z.par_for_each(|o, &p, &q| *o = f(p, q));
    } else {
        z.for_each(|o, &p, &q| *o = f(p, q));
    }
    out
}

/// The sum of all elements, in fixed-size blocks so that the result does not depend on the
/// number of threads.
pub(super) fn sum_all<T: Element>(x: &ArrayD<T>) -> T {
    const BLOCK: usize = 1 << 13;
    match x.as_slice_memory_order() {
        Some(s) if s.len() >= PARALLEL_MIN => {
            use rayon::prelude::*;
            let partial: Vec<T> = s.par_chunks(BLOCK).map(sum_slice).collect();
            sum_slice(&partial)
        }
        _ => x.sum(),
    }
}

fn sum_slice<T: Element>(s: &[T]) -> T {
    s.iter().fold(T::zero(), |a, &b| a + b)
}
