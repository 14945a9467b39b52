//! Plain-text printing with the fewest parentheses that parse back to the same expression,
//! and the form with common subexpressions named.
//!
//! A node is parenthesised only when its precedence is lower than its position demands:
//! the right operand of `-` and `/` binds tighter than the left (`a - (b - c)`), a power's
//! base must be an atom (`(x^2)^3`, `(-x)^2`), a power's exponent may carry a sign (`2^-x`).
//! The walk uses an explicit stack, so a chain of a million terms prints without recursion.

use super::expr::Expr;
use super::owned::Store;
use super::store::{Arena, IdMap, Node};
use crate::ops::{Binary, Unary};
use std::f64::consts::{E, PI};
use std::fmt;

pub(crate) const SUM: u8 = 1;
pub(crate) const PRODUCT: u8 = 2;
pub(crate) const SIGN: u8 = 3;
pub(crate) const POWER: u8 = 4;
pub(crate) const ATOM: u8 = 5;

/// How tightly a node's printed form binds.
pub(crate) fn precedence(a: &Arena, id: u32) -> u8 {
    match a.node(id) {
        Node::Const(v) if v.is_finite() && v.is_sign_negative() => SIGN,
        Node::Const(_) | Node::Var(_) => ATOM,
        Node::Unary(Unary::Neg, _) => SIGN,
        Node::Unary(Unary::Powi(_) | Unary::Powf(_), _) => POWER,
        Node::Unary(..) => ATOM,
        Node::Binary(Binary::Add | Binary::Sub, ..) => SUM,
        Node::Binary(Binary::Mul | Binary::Div, ..) => PRODUCT,
        Node::Binary(Binary::Pow, ..) => POWER,
        Node::Binary(..) => ATOM,
        Node::Sum(0.0, s, 1) => {
            let (c, t) = a.terms(s, 1)[0];
            term_precedence(a, c, t)
        }
        Node::Sum(..) => SUM,
        Node::Product(s, n) => factors_precedence(1.0, a.factors(s, n)),
    }
}

/// The precedence of `c·t` printed as a product.
pub(crate) fn term_precedence(a: &Arena, c: f64, t: u32) -> u8 {
    match a.node(t) {
        Node::Product(s, n) => factors_precedence(c, a.factors(s, n)),
        _ if c == 1.0 => precedence(a, t),
        _ => factors_precedence(c, &[(t, 1)]),
    }
}

fn factors_precedence(c: f64, factors: &[(u32, i32)]) -> u8 {
    match factors {
        [(_, e)] if *e > 0 && c == -1.0 => SIGN,
        [(_, e)] if *e > 1 && c == 1.0 => POWER,
        _ => PRODUCT,
    }
}

/// The factors of `c·t`: `t`'s own if it is a product, else `t` itself.
pub(crate) fn factors_of(a: &Arena, t: u32) -> Vec<(u32, i32)> {
    match a.node(t) {
        Node::Product(s, n) => a.factors(s, n).to_vec(),
        _ => vec![(t, 1)],
    }
}

/// A number as the parser reads it back to the same bits: `pi` and `e` by name, integers
/// without a fraction, others in Rust's shortest round-trip form (`0.1`, `1e-7`), and the
/// non-finite values as the divisions that make them.
pub(crate) fn number(v: f64) -> String {
    match v {
        _ if v.is_nan() => "(0/0)".into(),
        f64::INFINITY => "(1/0)".into(),
        f64::NEG_INFINITY => "(-1/0)".into(),
        PI => "pi".into(),
        E => "e".into(),
        _ if v == -PI => "-pi".into(),
        _ if v == -E => "-e".into(),
        _ if v.fract() == 0.0 && v.abs() < 1e16 => format!("{v}"),
        _ => format!("{v:?}"),
    }
}

enum Task {
    Node(u32, u8),
    /// `c·t` as a product (the sign of `c` included).
    Term(f64, u32),
    Text(&'static str),
    Owned(String),
}

/// Appends `root` to `out`. Nodes in `names` (other than the root) print as their name.
pub(crate) fn write_text(a: &Arena, root: u32, names: &IdMap<u32, String>, out: &mut String) {
    let mut stack = vec![Task::Node(root, 0)];
    while let Some(task) = stack.pop() {
        let (id, min) = match task {
            Task::Text(s) => {
                out.push_str(s);
                continue;
            }
            Task::Owned(s) => {
                out.push_str(&s);
                continue;
            }
            Task::Term(c, t) => {
                match names.get(&t) {
                    Some(name) => match c {
                        1.0 => out.push_str(name),
                        -1.0 => out.push_str(&format!("-{name}")),
                        _ => out.push_str(&format!("{}*{name}", number(c))),
                    },
                    None => push_factors(a, c, &factors_of(a, t), &mut stack),
                }
                continue;
            }
            Task::Node(id, min) => (id, min),
        };
        if let Some(name) = names.get(&id).filter(|_| id != root) {
            out.push_str(name);
            continue;
        }
        if precedence(a, id) < min {
            out.push('(');
            stack.push(Task::Text(")"));
        }
        match a.node(id) {
            Node::Const(v) => out.push_str(&number(v)),
            Node::Var(n) => out.push_str(a.name(n)),
            Node::Unary(Unary::Neg, x) => {
                out.push('-');
                stack.push(Task::Node(x, SIGN));
            }
            Node::Unary(Unary::Powi(n), x) => {
                stack.push(Task::Owned(format!("^{n}")));
                stack.push(Task::Node(x, ATOM));
            }
            Node::Unary(Unary::Powf(c), x) => {
                stack.push(Task::Owned(format!("^{}", number(c))));
                stack.push(Task::Node(x, ATOM));
            }
            Node::Unary(op, x) => {
                out.push_str(op.spec().name);
                out.push('(');
                stack.extend([Task::Text(")"), Task::Node(x, 0)]);
            }
            Node::Binary(Binary::Pow, x, y) => {
                stack.extend([Task::Node(y, SIGN), Task::Text("^"), Task::Node(x, ATOM)]);
            }
            Node::Binary(op, x, y) => {
                out.push_str(op.spec().name);
                out.push('(');
                stack.extend([
                    Task::Text(")"),
                    Task::Node(y, 0),
                    Task::Text(", "),
                    Task::Node(x, 0),
                ]);
            }
            Node::Sum(k, s, n) => {
                let terms = a.terms(s, n);
                if k == 0.0 && n == 1 {
                    stack.push(Task::Term(terms[0].0, terms[0].1));
                    continue;
                }
                let mut tasks = Vec::with_capacity(2 * terms.len() + 2);
                for (j, &(c, t)) in terms.iter().enumerate() {
                    match (j, c < 0.0) {
                        (0, _) => {}
                        (_, false) => tasks.push(Task::Text(" + ")),
                        (_, true) => tasks.push(Task::Text(" - ")),
                    }
                    let c = if j == 0 { c } else { c.abs() };
                    tasks.push(match c {
                        1.0 => Task::Node(t, PRODUCT),
                        _ => Task::Term(c, t),
                    });
                }
                if k != 0.0 {
                    let sign = if k < 0.0 { " - " } else { " + " };
                    tasks.extend([Task::Text(sign), Task::Owned(number(k.abs()))]);
                }
                stack.extend(tasks.into_iter().rev());
            }
            Node::Product(s, n) => push_factors(a, 1.0, a.factors(s, n), &mut stack),
        }
    }
}

/// Pushes `c · Π bᵢ^eᵢ` as `c*a*b^2/d/e^3`.
///
/// A sign before a parenthesised sum is written `-1*`: `-(a + b)*c` would parse as
/// `(−a − b)·c`, another node than `−((a + b)·c)`.
fn push_factors(a: &Arena, c: f64, factors: &[(u32, i32)], stack: &mut Vec<Task>) {
    let mut tasks = Vec::with_capacity(3 * factors.len() + 4);
    let (numerator, denominator): (Vec<&(u32, i32)>, Vec<_>) =
        factors.iter().partition(|f| f.1 > 0);
    let opens_with_sum = matches!(numerator.first(), Some(&&(b, 1)) if precedence(a, b) < SIGN);
    match c {
        1.0 if numerator.is_empty() => tasks.push(Task::Text("1")),
        -1.0 if numerator.is_empty() => tasks.push(Task::Text("-1")),
        1.0 => {}
        -1.0 if opens_with_sum => tasks.push(Task::Text("-1*")),
        -1.0 => tasks.push(Task::Text("-")),
        _ => {
            tasks.push(Task::Owned(number(c)));
            if !numerator.is_empty() {
                tasks.push(Task::Text("*"));
            }
        }
    }
    let power = |tasks: &mut Vec<Task>, b: u32, e: u32| {
        if e == 1 {
            tasks.push(Task::Node(b, SIGN));
        } else {
            tasks.extend([Task::Node(b, ATOM), Task::Owned(format!("^{e}"))]);
        }
    };
    for (j, &&(b, e)) in numerator.iter().enumerate() {
        if j > 0 {
            tasks.push(Task::Text("*"));
        }
        power(&mut tasks, b, e.unsigned_abs());
    }
    // One `/` per factor: `a/(b*c)` would parse as `a/b/c` only up to rounding of the
    // numbers among b and c (which would multiply first).
    for &&(b, e) in &denominator {
        tasks.push(Task::Text("/"));
        power(&mut tasks, b, e.unsigned_abs());
    }
    stack.extend(tasks.into_iter().rev());
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.with(|a| write_text(a, self.id, &IdMap::default(), &mut out));
        f.write_str(&out)
    }
}

/// Expressions with their common subexpressions named: `t1 = x^2; t2 = exp(-t1/2); …`.
///
/// A node is named when it is used twice or more (by other nodes or as an output) and is
/// not a number or a variable; temporaries are listed operands first, so each line uses only
/// names defined above it.
///
/// ```
/// use weifen::symbolic::{self, Expr};
///
/// let f: Expr = "sin(x^2) + x^2".parse().unwrap();
/// assert_eq!(symbolic::cse(&[f]).to_string(), "t1 = x^2; t1 + sin(t1)");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Cse {
    /// The temporaries in order: name and definition.
    pub temporaries: Vec<(String, String)>,
    /// The outputs, written with the temporaries.
    pub outputs: Vec<String>,
}

impl fmt::Display for Cse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.temporaries.iter().map(|(n, d)| format!("{n} = {d}"));
        let all: Vec<String> = lines.chain(self.outputs.iter().cloned()).collect();
        f.write_str(&all.join("; "))
    }
}

/// Names the common subexpressions of `roots`; see [`Cse`].
pub fn cse(roots: &[Expr]) -> Cse {
    let (store, ids) = Store::common(roots);
    cse_in(&store.lock(), &ids)
}

fn cse_in(a: &Arena, ids: &[u32]) -> Cse {
    let order = a.reachable(ids);
    let mut uses: IdMap<u32, usize> = IdMap::default();
    for &r in ids {
        *uses.entry(r).or_default() += 1;
    }
    let mut variables = Vec::new();
    for &i in &order {
        if let Node::Var(n) = a.node(i) {
            variables.push(a.name(n));
        }
        a.for_operands(i, |o| *uses.entry(o).or_default() += 1);
    }
    let mut prefix = String::from("t");
    while variables.iter().any(|v| {
        v.strip_prefix(prefix.as_str())
            .is_some_and(|d| d.parse::<u64>().is_ok())
    }) {
        prefix.insert(0, '_');
    }
    let mut names: IdMap<u32, String> = IdMap::default();
    let mut temporaries = Vec::new();
    for &i in &order {
        let shared = uses.get(&i).copied().unwrap_or(0) >= 2;
        if shared && !matches!(a.node(i), Node::Const(_) | Node::Var(_)) {
            let name = format!("{prefix}{}", temporaries.len() + 1);
            let mut definition = String::new();
            write_text(a, i, &names, &mut definition);
            names.insert(i, name.clone());
            temporaries.push((name, definition));
        }
    }
    let outputs = ids
        .iter()
        .map(|&r| {
            let mut s = String::new();
            match names.get(&r) {
                Some(n) => s.push_str(n),
                None => write_text(a, r, &names, &mut s),
            }
            s
        })
        .collect();
    Cse {
        temporaries,
        outputs,
    }
}
