//! A per-thread pool of tape memory for `f64` gradients: [`value_and_gradient`] and
//! [`gradient`] record into the arrays of the previous call on the same thread instead of
//! fresh ones, so that a loop of gradients does not allocate, and large tapes do not pay
//! for the first touch of every page again (at 10⁶ Rosenbrock terms, page faults were half
//! of a fresh call's time).
//!
//! One tape's arrays are kept per thread, the largest seen; [`release_buffers`] frees them.
//! A [`Workspace`](super::Workspace) is the same reuse, held by the caller and for any
//! scalar type.
//!
//! [`value_and_gradient`]: super::value_and_gradient
//! [`gradient`]: super::gradient

use super::tape::Node;
use crate::Real;
use std::cell::RefCell;

/// The arrays of one tape and its adjoints, emptied.
#[derive(Debug)]
pub(crate) struct Buffers<S> {
    pub nodes: Vec<Node<S>>,
    pub partials: Vec<S>,
    pub adjoints: Vec<S>,
}

impl<S> Buffers<S> {
    fn capacity(&self) -> usize {
        self.nodes.capacity()
    }
}

/// The memory a thread keeps for the scalar type `S` (see the [module](self) docs).
#[doc(hidden)]
#[derive(Debug)]
pub struct TapePool<S>(RefCell<Option<Buffers<S>>>);

thread_local! {
    static F64: TapePool<f64> = const { TapePool(RefCell::new(None)) };
}

/// Runs `f` on this thread's pool of `f64` tapes (`None` while the thread is being torn down).
pub(crate) fn with_f64_pool<R>(f: impl FnOnce(&TapePool<f64>) -> R) -> Option<R> {
    F64.try_with(f).ok()
}

/// Takes the pooled arrays for `S`, if it has a pool and they are not in use.
pub(crate) fn take<S: Real>() -> Buffers<S> {
    S::with_tape_pool(|p| p.0.try_borrow_mut().ok()?.take())
        .flatten()
        .unwrap_or_else(|| Buffers {
            nodes: Vec::new(),
            partials: Vec::new(),
            adjoints: Vec::new(),
        })
}

/// Returns arrays to the pool, which keeps the larger of them and what it holds.
pub(crate) fn give<S: Real>(mut buffers: Buffers<S>) {
    buffers.nodes.clear();
    buffers.partials.clear();
    buffers.adjoints.clear();
    S::with_tape_pool(|p| {
        if let Ok(mut slot) = p.0.try_borrow_mut()
            && slot
                .as_ref()
                .is_none_or(|b| b.capacity() <= buffers.capacity())
        {
            *slot = Some(buffers);
        }
    });
}

/// Frees the tape memory that [`value_and_gradient`](super::value_and_gradient) keeps on
/// this thread between calls.
///
/// ```
/// use weifen::reverse;
///
/// let g = reverse::gradient(|x| x[0] * x[1], &[3.0, 4.0]);
/// assert_eq!(g, vec![4.0, 3.0]);
/// reverse::release_buffers();
/// ```
pub fn release_buffers() {
    let _ = F64.try_with(|p| p.0.borrow_mut().take());
}
