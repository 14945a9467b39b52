//! The fused path: a whole element-wise function and its derivative in one pass over memory.
//!
//! The graph path evaluates `f(x)` op by op, each op writing a full temporary array, then walks
//! the graph back (as PyTorch eager does). When `f` acts element by element, the same answer
//! comes from evaluating `f` once per element on a dual number `x + ε`: value and derivative
//! come out together, with no temporaries and no graph, and the loop runs on all cores above
//! a size threshold. The function is generic over [`Scalar`], so it is given as a type
//! implementing [`ElementwiseFn`] (a Rust closure cannot be generic).
//!
//! Four or eight elements go through `f` at a time: the dual number's parts are SIMD lanes,
//! so each op of `f` (its kernel and the table's rule) runs on four or eight values per
//! instruction; the last `len mod 4` elements take the one-element dual. `f32` elements go
//! sixteen at a time through `f32` lanes computed in `f32` (`lanes32`: the op-by-op graph's
//! bits for arithmetic, `exp` within 1 ulp), the last `len mod 16` padded into one more
//! group. [`Derivative`] is `f′` as a function of its own, from the same dual number, so
//! derivatives of any order need no code of their own.

use super::dual::Dual;
use super::kernel::{self, BLOCK, load, store};
use super::lanes::{self, Isa, Lane, Lanes};
use super::lanes32::{self, Lanes32};
use super::{Element, Tensor, buffer};
use crate::Scalar;
use ndarray::ArrayD;
use rayon::prelude::*;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// A function `ℝ → ℝ` written once over [`Scalar`], applied element by element.
///
/// Mark `eval` `#[inline(always)]`: on a CPU with AVX2 or AVX-512 the fused kernels can
/// then compile it into their copy for those instructions (the seed's value and derivative
/// at 10⁶ points: 2.0 ms on one thread on AVX2, against 4.0 without the attribute). Without
/// it the compiler keeps `eval` as a function of its own, which runs on the baseline lanes;
/// the kernel tells the two apart by timing one block each way, the first time (the values
/// are the same bits either way).
///
/// ```
/// use weifen::Scalar;
/// use weifen::tensor::elementwise::ElementwiseFn;
///
/// /// f(x) = (−2x² + 4x + 1)·exp(−x²/2)
/// struct Seed;
/// impl ElementwiseFn for Seed {
///     #[inline(always)]
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

/// `(f(x), f′(x))` for the `L::N` elements of `x`, into `v` and `d`.
#[inline(always)]
fn lanes<F: ElementwiseFn, T: Element, L: Lane>(f: &F, x: &[T], v: &mut [T], d: &mut [T]) {
    let y = f.eval(Dual::variable(load::<T, L>(x)));
    store(y.v, v);
    store(y.d, d);
}

/// `(f(x), f′(x))` for one element.
#[inline(always)]
fn one<F: ElementwiseFn, T: Element>(f: &F, x: T) -> (T, T) {
    let y = f.eval(Dual::variable(x.to_f64()));
    (T::from_f64(y.v), T::from_f64(y.d))
}

/// Values into `v` and derivatives into `d` (each of `x`'s length), `L::N` elements at a
/// time on lanes `L`, then four at a time, the last `len mod 4` one by one (the same
/// elements through lanes whatever their width, as in `kernel::map_slice`).
#[inline(always)]
fn block_on<F: ElementwiseFn, T: Element, L: Lane>(f: &F, x: &[T], v: &mut [T], d: &mut [T]) {
    let streams = [x.as_ptr(), v.as_ptr(), d.as_ptr()];
    let (mut w, mut vs, mut ds) = (
        x.chunks_exact(L::N),
        v.chunks_exact_mut(L::N),
        d.chunks_exact_mut(L::N),
    );
    for (k, ((c, v), d)) in (&mut w).zip(&mut vs).zip(&mut ds).enumerate() {
        for p in streams {
            kernel::prefetch(p, k * L::N);
        }
        lanes::<F, T, L>(f, c, v, d);
    }
    let (mut w, mut vs, mut ds) = (
        w.remainder().chunks_exact(4),
        vs.into_remainder().chunks_exact_mut(4),
        ds.into_remainder().chunks_exact_mut(4),
    );
    for ((x, v), d) in (&mut w).zip(&mut vs).zip(&mut ds) {
        lanes::<F, T, L::Four>(f, x, v, d);
    }
    let rest = w.remainder().iter().zip(vs.into_remainder());
    for ((&x, v), d) in rest.zip(ds.into_remainder()) {
        (*v, *d) = one(f, x);
    }
}

/// `(f(x), f′(x))` into `v` and `d` for `f32` elements, sixteen at a time on `f32` lanes
/// (the last `len mod 16` padded: a lane's result does not depend on the others).
#[inline(always)]
fn block32_on<F: ElementwiseFn>(f: &F, x: &[f32], v: &mut [f32], d: &mut [f32]) {
    let n = lanes32::N;
    let streams = [x.as_ptr(), v.as_ptr(), d.as_ptr()];
    let (mut w, mut vs, mut ds) = (
        x.chunks_exact(n),
        v.chunks_exact_mut(n),
        d.chunks_exact_mut(n),
    );
    for (k, ((c, v), d)) in (&mut w).zip(&mut vs).zip(&mut ds).enumerate() {
        for p in streams {
            kernel::prefetch(p, k * n);
        }
        lanes32(f, c, v, d);
    }
    if !w.remainder().is_empty() {
        lanes32(f, w.remainder(), vs.into_remainder(), ds.into_remainder());
    }
}

/// `(f(x), f′(x))` for up to sixteen `f32` elements, into `v` and `d`.
#[inline(always)]
fn lanes32<F: ElementwiseFn>(f: &F, x: &[f32], v: &mut [f32], d: &mut [f32]) {
    let y = f.eval(Dual::variable(Lanes32::load(x)));
    y.v.store(v);
    y.d.store(d);
}

/// `o = f(s)` for `f32` elements on `f32` lanes, as [`block32_on`].
#[inline(always)]
fn map32_on<F: ElementwiseFn>(f: &F, s: &[f32], o: &mut [f32]) {
    let streams = [s.as_ptr(), o.as_ptr()];
    let (mut w, mut t) = (s.chunks_exact(lanes32::N), o.chunks_exact_mut(lanes32::N));
    for (k, (c, o)) in (&mut w).zip(&mut t).enumerate() {
        for p in streams {
            kernel::prefetch(p, k * lanes32::N);
        }
        f.eval(Lanes32::load(c)).store(o);
    }
    if !w.remainder().is_empty() {
        f.eval(Lanes32::load(w.remainder()))
            .store(t.into_remainder());
    }
}

/// [`block_on`] on the lanes chosen for `f` (`isa`, from [`on_wide`]); for
/// `f32` elements, [`block32_on`] compiled for the same instructions.
#[inline]
fn block<F: ElementwiseFn, T: Element>(f: &F, x: &[T], v: &mut [T], d: &mut [T], isa: Isa) {
    if let (Some(x), Some(v), Some(d)) = (T::as_f32(x), T::as_f32_mut(v), T::as_f32_mut(d)) {
        simd!(isa, block32_on::<F>(f, x, v, d));
        return;
    }
    simd!(isa, block_on::<F, T, Lanes>(f, x, v, d));
}

/// The instructions of a kernel: wide (AVX-512 or AVX2, `lanes::isa`) if `wide`.
fn chosen(wide: bool) -> Isa {
    if wide { lanes::isa() } else { Isa::Baseline }
}

// The kernels on wide lanes (AVX2 or AVX-512). Fast only if the compiler inlines `f.eval`
// into them: compiled on its own, `eval` calls each of the lanes' intrinsics out of line
// (13× slower than the baseline lanes for the seed, measured) — hence [`on_wide`].
simd_copies! {
    fn block_on<F: ElementwiseFn, T: Element>(f: &F, x: &[T], v: &mut [T], d: &mut [T]) {
        super::block_on::<F, T, Wide>(f, x, v, d);
    }

    fn map_block_on<F: ElementwiseFn, T: Element>(f: &F, s: &[T], o: &mut [T]) {
        super::map_block_on::<F, T, Wide>(f, s, o);
    }

    fn block32_on<F: ElementwiseFn>(f: &F, x: &[f32], v: &mut [f32], d: &mut [f32]) {
        super::block32_on::<F>(f, x, v, d);
    }

    fn map32_on<F: ElementwiseFn>(f: &F, s: &[f32], o: &mut [f32]) {
        super::map32_on::<F>(f, s, o);
    }
}

/// The choice made for each function type (by its type name: two types of one name would
/// share a choice, which changes the speed, never the values).
static CHOICES: Mutex<Vec<(&'static str, bool)>> = Mutex::new(Vec::new());

/// Whether the kernel `K` of `f` runs on wide lanes (AVX-512 where the CPU has it, else
/// AVX2: `simd!`). Both lanes give the same bits, so this is a matter of speed only: wide
/// lanes are faster when the compiler inlines `f.eval` into the kernel (2× for the seed
/// marked `#[inline(always)]`) and much slower when it does not. Which one happened is not
/// visible to the program, so the first time a type of function comes with enough elements
/// (`len`, at least [`TRIAL`]) and the CPU has AVX2, `trial` runs up to a block each way (its
/// argument: on wide lanes), three times, alternating, timed; the wide lanes are kept if
/// their best time is below 0.9 of the baseline's. A best time is wrong only if all three
/// runs were slowed (the thread descheduled): a function out of line would run 13× slower
/// on wide lanes, so their runs cannot win while one baseline run is clean. Until then
/// (fewer elements), the baseline lanes.
fn on_wide<K, F: ElementwiseFn, T: Element>(len: usize, mut trial: impl FnMut(bool)) -> bool {
    if !lanes::avx2() {
        return false;
    }
    let name = std::any::type_name::<(K, F, T)>();
    let lock = || CHOICES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&(_, c)) = lock().iter().find(|(n, _)| *n == name) {
        return c;
    }
    if len < TRIAL {
        return false;
    }
    let mut best = [f64::INFINITY; 2];
    for _ in 0..3 {
        for (k, avx) in [false, true].into_iter().enumerate() {
            let start = Instant::now();
            trial(avx);
            best[k] = best[k].min(start.elapsed().as_secs_f64());
        }
    }
    let avx = best[1] < 0.9 * best[0];
    lock().push((name, avx));
    avx
}

/// The kernel of [`values_and_derivatives`], for [`on_wide`].
struct Both;
/// The kernel of [`map`], for [`on_wide`].
struct Value;

/// The fewest elements for which a function's lanes are chosen by timing ([`on_wide`]),
/// which times up to a block of them. The trial runs once per function type and kernel, so
/// it need not wait for a large call; and until it runs, calls take the baseline lanes,
/// which can be slow: there an `f32` `exp` takes its fused multiply-adds in software (the
/// seed's `f32` f and f′ at 10³ took 27 µs on them, 1.2 on wide lanes, when the trial
/// waited for 16 blocks).
const TRIAL: usize = 256;

/// `(f(xᵢ), f′(xᵢ))` for every element of `x` (contiguous), as two vectors.
pub(super) fn values_and_derivatives<F: ElementwiseFn, T: Element>(
    f: &F,
    x: &[T],
) -> (Vec<T>, Vec<T>) {
    let wide = on_wide::<Both, F, T>(x.len(), |wide| {
        let n = x.len().min(BLOCK);
        let (mut v, mut d) = (vec![T::zero(); n], vec![T::zero(); n]);
        block(f, &x[..n], &mut v, &mut d, chosen(wide));
    });
    let isa = chosen(wide);
    // Written once into recycled vectors, no zeroing pass.
    let (mut value, mut derivative) = (buffer::scratch(x.len()), buffer::scratch(x.len()));
    if kernel::parallel(x.len()) {
        x.par_chunks(BLOCK)
            .zip(value.par_chunks_mut(BLOCK))
            .zip(derivative.par_chunks_mut(BLOCK))
            .for_each(|((x, v), d)| block(f, x, v, d, isa));
    } else {
        block(f, x, &mut value, &mut derivative, isa);
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

/// `f(xᵢ)` for every element, in one pass (no graph), four or eight elements at a time on
/// SIMD lanes (wide lanes when `f.eval` is inlined into the kernel, as for
/// [`value_and_derivative`]).
pub fn map<F: ElementwiseFn, T: Element>(f: &F, x: &Tensor<T>) -> Tensor<T> {
    // A strided tensor is copied first, so that its elements take the same lanes.
    let src = x.data.as_standard_layout();
    let s = src.as_slice().expect("standard layout");
    let wide = on_wide::<Value, F, T>(s.len(), |wide| {
        let n = s.len().min(BLOCK);
        map_block(f, &s[..n], &mut [T::zero(); BLOCK][..n], chosen(wide));
    });
    let isa = chosen(wide);
    let out = kernel::blocks(s, |s, o| map_block(f, s, o, isa));
    Tensor::from_data(ArrayD::from_shape_vec(x.data.raw_dim(), out).expect("the input's shape"))
}

/// `o = f(s)` element-wise on the lanes chosen for `f` (`isa`, as for [`block`]).
#[inline]
fn map_block<F: ElementwiseFn, T: Element>(f: &F, s: &[T], o: &mut [T], isa: Isa) {
    if let (Some(s), Some(o)) = (T::as_f32(s), T::as_f32_mut(o)) {
        simd!(isa, map32_on::<F>(f, s, o));
        return;
    }
    simd!(isa, map_block_on::<F, T, Lanes>(f, s, o));
}

#[inline(always)]
fn map_block_on<F: ElementwiseFn, T: Element, L: Lane>(f: &F, s: &[T], o: &mut [T]) {
    let one = |v: T| T::from_f64(f.eval(v.to_f64()));
    kernel::map_slice(s, o, &one, &|v: L| f.eval(v), &|v: L::Four| f.eval(v));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed, and the same marked `#[inline(always)]` (the two ways `eval` can reach the
    /// wide kernels), and a function of every kind of op.
    struct Seed;
    impl ElementwiseFn for Seed {
        fn eval<S: Scalar>(&self, x: S) -> S {
            let x2 = x.clone().powi(2);
            (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
        }
    }
    struct SeedInline;
    impl ElementwiseFn for SeedInline {
        #[inline(always)]
        fn eval<S: Scalar>(&self, x: S) -> S {
            Seed.eval(x)
        }
    }
    struct Mixed;
    impl ElementwiseFn for Mixed {
        fn eval<S: Scalar>(&self, x: S) -> S {
            (x.clone().sin() / (x.clone().abs() + 1.0).sqrt() + x.clone().ln_1p()).tanh()
                * x.powi(3)
        }
    }

    fn same<T: Element>(a: &[T], b: &[T]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(p, q)| p.to_f64().to_bits() == q.to_f64().to_bits())
    }

    /// The instructions this CPU has.
    fn isas() -> Vec<Isa> {
        let mut all = vec![Isa::Baseline];
        all.extend(lanes::avx2().then_some(Isa::Avx2));
        all.extend(lanes::avx512().then_some(Isa::Avx512));
        all
    }

    fn both_lanes<F: ElementwiseFn, T: Element>(f: &F, x: &[T]) {
        let n = x.len();
        let (mut v, mut d) = (vec![T::zero(); n], vec![T::zero(); n]);
        block(f, x, &mut v, &mut d, Isa::Baseline);
        for isa in isas() {
            let (mut va, mut da) = (vec![T::zero(); n], vec![T::zero(); n]);
            block(f, x, &mut va, &mut da, isa);
            assert!(
                same(&v, &va) && same(&d, &da),
                "{} on {isa:?}",
                std::any::type_name::<F>()
            );
            let mut m = vec![T::zero(); n];
            map_block(f, x, &mut m, isa);
            assert!(same(&m, &v), "{} on {isa:?}", std::any::type_name::<F>());
        }
        // And the whole pass, whichever lanes it chose, is the block's.
        let (vw, dw) = values_and_derivatives(f, x);
        assert!(
            same(&v, &vw) && same(&d, &dw),
            "{}",
            std::any::type_name::<F>()
        );
        // `map` (the value alone) likewise, whole.
        let whole = map(f, &Tensor::from(x.to_vec())).to_vec();
        assert!(same(&whole, &v));
    }

    #[test]
    fn both_lanes_give_the_same_bits_for_a_users_function() {
        // Past the trial's size, with a tail that is not a multiple of 4.
        let x: Vec<f64> = (0..TRIAL + 7)
            .map(|i| -30.0 + 60.0 * i as f64 / TRIAL as f64)
            .collect();
        both_lanes(&Seed, &x);
        both_lanes(&SeedInline, &x);
        both_lanes(&Mixed, &x);
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        both_lanes(&Seed, &x32);
        both_lanes(&Mixed, &x32);
    }
}
