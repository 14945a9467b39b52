//! `Expr`: a handle to a node of a hash-consed store.

use super::store::{Arena, Node, Shape};
use crate::Scalar;
use crate::ops::{Binary, Unary};
use std::cell::RefCell;
use std::marker::PhantomData;

thread_local! {
    static ARENA: RefCell<Arena> = RefCell::new(Arena::default());
}

/// Runs `f` on the thread's arena. `f` must not build expressions through `Expr`.
pub(crate) fn with<R>(f: impl FnOnce(&Arena) -> R) -> R {
    ARENA.with_borrow(f)
}

/// Runs `f` on the thread's arena, mutably.
pub(crate) fn with_mut<R>(f: impl FnOnce(&mut Arena) -> R) -> R {
    ARENA.with_borrow_mut(f)
}

/// The number of distinct nodes this thread has built (they live as long as the thread).
pub fn store_len() -> usize {
    with(Arena::len)
}

/// A symbolic expression: a node of a hash-consed DAG in canonical form (sums of products
/// with numeric coefficients), so that equal subexpressions are one node and `==` is
/// structural equality (in constant time).
///
/// `Expr` implements [`Scalar`], so a function written once builds its own expression, and
/// every op is put in canonical form as it is built (see [`symbolic`](super)).
///
/// An `Expr` is an index into a store owned by the current thread: it is `Copy`, costs
/// nothing to clone, and cannot be sent to another thread (whose store differs).
///
/// ```
/// use weifen::Scalar;
/// use weifen::symbolic::Expr;
///
/// let x = Expr::var("x");
/// let f = (x * x).sin() + 1.0;
/// assert_eq!(f.to_string(), "sin(x^2) + 1");
/// assert_eq!(f, "1 + sin(x^2)".parse().unwrap()); // the same node
/// ```
///
/// An id means nothing in another thread's store, so this does not compile:
///
/// ```compile_fail
/// let x = weifen::symbolic::Expr::var("x");
/// std::thread::spawn(move || x.to_string());
/// ```
// No `Ord`: an order of ids means nothing to a user, and it would shadow `Scalar::min`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Expr {
    pub(crate) id: u32,
    // Not `Send`/`Sync`: the id means nothing in another thread's store.
    _thread: PhantomData<*const ()>,
}

/// What an expression's top node is, with its operands.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number (π and e are numbers).
    Const(f64),
    /// A variable, by name.
    Var(String),
    /// A unary op of the op table applied to an operand (not `neg`, `recip` or `powi`,
    /// which are sums and products).
    Unary(Unary, Expr),
    /// A binary op of the op table applied to two operands (not `+ − × ÷`).
    Binary(Binary, Expr, Expr),
    /// `constant + Σ cᵢ·tᵢ`.
    Sum(f64, Vec<(f64, Expr)>),
    /// `Π bᵢ^eᵢ`.
    Product(Vec<(Expr, i32)>),
}

impl Expr {
    pub(crate) fn from_id(id: u32) -> Expr {
        Expr {
            id,
            _thread: PhantomData,
        }
    }

    /// The expression built by `f` on the arena.
    pub(crate) fn build(f: impl FnOnce(&mut Arena) -> u32) -> Expr {
        Expr::from_id(with_mut(f))
    }

    pub(crate) fn node(self) -> Node {
        with(|a| a.node(self.id))
    }

    /// The variable `name`. Any string is accepted; names the parser reads back are
    /// identifiers (`x`, `x_1`, `theta`) other than the function names and `pi`, `e`.
    pub fn var(name: &str) -> Expr {
        Expr::build(|a| {
            let n = a.intern_name(name);
            a.intern(Shape::Leaf(Node::Var(n)))
        })
    }

    /// The top node and its operands.
    pub fn kind(&self) -> ExprKind {
        with(|a| match a.node(self.id) {
            Node::Const(c) => ExprKind::Const(c),
            Node::Var(n) => ExprKind::Var(a.name(n).to_string()),
            Node::Unary(op, x) => ExprKind::Unary(op, Expr::from_id(x)),
            Node::Binary(op, x, y) => ExprKind::Binary(op, Expr::from_id(x), Expr::from_id(y)),
            Node::Sum(k, s, n) => ExprKind::Sum(
                k,
                a.terms(s, n)
                    .iter()
                    .map(|&(c, t)| (c, Expr::from_id(t)))
                    .collect(),
            ),
            Node::Product(s, n) => ExprKind::Product(
                a.factors(s, n)
                    .iter()
                    .map(|&(b, e)| (Expr::from_id(b), e))
                    .collect(),
            ),
        })
    }

    /// The value if the expression is a number.
    pub fn as_constant(&self) -> Option<f64> {
        with(|a| a.constant_of(self.id))
    }

    /// Whether the expression is the number `c` (`-0` counts as `0`).
    pub(crate) fn is(&self, c: f64) -> bool {
        self.as_constant() == Some(c)
    }

    /// The names of the variables the expression depends on, sorted.
    pub fn variables(&self) -> Vec<String> {
        let mut names: Vec<String> = with(|a| {
            a.reachable(&[self.id])
                .into_iter()
                .filter_map(|i| match a.node(i) {
                    Node::Var(n) => Some(a.name(n).to_string()),
                    _ => None,
                })
                .collect()
        });
        names.sort();
        names
    }

    /// The number of distinct nodes (a sum or a product of any length is one node): what
    /// the expression costs in memory.
    pub fn dag_size(&self) -> usize {
        with(|a| a.reachable(&[self.id]).len())
    }

    /// The number of nodes of the expression written out as a tree of unary and binary ops
    /// (shared subexpressions counted at every use; a sum of `n` terms is `n − 1` additions
    /// plus a multiplication and a number per coefficient other than 1), saturating at
    /// `u64::MAX`: what a printed formula or a computer algebra system without sharing would
    /// hold.
    pub fn tree_size(&self) -> u64 {
        with(|a| {
            let ids = a.reachable(&[self.id]);
            let mut size: super::store::IdMap<u32, u64> = Default::default();
            for &i in &ids {
                let s = match a.node(i) {
                    Node::Const(_) | Node::Var(_) => 1,
                    Node::Unary(_, x) => size[&x].saturating_add(1),
                    Node::Binary(_, x, y) => size[&x].saturating_add(size[&y]).saturating_add(1),
                    Node::Sum(k, s, n) => {
                        let terms = a.terms(s, n).iter().fold(0u64, |acc, &(c, t)| {
                            let scale = if c == 1.0 { 0 } else { 2 };
                            acc.saturating_add(size[&t]).saturating_add(scale)
                        });
                        let constant = if k == 0.0 { 0 } else { 2 };
                        terms.saturating_add(u64::from(n) - 1 + constant)
                    }
                    Node::Product(s, n) => {
                        let factors = a.factors(s, n).iter().fold(0u64, |acc, &(b, e)| {
                            let power = u64::from(e != 1);
                            acc.saturating_add(size[&b]).saturating_add(power)
                        });
                        factors.saturating_add(u64::from(n) - 1)
                    }
                };
                size.insert(i, s);
            }
            size[&self.id]
        })
    }

    #[inline]
    fn add_f64(self, c: f64) -> Expr {
        Expr::build(|a| a.sum(c, &[(1.0, self.id)]))
    }

    #[inline]
    fn mul_f64(self, c: f64) -> Expr {
        Expr::build(|a| a.product(c, &[(self.id, 1)]))
    }

    #[inline]
    fn div_f64(self, c: f64) -> Expr {
        self / Expr::constant(c)
    }
}

// The one place where the op table meets the store: ops are stored as values, and
// `canon.rs` evaluates them (`op.eval`) only to fold constants.
impl Scalar for Expr {
    fn constant(c: f64) -> Expr {
        Expr::build(|a| a.constant(c))
    }

    fn unary(self, op: Unary) -> Expr {
        Expr::build(|a| a.unary(op, self.id))
    }

    fn binary(self, op: Binary, rhs: Expr) -> Expr {
        Expr::build(|a| a.binary(op, self.id, rhs.id))
    }
}

scalar_operators!([] Expr);

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_size_counts_shared_nodes_at_every_use() {
        let x = Expr::var("x");
        let mut f = x;
        for _ in 0..3 {
            f = (f + Expr::var("y")).sin().atan2(f); // f appears twice
        }
        assert_eq!(f.dag_size(), 2 + 3 * 3);
        // t(n) = 2·t(n−1) + 4 (atan2, sin, add, y), t(0) = 1
        assert_eq!(f.tree_size(), 36);
    }

    #[test]
    fn variables_lists_each_name_once() {
        let (x, y) = (Expr::var("x"), Expr::var("y"));
        assert_eq!((y * x + x).variables(), vec!["x", "y"]);
    }

    #[test]
    fn like_terms_and_factors_merge_whatever_the_order() {
        let (x, y) = (Expr::var("x"), Expr::var("y"));
        assert_eq!(x * y * x, y * x.powi(2));
        assert_eq!(x + y - x, y);
        assert_eq!((x + y) * 2.0 - y, 2.0 * x + y);
        assert_eq!(x * y / x, y);
        assert_eq!(-(x - y), y - x);
        assert!((x.powi(3) / x.powi(3) - 1.0).is(0.0));
    }
}
