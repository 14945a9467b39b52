//! `Expr`: a handle to a node of a hash-consed [`Store`].

use super::owned::Store;
use super::store::{Arena, Node};
use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A symbolic expression: a node of a hash-consed DAG in canonical form (sums of products
/// with numeric coefficients), so that equal subexpressions are one node and `==` is
/// structural equality (in constant time).
///
/// `Expr` implements [`Scalar`], so a function written once builds its own expression, and
/// every op is put in canonical form as it is built (see [`symbolic`](super)).
///
/// An `Expr` is a [`Store`] (a shared, reference-counted arena) and a node id: cloning it
/// costs a reference count, it is `Send` and `Sync`, and its nodes are freed when the store
/// and every expression of it are dropped. [`Expr::var`], `parse` and [`Scalar::constant`]
/// build in the thread's default store ([`Store::default_for_thread`]); [`Store::var`] and
/// [`Store::parse`] in a store of your own. Expressions of two stores can be combined: the
/// right operand is copied into the left one's store (a number into the other's).
///
/// ```
/// use weifen::Scalar;
/// use weifen::symbolic::Expr;
///
/// let x = Expr::var("x");
/// let f = (x.clone() * x).sin() + 1.0;
/// assert_eq!(f.to_string(), "sin(x^2) + 1");
/// assert_eq!(f, "1 + sin(x^2)".parse().unwrap()); // the same node
/// ```
// No `Ord`: an order of ids means nothing to a user, and it would shadow `Scalar::min`.
#[derive(Clone)]
pub struct Expr {
    pub(crate) store: Store,
    pub(crate) id: u32,
}

impl PartialEq for Expr {
    /// Structural equality within one store; expressions of different stores differ.
    fn eq(&self, other: &Expr) -> bool {
        self.id == other.id && self.store == other.store
    }
}

impl Eq for Expr {}

impl Hash for Expr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.store.arena) as usize, self.id).hash(state);
    }
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
    pub(crate) fn new(store: Store, id: u32) -> Expr {
        Expr { store, id }
    }

    /// The expression with id `id` in this one's store.
    pub(crate) fn sibling(&self, id: u32) -> Expr {
        Expr::new(self.store.clone(), id)
    }

    /// Runs `f` on the locked arena. `f` must not build expressions through `Expr`.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Arena) -> R) -> R {
        f(&self.store.lock())
    }

    /// The store the expression lives in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The variable `name`, in the thread's default store. Any string is accepted; names the
    /// parser reads back are identifiers (`x`, `x_1`, `theta`) other than the function names
    /// and `pi`, `e`.
    pub fn var(name: &str) -> Expr {
        Store::default_for_thread().var(name)
    }

    /// The top node and its operands.
    pub fn kind(&self) -> ExprKind {
        let e = |id: u32| self.sibling(id);
        self.with(|a| match a.node(self.id) {
            Node::Const(c) => ExprKind::Const(c),
            Node::Var(n) => ExprKind::Var(a.name(n).to_string()),
            Node::Unary(op, x) => ExprKind::Unary(op, e(x)),
            Node::Binary(op, x, y) => ExprKind::Binary(op, e(x), e(y)),
            Node::Sum(k, s, n) => {
                ExprKind::Sum(k, a.terms(s, n).iter().map(|&(c, t)| (c, e(t))).collect())
            }
            Node::Product(s, n) => {
                ExprKind::Product(a.factors(s, n).iter().map(|&(b, n)| (e(b), n)).collect())
            }
        })
    }

    /// The value if the expression is a number.
    pub fn as_constant(&self) -> Option<f64> {
        self.with(|a| a.constant_of(self.id))
    }

    /// Whether the expression is the number `c` (`-0` counts as `0`).
    pub(crate) fn is(&self, c: f64) -> bool {
        self.as_constant() == Some(c)
    }

    /// The names of the variables the expression depends on, sorted.
    pub fn variables(&self) -> Vec<String> {
        let mut names: Vec<String> = self.with(|a| {
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
        self.with(|a| a.reachable(&[self.id]).len())
    }

    /// The number of nodes of the expression written out as a tree of unary and binary ops
    /// (shared subexpressions counted at every use; a sum of `n` terms is `n − 1` additions
    /// plus a multiplication and a number per coefficient other than 1), saturating at
    /// `u64::MAX`: what a printed formula or a computer algebra system without sharing would
    /// hold.
    pub fn tree_size(&self) -> u64 {
        self.with(|a| {
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
}

// The one place where the op table meets the store: ops are stored as values, and
// `canon.rs` evaluates them (`op.eval`) only to fold constants.
impl Scalar for Expr {
    fn constant(c: f64) -> Expr {
        Store::default_for_thread().constant(c)
    }

    // The constant-operand ops become the sums and products they stand for, so that the
    // canonical forms see one form of `x + c`.
    fn unary<O: UnaryOp>(self, op: O) -> Expr {
        let x = self.id;
        match op.id() {
            Unary::AddConst(k) => self.store.build(|a| a.sum(k, &[(1.0, x)])),
            Unary::ConstSub(k) => self.store.build(|a| a.sum(k, &[(-1.0, x)])),
            Unary::MulConst(k) => self.store.build(|a| a.product(k, &[(x, 1)])),
            Unary::DivConst(k) => self.store.build(|a| {
                let c = a.constant(k);
                a.binary(Binary::Div, x, c)
            }),
            Unary::ConstDiv(k) => self.store.build(|a| {
                let c = a.constant(k);
                a.binary(Binary::Div, c, x)
            }),
            op => self.store.build(|a| a.unary(op, x)),
        }
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Expr) -> Expr {
        let op = op.id();
        if self.store == rhs.store {
            return self.store.build(|a| a.binary(op, self.id, rhs.id));
        }
        // Across stores: a number joins the other operand's store, anything else the left's.
        let store = match self.as_constant() {
            Some(_) => rhs.store.clone(),
            None => self.store.clone(),
        };
        let (a, b) = (store.import(&self), store.import(&rhs));
        store.build(|arena| arena.binary(op, a, b))
    }

    fn is_zero(&self) -> bool {
        self.as_constant() == Some(0.0)
    }
}

scalar_operators!([] Expr);

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Expr({self})")
    }
}

/// `&a + &b` and the like: the operators on references, so that an expression can be used
/// twice without writing `.clone()` (which costs a reference count).
macro_rules! reference_operators {
    ($($trait:ident $method:ident),*) => {$(
        impl std::ops::$trait<&Expr> for &Expr {
            type Output = Expr;
            fn $method(self, rhs: &Expr) -> Expr {
                std::ops::$trait::$method(self.clone(), rhs.clone())
            }
        }
        impl std::ops::$trait<f64> for &Expr {
            type Output = Expr;
            fn $method(self, rhs: f64) -> Expr {
                std::ops::$trait::$method(self.clone(), rhs)
            }
        }
    )*};
}

reference_operators!(Add add, Sub sub, Mul mul, Div div);

impl std::ops::Neg for &Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        -self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_size_counts_shared_nodes_at_every_use() {
        let mut f = Expr::var("x");
        for _ in 0..3 {
            f = (&f + &Expr::var("y")).sin().atan2(f); // f appears twice
        }
        assert_eq!(f.dag_size(), 2 + 3 * 3);
        // t(n) = 2·t(n−1) + 4 (atan2, sin, add, y), t(0) = 1
        assert_eq!(f.tree_size(), 36);
    }

    #[test]
    fn variables_lists_each_name_once() {
        let (x, y) = (Expr::var("x"), Expr::var("y"));
        assert_eq!((&(&y * &x) + &x).variables(), vec!["x", "y"]);
    }

    #[test]
    fn like_terms_and_factors_merge_whatever_the_order() {
        let (x, y) = (&Expr::var("x"), &Expr::var("y"));
        assert_eq!(&(x * y) * x, y * &x.clone().powi(2));
        assert_eq!(&(x + y) - x, y.clone());
        assert_eq!(&(&(x + y) * 2.0) - y, &(x * 2.0) + y);
        assert_eq!(&(x * y) / x, y.clone());
        assert_eq!(-&(x - y), y - x);
        assert!((&x.clone().powi(3) / &x.clone().powi(3) - 1.0).is(0.0));
    }
}
