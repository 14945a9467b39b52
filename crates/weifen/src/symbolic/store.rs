//! The node arena behind [`Expr`](super::Expr): append-only, with a hash-consing index, so
//! that building an expression equal to an existing one returns the existing node.
//!
//! Invariants:
//! * a node's operands were interned before it, so **ids are a topological order**: every
//!   walk over a DAG is a loop over ascending ids, never a recursion (no stack overflow on a
//!   chain of a million additions);
//! * two nodes never have the same content (op, exponent or constant bits, operand ids and
//!   coefficients), so structural equality of expressions is equality of ids;
//! * sums and products are n-ary and canonical (see `canon.rs`): their operand lists live in
//!   two side vectors, `terms` and `factors`, and a node holds a range of one of them.
//!
//! A node costs 24 bytes, 4 for its hash chain and about 20 in the index (a 12-byte entry
//! and a control byte at the table's load factor), plus 16 bytes per term or 8 per factor.

use super::hash::IdHasher;
use crate::ops::{Binary, Unary};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

/// A hash map keyed by node ids (or hashes).
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// One node of the arena; operands are ids of earlier nodes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Node {
    Const(f64),
    Var(u32),
    /// A unary op other than `Neg`, `Recip` and `Powi` (which are products and sums).
    Unary(Unary, u32),
    /// A binary op other than `+ − × ÷` (which are sums and products).
    Binary(Binary, u32, u32),
    /// `constant + Σ cᵢ·tᵢ`: `terms[start..start + len]`.
    Sum(f64, u32, u32),
    /// `Π bᵢ^eᵢ`: `factors[start..start + len]`.
    Product(u32, u32),
}

const NONE: u32 = u32::MAX;

/// The arena: nodes, their operand lists, and the variable names.
#[derive(Default)]
pub(crate) struct Arena {
    nodes: Vec<Node>,
    /// The previous node with the same hash, or `NONE`.
    chain: Vec<u32>,
    /// Each node's place in the order operands are listed in (see [`Arena::order`]).
    keys: Vec<u64>,
    /// A content hash → the newest node with it.
    index: IdMap<u64, u32>,
    terms: Vec<(f64, u32)>,
    factors: Vec<(u32, i32)>,
    names: Vec<Arc<str>>,
    name_index: HashMap<Arc<str>, u32>,
}

/// The bits a constant is compared by: all NaNs are one constant; +0 and −0 stay distinct
/// (1/x tells them apart).
fn bits(c: f64) -> u64 {
    if c.is_nan() {
        f64::NAN.to_bits()
    } else {
        c.to_bits()
    }
}

/// What a new node will hold, borrowed from the caller until it is interned.
#[derive(Clone, Copy)]
pub(crate) enum Shape<'a> {
    Leaf(Node),
    Sum(f64, &'a [(f64, u32)]),
    Product(&'a [(u32, i32)]),
}

impl Shape<'_> {
    fn hash(self) -> u64 {
        let mut h = IdHasher::default();
        match self {
            Shape::Leaf(Node::Const(c)) => (0u8, bits(c)).hash(&mut h),
            Shape::Leaf(Node::Var(n)) => (1u8, n).hash(&mut h),
            Shape::Leaf(Node::Unary(op, x)) => (2u8, op, x).hash(&mut h),
            Shape::Leaf(Node::Binary(op, a, b)) => (3u8, op, a, b).hash(&mut h),
            Shape::Leaf(Node::Sum(..) | Node::Product(..)) => unreachable!("not a leaf"),
            Shape::Sum(k, terms) => {
                (4u8, bits(k)).hash(&mut h);
                terms.iter().for_each(|&(c, t)| (bits(c), t).hash(&mut h));
            }
            Shape::Product(factors) => {
                5u8.hash(&mut h);
                factors.iter().for_each(|f| f.hash(&mut h));
            }
        }
        h.finish()
    }
}

impl Arena {
    /// The node with id `id`.
    #[inline]
    pub(crate) fn node(&self, id: u32) -> Node {
        self.nodes[id as usize]
    }

    /// The order of the operands of a sum or product: by size (the tree size, capped at
    /// 2¹⁶ − 1); then two products by their factors (bases in this order, then exponents:
    /// `x² < x³ < x²·y`), variables by name, and other nodes by a hash of their structure
    /// (not of their ids). So the order, and the printed form, do not depend on what else
    /// the store holds or the order things were built in: `x + y` prints the same in any
    /// program, and a polynomial's terms come by ascending degree.
    pub(crate) fn order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (ka, kb) = (self.keys[a as usize], self.keys[b as usize]);
        let (na, nb) = (self.nodes[a as usize], self.nodes[b as usize]);
        let is_product = |n: Node| matches!(n, Node::Product(..));
        // A lexicographic order on (size, kind, factors, structure, id): a total order.
        let by_factors = || match (na, nb) {
            (Node::Product(s, n), Node::Product(t, m)) => {
                let (fa, fb) = (self.factors(s, n), self.factors(t, m));
                fa.iter()
                    .zip(fb)
                    .map(|(&(x, e), &(y, f))| self.order(x, y).then(e.cmp(&f)))
                    .find(|o| o.is_ne())
                    .unwrap_or(fa.len().cmp(&fb.len()))
            }
            _ => std::cmp::Ordering::Equal,
        };
        (ka >> 48)
            .cmp(&(kb >> 48))
            .then(is_product(na).cmp(&is_product(nb)))
            .then_with(by_factors)
            .then(ka.cmp(&kb))
            .then(a.cmp(&b))
    }

    fn key_of(&self, node: Node) -> u64 {
        let size = |id: u32| self.keys[id as usize] >> 48;
        let hash = |id: u32| self.keys[id as usize] & ((1 << 48) - 1);
        let mut h = IdHasher::default();
        let tree = match node {
            Node::Const(c) => {
                (0u8, bits(c)).hash(&mut h);
                1
            }
            Node::Var(n) => {
                // The first six bytes of the name, so that short names sort alphabetically.
                let mut name = [0u8; 8];
                let bytes = self.names[n as usize].as_bytes();
                let len = bytes.len().min(6);
                name[2..2 + len].copy_from_slice(&bytes[..len]);
                return (1 << 48) | u64::from_be_bytes(name);
            }
            Node::Unary(op, x) => {
                (2u8, op, hash(x)).hash(&mut h);
                size(x) + 1
            }
            Node::Binary(op, a, b) => {
                (3u8, op, hash(a), hash(b)).hash(&mut h);
                size(a) + size(b) + 1
            }
            Node::Sum(k, s, n) => {
                (4u8, bits(k)).hash(&mut h);
                self.terms(s, n)
                    .iter()
                    .fold(u64::from(k != 0.0), |acc, &(c, t)| {
                        (bits(c), hash(t)).hash(&mut h);
                        acc + size(t) + 1
                    })
            }
            Node::Product(s, n) => {
                5u8.hash(&mut h);
                self.factors(s, n).iter().fold(0, |acc, &(b, e)| {
                    (hash(b), e).hash(&mut h);
                    acc + size(b) + 1
                })
            }
        };
        (tree.min(0xffff) << 48) | (h.finish() >> 16)
    }

    /// The number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The terms `(cᵢ, tᵢ)` of a sum node's range.
    pub(crate) fn terms(&self, start: u32, len: u32) -> &[(f64, u32)] {
        &self.terms[start as usize..(start + len) as usize]
    }

    /// The factors `(bᵢ, eᵢ)` of a product node's range.
    pub(crate) fn factors(&self, start: u32, len: u32) -> &[(u32, i32)] {
        &self.factors[start as usize..(start + len) as usize]
    }

    /// The constant value of node `id`, if it is one.
    #[inline]
    pub(crate) fn constant_of(&self, id: u32) -> Option<f64> {
        match self.nodes[id as usize] {
            Node::Const(c) => Some(c),
            _ => None,
        }
    }

    fn same(&self, id: u32, shape: Shape) -> bool {
        match (self.nodes[id as usize], shape) {
            (Node::Const(a), Shape::Leaf(Node::Const(b))) => bits(a) == bits(b),
            (Node::Var(a), Shape::Leaf(Node::Var(b))) => a == b,
            (Node::Unary(p, a), Shape::Leaf(Node::Unary(q, b))) => a == b && p == q,
            (Node::Binary(p, a1, b1), Shape::Leaf(Node::Binary(q, a2, b2))) => {
                p == q && a1 == a2 && b1 == b2
            }
            (Node::Sum(k, s, n), Shape::Sum(k2, terms)) => {
                let mine = self.terms(s, n);
                bits(k) == bits(k2)
                    && mine.len() == terms.len()
                    && mine
                        .iter()
                        .zip(terms)
                        .all(|(a, b)| a.1 == b.1 && bits(a.0) == bits(b.0))
            }
            (Node::Product(s, n), Shape::Product(factors)) => self.factors(s, n) == factors,
            _ => false,
        }
    }

    /// The id of a node with content `shape`, interning it if it is new.
    ///
    /// # Panics
    /// If the arena would hold more than 2³² − 1 nodes.
    pub(crate) fn intern(&mut self, shape: Shape) -> u32 {
        let hash = shape.hash();
        let newest = self.index.get(&hash).copied().unwrap_or(NONE);
        let mut at = newest;
        while at != NONE {
            if self.same(at, shape) {
                return at;
            }
            at = self.chain[at as usize];
        }
        let id = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&id| id != NONE)
            .expect("more than 2³² − 1 expression nodes in one store");
        let node = match shape {
            Shape::Leaf(node) => node,
            Shape::Sum(k, terms) => {
                let start = self.terms.len() as u32;
                self.terms.extend_from_slice(terms);
                Node::Sum(k, start, terms.len() as u32)
            }
            Shape::Product(factors) => {
                let start = self.factors.len() as u32;
                self.factors.extend_from_slice(factors);
                Node::Product(start, factors.len() as u32)
            }
        };
        let key = self.key_of(node);
        self.nodes.push(node);
        self.keys.push(key);
        self.chain.push(newest);
        self.index.insert(hash, id);
        id
    }

    /// The id of the variable name `name`, interning it if it is new.
    pub(crate) fn intern_name(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_index.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        let name: Arc<str> = name.into();
        self.names.push(name.clone());
        self.name_index.insert(name, id);
        id
    }

    /// The id of `name` if some variable has it.
    pub(crate) fn find_name(&self, name: &str) -> Option<u32> {
        self.name_index.get(name).copied()
    }

    /// The variable name with id `id`.
    pub(crate) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Calls `f` on each operand of node `id`.
    #[inline]
    pub(crate) fn for_operands(&self, id: u32, mut f: impl FnMut(u32)) {
        match self.nodes[id as usize] {
            Node::Const(_) | Node::Var(_) => {}
            Node::Unary(_, x) => f(x),
            Node::Binary(_, a, b) => {
                f(a);
                f(b);
            }
            Node::Sum(_, s, n) => self.terms(s, n).iter().for_each(|&(_, t)| f(t)),
            Node::Product(s, n) => self.factors(s, n).iter().for_each(|&(b, _)| f(b)),
        }
    }

    /// The ids reachable from `roots`, ascending: a topological order (operands first).
    pub(crate) fn reachable(&self, roots: &[u32]) -> Vec<u32> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<u32> = roots.to_vec();
        let mut out = Vec::new();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id as usize], true) {
                continue;
            }
            out.push(id);
            self.for_operands(id, |o| {
                if !seen[o as usize] {
                    stack.push(o)
                }
            });
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_an_equal_node_returns_the_same_id() {
        let mut a = Arena::default();
        let n = a.intern_name("x");
        let x = a.intern(Shape::Leaf(Node::Var(n)));
        let p = a.intern(Shape::Leaf(Node::Unary(Unary::Powf(1.5), x)));
        let q = a.intern(Shape::Leaf(Node::Unary(Unary::Powf(1.5), x)));
        let r = a.intern(Shape::Leaf(Node::Unary(Unary::Powf(2.5), x)));
        assert_eq!(p, q);
        assert_ne!(p, r);
        let nan = a.intern(Shape::Leaf(Node::Const(f64::NAN)));
        assert_eq!(nan, a.intern(Shape::Leaf(Node::Const(-f64::NAN))));
        let zero = a.intern(Shape::Leaf(Node::Const(0.0)));
        assert_ne!(zero, a.intern(Shape::Leaf(Node::Const(-0.0))));
        let s = a.intern(Shape::Sum(1.0, &[(2.0, x), (3.0, p)]));
        assert_eq!(s, a.intern(Shape::Sum(1.0, &[(2.0, x), (3.0, p)])));
        assert_ne!(s, a.intern(Shape::Sum(1.0, &[(2.0, x), (4.0, p)])));
        let m = a.intern(Shape::Product(&[(x, 2), (p, -1)]));
        assert_eq!(m, a.intern(Shape::Product(&[(x, 2), (p, -1)])));
        assert_ne!(m, a.intern(Shape::Product(&[(x, 3), (p, -1)])));
    }

    #[test]
    fn the_order_of_operands_is_a_total_order() {
        use std::cmp::Ordering::*;
        let mut a = Arena::default();
        let vars: Vec<u32> = ["x", "y", "z"].iter().map(|v| a.var(v)).collect();
        let mut ids = vars.clone();
        for (k, &v) in vars.iter().enumerate() {
            let s = a.unary(Unary::Sin, v);
            let e = a.unary(Unary::Exp, s);
            ids.extend([s, e]);
            for n in 1..4 {
                ids.push(a.product(1.0, &[(v, n), (s, 1)]));
                ids.push(a.product(1.0, &[(e, n)]));
                ids.push(a.sum(f64::from(n), &[(2.0, v), (1.0, e)]));
                ids.push(a.binary(Binary::Atan2, v, vars[(k + n as usize) % 3]));
            }
        }
        for &p in &ids {
            for &q in &ids {
                assert_eq!(a.order(p, q), a.order(q, p).reverse());
                assert_eq!(a.order(p, q) == Equal, p == q);
                for &r in &ids {
                    if a.order(p, q) == Less && a.order(q, r) == Less {
                        assert_eq!(a.order(p, r), Less);
                    }
                }
            }
        }
    }

    #[test]
    fn a_node_takes_24_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 24);
    }

    #[test]
    fn operands_have_smaller_ids_than_their_node() {
        let mut a = Arena::default();
        let (nx, ny) = (a.intern_name("x"), a.intern_name("y"));
        let x = a.intern(Shape::Leaf(Node::Var(nx)));
        let y = a.intern(Shape::Leaf(Node::Var(ny)));
        let s = a.intern(Shape::Sum(0.0, &[(1.0, x), (1.0, y)]));
        assert!(s > x && s > y);
        assert_eq!(a.reachable(&[s]), vec![x, y, s]);
    }
}
