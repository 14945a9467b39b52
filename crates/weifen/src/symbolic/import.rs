//! Moving expressions between stores: a DAG is copied out of its arena as a list of nodes
//! with operands by position (with the source locked), then rebuilt in the destination
//! (with only the destination locked, so two threads importing in opposite directions
//! cannot deadlock).

use super::expr::Expr;
use super::owned::Store;
use super::store::{Arena, Node, Shape};
use crate::ops::{Binary, Unary};

/// A node with its operands as positions in the list it belongs to.
enum Portable {
    Const(f64),
    Var(String),
    Unary(Unary, usize),
    Binary(Binary, usize, usize),
    Sum(f64, Vec<(f64, usize)>),
    Product(Vec<(usize, i32)>),
}

/// The DAG of `roots` in `a`, operands first, and the position of each root.
fn export(a: &Arena, roots: &[u32]) -> (Vec<Portable>, Vec<usize>) {
    let order = a.reachable(roots);
    let position = |id: u32| order.binary_search(&id).expect("an operand is reachable");
    let list = order
        .iter()
        .map(|&i| match a.node(i) {
            Node::Const(c) => Portable::Const(c),
            Node::Var(n) => Portable::Var(a.name(n).to_string()),
            Node::Unary(op, x) => Portable::Unary(op, position(x)),
            Node::Binary(op, x, y) => Portable::Binary(op, position(x), position(y)),
            Node::Sum(k, s, n) => Portable::Sum(
                k,
                a.terms(s, n)
                    .iter()
                    .map(|&(c, t)| (c, position(t)))
                    .collect(),
            ),
            Node::Product(s, n) => Portable::Product(
                a.factors(s, n)
                    .iter()
                    .map(|&(b, e)| (position(b), e))
                    .collect(),
            ),
        })
        .collect();
    (list, roots.iter().map(|&r| position(r)).collect())
}

/// Rebuilds `list` in `a` (through the canonical constructors), returning the new ids.
fn rebuild(a: &mut Arena, list: &[Portable]) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::with_capacity(list.len());
    for node in list {
        let id = match node {
            Portable::Const(c) => a.constant(*c),
            Portable::Var(name) => a.var(name),
            Portable::Unary(op, x) => a.intern(Shape::Leaf(Node::Unary(*op, ids[*x]))),
            Portable::Binary(op, x, y) => {
                a.intern(Shape::Leaf(Node::Binary(*op, ids[*x], ids[*y])))
            }
            Portable::Sum(k, terms) => {
                let terms: Vec<(f64, u32)> = terms.iter().map(|&(c, t)| (c, ids[t])).collect();
                a.sum(*k, &terms)
            }
            Portable::Product(factors) => {
                let factors: Vec<(u32, i32)> = factors.iter().map(|&(b, e)| (ids[b], e)).collect();
                a.product(1.0, &factors)
            }
        };
        ids.push(id);
    }
    ids
}

impl Store {
    /// The id of `e` in this store: its own if it lives here, else that of a copy.
    pub(crate) fn import(&self, e: &Expr) -> u32 {
        if e.store == *self {
            return e.id;
        }
        let (list, roots) = export(&e.store.lock(), &[e.id]);
        let ids = rebuild(&mut self.lock(), &list);
        ids[roots[0]]
    }

    /// The store of the first of `exprs` (or a new one if there is none) and the ids of all
    /// of them in it, copying those that live elsewhere.
    pub(crate) fn common(exprs: &[Expr]) -> (Store, Vec<u32>) {
        let store = exprs.first().map_or_else(Store::new, |e| e.store.clone());
        let ids = exprs.iter().map(|e| store.import(e)).collect();
        (store, ids)
    }
}
