//! Smart constructors: every node is simplified as it is built, so the output of a
//! derivative rule (written once, in the op table) is already readable.
//!
//! Each rule looks at most two levels below the new node, so building a node costs O(1)
//! whatever the size of its operands, and the rules terminate (every rewrite builds nodes
//! from strict operands of its inputs, or moves a constant or a sign outwards).
//!
//! The rules, and the domains they extend (`x/x → 1`), are listed in the module docs
//! (`symbolic/mod.rs`, section "Simplification"). A rule never walks down a chain: on a
//! product or sum of a million terms each new node still costs O(1).

use super::expr::Expr;
use super::store::Node;
use crate::Scalar;
use crate::ops::{Binary, Unary};

fn c(v: f64) -> Expr {
    Expr::constant(v)
}

fn id(i: u32) -> Expr {
    Expr::from_id(i)
}

/// Whether a folded constant keeps the formula readable: an integer, or a short decimal.
fn readable(v: f64) -> bool {
    let integer = v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0;
    integer || format!("{v}").len() <= 8
}

/// `op(x)`, simplified.
pub(crate) fn unary(op: Unary, x: Expr) -> Expr {
    use Unary::*;
    if let Some(v) = x.as_constant() {
        let y = op.eval(v);
        if matches!(op, Neg | Abs | Sign) || !y.is_finite() || readable(y) {
            return c(y);
        }
    }
    match (op, x.node()) {
        (Neg, _) => return neg(x),
        (Recip, _) | (Powi(-1), _) => return div(c(1.0), x),
        (Powi(0), _) => return c(1.0),
        (Powi(1), _) => return x,
        (Powi(n), Node::Unary(Powi(m), y)) => {
            if let Some(k) = n.checked_mul(m) {
                return unary(Powi(k), id(y));
            }
        }
        (Powi(n), Node::Unary(Neg, y)) if n % 2 == 0 => return unary(Powi(n), id(y)),
        (Powf(p), _) if p.fract() == 0.0 && p.abs() <= f64::from(i32::MAX) => {
            return unary(Powi(p as i32), x);
        }
        (Abs, Node::Unary(Neg | Abs, y)) => return unary(Abs, id(y)),
        _ => {}
    }
    Expr::intern(Node::Unary(op, x.id))
}

/// `op(a, b)`, simplified.
pub(crate) fn binary(op: Binary, a: Expr, b: Expr) -> Expr {
    match op {
        Binary::Add => add(a, b),
        Binary::Sub => sub(a, b),
        Binary::Mul => mul(a, b),
        Binary::Div => div(a, b),
        Binary::Pow => pow(a, b),
        _ => {
            if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
                let v = op.eval(x, y);
                if !v.is_finite() || readable(v) {
                    return c(v);
                }
            }
            Expr::intern(Node::Binary(op, a.id, b.id))
        }
    }
}

/// Splits a term into a constant coefficient and the rest: `3*x → (3, x)`, `-x → (−1, x)`.
fn coefficient(e: Expr) -> (f64, Expr) {
    match e.node() {
        Node::Binary(Binary::Mul, k, t) if id(k).as_constant().is_some() => {
            (id(k).as_constant().unwrap_or(1.0), id(t))
        }
        Node::Unary(Unary::Neg, t) => (-1.0, id(t)),
        _ => (1.0, e),
    }
}

/// Splits a factor into a base and an integer power: `x^3 → (x, 3)`, `1/x → (x, −1)`.
fn power(e: Expr) -> (Expr, i32) {
    match e.node() {
        Node::Unary(Unary::Powi(n), x) => (id(x), n),
        Node::Binary(Binary::Div, one, x) if id(one).is(1.0) => (id(x), -1),
        _ => (e, 1),
    }
}

/// `a ± b` as one term when they differ only by a constant factor.
fn like_terms(a: Expr, b: Expr, sign: f64) -> Option<Expr> {
    let (ca, ta) = coefficient(a);
    let (cb, tb) = coefficient(b);
    (ta == tb).then(|| mul(c(ca + sign * cb), ta))
}

fn neg(x: Expr) -> Expr {
    match x.node() {
        Node::Const(v) => c(-v),
        Node::Unary(Unary::Neg, y) => id(y),
        Node::Binary(Binary::Sub, a, b) => sub(id(b), id(a)),
        Node::Binary(Binary::Mul, k, t) if id(k).as_constant().is_some() => mul(neg(id(k)), id(t)),
        Node::Binary(Binary::Div, k, t) if id(k).as_constant().is_some() => div(neg(id(k)), id(t)),
        _ => Expr::intern(Node::Unary(Unary::Neg, x.id)),
    }
}

fn negated(e: Expr) -> Option<Expr> {
    match e.node() {
        Node::Unary(Unary::Neg, y) => Some(id(y)),
        _ => None,
    }
}

fn add(a: Expr, b: Expr) -> Expr {
    if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
        return c(x + y);
    }
    if a.is(0.0) {
        return b;
    }
    if b.is(0.0) {
        return a;
    }
    if a.as_constant().is_some() {
        return add(b, a); // x + 1, not 1 + x
    }
    if let Some(y) = negated(b) {
        return sub(a, y);
    }
    if let Some(y) = b.as_constant().filter(|&y| y < 0.0) {
        return sub(a, c(-y));
    }
    if let Some(y) = negated(a) {
        return sub(b, y);
    }
    like_terms(a, b, 1.0).unwrap_or_else(|| Expr::intern(Node::Binary(Binary::Add, a.id, b.id)))
}

fn sub(a: Expr, b: Expr) -> Expr {
    if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
        return c(x - y);
    }
    if b.is(0.0) {
        return a;
    }
    if a.is(0.0) {
        return neg(b);
    }
    if let Some(y) = negated(b) {
        return add(a, y);
    }
    if let Some(y) = b.as_constant().filter(|&y| y < 0.0) {
        return add(a, c(-y));
    }
    if let Some(y) = negated(a) {
        return neg(add(y, b));
    }
    like_terms(a, b, -1.0).unwrap_or_else(|| Expr::intern(Node::Binary(Binary::Sub, a.id, b.id)))
}

fn mul(a: Expr, b: Expr) -> Expr {
    if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
        return c(x * y);
    }
    if a.is(0.0) || b.is(0.0) {
        return c(0.0);
    }
    if a.is(1.0) {
        return b;
    }
    if b.is(1.0) {
        return a;
    }
    if a.is(-1.0) {
        return neg(b);
    }
    if b.is(-1.0) || b.as_constant().is_some() {
        return mul(b, a); // constants first: 2*x
    }
    if let Some(y) = negated(a) {
        return neg(mul(y, b));
    }
    if let Some(y) = negated(b) {
        return neg(mul(a, y));
    }
    match (a.node(), b.node()) {
        (Node::Const(k), Node::Binary(Binary::Mul, m, t)) if id(m).as_constant().is_some() => {
            return mul(c(k * id(m).as_constant().unwrap_or(1.0)), id(t));
        }
        (Node::Binary(Binary::Mul, k, t), _) if id(k).as_constant().is_some() => {
            return mul(id(k), mul(id(t), b));
        }
        (_, Node::Binary(Binary::Mul, k, t)) if id(k).as_constant().is_some() => {
            return mul(id(k), mul(a, id(t)));
        }
        (_, Node::Binary(Binary::Div, p, q)) => return div(mul(a, id(p)), id(q)),
        (Node::Binary(Binary::Div, p, q), _) => return div(mul(id(p), b), id(q)),
        _ => {}
    }
    let ((ba, na), (bb, nb)) = (power(a), power(b));
    if let (true, Some(n)) = (ba == bb, na.checked_add(nb)) {
        return unary(Unary::Powi(n), ba);
    }
    // a*(p*q) → (a*p)*q, as the parser associates, so like powers meet (x*(x*y) → x^2*y).
    // Only one level: p and q are not products, so this never walks down a long chain.
    if let Node::Binary(Binary::Mul, p, q) = b.node() {
        let is_product = |e: u32| matches!(id(e).node(), Node::Binary(Binary::Mul, ..));
        if a.as_constant().is_none() && !is_product(p) && !is_product(q) {
            return mul(mul(a, id(p)), id(q));
        }
    }
    Expr::intern(Node::Binary(Binary::Mul, a.id, b.id))
}

fn div(a: Expr, b: Expr) -> Expr {
    if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
        let q = x / y;
        if !q.is_finite() || (q * y == x && readable(q)) {
            return c(q);
        }
    }
    if b.is(1.0) {
        return a;
    }
    if b.is(-1.0) {
        return neg(a);
    }
    if a.is(0.0) && b.as_constant().is_none() {
        return c(0.0);
    }
    if a == b {
        return c(1.0);
    }
    if let Some(y) = negated(a) {
        return neg(div(y, b));
    }
    if let Some(y) = negated(b) {
        return neg(div(a, y));
    }
    if let (Some(k), Node::Binary(Binary::Mul, m, t)) = (b.as_constant(), a.node()) {
        if let Some(m) = id(m).as_constant() {
            let q = m / k;
            if q * k == m && readable(q) {
                return mul(c(q), id(t)); // (4*x)/2 → 2*x
            }
        }
    }
    if let Some(k) = b.as_constant() {
        // x/2 → 0.5*x: dividing by a power of two is multiplying by its exact reciprocal.
        let power_of_two = k.is_normal() && k.to_bits() & ((1 << 52) - 1) == 0;
        if power_of_two && readable(1.0 / k) {
            return mul(c(1.0 / k), a);
        }
    }
    if let Node::Binary(Binary::Div, p, q) = b.node() {
        return div(mul(a, id(q)), id(p)); // a/(p/q) → a*q/p
    }
    if let Node::Binary(Binary::Div, p, q) = a.node() {
        let is_quotient = |e: Expr| matches!(e.node(), Node::Binary(Binary::Div, ..));
        if !is_quotient(id(q)) && !is_quotient(b) && b.as_constant().is_none() {
            return div(id(p), mul(id(q), b)); // (p/q)/b → p/(q*b)
        }
    }
    let ((ba, na), (bb, nb)) = (power(a), power(b));
    if let (true, Some(n)) = (ba == bb && ba.as_constant().is_none(), na.checked_sub(nb)) {
        return unary(Unary::Powi(n), ba);
    }
    Expr::intern(Node::Binary(Binary::Div, a.id, b.id))
}

fn pow(a: Expr, b: Expr) -> Expr {
    if let Some(k) = b.as_constant() {
        return unary(Unary::Powf(k), a); // an integer k becomes powi
    }
    if a.is(std::f64::consts::E) {
        return unary(Unary::Exp, b);
    }
    Expr::intern(Node::Binary(Binary::Pow, a.id, b.id))
}
