//! Fused backward passes over element-wise regions of the graph.
//!
//! Op by op, the backward pass of `f(x)` writes a full array for every partial and every
//! product `g·∂`: the seed function's gradient made about twenty passes over memory, the
//! tensor Rosenbrock's about fifteen. Most of those ops are element-wise with inputs and
//! output of one shape, so their adjoints can instead be computed element by element: a
//! *region* of such nodes (every node's consumers inside the region, see
//! `engine::region`) runs in blocks of [`BLOCK`] elements that stay in cache (a region of
//! ten nodes and three inputs keeps 52 KB of blocks). Per block, the region's values are
//! recomputed forward from its inputs by the same kernels as the forward pass (the op table's
//! `f64` kernels, on SIMD lanes where the forward pass used them, at the same positions, so
//! the values are the same; for `f32`, blocks of `f32` on `f32` lanes, as the forward kernels
//! compute an `f32` op), then its adjoints are swept back with the table's rules evaluated
//! on those values (in `f32` for `f32`). One pass reads the region's inputs (a slice's input
//! in place, at the slice's offset) and the output gradient (or a sum's, broadcast) and
//! writes one gradient per *target*: an input's, or the sum of the gradients of the slices
//! of one array, each at its offset.
//!
//! Only a pass that is not recorded runs this way: under `create_graph` the rules run as
//! tensor ops, so that the gradient is a graph of its own.

use super::lanes::{self, Lane, Lanes};
use super::lanes32::{self, Lanes32};
use super::{Element, Tensor, buffer, kernel};
use crate::Scalar;
use crate::ops::{self, BinaryOp, UnaryOp};
use ndarray::ArrayD;
use rayon::prelude::*;

/// Elements per block: a region keeps two blocks (value and adjoint) per node and per
/// input, 2 KB each in `f64`.
pub(super) const BLOCK: usize = 256;
/// Elements per unit of parallel work.
pub(super) const SPAN: usize = 64 * BLOCK;
// A span holds whole runs of the sum, a run whole blocks, and a block whole groups of the
// sum's lanes (`Plan::sum_root`).
const _: () = assert!(
    SPAN.is_multiple_of(kernel::SUM_BLOCK)
        && kernel::SUM_BLOCK.is_multiple_of(BLOCK)
        && BLOCK.is_multiple_of(kernel::SUM_LANES)
);
/// The fewest elements a region is fused for. Below, the arrays are in cache and the
/// op-by-op rules are cheaper than recomputing the region's values: the seed's gradient at
/// 10³ points took 20.5 µs fused against 15.4 op by op (16.4 against 11.8 in a later stop,
/// pending values fused from 256 elements too); at 10⁵ they were even, at 10⁶ fused was
/// 17 % faster.
pub(super) const MIN_ELEMENTS: usize = 1 << 14;
/// The most nodes one region takes (its blocks must stay in cache); a longer chain becomes
/// several regions.
pub(super) const MAX_NODES: usize = 32;

/// What the engine may fuse a node into, as the graph keeps it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Fusion {
    /// Nothing: the node's rule runs op by op.
    None,
    /// An element-wise op whose inputs and output have one shape: a member of a region.
    Pointwise(PointwiseOp),
    /// A slice that is the run of its input's elements from `offset` in row-major order: a
    /// region reads it in place and writes its gradient straight into its input's, instead
    /// of the rule's padded copy and the sum of such copies.
    Window { offset: usize },
    /// The sum of all the elements of its input: a region below it starts from the
    /// gradient broadcast block by block, instead of an expanded array.
    SumAll,
}

/// The element-wise op of a node whose inputs and output have one shape, as the graph keeps
/// it: the op's run-time id (no allocation per recorded op). A fused pass turns it into its
/// [`Pointwise`] kernel, compiled for the op's type.
#[derive(Clone, Copy, Debug)]
pub(super) enum PointwiseOp {
    Unary(ops::Unary),
    Binary(ops::Binary),
}

impl PointwiseOp {
    /// The number of operands, 1 or 2.
    pub(super) fn arity(self) -> usize {
        match self {
            PointwiseOp::Unary(_) => 1,
            PointwiseOp::Binary(_) => 2,
        }
    }

    /// The op's kernel on blocks, boxed (a region's plan keeps one per node).
    pub(super) fn kernel(self) -> Box<dyn Pointwise> {
        struct Boxed;
        impl KernelVisitor for Boxed {
            type Output = Box<dyn Pointwise>;
            fn visit<P: Pointwise + 'static>(self, kernel: P) -> Box<dyn Pointwise> {
                Box::new(kernel)
            }
        }
        self.with_kernel(Boxed)
    }

    /// Runs `v` on the op's kernel, compiled for the op's type (found from its id by one
    /// `match`).
    fn with_kernel<V: KernelVisitor>(self, v: V) -> V::Output {
        struct Visit<V>(V);
        impl<V: KernelVisitor> ops::UnaryVisitor for Visit<V> {
            type Output = V::Output;
            fn visit<O: UnaryOp>(self, op: O) -> V::Output {
                self.0.visit(UnaryNode(op))
            }
        }
        impl<V: KernelVisitor> ops::BinaryVisitor for Visit<V> {
            type Output = V::Output;
            fn visit<O: BinaryOp>(self, op: O) -> V::Output {
                self.0.visit(BinaryNode(op))
            }
        }
        match self {
            PointwiseOp::Unary(op) => op.visit(Visit(v)),
            PointwiseOp::Binary(op) => op.visit(Visit(v)),
        }
    }
}

/// Code generic over an element-wise op's kernel type, run by [`PointwiseOp::with_kernel`].
trait KernelVisitor {
    type Output;
    fn visit<P: Pointwise + 'static>(self, kernel: P) -> Self::Output;
}

/// An element-wise op as the fused pass runs it: on blocks of `f64` values.
pub(super) trait Pointwise: Send + Sync {
    /// The number of inputs, 1 or 2.
    fn arity(&self) -> usize;
    /// `y = op(a)` or `op(a, b)` on one block (`b` empty for a unary op).
    fn forward(&self, a: &[f64], b: &[f64], y: &mut [f64]);
    /// `pa = g·∂y/∂a` and `pb = g·∂y/∂b` (`out`) on one block, from the inputs and the
    /// output (`x = [a, b, y]`; `b` and `pb` empty for a unary op); each added to what is
    /// there instead where its flag in `add` is set.
    fn backward(&self, x: [&[f64]; 3], g: &[f64], out: [&mut [f64]; 2], add: [bool; 2]);
    /// [`forward`](Pointwise::forward) on a block of `f32`, computed in `f32` lanes
    /// (`lanes32`), as the forward pass computes an `f32` tensor's op.
    fn forward32(&self, a: &[f32], b: &[f32], y: &mut [f32]);
    /// [`backward`](Pointwise::backward) on blocks of `f32`, in `f32` lanes.
    fn backward32(&self, x: [&[f32]; 3], g: &[f32], out: [&mut [f32]; 2], add: [bool; 2]);
}

/// [`Pointwise::forward`] on blocks of the element type.
#[inline(always)]
fn forward_on<T: Element>(op: &dyn Pointwise, a: &[T], b: &[T], y: &mut [T]) {
    if let (Some(a), Some(b), Some(y)) = (T::as_f32(a), T::as_f32(b), T::as_f32_mut(y)) {
        op.forward32(a, b, y);
    } else if let (Some(a), Some(b), Some(y)) = (T::as_f64(a), T::as_f64(b), T::as_f64_mut(y)) {
        op.forward(a, b, y);
    }
}

/// [`Pointwise::backward`] on blocks of the element type.
#[inline(always)]
fn backward_on<T: Element>(
    op: &dyn Pointwise,
    [a, b, y]: [&[T]; 3],
    g: &[T],
    [pa, pb]: [&mut [T]; 2],
    add: [bool; 2],
) {
    if let (Some(a), Some(b), Some(y), Some(g)) =
        (T::as_f32(a), T::as_f32(b), T::as_f32(y), T::as_f32(g))
        && let (Some(pa), Some(pb)) = (T::as_f32_mut(pa), T::as_f32_mut(pb))
    {
        op.backward32([a, b, y], g, [pa, pb], add);
    } else if let (Some(a), Some(b), Some(y), Some(g)) =
        (T::as_f64(a), T::as_f64(b), T::as_f64(y), T::as_f64(g))
        && let (Some(pa), Some(pb)) = (T::as_f64_mut(pa), T::as_f64_mut(pb))
    {
        op.backward([a, b, y], g, [pa, pb], add);
    }
}

/// The gradients of one element-wise node on whole arrays, outside a region: `g·∂y/∂a`
/// (and `g·∂y/∂b` for a binary op) from the inputs and the output (`x = [a, b, y]`, `b`
/// empty for a unary op, all of `g`'s length and contiguous), by the kernels a region runs
/// on its blocks — one pass instead of the rule's partials as arrays and a product by each.
/// The kernel is the one compiled for the op's type, as a region's, lent rather than boxed.
/// Large arrays are cut into blocks of [`kernel::BLOCK`] on all cores (lanes stay at the
/// same positions: a block starts at a multiple of eight).
pub(super) fn node_backward<T: Element>(op: PointwiseOp, x: [&[T]; 3], g: &[T]) -> [Vec<T>; 2] {
    struct Run<'a, T> {
        x: [&'a [T]; 3],
        g: &'a [T],
    }
    impl<T: Element> KernelVisitor for Run<'_, T> {
        type Output = [Vec<T>; 2];
        fn visit<P: Pointwise + 'static>(self, kernel: P) -> [Vec<T>; 2] {
            arrays_backward(&kernel, self.x, self.g)
        }
    }
    op.with_kernel(Run { x, g })
}

/// [`node_backward`] for the op's kernel.
fn arrays_backward<T: Element>(op: &dyn Pointwise, [a, b, y]: [&[T]; 3], g: &[T]) -> [Vec<T>; 2] {
    let len = g.len();
    let two = op.arity() == 2;
    let mut pa = buffer::scratch(len);
    let mut pb = if two {
        buffer::scratch(len)
    } else {
        Vec::new()
    };
    if kernel::parallel(len) {
        fn blocks<T>(s: &[T], n: usize, count: usize) -> Vec<&[T]> {
            if s.is_empty() {
                vec![&[][..]; count]
            } else {
                s.chunks(n).collect()
            }
        }
        let n = kernel::BLOCK;
        let count = len.div_ceil(n);
        let (ac, bc, yc) = (
            blocks(a, n, count),
            blocks(b, n, count),
            blocks(y, n, count),
        );
        let mut pbc: Vec<&mut [T]> = if two {
            pb.chunks_mut(n).collect()
        } else {
            (0..count).map(|_| &mut [][..]).collect()
        };
        pa.par_chunks_mut(n)
            .zip(pbc.par_iter_mut())
            .zip(g.par_chunks(n))
            .enumerate()
            .for_each(|(k, ((pa, pb), g))| {
                backward_on(op, [ac[k], bc[k], yc[k]], g, [pa, pb], [false; 2]);
            });
    } else {
        backward_on(op, [a, b, y], g, [&mut pa, &mut pb], [false; 2]);
    }
    [pa, pb]
}

/// `g·d` written to (or, with `add`, added to) the first `p.len()` (at most sixteen)
/// elements of `p`.
#[inline(always)]
fn put32(p: &mut [f32], g: Lanes32, d: Lanes32, add: bool) {
    let v = if add { Lanes32::load(p) + g * d } else { g * d };
    v.store(p);
}

/// `g·d` written to (or, with `add`, added to) the `L::N` elements of `p`.
#[inline(always)]
fn put<L: Lane>(p: &mut [f64], g: L, d: L, add: bool) {
    let v = if add { L::load(p) + g * d } else { g * d };
    v.store(p);
}

/// A unary op of the table.
struct UnaryNode<O>(O);

impl<O: UnaryOp> Pointwise for UnaryNode<O> {
    fn arity(&self) -> usize {
        1
    }

    fn forward(&self, a: &[f64], _: &[f64], y: &mut [f64]) {
        let op = self.0;
        // As the forward kernel: lanes for the ops it runs on lanes, from the start of the
        // array (blocks start at multiples of 8), the rest one by one.
        if Lanes::vector(op) {
            kernel::op_slice(a, y, op, lanes::isa());
        } else {
            simd!(lanes::isa(), unary_plain(op, a, y));
        }
    }

    fn backward(&self, x: [&[f64]; 3], g: &[f64], out: [&mut [f64]; 2], add: [bool; 2]) {
        simd!(
            lanes::isa(),
            unary_backward::<O, Lanes>(self.0, x, g, out, add)
        );
    }

    fn forward32(&self, a: &[f32], _: &[f32], y: &mut [f32]) {
        // Every op on `f32` lanes, as the forward kernels run an `f32` tensor's op (the
        // arithmetic ones give the bits of their plain loop).
        kernel::op_slice(a, y, self.0, lanes::isa());
    }

    fn backward32(&self, x: [&[f32]; 3], g: &[f32], out: [&mut [f32]; 2], add: [bool; 2]) {
        simd!(lanes::isa(), unary_backward32(self.0, x, g, out, add));
    }
}

/// [`Pointwise::backward32`] of a unary op.
#[inline(always)]
fn unary_backward32<O: UnaryOp>(
    op: O,
    [a, _, y]: [&[f32]; 3],
    g: &[f32],
    [pa, _]: [&mut [f32]; 2],
    add: [bool; 2],
) {
    for (i, e) in lanes32::groups(a.len()) {
        let d = op.derivative(&Lanes32::load(&a[i..e]), &Lanes32::load(&y[i..e]));
        put32(&mut pa[i..e], Lanes32::load(&g[i..e]), d, add[0]);
    }
}

/// `y = op(a)` by the op's `f64` kernel, a plain loop (vectorised by the compiler).
#[inline(always)]
fn unary_plain<O: UnaryOp>(op: O, a: &[f64], y: &mut [f64]) {
    for (a, y) in a.iter().zip(y) {
        *y = op.eval(*a);
    }
}

/// [`Pointwise::backward`] of a unary op on lanes `L`, then (when `L` has eight) four at a
/// time on `L::Four`, the last `len mod 4` elements by the op's `f64` kernel: the same
/// elements go through lanes on every machine (as in `kernel::map_slice`).
#[inline(always)]
fn unary_backward<O: UnaryOp, L: Lane>(
    op: O,
    [a, _, y]: [&[f64]; 3],
    g: &[f64],
    [pa, _]: [&mut [f64]; 2],
    add: [bool; 2],
) {
    let wide = a.len() / L::N * L::N;
    let (a, a4) = a.split_at(wide);
    let (y, y4) = y.split_at(wide);
    let (g, g4) = g.split_at(wide);
    let (pa, pa4) = pa.split_at_mut(wide);
    unary_backward_by::<O, L>(op, a, y, g, pa, add[0]);
    let four = a4.len() / 4 * 4;
    let (a4, a1) = a4.split_at(four);
    let (y4, y1) = y4.split_at(four);
    let (g4, g1) = g4.split_at(four);
    let (pa4, pa1) = pa4.split_at_mut(four);
    unary_backward_by::<O, L::Four>(op, a4, y4, g4, pa4, add[0]);
    for (((a, y), g), p) in a1.iter().zip(y1).zip(g1).zip(pa1) {
        let v = g * op.derivative(a, y);
        *p = if add[0] { *p + v } else { v };
    }
}

/// `pa = g·op′(a, y)` (or added to `pa`) on lanes `L`, for a length a multiple of `L::N`.
#[inline(always)]
fn unary_backward_by<O: UnaryOp, L: Lane>(
    op: O,
    a: &[f64],
    y: &[f64],
    g: &[f64],
    pa: &mut [f64],
    add: bool,
) {
    let n = L::N;
    let (ac, yc, gc) = (a.chunks_exact(n), y.chunks_exact(n), g.chunks_exact(n));
    for (((a, y), g), p) in ac.zip(yc).zip(gc).zip(pa.chunks_exact_mut(n)) {
        put(p, L::load(g), op.derivative(&L::load(a), &L::load(y)), add);
    }
}

/// A binary op of the table, both operands of the output's shape.
struct BinaryNode<O>(O);

impl<O: BinaryOp> Pointwise for BinaryNode<O> {
    fn arity(&self) -> usize {
        2
    }

    fn forward(&self, a: &[f64], b: &[f64], y: &mut [f64]) {
        simd!(lanes::isa(), binary_plain(self.0, a, b, y));
    }

    fn backward(&self, x: [&[f64]; 3], g: &[f64], out: [&mut [f64]; 2], add: [bool; 2]) {
        simd!(
            lanes::isa(),
            binary_backward::<O, Lanes>(self.0, x, g, out, add)
        );
    }

    fn forward32(&self, a: &[f32], b: &[f32], y: &mut [f32]) {
        simd!(lanes::isa(), binary32(self.0, a, b, y));
    }

    fn backward32(&self, x: [&[f32]; 3], g: &[f32], out: [&mut [f32]; 2], add: [bool; 2]) {
        simd!(lanes::isa(), binary_backward32(self.0, x, g, out, add));
    }
}

/// `y = op(a, b)` on `f32` lanes (the bits of the op's `f64` kernel rounded, as the forward
/// pass's plain loop gives them).
#[inline(always)]
fn binary32<O: BinaryOp>(op: O, a: &[f32], b: &[f32], y: &mut [f32]) {
    for (i, e) in lanes32::groups(a.len()) {
        let v = Lanes32::load(&a[i..e]).binary(op, Lanes32::load(&b[i..e]));
        v.store(&mut y[i..e]);
    }
}

/// [`Pointwise::backward32`] of a binary op.
#[inline(always)]
fn binary_backward32<O: BinaryOp>(
    op: O,
    [a, b, y]: [&[f32]; 3],
    g: &[f32],
    [pa, pb]: [&mut [f32]; 2],
    add: [bool; 2],
) {
    for (i, e) in lanes32::groups(a.len()) {
        let load = |s: &[f32]| Lanes32::load(&s[i..e]);
        let (da, db) = op.partials(&load(a), &load(b), &load(y));
        put32(&mut pa[i..e], load(g), da, add[0]);
        put32(&mut pb[i..e], load(g), db, add[1]);
    }
}

/// `y = op(a, b)` by the op's `f64` kernel, a plain loop (vectorised by the compiler).
#[inline(always)]
fn binary_plain<O: BinaryOp>(op: O, a: &[f64], b: &[f64], y: &mut [f64]) {
    for ((a, b), y) in a.iter().zip(b).zip(y) {
        *y = op.eval(*a, *b);
    }
}

/// [`Pointwise::backward`] of a binary op on lanes `L`, then four at a time, then one by one
/// (as [`unary_backward`]).
#[inline(always)]
fn binary_backward<O: BinaryOp, L: Lane>(
    op: O,
    [a, b, y]: [&[f64]; 3],
    g: &[f64],
    [pa, pb]: [&mut [f64]; 2],
    add: [bool; 2],
) {
    let wide = a.len() / L::N * L::N;
    let four = wide + (a.len() - wide) / 4 * 4;
    fn cut(s: &[f64], wide: usize, four: usize) -> [&[f64]; 3] {
        let (w, r) = s.split_at(wide);
        let (f, o) = r.split_at(four - wide);
        [w, f, o]
    }
    let cut = |s| cut(s, wide, four);
    let ([aw, af, ao], [bw, bf, bo]) = (cut(a), cut(b));
    let ([yw, yf, yo], [gw, gf, go]) = (cut(y), cut(g));
    let (paw, pa) = pa.split_at_mut(wide);
    let (paf, pao) = pa.split_at_mut(four - wide);
    let (pbw, pb) = pb.split_at_mut(wide);
    let (pbf, pbo) = pb.split_at_mut(four - wide);
    binary_backward_by::<O, L>(op, [aw, bw, yw], gw, [paw, pbw], add);
    binary_backward_by::<O, L::Four>(op, [af, bf, yf], gf, [paf, pbf], add);
    let rest = ao.iter().zip(bo).zip(yo).zip(go);
    for ((((a, b), y), g), (pa, pb)) in rest.zip(pao.iter_mut().zip(pbo)) {
        let (da, db) = op.partials(a, b, y);
        let (va, vb) = (g * da, g * db);
        *pa = if add[0] { *pa + va } else { va };
        *pb = if add[1] { *pb + vb } else { vb };
    }
}

/// `g·∂op` into (or added to) `pa` and `pb` on lanes `L`, for a length a multiple of
/// `L::N`.
#[inline(always)]
fn binary_backward_by<O: BinaryOp, L: Lane>(
    op: O,
    [a, b, y]: [&[f64]; 3],
    g: &[f64],
    [pa, pb]: [&mut [f64]; 2],
    add: [bool; 2],
) {
    let n = L::N;
    let (ac, bc) = (a.chunks_exact(n), b.chunks_exact(n));
    let (yc, gc) = (y.chunks_exact(n), g.chunks_exact(n));
    let (pac, pbc) = (pa.chunks_exact_mut(n), pb.chunks_exact_mut(n));
    for (((((a, b), y), g), pa), pb) in ac.zip(bc).zip(yc).zip(gc).zip(pac).zip(pbc) {
        let (da, db) = op.partials(&L::load(a), &L::load(b), &L::load(y));
        put(pa, L::load(g), da, add[0]);
        put(pb, L::load(g), db, add[1]);
    }
}

/// Asks for the memory 2 KB past the `len` elements from `at` of the array at `p`, one
/// request per cache line (`kernel::prefetch`): the streams a region or pending buffer reads
/// and writes, a few blocks ahead.
#[inline(always)]
pub(super) fn prefetch_block<T>(p: *const T, at: usize, len: usize) {
    for i in (0..len).step_by(64 / std::mem::size_of::<T>()) {
        kernel::prefetch(p, at + i);
    }
}

/// `o = s`, element by element: a loop the caller's copy compiles in its own vectors.
#[inline(always)]
pub(super) fn copy<T: Copy>(o: &mut [T], s: &[T]) {
    for (o, s) in o.iter_mut().zip(s) {
        *o = *s;
    }
}

// The block kernels on wide lanes: each is its generic kernel compiled with AVX2 or
// AVX-512F enabled, so that the lanes' intrinsics and the compiler's own vectors are wide.
// The backward kernels take eight lanes on AVX-512, then four, so the same elements go
// through lanes whatever the machine.
simd_copies! {
    fn span_on<T: Element>(
        plan: &Plan<T>,
        inputs: &[(&[T], usize)],
        layouts: &[Layout],
        g: &[T],
        range: std::ops::Range<usize>,
        out: &mut SpanOut<'_, T>,
        s: &mut Scratch<T>
    ) {
        super::span_on(plan, inputs, layouts, g, range, out, s);
    }

    fn forward_block_on<T: Element>(
        inputs: &[(&[T], usize)],
        nodes: &[(Box<dyn Pointwise>, [Operand; 2])],
        values: &mut [T],
        at: usize,
        len: usize
    ) {
        super::forward_block_on(inputs, nodes, values, at, len);
    }

    fn unary_plain<O: UnaryOp>(op: O, a: &[f64], y: &mut [f64]) {
        super::unary_plain(op, a, y);
    }

    fn unary_backward<O: UnaryOp>(
        op: O,
        x: [&[f64]; 3],
        g: &[f64],
        out: [&mut [f64]; 2],
        add: [bool; 2]
    ) {
        super::unary_backward::<O, Wide>(op, x, g, out, add);
    }

    fn binary_plain<O: BinaryOp>(op: O, a: &[f64], b: &[f64], y: &mut [f64]) {
        super::binary_plain(op, a, b, y);
    }

    fn binary_backward<O: BinaryOp>(
        op: O,
        x: [&[f64]; 3],
        g: &[f64],
        out: [&mut [f64]; 2],
        add: [bool; 2]
    ) {
        super::binary_backward::<O, Wide>(op, x, g, out, add);
    }

    fn unary_backward32<O: UnaryOp>(
        op: O,
        x: [&[f32]; 3],
        g: &[f32],
        out: [&mut [f32]; 2],
        add: [bool; 2]
    ) {
        super::unary_backward32(op, x, g, out, add);
    }

    fn binary32<O: BinaryOp>(op: O, a: &[f32], b: &[f32], y: &mut [f32]) {
        super::binary32(op, a, b, y);
    }

    fn binary_backward32<O: BinaryOp>(
        op: O,
        x: [&[f32]; 3],
        g: &[f32],
        out: [&mut [f32]; 2],
        add: [bool; 2]
    ) {
        super::binary_backward32(op, x, g, out, add);
    }
}

/// An operand of a region's node: one of the region's inputs, or an earlier node.
#[derive(Clone, Copy, Debug)]
pub(super) enum Operand {
    Input(usize),
    Node(usize),
}

impl Operand {
    /// Its slot among a block's values: the `n_in` inputs', then the nodes'.
    fn slot(self, n_in: usize) -> usize {
        match self {
            Operand::Input(k) => k,
            Operand::Node(n) => n_in + n,
        }
    }
}

/// One of a region's inputs: the region's number of elements read from a contiguous array
/// at `offset` (0 for an element-wise node's operand, a slice's start in its input for a
/// window), and the gradient it adds to, if wanted.
struct Input<T: Element> {
    data: Tensor<T>,
    offset: usize,
    target: Option<usize>,
}

/// A region ready to run: its inputs, its nodes in topological order (the last is the root,
/// whose output gradient is given), and the gradients it writes (*targets*): each the sum of
/// some inputs' gradients, each placed at its input's offset, zeros elsewhere.
pub(super) struct Plan<T: Element> {
    inputs: Vec<Input<T>>,
    /// Each node's op and its operands (a node's are earlier nodes or inputs).
    nodes: Vec<(Box<dyn Pointwise>, [Operand; 2])>,
    /// The shape of each target.
    targets: Vec<Vec<usize>>,
    /// Whether the pass also sums the root's values ([`Plan::sum_root`]).
    sum_root: bool,
}

/// How one target is written: its length, its inputs by increasing offset, and the least
/// and greatest offset (at most [`MAX_SPREAD`] apart).
struct Layout {
    len: usize,
    inputs: Vec<usize>,
    lo: usize,
    hi: usize,
}

/// The most by which the offsets of the windows into one target may differ (a span's
/// leading elements that its predecessor also writes are kept apart and added after).
pub(super) const MAX_SPREAD: usize = BLOCK;

/// Per-thread blocks: the values and adjoints of every slot, and one spare partial.
struct Scratch<T> {
    values: Vec<T>,
    adjoints: Vec<T>,
    /// A second partial when a node's two operands are one slot.
    pb: Vec<T>,
    /// Whether each slot's adjoint has been written in the current block.
    written: Vec<bool>,
}

impl<T: Element> Scratch<T> {
    fn new(slots: usize) -> Scratch<T> {
        let mut s = Scratch {
            values: Vec::new(),
            adjoints: Vec::new(),
            pb: Vec::new(),
            written: Vec::new(),
        };
        s.fit(slots);
        s
    }

    /// Room for `slots` slots (every value is overwritten before it is read).
    fn fit(&mut self, slots: usize) {
        self.values.resize(slots * BLOCK, T::zero());
        self.adjoints.resize(slots * BLOCK, T::zero());
        self.pb.resize(BLOCK, T::zero());
        self.written.resize(slots, false);
    }
}

thread_local! {
    /// The blocks of the last region run on this thread without the thread pool (a
    /// `Scratch` of its element type).
    static KEPT: std::cell::RefCell<Option<Box<dyn std::any::Any>>> =
        const { std::cell::RefCell::new(None) };
}

/// Where one span writes one target: the positions from `base` on (`own`, which no other
/// span writes), and below `base` the few that the previous span writes too (`head`, from
/// position `head_at`, added in after all spans). `frontier` is the end of what the span has
/// written in `own` so far: below it a contribution adds, above it it assigns.
struct Sink<'a, T> {
    own: &'a mut [T],
    base: usize,
    head: Vec<T>,
    head_at: usize,
    frontier: usize,
}

impl<T: Element> Sink<'_, T> {
    /// Adds `d` at positions `p..`.
    fn put(&mut self, p: usize, d: &[T]) {
        let below = self.base.saturating_sub(p).min(d.len());
        for (i, v) in d[..below].iter().enumerate() {
            let h = &mut self.head[p + i - self.head_at];
            *h = *h + *v;
        }
        let (p, d) = (p + below, &d[below..]);
        if d.is_empty() {
            return;
        }
        let end = p + d.len();
        if p > self.frontier {
            self.own[self.frontier - self.base..p - self.base].fill(T::zero());
        }
        let split = self.frontier.clamp(p, end);
        let (add, set) = d.split_at(split - p);
        for (o, v) in self.own[p - self.base..].iter_mut().zip(add) {
            *o = *o + *v;
        }
        self.own[split - self.base..][..set.len()].copy_from_slice(set);
        self.frontier = self.frontier.max(end);
    }

    /// Zeros where nothing was written.
    fn finish(&mut self) {
        let f = self.frontier - self.base;
        self.own[f..].fill(T::zero());
    }
}

/// What one span of a region's pass writes: a sink per target, and, if the root's values
/// are summed, the sums of the runs of [`kernel::SUM_BLOCK`] elements it holds (a span holds
/// whole runs).
struct SpanOut<'a, T> {
    sinks: Vec<Sink<'a, T>>,
    sums: &'a mut [kernel::RunSum<T>],
}

/// Fills the value blocks of elements `at..at + len`: each input (an array and the offset
/// to read it from) copied into its slot, then each node's value by its forward kernel (for
/// `f32`, in `f32` lanes: the values the forward pass stored). The slots are the inputs',
/// then the nodes', [`BLOCK`] values each. Shared by a region's pass and a pending buffer's
/// (`lazy.rs`).
pub(super) fn forward_block<T: Element>(
    inputs: &[(&[T], usize)],
    nodes: &[(Box<dyn Pointwise>, [Operand; 2])],
    values: &mut [T],
    at: usize,
    len: usize,
) {
    // The copies in 256- or 512-bit instructions where the CPU has them (a call to `memcpy`
    // per block and input made the `f64` seed's gradient at 10⁷ 6 % slower).
    simd!(
        lanes::isa(),
        forward_block_on(inputs, nodes, values, at, len)
    );
}

#[inline(always)]
fn forward_block_on<T: Element>(
    inputs: &[(&[T], usize)],
    nodes: &[(Box<dyn Pointwise>, [Operand; 2])],
    values: &mut [T],
    at: usize,
    len: usize,
) {
    let n_in = inputs.len();
    for (k, (x, offset)) in inputs.iter().enumerate() {
        let from = offset + at;
        copy(&mut values[k * BLOCK..][..len], &x[from..from + len]);
        prefetch_block(x.as_ptr(), from, len);
    }
    for (n, (op, operands)) in nodes.iter().enumerate() {
        let [a, b] = operands.map(|o| o.slot(n_in));
        let (done, rest) = values.split_at_mut((n_in + n) * BLOCK);
        let y = &mut rest[..len];
        let a = &done[a * BLOCK..][..len];
        let b = if op.arity() == 2 {
            &done[b * BLOCK..][..len]
        } else {
            &[]
        };
        forward_on(op.as_ref(), a, b, y);
    }
}

/// [`Plan::span`], for its copies compiled for the widest instructions the CPU has
/// (`simd_copies!`), so that its own loops (the gradients added into the targets, the
/// adjoints filled, the root's sums) are as wide as the node kernels it calls: compiled for
/// the baseline they were two `f64` wide, and a fifth of the tensor Rosenbrock's gradient.
/// Every element is computed by the same operations in the same order on any copy.
#[inline(always)]
fn span_on<T: Element>(
    plan: &Plan<T>,
    inputs: &[(&[T], usize)],
    layouts: &[Layout],
    g: &[T],
    range: std::ops::Range<usize>,
    out: &mut SpanOut<'_, T>,
    s: &mut Scratch<T>,
) {
    plan.span(inputs, layouts, g, range, out, s);
}

impl<T: Element> Plan<T> {
    /// A plan with no inputs or nodes yet.
    pub(super) fn new() -> Plan<T> {
        Plan {
            inputs: Vec::new(),
            nodes: Vec::new(),
            targets: Vec::new(),
            sum_root: false,
        }
    }

    /// Makes [`run`](Plan::run) also give the sum of the root's values, which it computes
    /// block by block anyway, in [`kernel::sum_all`]'s order (so with the bits of the sum
    /// of the stored values): each run of [`kernel::SUM_BLOCK`] elements summed by a
    /// [`kernel::RunSum`] a block at a time, then the runs' sums. A pending sum's value is
    /// so computed with its gradient.
    pub(super) fn sum_root(&mut self) {
        self.sum_root = true;
    }

    /// A new target: a gradient of `shape` for the inputs that name it.
    pub(super) fn target(&mut self, shape: &[usize]) -> usize {
        self.targets.push(shape.to_vec());
        self.targets.len() - 1
    }

    /// A new input: `data` read from `offset` (contiguous), its gradient added into
    /// `target`'s if given.
    pub(super) fn input(&mut self, data: Tensor<T>, offset: usize, target: Option<usize>) -> usize {
        self.inputs.push(Input {
            data,
            offset,
            target,
        });
        self.inputs.len() - 1
    }

    /// Appends a node: `op` on `operands` (a unary op ignores the second).
    pub(super) fn push_node(&mut self, op: PointwiseOp, operands: [Operand; 2]) {
        self.nodes.push((op.kernel(), operands));
    }

    fn slots(&self) -> usize {
        self.inputs.len() + self.nodes.len()
    }

    fn layouts(&self) -> Vec<Layout> {
        self.targets
            .iter()
            .enumerate()
            .map(|(t, shape)| {
                let mut inputs: Vec<usize> = (0..self.inputs.len())
                    .filter(|&k| self.inputs[k].target == Some(t))
                    .collect();
                inputs.sort_by_key(|&k| self.inputs[k].offset);
                let offset = |k: Option<&usize>| k.map_or(0, |&k| self.inputs[k].offset);
                Layout {
                    len: shape.iter().product(),
                    lo: offset(inputs.first()),
                    hi: offset(inputs.last()),
                    inputs,
                }
            })
            .collect()
    }

    /// The gradient of each target, for the root's output gradient `g` (of the root's
    /// `shape`, or one element: the same gradient for every element), and the sum of the
    /// root's values if [`sum_root`](Plan::sum_root) asked for it.
    pub(super) fn run(&self, g: &Tensor<T>, shape: &[usize]) -> (Vec<Tensor<T>>, Option<T>) {
        let len: usize = shape.iter().product();
        // A gradient made as one value repeated (`ones_like`) is read as that value, as a
        // sum's broadcast one is: its array, filled only when read, is never filled.
        let one = g.data.uniform_value().map(|c| [c]);
        let stored;
        let g: &[T] = match &one {
            Some(c) => c,
            None => {
                stored = g.data.as_standard_layout();
                stored.as_slice().expect("standard layout")
            }
        };
        let inputs: Vec<(&[T], usize)> = self
            .inputs
            .iter()
            .map(|i| {
                let data = i.data.data.as_slice();
                (
                    data.expect("the engine takes contiguous inputs only"),
                    i.offset,
                )
            })
            .collect();
        let layouts = self.layouts();
        let mut outs: Vec<Vec<T>> = layouts.iter().map(|l| buffer::scratch(l.len)).collect();
        let span = if kernel::parallel(len) {
            SPAN
        } else {
            len.max(1)
        };
        let spans = len.div_ceil(span).max(1);
        // The sum of each run of the root's values.
        let runs = if self.sum_root {
            len.div_ceil(kernel::SUM_BLOCK)
        } else {
            0
        };
        let mut run_sums = vec![kernel::RunSum::new(); runs];
        let per_span = span.div_ceil(kernel::SUM_BLOCK);
        let mut sums = run_sums.chunks_mut(per_span);
        // Each span's sinks: target positions from span start + `hi` to the next's.
        let mut parts: Vec<SpanOut<'_, T>> = (0..spans)
            .map(|_| SpanOut {
                sinks: Vec::new(),
                sums: sums.next().unwrap_or_default(),
            })
            .collect();
        for (out, l) in outs.iter_mut().zip(&layouts) {
            let mut rest = &mut out[..];
            let mut base = 0;
            for (s, SpanOut { sinks, .. }) in parts.iter_mut().enumerate() {
                let next = if s + 1 == spans {
                    l.len
                } else {
                    (s + 1) * span + l.hi
                };
                let (own, r) = std::mem::take(&mut rest).split_at_mut(next - base);
                rest = r;
                let spread = if s == 0 { 0 } else { l.hi - l.lo };
                sinks.push(Sink {
                    own,
                    base,
                    head: vec![T::zero(); spread],
                    head_at: s * span + l.lo,
                    frontier: base,
                });
                base = next;
            }
        }
        let run = |scratch: &mut Scratch<T>, s: usize, out: &mut SpanOut<'_, T>| {
            let range = s * span..((s + 1) * span).min(len);
            simd!(
                lanes::isa(),
                span_on::<T>(self, &inputs, &layouts, g, range, out, scratch)
            );
        };
        if spans > 1 {
            parts.par_iter_mut().enumerate().for_each_init(
                || Scratch::new(self.slots()),
                |scratch, (s, out)| run(scratch, s, out),
            );
        } else {
            // One thread's blocks are kept for its next region (a small tensor's pass would
            // otherwise spend a good part of its time allocating them).
            let kept = KEPT.with_borrow_mut(Option::take);
            let mut scratch = kept
                .and_then(|k| k.downcast::<Scratch<T>>().ok())
                .map_or_else(|| Scratch::new(self.slots()), |k| *k);
            scratch.fit(self.slots());
            run(&mut scratch, 0, &mut parts[0]);
            KEPT.with_borrow_mut(|k| *k = Some(Box::new(scratch)));
        }
        // The positions two spans both wrote: the later span's part added in.
        let heads: Vec<Vec<(usize, Vec<T>)>> = parts
            .into_iter()
            .map(|p| p.sinks.into_iter().map(|k| (k.head_at, k.head)).collect())
            .collect();
        for span_heads in heads.into_iter().skip(1) {
            for ((at, head), out) in span_heads.into_iter().zip(&mut outs) {
                for (o, h) in out[at..].iter_mut().zip(head) {
                    *o = *o + h;
                }
            }
        }
        let grads = outs
            .into_iter()
            .zip(&self.targets)
            .map(|(v, shape)| {
                Tensor::from_data(ArrayD::from_shape_vec(shape.clone(), v).expect("its shape"))
            })
            .collect();
        let sum = self.sum_root.then(|| {
            let totals: Vec<T> = run_sums.iter().map(kernel::RunSum::total).collect();
            kernel::sum_slice(&totals)
        });
        (grads, sum)
    }

    /// Elements `range` of the region, block by block, into `out`.
    #[inline(always)]
    fn span(
        &self,
        inputs: &[(&[T], usize)],
        layouts: &[Layout],
        g: &[T],
        range: std::ops::Range<usize>,
        out: &mut SpanOut<'_, T>,
        s: &mut Scratch<T>,
    ) {
        let SpanOut { sinks, sums } = out;
        let (start, end) = (range.start, range.end);
        let n_in = inputs.len();
        for at in (start..end).step_by(BLOCK) {
            let len = BLOCK.min(end - at);
            forward_block(inputs, &self.nodes, &mut s.values, at, len);
            let root = n_in + self.nodes.len() - 1;
            if self.sum_root {
                // Blocks start at multiples of BLOCK, which divides SUM_BLOCK and is a
                // multiple of the sum's lanes: the run's sum goes on where the block before
                // it stopped, in the order of the run summed at once.
                sums[(at - start) / kernel::SUM_BLOCK].add(&s.values[root * BLOCK..][..len]);
            }
            // An adjoint is written by its first contribution and added to by the others
            // (`written`), so the blocks need no zeroing.
            s.written.fill(false);
            let d = &mut s.adjoints[root * BLOCK..][..len];
            if let [g] = g {
                d.fill(*g);
            } else {
                prefetch_block(g.as_ptr(), at, len);
                d.copy_from_slice(&g[at..at + len]);
            }
            s.written[root] = true;
            for (n, (op, operands)) in self.nodes.iter().enumerate().rev() {
                // The partials go straight into the operands' adjoints (slots below this
                // node's own), written by the first contribution and added to after.
                let [a, b] = operands.map(|o| o.slot(n_in));
                let own = (n_in + n) * BLOCK;
                let two = op.arity() == 2;
                let va = &s.values[a * BLOCK..][..len];
                let vb = if two {
                    &s.values[b * BLOCK..][..len]
                } else {
                    &[]
                };
                let y = &s.values[own..][..len];
                let (below, above) = s.adjoints.split_at_mut(own);
                let g = &above[..len];
                let add = [s.written[a], two && s.written[b]];
                if !two {
                    let pa = &mut below[a * BLOCK..][..len];
                    backward_on(op.as_ref(), [va, vb, y], g, [pa, &mut []], add);
                } else if a != b {
                    let (lo, hi) = (a.min(b), a.max(b));
                    let (first, second) = below.split_at_mut(hi * BLOCK);
                    let (plo, phi) = (&mut first[lo * BLOCK..][..len], &mut second[..len]);
                    let (pa, pb) = if a < b { (plo, phi) } else { (phi, plo) };
                    backward_on(op.as_ref(), [va, vb, y], g, [pa, pb], add);
                    s.written[b] = true;
                } else {
                    // The same operand twice (`a·a`): the second partial through scratch.
                    let pa = &mut below[a * BLOCK..][..len];
                    let pb = &mut s.pb[..len];
                    backward_on(op.as_ref(), [va, vb, y], g, [pa, pb], [add[0], false]);
                    pa.iter_mut().zip(pb.iter()).for_each(|(d, p)| *d = *d + *p);
                }
                s.written[a] = true;
            }
            for (l, sink) in layouts.iter().zip(sinks.iter_mut()) {
                // The target's positions of the blocks ahead.
                if let Some(&k) = l.inputs.first()
                    && let Some(p) = (self.inputs[k].offset + at).checked_sub(sink.base)
                {
                    prefetch_block(sink.own.as_ptr(), p, len);
                }
                for &k in &l.inputs {
                    let d = &mut s.adjoints[k * BLOCK..][..len];
                    if !s.written[k] {
                        d.fill(T::zero());
                    }
                    sink.put(self.inputs[k].offset + at, d);
                }
            }
        }
        for sink in sinks {
            sink.finish();
        }
    }
}
