//! Element-wise loops over arrays, serial below [`PARALLEL_MIN`] elements and on all cores
//! (rayon) above it. The element function is a generic closure, so each call site compiles to
//! its own loop with the op resolved at compile time: no per-element dispatch.
//!
//! A unary op of the op table that is not plain arithmetic (`Lanes::vector`) runs on lanes
//! in the contiguous case ([`map_op`]: eight at a time on AVX-512 lanes or four on AVX2
//! lanes when the CPU has them, else four on [`Lanes`]; a user's function the same way, see
//! `elementwise`; `f32` sixteen at a time on `lanes32`); the last `len mod 4` elements take
//! the one-element function, and a strided operand is copied first, so that its elements
//! take the lanes a contiguous one's do. The arithmetic ops (unary and binary) and the other
//! binary ops run their `f64` kernel through [`map`] or [`zip`], whose plain loops LLVM
//! vectorises itself (measured faster than lanes for arithmetic at 10⁶ elements).

use super::lanes::{self, Lane, Lanes};
use super::lanes32::{self, Lanes32};
use super::{Element, buffer};
use crate::Scalar;
use crate::ops::UnaryOp;
use ndarray::{ArrayD, IxDyn, Zip};
use rayon::prelude::*;

/// Arrays with at least this many elements are processed in parallel; below it the cost of
/// waking the thread pool (a few µs) would exceed the work.
pub(super) const PARALLEL_MIN: usize = 1 << 15;

/// `f` applied to every element of `x`.
#[inline(always)]
pub(super) fn map<T: Element>(x: &ArrayD<T>, f: impl Fn(T) -> T + Sync + Send) -> ArrayD<T> {
    // Contiguous input: written once, no zeroing pass (`map_serial`).
    if let Some(s) = x.as_slice() {
        let v = if parallel(s.len()) {
            let mut v = buffer::reuse(s.len());
            s.par_iter().map(|&a| f(a)).collect_into_vec(&mut v);
            v
        } else {
            let mut v = Vec::new();
            map_serial_on(s, &f, &mut v);
            v
        };
        return buffer::shaped(x.shape(), v);
    }
    let mut out = buffer::scratch_array(x.shape());
    let z = Zip::from(&mut out).and(x);
    if x.len() >= PARALLEL_MIN {
        z.par_for_each(|o, &v| *o = f(v));
    } else {
        z.for_each(|o, &v| *o = f(v));
    }
    out
}

/// A vector from the pool (the thread's, for a small one) holding the first `len` values
/// of `values`, written straight into its room: no zeroing pass, and, unlike `extend`, a
/// loop the compiler vectorises as it does `collect` into a fresh vector.
#[inline(always)]
fn written<T: Element>(len: usize, values: impl Iterator<Item = T>) -> Vec<T> {
    let mut v = buffer::reuse(len);
    let mut n = 0;
    for (o, x) in v.spare_capacity_mut()[..len].iter_mut().zip(values) {
        o.write(x);
        n += 1;
    }
    debug_assert_eq!(n, len, "as many values as asked for");
    // SAFETY: the loop wrote the first `n` elements of the room.
    #[allow(unsafe_code)]
    unsafe {
        v.set_len(n)
    };
    v
}

/// [`map`]'s serial loop on the widest instructions the CPU has (`lanes::isa`): compiled
/// for the baseline, the compiler's vectors were two `f64` wide, and the seed's forward
/// pass and gradient at 10³ points are a dozen such loops. The values are the same on every
/// copy: each element's value is `f` of it alone.
fn map_serial_on<T: Element, F: Fn(T) -> T>(s: &[T], f: &F, out: &mut Vec<T>) {
    simd!(lanes::isa(), map_serial::<T, F>(s, f, out));
}

/// `f` of each element of `s`, into `out`: a small array written straight into the room of
/// a recycled vector (`x·2` on 10³ elements: 0.21 µs, against 0.35 through the stack buffer
/// below, 0.38 with the room zeroed first and 0.27 through `extend`); a large one through a
/// stack buffer, where `f`'s captures (an op's constant) stay in registers, which they do
/// not when a large vector is written through an iterator.
#[inline(always)]
fn map_serial<T: Element, F: Fn(T) -> T>(s: &[T], f: &F, out: &mut Vec<T>) {
    if !buffer::from_pool(s.len()) {
        *out = written(s.len(), s.iter().map(|&a| f(a)));
        return;
    }
    let mut v = buffer::reuse(s.len());
    let mut stage = [T::zero(); STAGE];
    for c in s.chunks(STAGE) {
        let o = &mut stage[..c.len()];
        for (o, &a) in o.iter_mut().zip(c) {
            *o = f(a);
        }
        v.extend_from_slice(o);
    }
    *out = v;
}

/// [`zip`]'s serial loop on the widest instructions the CPU has (as [`map_serial_on`]).
fn zip_serial_on<T: Element, R: Element, F: Fn(T, T) -> R>(
    p: &[T],
    q: &[T],
    f: &F,
    out: &mut Vec<R>,
) {
    simd!(lanes::isa(), zip_serial::<T, R, F>(p, q, f, out));
}

/// `f` of the elements of `p` and `q` (of one length) pairwise, into `out`, as
/// [`map_serial`].
#[inline(always)]
fn zip_serial<T: Element, R: Element, F: Fn(T, T) -> R>(p: &[T], q: &[T], f: &F, out: &mut Vec<R>) {
    if !buffer::from_pool(p.len()) {
        *out = written(p.len(), p.iter().zip(q).map(|(&p, &q)| f(p, q)));
        return;
    }
    let mut v = buffer::reuse(p.len());
    let mut stage = [R::zero(); STAGE];
    for (c, d) in p.chunks(STAGE).zip(q.chunks(STAGE)) {
        let o = &mut stage[..c.len()];
        for ((o, &a), &b) in o.iter_mut().zip(c).zip(d) {
            *o = f(a, b);
        }
        v.extend_from_slice(o);
    }
    *out = v;
}

/// How far ahead of a streaming kernel [`prefetch`] asks for memory.
const AHEAD_BYTES: usize = 2048;

/// Asks the CPU to bring the memory 2 KB past element `i` of the array at `p` into cache:
/// a hint, with no effect on values. The kernels that compute on streams call it for each
/// input and output, once per group of lanes. On this machine the hardware did not fetch
/// ahead of a kernel that computes, so compute and memory added up: the `f32` seed's f′ at
/// 10⁷, one thread, took 11.9 ms without, 6.6 with (the bare copy takes 5.2); its f and f′
/// (two outputs) 11.1–11.7 without, 13–16 with only the input prefetched, 8.8–9.1 with the
/// outputs too. The address may lie past the end of the slice a kernel was given: in a
/// parallel kernel that is the next block of the same array (two threads: f and f′ 4.4–4.8
/// ms stopping at the block's end, 3.5–3.8 not), and past the array's end a prefetch is
/// dropped (it never faults).
#[inline(always)]
pub(super) fn prefetch<T>(p: *const T, i: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let ahead = p.wrapping_add(i + AHEAD_BYTES / std::mem::size_of::<T>());
        #[allow(unsafe_code)]
        // SAFETY: SSE is part of x86-64, and a prefetch is a hint that reads nothing the
        // program sees and never faults, whatever the address.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(ahead.cast::<i8>());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (p, i);
}

/// Elements per unit of parallel work in the lane kernels (a multiple of 4).
pub(super) const BLOCK: usize = 4096;

/// Whether `len` elements are worth the thread pool: enough of them, and more than one
/// thread (with one, the serial loop writes its output without zeroing it first).
pub(super) fn parallel(len: usize) -> bool {
    len >= PARALLEL_MIN && rayon::current_num_threads() > 1
}

/// `L::N` elements widened to `f64` lanes.
#[inline(always)]
pub(super) fn load<T: Element, L: Lane>(c: &[T]) -> L {
    let mut a = [0.0; lanes::MAX_N];
    for (a, c) in a.iter_mut().zip(&c[..L::N]) {
        *a = c.to_f64();
    }
    L::load(&a)
}

/// The lanes rounded to `T`, written to the first `L::N` elements of `o`.
#[inline(always)]
pub(super) fn store<T: Element, L: Lane>(y: L, o: &mut [T]) {
    let mut a = [0.0; lanes::MAX_N];
    y.store(&mut a);
    for (o, a) in o[..L::N].iter_mut().zip(&a) {
        *o = T::from_f64(*a);
    }
}

/// `o = one(s)` element-wise (`s` and `o` of one length), `L::N` at a time through
/// `lanes`, then (when `L` has eight) four at a time through `fours`, the last `len mod 4`
/// elements through `one`. So the elements that go through lanes are the same whatever
/// their width, as are the results: a result does not depend on the machine.
#[inline(always)]
pub(super) fn map_slice<T: Element, L: Lane>(
    s: &[T],
    o: &mut [T],
    one: &impl Fn(T) -> T,
    lanes: &impl Fn(L) -> L,
    fours: &impl Fn(L::Four) -> L::Four,
) {
    let out = o.as_ptr();
    let (mut w, mut t) = (s.chunks_exact(L::N), o.chunks_exact_mut(L::N));
    for (k, (c, o)) in (&mut w).zip(&mut t).enumerate() {
        prefetch(s.as_ptr(), k * L::N);
        prefetch(out, k * L::N);
        store(lanes(load(c)), o);
    }
    let (mut w, mut t) = (
        w.remainder().chunks_exact(4),
        t.into_remainder().chunks_exact_mut(4),
    );
    for (c, o) in (&mut w).zip(&mut t) {
        store(fours(load(c)), o);
    }
    for (a, o) in w.remainder().iter().zip(t.into_remainder()) {
        *o = one(*a);
    }
}

/// `o = op(s)` element-wise for a unary op of the table, on the lanes `isa` names
/// (`avx512.rs`, `avx.rs`, or the baseline lanes): the same values either way.
/// `f32` elements take `f32` lanes (`lanes32`), sixteen at a time, the last `len mod 16`
/// padded into one more group.
#[inline]
pub(super) fn op_slice<T: Element, O: UnaryOp>(s: &[T], o: &mut [T], op: O, isa: lanes::Isa) {
    if let (Some(s), Some(o)) = (T::as_f32(s), T::as_f32_mut(o)) {
        simd!(isa, op32_on(s, o, op));
        return;
    }
    simd!(isa, op_slice_on::<T, O, Lanes>(s, o, op));
}

/// `o = op(s)` on `f32` lanes (`s` and `o` of one length).
#[inline(always)]
pub(super) fn op32_on<O: UnaryOp>(s: &[f32], o: &mut [f32], op: O) {
    let out = o.as_ptr();
    let (mut w, mut t) = (s.chunks_exact(lanes32::N), o.chunks_exact_mut(lanes32::N));
    for (k, (c, o)) in (&mut w).zip(&mut t).enumerate() {
        prefetch(s.as_ptr(), k * lanes32::N);
        prefetch(out, k * lanes32::N);
        Lanes32::load(c).unary(op).store(o);
    }
    if !w.remainder().is_empty() {
        Lanes32::load(w.remainder())
            .unary(op)
            .store(t.into_remainder());
    }
}

#[inline(always)]
fn op_slice_on<T: Element, O: UnaryOp, L: Lane>(s: &[T], o: &mut [T], op: O) {
    map_slice(s, o, &one(op), &|v: L| v.unary(op), &|v: L::Four| {
        v.unary(op)
    });
}

/// `op` on one element: its `f64` kernel, the result rounded to `T`.
#[inline(always)]
pub(super) fn one<T: Element, O: UnaryOp>(op: O) -> impl Fn(T) -> T + Copy + Send + Sync {
    move |v: T| T::from_f64(op.eval(v.to_f64()))
}

// [`op_slice`] on wide lanes.
simd_copies! {
    fn op_slice_on<T: Element, O: UnaryOp>(s: &[T], o: &mut [T], op: O) {
        super::op_slice_on::<T, O, Wide>(s, o, op);
    }

    fn op32_on<O: UnaryOp>(s: &[f32], o: &mut [f32], op: O) {
        super::op32_on(s, o, op);
    }

    fn map_serial<T: Element, F: Fn(T) -> T>(s: &[T], f: &F, out: &mut Vec<T>) {
        super::map_serial(s, f, out);
    }

    fn zip_serial<T: Element, R: Element, F: Fn(T, T) -> R>(
        p: &[T],
        q: &[T],
        f: &F,
        out: &mut Vec<R>
    ) {
        super::zip_serial(p, q, f, out);
    }
}

/// `op(x)` element-wise for a unary op of the table that runs on lanes (`Lanes::vector`):
/// [`op_slice`] over the array (in blocks on all cores when large). A strided array is
/// copied first, so that its elements take the lanes a contiguous one's do (`exp` on lanes
/// and by the one-element kernel can differ in the last bit).
pub(super) fn map_op<T: Element, O: UnaryOp>(x: &ArrayD<T>, op: O) -> ArrayD<T> {
    let x = x.as_standard_layout();
    let s = x.as_slice().expect("standard layout");
    let isa = lanes::isa();
    let v = blocks(s, |s, o| op_slice(s, o, op, isa));
    buffer::shaped(x.shape(), v)
}

/// `kernel(s, o)` over `s` and a new output of its length (recycled, not zeroed: the kernel
/// writes every element): in blocks of [`BLOCK`] on all cores when large, else at once.
#[inline(always)]
pub(super) fn blocks<T: Element>(s: &[T], kernel: impl Fn(&[T], &mut [T]) + Sync) -> Vec<T> {
    let mut out = buffer::scratch(s.len());
    if parallel(s.len()) {
        s.par_chunks(BLOCK)
            .zip(out.par_chunks_mut(BLOCK))
            .for_each(|(s, o)| kernel(s, o));
    } else {
        kernel(s, &mut out);
    }
    out
}

/// Elements staged on the stack between the plain loops and the output vector in the
/// serial case, which fills a recycled vector without zeroing it first (4 KB for `f64`: in
/// L1).
const STAGE: usize = 512;

/// `f(a, b)` element-wise over `a` and `b` broadcast to `shape` (which the caller checked).
#[inline(always)]
pub(super) fn zip<T: Element, R: Element>(
    a: &ArrayD<T>,
    b: &ArrayD<T>,
    shape: &[usize],
    f: impl Fn(T, T) -> R + Sync + Send,
) -> ArrayD<R> {
    if let (Some(p), Some(q)) = (a.as_slice(), b.as_slice())
        && a.shape() == shape
        && b.shape() == shape
    {
        let v = if parallel(p.len()) {
            let mut v = buffer::reuse(p.len());
            p.par_iter()
                .zip(q)
                .map(|(&p, &q)| f(p, q))
                .collect_into_vec(&mut v);
            v
        } else {
            let mut v = Vec::new();
            zip_serial_on(p, q, &f, &mut v);
            v
        };
        return buffer::shaped(a.shape(), v);
    }
    let av = a
        .broadcast(IxDyn(shape))
        .expect("shape checked by the caller");
    let bv = b
        .broadcast(IxDyn(shape))
        .expect("shape checked by the caller");
    let mut out = buffer::scratch_array(shape);
    let z = Zip::from(&mut out).and(&av).and(&bv);
    if av.len() >= PARALLEL_MIN {
        z.par_for_each(|o, &p, &q| *o = f(p, q));
    } else {
        z.for_each(|o, &p, &q| *o = f(p, q));
    }
    out
}

/// The elements [`sum_all`] sums apart on a large array, whose sums it then sums.
pub(super) const SUM_BLOCK: usize = 1 << 13;

/// The sum of all elements, in fixed-size blocks so that the result does not depend on the
/// number of threads (`lazy::sum` keeps this order).
pub(super) fn sum_all<T: Element>(x: &ArrayD<T>) -> T {
    match x.as_slice_memory_order() {
        Some(s) if s.len() >= PARALLEL_MIN => {
            use rayon::prelude::*;
            let partial: Vec<T> = s.par_chunks(SUM_BLOCK).map(sum_slice).collect();
            sum_slice(&partial)
        }
        _ => x.sum(),
    }
}

/// The sum of `s` in [`RunSum`]'s order.
pub(super) fn sum_slice<T: Element>(s: &[T]) -> T {
    let mut acc = RunSum::new();
    acc.add(s);
    acc.total()
}

/// Lanes of a [`RunSum`]: independent partial sums, so that a sum is bound by the adds'
/// throughput, not by the latency of one chain of them.
pub(super) const SUM_LANES: usize = 8;

/// A sum in progress: element `i` of a run goes to partial sum `i mod 8`, and the partial
/// sums are added pairwise at the end. The order depends on the elements' positions alone
/// (not on the threads, nor on how the run is cut), so a run summed in pieces whose lengths
/// are multiples of 8 (all but the last) has the bits of the run summed at once.
#[derive(Clone, Copy)]
pub(super) struct RunSum<T>([T; SUM_LANES]);

impl<T: Element> RunSum<T> {
    pub(super) fn new() -> Self {
        RunSum([T::zero(); SUM_LANES])
    }

    /// Adds the run's next elements (a multiple of 8 of them unless they are its last).
    #[inline]
    pub(super) fn add(&mut self, s: &[T]) {
        // In registers while the elements go by (through `self` they may be stored back
        // after each group).
        let mut lanes = self.0;
        let mut chunks = s.chunks_exact(SUM_LANES);
        for c in &mut chunks {
            for (a, &v) in lanes.iter_mut().zip(c) {
                *a = *a + v;
            }
        }
        for (a, &v) in lanes.iter_mut().zip(chunks.remainder()) {
            *a = *a + v;
        }
        self.0 = lanes;
    }

    /// The run's sum.
    pub(super) fn total(&self) -> T {
        let [a, b, c, d, e, f, g, h] = self.0;
        ((a + b) + (c + d)) + ((e + f) + (g + h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{Binary, Unary};

    fn array(v: Vec<f64>) -> ArrayD<f64> {
        ArrayD::from_shape_vec(IxDyn(&[v.len()]), v).expect("a vector")
    }

    /// Values with special cases among them: zeros, infinities, NaN, subnormals, huge.
    fn values(n: usize, shift: f64) -> Vec<f64> {
        let special = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e-310,
            1e300,
        ];
        (0..n)
            .map(|i| match i % 97 {
                k if k < special.len() => special[k],
                _ => (i as f64 * 0.37 + shift).sin() * 3.0,
            })
            .collect()
    }

    fn same_bits(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn the_plain_loops_give_each_elements_kernel_value_on_every_size() {
        // In cache (on the widest instructions below AVX-512), through the stack buffer, and
        // on two threads; `f64` and `f32`.
        for n in [1, 7, 1003, 20_001, 40_003] {
            let (a, b) = (values(n, 0.1), values(n, 1.3));
            let (x, y) = (array(a.clone()), array(b.clone()));
            for op in Unary::all() {
                let got = map(&x, one(op));
                for (g, v) in got.iter().zip(&a) {
                    assert!(same_bits(*g, op.eval(*v)), "{op:?} at {v}, n = {n}");
                }
                let x32 = x.mapv(|v| v as f32);
                let got = map(&x32, one(op));
                for (g, v) in got.iter().zip(x32.iter()) {
                    let want = (op.eval(f64::from(*v)) as f32).into();
                    assert!(same_bits((*g).into(), want), "f32 {op:?} at {v}");
                }
            }
            for op in Binary::all() {
                let got = zip(&x, &y, &[n], |p: f64, q: f64| op.eval(p, q));
                for ((g, p), q) in got.iter().zip(&a).zip(&b) {
                    assert!(same_bits(*g, op.eval(*p, *q)), "{op:?} at {p}, {q}");
                }
            }
        }
    }

    #[test]
    fn a_run_summed_in_pieces_has_the_bits_of_the_run_summed_at_once() {
        // Values whose sum depends on the order of the adds.
        let v: Vec<f64> = (0..1003)
            .map(|i| ((i as f64) * 0.37).sin() * 10f64.powi(i % 7 - 3))
            .collect();
        let whole = sum_slice(&v);
        for piece in [8, 16, 256, 1000] {
            let mut acc = RunSum::new();
            for c in v.chunks(piece) {
                acc.add(c);
            }
            assert_eq!(acc.total().to_bits(), whole.to_bits(), "pieces of {piece}");
        }
        // Exact where every partial sum is: integers.
        let ints: Vec<f64> = (0..10_001).map(|i| f64::from(i % 97) - 40.0).collect();
        let exact: i64 = (0..10_001).map(|i| i64::from(i % 97) - 40).sum();
        assert_eq!(sum_slice(&ints), exact as f64);
        // And close to the exact sum of the first values (compensated in f64 pairs).
        let (mut s, mut c) = (0.0f64, 0.0f64);
        for &x in &v {
            let t = s + x;
            c += if s.abs() >= x.abs() {
                (s - t) + x
            } else {
                (x - t) + s
            };
            s = t;
        }
        assert!((whole - (s + c)).abs() <= 1e-12 * v.iter().map(|x| x.abs()).sum::<f64>());
        assert_eq!(sum_slice::<f64>(&[]), 0.0);
    }

    #[test]
    fn f32_lanes_give_the_same_bits_on_every_instruction_set() {
        // `exp`'s fused multiply-adds round once on every copy: in hardware on AVX2 (with
        // FMA) and AVX-512, in software on the baseline.
        let mut x: Vec<f32> = (0..=400_000).map(|i| -100.0 + i as f32 * 5e-4).collect();
        x.extend([
            0.0,
            -0.0,
            1e-45,
            f32::MIN_POSITIVE,
            88.7,
            -103.9,
            f32::NAN,
            f32::INFINITY,
        ]);
        let ops = [Unary::Exp, Unary::Sin, Unary::MulConst(0.1), Unary::Powi(3)];
        for op in ops {
            let mut base = vec![0.0; x.len()];
            op32_on(&x, &mut base, op);
            let bits = |v: &[f32]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            #[cfg(target_arch = "x86_64")]
            for isa in [lanes::Isa::Avx2, lanes::Isa::Avx512] {
                let has = match isa {
                    lanes::Isa::Avx2 => lanes::avx2(),
                    _ => lanes::avx512(),
                };
                if !has {
                    continue;
                }
                let mut wide = vec![0.0; x.len()];
                op_slice(&x, &mut wide, op, isa);
                assert_eq!(bits(&wide), bits(&base), "{op:?} on {isa:?}");
            }
        }
    }

    #[test]
    fn a_strided_operand_gives_the_bits_of_a_contiguous_one() {
        // exp on lanes can differ from the one-element kernel (the path a strided operand
        // took) in the last bit. In f64 within the lanes' range: out of it, a value sends
        // its four neighbouring lanes to the f64 kernel, so there the bits follow the
        // layout. In f32 also out of the range, which is decided lane by lane.
        let v: Vec<f64> = (0..6000).map(|i| -700.0 + 0.233 * f64::from(i)).collect();
        let a = ArrayD::from_shape_vec(IxDyn(&[6, 1000]), v).expect("6 × 1000");
        strided_as_contiguous(&a);
        strided_as_contiguous(&a.mapv(|v| (v / 7.0) as f32));
    }

    fn strided_as_contiguous<T: Element>(a: &ArrayD<T>) {
        let strided = a.clone().reversed_axes();
        assert!(strided.as_slice().is_none());
        for op in [crate::ops::Unary::Exp, crate::ops::Unary::Sin] {
            let got = map_op(&strided, op);
            let want = map_op(a, op).reversed_axes();
            for (g, w) in got.iter().zip(want.iter()) {
                let (g, w) = (g.to_f64(), w.to_f64());
                assert_eq!(
                    g.to_bits(),
                    w.to_bits(),
                    "{} {op:?}: {g:e} against {w:e}",
                    T::NAME
                );
            }
        }
    }

    // Lengths around the stage (512) and the lane widths (4, 8), and one above the parallel
    // threshold: every element is written once, by its own function, in place.
    #[test]
    fn the_loops_give_each_element_its_function_at_every_length() {
        for n in [0, 1, 3, 4, 511, 512, 513, 1029, PARALLEL_MIN + 5] {
            let x: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
            let y: Vec<f64> = (0..n).map(|i| (i as f64 * 0.11).cos()).collect();
            let (a, b) = (array(x.clone()), array(y.clone()));

            let want: Vec<f64> = x.iter().map(|v| v * 3.0 + 1.0).collect();
            assert_eq!(map(&a, |v| v * 3.0 + 1.0).into_raw_vec_and_offset().0, want);

            let want: Vec<f64> = x.iter().zip(&y).map(|(p, q)| p * q - 1.0).collect();
            let got = zip(&a, &b, &[n], |p, q| p * q - 1.0);
            assert_eq!(got.into_raw_vec_and_offset().0, want);

            // The lanes and the one-element function are told apart by their results.
            let mut got = vec![0.0; n];
            map_slice(&x, &mut got, &|v| v + 0.5, &|v: Lanes| v * 2.0, &|v| {
                v * 3.0
            });
            let lanes = n - n % 4;
            for (i, (g, v)) in got.iter().zip(&x).enumerate() {
                let want = if i < lanes { v * 2.0 } else { v + 0.5 };
                assert_eq!(g.to_bits(), want.to_bits(), "n = {n}, i = {i}");
            }
            // On eight lanes: eights, then one four, then one by one, so that the same
            // elements as on four lanes go through lanes.
            #[cfg(target_arch = "x86_64")]
            if lanes::avx512() {
                #[allow(unsafe_code)]
                // SAFETY: AVX-512F checked.
                unsafe {
                    on_avx512(&x, &mut got)
                };
                let eights = n - n % 8;
                for (i, (g, v)) in got.iter().zip(&x).enumerate() {
                    let want = match i {
                        _ if i < eights => v * 2.0,
                        _ if i < lanes => v * 3.0,
                        _ => v + 0.5,
                    };
                    assert_eq!(g.to_bits(), want.to_bits(), "n = {n}, i = {i}");
                }
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn on_avx512(x: &[f64], o: &mut [f64]) {
        use crate::tensor::{avx::Avx, avx512::Avx512};
        map_slice(x, o, &|v| v + 0.5, &|v: Avx512| v * 2.0, &|v: Avx| v * 3.0);
    }
}
