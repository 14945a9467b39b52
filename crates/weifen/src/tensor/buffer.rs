//! Tensor storage that gives its memory back: a freed large buffer goes to a small pool, and
//! the element-wise kernels take their outputs from it.
//!
//! Why: a tensor op writes a fresh array, and a large fresh array is fresh pages from the
//! kernel. On the seed task at 10⁶ points, page faults and unmapping took about 45 % of the
//! graph path's time (perf). Reusing the buffers of the temporaries the previous pass freed
//! removes them, as PyTorch's caching allocator (or glibc told to keep freed memory) does. The
//! pool is bounded (a few buffers per element type).
//!
//! Smaller arrays of at least 1 KB go to a pool of the thread that frees them, which takes
//! no lock. Op by op on 10³ elements each op's 8 KB array otherwise takes the allocator's
//! path for large chunks, which first merges the small chunks the graph's nodes freed: the
//! seed's gradient there took 9.7 µs with the pool against 10.8 without (one thread, A/B).
//! Arrays under 1 KB use the allocator's own per-thread cache.
//!
//! A buffer may also be pending: its values are computed from a recipe when first read
//! (`lazy.rs`).

use super::Element;
use super::lazy::Recipe;
use ndarray::{ArrayD, Dimension, IxDyn};
use rayon::prelude::*;
use std::ops::Deref;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Arrays of at least this many elements are recycled.
const MIN: usize = 1 << 14;
/// At most this many buffers are kept per element type…
const KEEP: usize = 64;
/// …and at most this many bytes in all per element type: the temporaries of a graph over
/// 10⁷ elements (the `map_fn` gradient of the seed there frees four 80 MB arrays, and with
/// 256 MiB it page-faulted a quarter of its time), never more memory held idle than a
/// computation used a moment before. [`release_buffers`] gives it back.
const KEEP_BYTES: usize = 1 << 30;
/// Smaller arrays of at least this many bytes are recycled by the thread that frees them…
const LOCAL_MIN_BYTES: usize = 1 << 10;
/// …which keeps at most this many of each element type (at most 4 MiB in `f64`).
const LOCAL_KEEP: usize = 32;

/// The values of a tensor: an array whose memory returns to the pool when dropped, or a
/// *pending* one, whose values are computed from its recipe (`lazy.rs`) the first time they
/// are read. Its shape is known either way, so asking for it computes nothing. A computed
/// array is held as it is (no lock, no allocation beyond the array's), so small tensors
/// pay nothing for the pending ones.
pub(super) struct Buffer<T: Element> {
    /// The values of a buffer made computed; `None` for a pending one (whose values, once
    /// computed, are in `pending`), and once taken out.
    ready: Option<ArrayD<T>>,
    pending: Option<Box<Pending<T>>>,
    /// The value of every element, when the buffer was made as one value repeated
    /// ([`Buffer::uniform`]: `ones_like` as an output gradient), so that a product by it
    /// can be skipped or made a product by a constant.
    uniform: Option<T>,
}

/// A pending buffer's shape, its recipe until computed (none for a uniform buffer, filled
/// with its value when read), and then its values.
struct Pending<T: Element> {
    shape: IxDyn,
    value: OnceLock<ArrayD<T>>,
    recipe: Mutex<Option<Recipe<T>>>,
}

impl<T: Element> Buffer<T> {
    pub(super) fn new(a: ArrayD<T>) -> Buffer<T> {
        Buffer {
            ready: Some(a),
            pending: None,
            uniform: None,
        }
    }

    /// `c` in `shape`. From 2¹⁴ elements the array is filled only when first read: a rule
    /// that knows the value (`uniform_value`) never reads it, so `ones_like(y)` as the output
    /// gradient of a large `y` writes nothing (at 10⁷ elements the fill was 80 MB).
    pub(super) fn uniform(shape: &[usize], c: T) -> Buffer<T> {
        if shape.iter().product::<usize>() < super::fusion::MIN_ELEMENTS {
            return Buffer {
                ready: Some(full(shape, c)),
                pending: None,
                uniform: Some(c),
            };
        }
        Buffer {
            ready: None,
            pending: Some(Box::new(Pending {
                shape: IxDyn(shape),
                value: OnceLock::new(),
                recipe: Mutex::new(None),
            })),
            uniform: Some(c),
        }
    }

    /// The value of every element, if the buffer was made as one value repeated (a buffer
    /// made otherwise gives `None`, whatever its values).
    pub(super) fn uniform_value(&self) -> Option<T> {
        self.uniform
    }

    /// Values of `shape` to be computed by `recipe` when first read.
    pub(super) fn pending(shape: &[usize], recipe: Recipe<T>) -> Buffer<T> {
        Buffer {
            ready: None,
            pending: Some(Box::new(Pending {
                shape: IxDyn(shape),
                value: OnceLock::new(),
                recipe: Mutex::new(Some(recipe)),
            })),
            uniform: None,
        }
    }

    /// The recipe, if the values have not been computed yet.
    pub(super) fn recipe(&self) -> Option<Recipe<T>> {
        let p = self.pending.as_deref()?;
        if p.value.get().is_some() {
            return None;
        }
        p.recipe
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether the buffer is a pending sum ([`Recipe::awaits_sum`]) not yet computed.
    pub(super) fn awaits_sum(&self) -> bool {
        self.pending.as_deref().is_some_and(|p| {
            p.value.get().is_none()
                && p.recipe
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .as_ref()
                    .is_some_and(Recipe::awaits_sum)
        })
    }

    /// Gives a pending sum the value computed elsewhere (`c` in every element, of which
    /// it has one) and drops its recipe; a buffer already computed keeps its values.
    pub(super) fn fulfil(&self, c: T) {
        let Some(p) = self.pending.as_deref() else {
            return;
        };
        if p.value.set(ArrayD::from_elem(p.shape.clone(), c)).is_ok() {
            p.recipe
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
        }
    }

    /// The values if computed.
    fn computed(&self) -> Option<&ArrayD<T>> {
        match self.pending.as_deref() {
            None => self.ready.as_ref(),
            Some(p) => p.value.get(),
        }
    }

    /// Whether the values are (or, pending, will be) one contiguous run in row-major order.
    pub(super) fn contiguous(&self) -> bool {
        self.computed().is_none_or(|a| a.as_slice().is_some())
    }

    /// Whether the values have been computed.
    pub(super) fn is_ready(&self) -> bool {
        self.computed().is_some()
    }

    pub(super) fn shape(&self) -> &[usize] {
        match self.pending.as_deref() {
            None => self.held().shape(),
            Some(p) => p.shape.slice(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.shape().iter().product()
    }

    pub(super) fn ndim(&self) -> usize {
        self.shape().len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of a buffer that is not pending.
    fn held(&self) -> &ArrayD<T> {
        self.ready
            .as_ref()
            .expect("a buffer that is not pending holds its values until dropped")
    }

    /// The array, taken out (its memory no longer returns to the pool).
    pub(super) fn into_inner(mut self) -> ArrayD<T> {
        let _ = &*self;
        match self.pending.as_deref_mut() {
            None => self.ready.take().expect("the values, held"),
            Some(p) => p.value.take().expect("computed just above"),
        }
    }
}

impl<T: Element> std::fmt::Debug for Buffer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", &**self)
    }
}

impl<T: Element> Clone for Buffer<T> {
    fn clone(&self) -> Self {
        Buffer::new((**self).clone())
    }
}

impl<T: Element> Deref for Buffer<T> {
    type Target = ArrayD<T>;
    /// The values, computed first if pending.
    fn deref(&self) -> &ArrayD<T> {
        let Some(p) = self.pending.as_deref() else {
            return self.held();
        };
        p.value.get_or_init(|| {
            let recipe = p
                .recipe
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            match (recipe, self.uniform) {
                (Some(recipe), _) => recipe.evaluate(p.shape.slice()),
                (None, Some(c)) => full(p.shape.slice(), c),
                (None, None) => unreachable!("a pending buffer keeps its recipe until computed"),
            }
        })
    }
}

impl<T: Element> Drop for Buffer<T> {
    fn drop(&mut self) {
        let taken = match self.pending.as_deref_mut() {
            None => self.ready.take(),
            Some(p) => p.value.take(),
        };
        let Some(a) = taken else {
            return;
        };
        // Arrays under 1 KB are left to the allocator.
        let len = a.len();
        if !from_pool(len) && !from_local::<T>(len) {
            return;
        }
        let (v, offset) = a.into_raw_vec_and_offset();
        if offset != Some(0) {
            return;
        }
        if !from_pool(len) {
            // Once the thread's pool is gone (the thread is ending), the vector is freed.
            let _ = T::local().try_with(|local| {
                let mut local = local.borrow_mut();
                if local.len() >= LOCAL_KEEP {
                    local.remove(0);
                }
                local.push(v);
            });
        } else {
            let bytes = |b: &Vec<T>| b.capacity() * size_of::<T>();
            if bytes(&v) > KEEP_BYTES {
                return;
            }
            let mut pool = T::pool().lock().unwrap_or_else(PoisonError::into_inner);
            // The newest buffers are the likeliest to be asked for again (the next pass of
            // the same computation): the oldest make room.
            while pool.len() >= KEEP
                || pool.iter().map(bytes).sum::<usize>() + bytes(&v) > KEEP_BYTES
            {
                pool.remove(0);
            }
            pool.push(v);
        }
    }
}

/// `v` as an array of `shape` (whose product is `v`'s length, which the caller knows): a
/// one-dimensional array is made without `ndarray`'s checks of a general shape, which took
/// a tenth of the seed's gradient at 10³ points.
pub(super) fn shaped<T: Element>(shape: &[usize], v: Vec<T>) -> ArrayD<T> {
    if shape.len() == 1 && shape[0] == v.len() {
        return ndarray::Array1::from_vec(v).into_dyn();
    }
    ArrayD::from_shape_vec(IxDyn(shape), v).expect("the length of the shape")
}

/// Whether arrays of `len` elements come from the pool (smaller ones from the thread's pool
/// or the allocator).
pub(super) fn from_pool(len: usize) -> bool {
    len >= MIN
}

/// Whether arrays of `len` elements of `T` come from the pool of the thread that asks.
fn from_local<T>(len: usize) -> bool {
    len < MIN && len * size_of::<T>() >= LOCAL_MIN_BYTES
}

/// An empty vector with room for `len` elements, from the pool when it holds one that large
/// (its pages are already mapped), to be filled by the caller.
pub(super) fn reuse<T: Element>(len: usize) -> Vec<T> {
    match take_kept(len) {
        Some(mut v) => {
            v.clear();
            v
        }
        None => Vec::with_capacity(len),
    }
}

/// A kept buffer with room for `len` elements but not more than twice that, taken out of the
/// pool (or the thread's pool, for a small one), if there is one.
fn take_kept<T: Element>(len: usize) -> Option<Vec<T>> {
    let fits = |v: &Vec<T>| v.capacity() >= len && v.capacity() <= 2 * len;
    if from_local::<T>(len) {
        return T::local()
            .try_with(|local| {
                let mut local = local.borrow_mut();
                let k = local.iter().rposition(fits)?;
                Some(local.swap_remove(k))
            })
            .ok()
            .flatten();
    }
    if !from_pool(len) {
        return None;
    }
    let mut pool = T::pool().lock().unwrap_or_else(PoisonError::into_inner);
    let k = pool.iter().rposition(fits)?;
    Some(pool.swap_remove(k))
}

/// A copy of `view` in standard layout, its memory from the pool when it can be (a slice or
/// a permutation of a large tensor would otherwise map fresh pages at every call).
pub(super) fn copy_of<T: Element>(view: ndarray::ArrayViewD<'_, T>) -> ArrayD<T> {
    let mut v = reuse(view.len());
    match view.as_slice() {
        Some(s) => v.extend_from_slice(s),
        None => v.extend(view.iter().copied()),
    }
    shaped(view.shape(), v)
}

/// Whether an array from [`scratch_array`] is known to be zeros: one too small to come from
/// a pool is a fresh zeroed allocation.
pub(super) fn is_zeroed<T: Element>(a: &ArrayD<T>) -> bool {
    !from_pool(a.len()) && !from_local::<T>(a.len())
}

/// An array of `shape` whose values are unspecified, for a caller that overwrites every
/// element ([`scratch`]).
pub(super) fn scratch_array<T: Element>(shape: &[usize]) -> ArrayD<T> {
    let len = shape.iter().product();
    shaped(shape, scratch(len))
}

/// An array of `shape` filled with `c`, its memory from the pool when it can be, filled on
/// all cores when large.
pub(super) fn full<T: Element>(shape: &[usize], c: T) -> ArrayD<T> {
    let len = shape.iter().product();
    let v = if super::kernel::parallel(len) {
        let mut v = scratch(len);
        v.par_chunks_mut(super::kernel::BLOCK)
            .for_each(|s| s.fill(c));
        v
    } else {
        let mut v = reuse(len);
        v.resize(len, c);
        v
    };
    shaped(shape, v)
}

/// A vector of `len` zeros, from the pool when it can be.
pub(super) fn take<T: Element>(len: usize) -> Vec<T> {
    let mut v = reuse(len);
    v.resize(len, T::zero());
    v
}

/// A vector of `len` elements whose values are unspecified (the previous contents of a
/// recycled buffer, or zeros), for a caller that overwrites every element — the parallel
/// kernels, which write through `par_chunks_mut` and so need the length set first. Unlike
/// [`take`] it makes no serial zeroing pass over a recycled buffer (at 10⁷ elements that
/// pass alone was a third of a two-thread fused kernel), and a fresh one comes zeroed from
/// the system, its pages mapped when the threads first write them.
pub(super) fn scratch<T: Element>(len: usize) -> Vec<T> {
    match take_kept(len) {
        Some(mut v) => {
            // Only elements past the old length are written (a buffer kept from an array one
            // element shorter, as a slice's, costs one).
            v.resize(len, T::zero());
            v.truncate(len);
            v
        }
        None => vec![T::zero(); len],
    }
}

/// Frees the buffers kept for reuse (of every element type), as PyTorch's `empty_cache`: the
/// memory returns to the allocator; later operations allocate afresh. Of the small arrays
/// each thread keeps (at most 32 per element type, each under 16384 elements), those of the
/// calling thread are freed now, and another thread's when it ends.
///
/// ```
/// weifen::tensor::release_buffers();
/// ```
pub fn release_buffers() {
    f64::pool()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    f32::pool()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    let _ = f64::local().try_with(|l| l.borrow_mut().clear());
    let _ = f32::local().try_with(|l| l.borrow_mut().clear());
}

/// The number of buffers the pool holds, for tests.
#[cfg(test)]
pub(super) fn pooled<T: Element>() -> usize {
    T::pool()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_large_buffer_is_reused_and_small_ones_are_not_kept() {
        let before = pooled::<f32>();
        drop(Buffer::new(ArrayD::<f32>::zeros(IxDyn(&[MIN]))));
        assert_eq!(pooled::<f32>(), (before + 1).min(KEEP));
        let v = take::<f32>(MIN);
        assert_eq!(v.len(), MIN);
        assert!(v.iter().all(|&x| x == 0.0));
        drop(Buffer::new(ArrayD::<f32>::zeros(IxDyn(&[10]))));
        assert!(pooled::<f32>() <= before.max(KEEP));
        // A recycled scratch vector keeps its old values and has the length asked for.
        drop(Buffer::new(ArrayD::<f32>::ones(IxDyn(&[MIN + 3]))));
        let v = scratch::<f32>(MIN);
        assert_eq!(v.len(), MIN);
        assert!(v.iter().all(|&x| x == 1.0));
        assert_eq!(scratch::<f32>(MIN + 1).len(), MIN + 1);
        drop(Buffer::new(ArrayD::<f32>::zeros(IxDyn(&[MIN]))));
        release_buffers();
        assert_eq!(pooled::<f32>(), 0);
    }

    #[test]
    fn a_small_buffer_is_reused_by_the_thread_that_dropped_it() {
        // 200 `f64` are 1600 bytes: the thread's pool; 100 are under 1 KB: the allocator.
        let n = 200;
        assert!(from_local::<f64>(n) && !from_local::<f64>(100) && !from_local::<f64>(MIN));
        drop(Buffer::new(ArrayD::from_elem(IxDyn(&[n]), 7.0)));
        // The same memory, not zeroed, for a caller that overwrites it…
        let v = scratch::<f64>(n);
        assert!(v.len() == n && v.iter().all(|&x| x == 7.0));
        drop(Buffer::new(ArrayD::from_shape_vec(IxDyn(&[n]), v).unwrap()));
        assert!(!is_zeroed(&scratch_array::<f64>(&[n])));
        // …and zeros for one that asks for zeros.
        drop(Buffer::new(ArrayD::from_elem(IxDyn(&[n]), 7.0)));
        assert!(take::<f64>(n).iter().all(|&x| x == 0.0));
        // The adjoint of a slice pads with zeros in a recycled buffer too.
        for _ in 0..4 {
            drop(Buffer::new(ArrayD::from_elem(IxDyn(&[n]), f64::NAN)));
        }
        let x = super::super::Tensor::linspace(0.0, 1.0, n).requires_grad_(true);
        x.slice(0, 50, 120).sum().backward();
        let g = x.grad().expect("x requires grad").to_vec();
        let inside = |i: usize| (50..120).contains(&i);
        assert!(
            g.iter()
                .enumerate()
                .all(|(i, &v)| v == if inside(i) { 1.0 } else { 0.0 })
        );
        release_buffers();
        drop(Buffer::new(ArrayD::from_elem(IxDyn(&[n]), 7.0)));
        release_buffers();
        assert!(take_kept::<f64>(n).is_none());
    }

    #[test]
    fn values_moved_out_leave_a_buffer_that_drops_cleanly() {
        use super::super::Tensor;
        // Held, and pending (computed when moved out).
        for n in [3, 200, MIN + 5] {
            let t = Tensor::linspace(0.0, 1.0, n) * 2.0;
            let a: ArrayD<f64> = t.into();
            assert_eq!(a.len(), n);
            assert_eq!(a[[n - 1]], 2.0);
        }
    }
}
