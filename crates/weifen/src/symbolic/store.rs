//! The thread-local node store behind [`Expr`](super::Expr): an append-only arena with a
//! hash-consing index, so that building an expression equal to an existing one returns the
//! existing node.
//!
//! Invariants:
//! * a node's operands were interned before it, so **ids are a topological order**: every
//!   walk over a DAG is a loop over ascending ids, never a recursion (no stack overflow on a
//!   chain of a million additions);
//! * two live nodes never have the same key (op, exponent or constant bits, operand ids), so
//!   structural equality of expressions is equality of ids;
//! * nodes are never freed while the thread lives: a node costs 24 bytes in the arena and
//!   about 37 in the index (a 32-byte entry and a control byte at the table's load factor of
//!   7/8), about 60 bytes in all; [`store_len`] reports the count. A workload that builds millions of throw-away
//!   expressions should run on a thread of its own.

use crate::ops::{Binary, Unary};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// One node of the arena; operands are ids of earlier nodes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Node {
    Const(f64),
    Var(u32),
    Unary(Unary, u32),
    Binary(Binary, u32, u32),
}

/// The hash-consing key of a node: constants by their bits (`Unary` compares its constant
/// parameters by bits too, and user ops by identity).
#[derive(PartialEq, Eq, Hash)]
enum Key {
    Const(u64),
    Var(u32),
    Unary(Unary, u32),
    Binary(Binary, u32, u32),
}

fn key(node: Node) -> Key {
    match node {
        // All NaNs are one constant; +0 and −0 stay distinct (1/x tells them apart).
        Node::Const(c) if c.is_nan() => Key::Const(f64::NAN.to_bits()),
        Node::Const(c) => Key::Const(c.to_bits()),
        Node::Var(name) => Key::Var(name),
        Node::Unary(op, x) => Key::Unary(op, x),
        Node::Binary(op, a, b) => Key::Binary(op, a, b),
    }
}

/// A multiplicative hash (as rustc's `FxHasher`): the keys are a few small integers, for
/// which SipHash's resistance to collisions chosen by an attacker is not worth its cost.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    // The multiply leaves the low bits, which pick the bucket, depending on the input's low
    // bits only; the bits of small integer constants are all in the high half. Fold the high
    // half down (the finaliser of MurmurHash3).
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A hash map keyed by node ids (or keys made of them).
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
/// A hash set of node ids.
pub(crate) type IdSet = HashSet<u32, BuildHasherDefault<IdHasher>>;

#[derive(Default)]
struct Store {
    nodes: Vec<Node>,
    index: IdMap<Key, u32>,
    names: Vec<Rc<str>>,
    name_index: HashMap<Rc<str>, u32>,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::new(Store::default());
}

/// The id of `node`, interning it if it is new.
pub(crate) fn intern(node: Node) -> u32 {
    STORE.with_borrow_mut(|s| {
        let next = u32::try_from(s.nodes.len()).expect("more than 2³² expression nodes");
        let id = *s.index.entry(key(node)).or_insert(next);
        if id == next {
            s.nodes.push(node);
        }
        id
    })
}

/// The node with id `id`.
pub(crate) fn node(id: u32) -> Node {
    STORE.with_borrow(|s| s.nodes[id as usize])
}

/// Runs `f` on the whole arena (one borrow for a walk over many nodes). `f` must not build
/// expressions: the store is borrowed.
pub(crate) fn with_nodes<R>(f: impl FnOnce(&[Node]) -> R) -> R {
    STORE.with_borrow(|s| f(&s.nodes))
}

/// The id of the variable name `name`, interning it if it is new.
pub(crate) fn intern_name(name: &str) -> u32 {
    STORE.with_borrow_mut(|s| {
        if let Some(&id) = s.name_index.get(name) {
            return id;
        }
        let id = s.names.len() as u32;
        let name: Rc<str> = name.into();
        s.names.push(name.clone());
        s.name_index.insert(name, id);
        id
    })
}

/// The id of `name` if some variable has it.
pub(crate) fn find_name(name: &str) -> Option<u32> {
    STORE.with_borrow(|s| s.name_index.get(name).copied())
}

/// The variable name with id `id`.
pub(crate) fn name(id: u32) -> Rc<str> {
    STORE.with_borrow(|s| s.names[id as usize].clone())
}

/// The number of distinct nodes this thread has built (they live as long as the thread).
pub fn store_len() -> usize {
    STORE.with_borrow(|s| s.nodes.len())
}

/// The ids reachable from `roots`, ascending: a topological order (operands first).
pub(crate) fn reachable(roots: &[u32]) -> Vec<u32> {
    with_nodes(|nodes| {
        let mut seen = IdSet::default();
        let mut stack: Vec<u32> = roots.to_vec();
        let mut out = Vec::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push(id);
            match nodes[id as usize] {
                Node::Const(_) | Node::Var(_) => {}
                Node::Unary(_, x) => stack.push(x),
                Node::Binary(_, a, b) => stack.extend([a, b]),
            }
        }
        out.sort_unstable();
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_an_equal_node_returns_the_same_id() {
        let x = intern(Node::Var(intern_name("x")));
        let a = intern(Node::Unary(Unary::Powf(1.5), x));
        let b = intern(Node::Unary(Unary::Powf(1.5), x));
        let c = intern(Node::Unary(Unary::Powf(2.5), x));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            intern(Node::Const(f64::NAN)),
            intern(Node::Const(-f64::NAN))
        );
        assert_ne!(intern(Node::Const(0.0)), intern(Node::Const(-0.0)));
    }

    #[test]
    fn a_node_takes_24_bytes_and_its_index_entry_32() {
        assert_eq!(std::mem::size_of::<Node>(), 24);
        assert_eq!(std::mem::size_of::<(Key, u32)>(), 32);
    }

    #[test]
    fn operands_have_smaller_ids_than_their_node() {
        let x = intern(Node::Var(intern_name("x")));
        let y = intern(Node::Var(intern_name("y")));
        let s = intern(Node::Binary(Binary::Add, y, x));
        assert!(s > x && s > y);
        assert_eq!(reachable(&[s]), {
            let mut v = vec![x, y, s];
            v.sort_unstable();
            v
        });
    }
}
