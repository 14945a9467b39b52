//! `Expr`: a `Copy` handle to a node of the thread's hash-consed store.

use super::simplify;
use super::store::{self, Node};
use crate::Scalar;
use crate::ops::{Binary, BinaryOp, Unary, UnaryOp};
use std::marker::PhantomData;

/// A symbolic expression: a node of a hash-consed DAG, so that equal subexpressions are one
/// node and `==` is structural equality (in constant time).
///
/// `Expr` implements [`Scalar`], so a function written once builds its own expression, and
/// every op is simplified as it is built (see [`symbolic`](super)).
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
/// assert_eq!(f, "sin(x^2) + 1".parse().unwrap()); // the same node
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
    /// A unary op of the op table applied to an operand.
    Unary(Unary, Expr),
    /// A binary op of the op table applied to two operands.
    Binary(Binary, Expr, Expr),
}

impl Expr {
    pub(crate) fn from_id(id: u32) -> Expr {
        Expr {
            id,
            _thread: PhantomData,
        }
    }

    pub(crate) fn intern(node: Node) -> Expr {
        Expr::from_id(store::intern(node))
    }

    pub(crate) fn node(self) -> Node {
        store::node(self.id)
    }

    /// The variable `name`. Any string is accepted; names the parser reads back are
    /// identifiers (`x`, `x_1`, `theta`) other than the function names and `pi`, `e`.
    pub fn var(name: &str) -> Expr {
        Expr::intern(Node::Var(store::intern_name(name)))
    }

    /// The top node and its operands.
    pub fn kind(&self) -> ExprKind {
        match self.node() {
            Node::Const(c) => ExprKind::Const(c),
            Node::Var(n) => ExprKind::Var(store::name(n).to_string()),
            Node::Unary(op, x) => ExprKind::Unary(op, Expr::from_id(x)),
            Node::Binary(op, a, b) => ExprKind::Binary(op, Expr::from_id(a), Expr::from_id(b)),
        }
    }

    /// The value if the expression is a number.
    pub fn as_constant(&self) -> Option<f64> {
        match self.node() {
            Node::Const(c) => Some(c),
            _ => None,
        }
    }

    /// Whether the expression is the number `c` (`-0` counts as `0`).
    pub(crate) fn is(&self, c: f64) -> bool {
        self.as_constant() == Some(c)
    }

    /// The names of the variables the expression depends on, sorted.
    pub fn variables(&self) -> Vec<String> {
        let ids = store::reachable(&[self.id]);
        let mut names: Vec<String> = store::with_nodes(|nodes| {
            ids.iter()
                .filter_map(|&i| match nodes[i as usize] {
                    Node::Var(n) => Some(n),
                    _ => None,
                })
                .collect::<Vec<u32>>()
        })
        .into_iter()
        .map(|n| store::name(n).to_string())
        .collect();
        names.sort();
        names
    }

    /// The number of distinct nodes: the size of the expression as a DAG, which is what it
    /// costs in memory and to evaluate.
    pub fn dag_size(&self) -> usize {
        store::reachable(&[self.id]).len()
    }

    /// The number of nodes of the expression written out as a tree (shared subexpressions
    /// counted at every use), saturating at `u64::MAX`: what a printed formula or a computer
    /// algebra system without sharing would hold.
    pub fn tree_size(&self) -> u64 {
        let ids = store::reachable(&[self.id]);
        let mut size: store::IdMap<u32, u64> = store::IdMap::default();
        store::with_nodes(|nodes| {
            for &i in &ids {
                let s = match nodes[i as usize] {
                    Node::Const(_) | Node::Var(_) => 1,
                    Node::Unary(_, x) => size[&x].saturating_add(1),
                    Node::Binary(_, a, b) => size[&a].saturating_add(size[&b]).saturating_add(1),
                };
                size.insert(i, s);
            }
        });
        size[&self.id]
    }
}

impl Scalar for Expr {
    fn constant(c: f64) -> Expr {
        Expr::intern(Node::Const(c))
    }

    // The constant-operand ops become the binary nodes they stand for, so that the
    // simplifier and the printers see one form of `x + c`.
    fn unary<O: UnaryOp>(self, op: O) -> Expr {
        let c = Expr::constant;
        match op.id() {
            Unary::AddConst(k) => simplify::binary(Binary::Add, self, c(k)),
            Unary::MulConst(k) => simplify::binary(Binary::Mul, c(k), self),
            Unary::DivConst(k) => simplify::binary(Binary::Div, self, c(k)),
            Unary::ConstSub(k) => simplify::binary(Binary::Sub, c(k), self),
            Unary::ConstDiv(k) => simplify::binary(Binary::Div, c(k), self),
            op => simplify::unary(op, self),
        }
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Expr) -> Expr {
        simplify::binary(op.id(), self, rhs)
    }

    fn is_zero(&self) -> bool {
        matches!(self.kind(), ExprKind::Const(c) if c == 0.0)
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
}
