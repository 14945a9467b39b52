//! [`Store`]: the owned, shareable node arena every [`Expr`](super::Expr) points into, and
//! the thread's default store that `Expr::var` and `str::parse` use.

use super::expr::Expr;
use super::store::Arena;
use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A store of expression nodes: an append-only, hash-consed arena behind a mutex, shared by
/// reference counting with every [`Expr`] built in it. Dropping the store and every
/// expression of it frees its nodes.
///
/// A `Store` is a handle: cloning it shares the same arena. It is `Send` and `Sync`, and so
/// are its expressions: parse on one thread, evaluate on many.
///
/// ```
/// use weifen::symbolic::Store;
///
/// let store = Store::new();
/// let f = store.parse("x^2*sin(x)").unwrap();
/// let df = f.diff("x");
/// assert_eq!(df.to_string(), "2*x*sin(x) + x^2*cos(x)");
/// assert!(store.len() >= df.dag_size());
/// let worker = std::thread::spawn(move || df.eval(&[("x", 0.0)]).unwrap());
/// assert_eq!(worker.join().unwrap(), 0.0);
/// ```
#[derive(Clone, Default)]
pub struct Store {
    pub(crate) arena: Arc<Mutex<Arena>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Store({} nodes)", self.len())
    }
}

impl PartialEq for Store {
    /// Whether the two handles share one arena.
    fn eq(&self, other: &Store) -> bool {
        Arc::ptr_eq(&self.arena, &other.arena)
    }
}

impl Eq for Store {}

thread_local! {
    static DEFAULT: RefCell<Store> = RefCell::new(Store::new());
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// The store of this thread that [`Expr::var`], `"…".parse::<Expr>()` and
    /// `Expr::constant` build in. It grows until [`Store::clear_default`] replaces it.
    pub fn default_for_thread() -> Store {
        DEFAULT.with_borrow(Store::clone)
    }

    /// Replaces this thread's default store by an empty one. Expressions built before keep
    /// their nodes alive (and stay valid); the nodes are freed when the last of them drops.
    pub fn clear_default() {
        DEFAULT.with_borrow_mut(|s| *s = Store::new());
    }

    /// Runs `f` with this store as the thread's default store, so that everything `f` builds
    /// without a store of its own ([`Expr::var`], `parse`, [`Scalar::constant`](crate::Scalar::constant)
    /// in generic code) lands here; the previous default comes back afterwards, also if `f`
    /// panics.
    ///
    /// ```
    /// use weifen::Scalar;
    /// use weifen::symbolic::{Expr, Store};
    ///
    /// fn f<S: Scalar>(x: S) -> S {
    ///     (x * S::constant(3.0)).sin()
    /// }
    /// let store = Store::new();
    /// let e = store.with_default(|| f(Expr::var("x")));
    /// assert_eq!(e.store(), &store);
    /// assert_eq!(e.to_string(), "sin(3*x)");
    /// ```
    pub fn with_default<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Restore(Option<Store>);
        impl Drop for Restore {
            fn drop(&mut self) {
                if let Some(previous) = self.0.take() {
                    DEFAULT.with_borrow_mut(|s| *s = previous);
                }
            }
        }
        let previous = DEFAULT.with_borrow_mut(|s| std::mem::replace(s, self.clone()));
        let _restore = Restore(Some(previous));
        f()
    }

    /// The number of nodes in the store.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the store has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The variable `name` in this store.
    pub fn var(&self, name: &str) -> Expr {
        self.build(|a| a.var(name))
    }

    /// The number `c` in this store.
    pub fn constant(&self, c: f64) -> Expr {
        self.build(|a| a.constant(c))
    }

    /// The arena, locked. A panic while it was locked leaves it consistent (nodes are
    /// pushed only after every check), so a poisoned lock is taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Arena> {
        self.arena.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The expression built by `f` on the locked arena.
    pub(crate) fn build(&self, f: impl FnOnce(&mut Arena) -> u32) -> Expr {
        let id = f(&mut self.lock());
        Expr::new(self.clone(), id)
    }
}

/// The number of nodes in this thread's default store (see [`Store::default_for_thread`]).
pub fn store_len() -> usize {
    Store::default_for_thread().len()
}
