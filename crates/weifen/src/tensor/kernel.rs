//! Element-wise loops over arrays, serial below [`PARALLEL_MIN`] elements and on all cores
//! (rayon) above it. The element function is a generic closure, so each call site compiles to
//! its own loop with the op resolved at compile time: no per-element dispatch.
//!
//! An op of the op table runs on four elements at a time ([`Lanes`], SIMD) in the
//! contiguous case (`map_lanes`, `zip_lanes`); the last `len mod 4` elements and
//! strided or broadcast operands take the one-element function.

use super::lanes::Lanes;
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
    let mut out = buffer::zeros(x.shape());
    let z = Zip::from(&mut out).and(x);
    if x.len() >= PARALLEL_MIN {
        z.par_for_each(|o, &v| *o = f(v));
    } else {
        z.for_each(|o, &v| *o = f(v));
    }
    out
}

/// Elements per unit of parallel work in the lane kernels (a multiple of 4).
pub(super) const BLOCK: usize = 4096;

/// Whether `len` elements are worth the thread pool: enough of them, and more than one
/// thread (with one, the serial loop writes its output without zeroing it first).
pub(super) fn parallel(len: usize) -> bool {
    len >= PARALLEL_MIN && rayon::current_num_threads() > 1
}

/// Four elements widened to `f64` lanes.
#[inline(always)]
pub(super) fn load<T: Element>(c: &[T]) -> Lanes {
    Lanes::new([c[0].to_f64(), c[1].to_f64(), c[2].to_f64(), c[3].to_f64()])
}

/// The lanes rounded to `T`.
#[inline(always)]
pub(super) fn store<T: Element>(y: Lanes) -> [T; 4] {
    y.to_array().map(T::from_f64)
}

/// `one` applied to every element of `x`, where `lanes` is the same function on four
/// elements at a time.
#[inline(always)]
pub(super) fn map_lanes<T: Element>(
    x: &ArrayD<T>,
    one: impl Fn(T) -> T + Sync + Send,
    lanes: impl Fn(Lanes) -> Lanes + Sync + Send,
) -> ArrayD<T> {
    let Some(s) = x.as_slice() else {
        return map(x, one);
    };
    let out = if parallel(s.len()) {
        let mut v = buffer::take(s.len());
        s.par_chunks(BLOCK)
            .zip(v.par_chunks_mut(BLOCK))
            .for_each(|(s, v)| {
                let (mut w, mut tail) = (s.chunks_exact(4), v.chunks_exact_mut(4));
                for (c, o) in (&mut w).zip(&mut tail) {
                    o.copy_from_slice(&store(lanes(load(c))));
                }
                for (a, o) in w.remainder().iter().zip(tail.into_remainder()) {
                    *o = one(*a);
                }
            });
        v
    } else {
        let mut v = buffer::reuse(s.len());
        let w = s.chunks_exact(4);
        let rest = w.remainder();
        for c in w {
            v.extend_from_slice(&store(lanes(load(c))));
        }
        v.extend(rest.iter().map(|&a| one(a)));
        v
    };
    ArrayD::from_shape_vec(x.raw_dim(), out).expect("the input's shape")
}

/// `one(a, b)` element-wise over `a` and `b` broadcast to `shape`, where `lanes` is the same
/// function on four elements of each at a time (used when both are contiguous and of
/// `shape`).
#[inline(always)]
pub(super) fn zip_lanes<T: Element>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    shape: &[usize],
    one: impl Fn(T, T) -> T + Sync + Send,
    lanes: impl Fn(Lanes, Lanes) -> Lanes + Sync + Send,
) -> ArrayD<T> {
    let (Some(p), Some(q)) = (a.as_slice(), b.as_slice()) else {
        return zip(a, b, shape, one);
    };
    if a.shape() != shape || b.shape() != shape {
        return zip(a, b, shape, one);
    }
    let body = |p: &[T], q: &[T], out: &mut Vec<T>| {
        let (wp, wq) = (p.chunks_exact(4), q.chunks_exact(4));
        let (rp, rq) = (wp.remainder(), wq.remainder());
        for (c, d) in wp.zip(wq) {
            out.extend_from_slice(&store(lanes(load(c), load(d))));
        }
        out.extend(rp.iter().zip(rq).map(|(&p, &q)| one(p, q)));
    };
    let out = if parallel(p.len()) {
        let mut v = buffer::take(p.len());
        p.par_chunks(BLOCK)
            .zip(q.par_chunks(BLOCK))
            .zip(v.par_chunks_mut(BLOCK))
            .for_each(|((p, q), v)| {
                let (mut wp, mut wq) = (p.chunks_exact(4), q.chunks_exact(4));
                let mut tail = v.chunks_exact_mut(4);
                for ((c, d), o) in (&mut wp).zip(&mut wq).zip(&mut tail) {
                    o.copy_from_slice(&store(lanes(load(c), load(d))));
                }
                let rest = wp.remainder().iter().zip(wq.remainder());
                for ((&p, &q), o) in rest.zip(tail.into_remainder()) {
                    *o = one(p, q);
                }
            });
        v
    } else {
        let mut v = buffer::reuse(p.len());
        body(p, q, &mut v);
        v
    };
    ArrayD::from_shape_vec(IxDyn(shape), out).expect("the shape checked")
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
    let mut out = buffer::zeros(shape);
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
