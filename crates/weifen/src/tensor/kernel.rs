//! Element-wise loops over arrays, serial below [`PARALLEL_MIN`] elements and on all cores
//! (rayon) above it. The element function is a generic closure, so each call site compiles to
//! its own loop with the op resolved at compile time: no per-element dispatch.

use ndarray::{ArrayD, IxDyn, Zip};

/// Arrays with at least this many elements are processed in parallel; below it the cost of
/// waking the thread pool (a few µs) would exceed the work.
pub(super) const PARALLEL_MIN: usize = 1 << 15;

/// `f` applied to every element of `x`.
#[inline(always)]
pub(super) fn map(x: &ArrayD<f64>, f: impl Fn(f64) -> f64 + Sync + Send) -> ArrayD<f64> {
    if x.len() >= PARALLEL_MIN {
        Zip::from(x).par_map_collect(|&v| f(v))
    } else {
        x.mapv(f)
    }
}

/// `f(a, b)` element-wise over `a` and `b` broadcast to `shape` (which the caller checked).
#[inline(always)]
pub(super) fn zip(
    a: &ArrayD<f64>,
    b: &ArrayD<f64>,
    shape: &[usize],
    f: impl Fn(f64, f64) -> f64 + Sync + Send,
) -> ArrayD<f64> {
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
pub(super) fn sum_all(x: &ArrayD<f64>) -> f64 {
    const BLOCK: usize = 1 << 13;
    match x.as_slice_memory_order() {
        Some(s) if s.len() >= PARALLEL_MIN => {
            use rayon::prelude::*;
            let partial: Vec<f64> = s.par_chunks(BLOCK).map(|c| c.iter().sum()).collect();
            partial.iter().sum()
        }
        _ => x.sum(),
    }
}
