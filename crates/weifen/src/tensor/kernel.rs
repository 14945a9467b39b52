//! Element-wise loops over arrays, serial below [`PARALLEL_MIN`] elements and on all cores
//! (rayon) above it. The element function is a generic closure, so each call site compiles to
//! its own loop with the op resolved at compile time: no per-element dispatch.

use super::Element;
use ndarray::{ArrayD, IxDyn, Zip};

/// Arrays with at least this many elements are processed in parallel; below it the cost of
/// waking the thread pool (a few µs) would exceed the work.
pub(super) const PARALLEL_MIN: usize = 1 << 15;

/// `f` applied to every element of `x`.
#[inline(always)]
pub(super) fn map<T: Element>(x: &ArrayD<T>, f: impl Fn(T) -> T + Sync + Send) -> ArrayD<T> {
    if x.len() >= PARALLEL_MIN {
        Zip::from(x).par_map_collect(|&v| f(v))
    } else {
        x.mapv(f)
    }
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
    let z = Zip::from(&av).and(&bv);
    if av.len() >= PARALLEL_MIN {
        z.par_map_collect(|&p, &q| f(p, q))
    } else {
        z.map_collect(|&p, &q| f(p, q))
    }
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
