//! Shared by the symbolic tests: random expressions as plain trees, which build themselves
//! on any scalar (`f64` gives the unsimplified value, `Dual` the forward derivative, `Expr`
//! the simplified expression).

use proptest::prelude::*;
use weifen::Scalar;
use weifen::ops::{Binary, Unary};

/// Whether `a` and `b` agree to `rel` relative to the larger (absolute near zero).
// Each test binary compiles this module; not every one compares numbers.
#[allow(dead_code)]
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    a == b || (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// A random expression in `x` and `y`, kept as a tree.
#[derive(Clone, Debug)]
pub enum Tree {
    X,
    Y,
    Const(f64),
    Unary(Unary, Box<Tree>),
    Binary(Binary, Box<Tree>, Box<Tree>),
}

impl Tree {
    /// The expression evaluated on scalars `x` and `y` by the scalar's own operations.
    pub fn build<S: Scalar>(&self, x: S, y: S) -> S {
        match self {
            Tree::X => x,
            Tree::Y => y,
            Tree::Const(c) => S::constant(*c),
            Tree::Unary(op, a) => a.build(x, y).unary(*op),
            Tree::Binary(op, a, b) => a.build(x.clone(), y.clone()).binary(*op, b.build(x, y)),
        }
    }
}

/// Random trees of up to about 30 nodes over every op of the table.
pub fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::X),
        Just(Tree::Y),
        (-4i32..=4).prop_map(|k| Tree::Const(f64::from(k) / 2.0)),
    ];
    leaf.prop_recursive(5, 32, 2, |inner| {
        prop_oneof![
            (
                proptest::sample::select(Unary::all().to_vec()),
                inner.clone()
            )
                .prop_map(|(op, a)| Tree::Unary(op, Box::new(a))),
            (
                proptest::sample::select(Binary::all().to_vec()),
                inner.clone(),
                inner
            )
                .prop_map(|(op, a, b)| Tree::Binary(op, Box::new(a), Box::new(b))),
        ]
    })
}
