//! Plain-text printing with the fewest parentheses that parse back to the same expression,
//! and the form with common subexpressions named.
//!
//! A node is parenthesised only when its precedence is lower than its position demands:
//! the right operand of `-` and `/` binds tighter than the left (`a - (b - c)`), a power's
//! base must be an atom (`(x^2)^3`, `(-x)^2`), a power's exponent may carry a sign (`2^-x`).
//! The walk uses an explicit stack, so a chain of a million terms prints without recursion.

use super::expr::Expr;
use super::store::{self, IdMap, Node};
use crate::ops::{Binary, Unary};
use std::f64::consts::{E, PI};
use std::fmt;

pub(crate) const SUM: u8 = 1;
pub(crate) const PRODUCT: u8 = 2;
pub(crate) const SIGN: u8 = 3;
pub(crate) const POWER: u8 = 4;
pub(crate) const ATOM: u8 = 5;

/// How tightly a node's printed form binds.
pub(crate) fn precedence(node: Node) -> u8 {
    match node {
        Node::Const(v) if v.is_finite() && v.is_sign_negative() => SIGN,
        Node::Const(_) | Node::Var(_) => ATOM,
        Node::Unary(Unary::Neg, _) => SIGN,
        Node::Unary(Unary::Powi(_) | Unary::Powf(_), _) => POWER,
        Node::Unary(..) => ATOM,
        Node::Binary(Binary::Add | Binary::Sub, ..) => SUM,
        Node::Binary(Binary::Mul | Binary::Div, ..) => PRODUCT,
        Node::Binary(Binary::Pow, ..) => POWER,
        Node::Binary(..) => ATOM,
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

/// The operator symbol and the minimum precedences of the operands of an infix op.
pub(crate) fn infix(op: Binary) -> Option<(&'static str, u8, u8)> {
    match op {
        Binary::Add => Some((" + ", SUM, PRODUCT)),
        Binary::Sub => Some((" - ", SUM, PRODUCT)),
        Binary::Mul => Some(("*", PRODUCT, SIGN)),
        Binary::Div => Some(("/", PRODUCT, SIGN)),
        Binary::Pow => Some(("^", ATOM, SIGN)),
        _ => None,
    }
}

/// The minimum precedence of the right operand of `a op b`, `default` but for one case:
/// the simplifier writes `(2*y)*x` as `2*(y*x)`, so `2*y*x` parses back to the same node
/// and needs no parentheses.
pub(crate) fn right_operand(op: Binary, a: u32, b: u32, default: u8) -> u8 {
    let constant_factor = matches!(store::node(a), Node::Const(v) if v.is_finite());
    let product = matches!(store::node(b), Node::Binary(Binary::Mul, ..));
    if op == Binary::Mul && constant_factor && product {
        PRODUCT
    } else {
        default
    }
}

enum Task {
    Node(u32, u8),
    Text(&'static str),
    Owned(String),
}

/// Appends `root` to `out`. Nodes in `names` (other than the root) print as their name.
pub(crate) fn write_text(root: u32, names: &IdMap<u32, String>, out: &mut String) {
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
            Task::Node(id, min) => (id, min),
        };
        if let Some(name) = names.get(&id).filter(|_| id != root) {
            out.push_str(name);
            continue;
        }
        let node = store::node(id);
        if precedence(node) < min {
            out.push('(');
            stack.push(Task::Text(")"));
        }
        match node {
            Node::Const(v) => out.push_str(&number(v)),
            Node::Var(n) => out.push_str(&store::name(n)),
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
            Node::Binary(op, a, b) => match infix(op) {
                Some((symbol, left, right)) => {
                    let right = right_operand(op, a, b, right);
                    stack.extend([
                        Task::Node(b, right),
                        Task::Text(symbol),
                        Task::Node(a, left),
                    ]);
                }
                None => {
                    out.push_str(op.spec().name);
                    out.push('(');
                    stack.extend([
                        Task::Text(")"),
                        Task::Node(b, 0),
                        Task::Text(", "),
                        Task::Node(a, 0),
                    ]);
                }
            },
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_text(self.id, &IdMap::default(), &mut out);
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
/// assert_eq!(symbolic::cse(&[f]).to_string(), "t1 = x^2; sin(t1) + t1");
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
    let ids: Vec<u32> = roots.iter().map(|e| e.id).collect();
    let order = store::reachable(&ids);
    let mut uses: IdMap<u32, usize> = IdMap::default();
    for &r in &ids {
        *uses.entry(r).or_default() += 1;
    }
    let mut variables = Vec::new();
    store::with_nodes(|nodes| {
        for &i in &order {
            match nodes[i as usize] {
                Node::Var(n) => variables.push(n),
                Node::Const(_) => {}
                Node::Unary(_, x) => *uses.entry(x).or_default() += 1,
                Node::Binary(_, a, b) => {
                    *uses.entry(a).or_default() += 1;
                    *uses.entry(b).or_default() += 1;
                }
            }
        }
    });
    let variables: Vec<String> = variables
        .into_iter()
        .map(|n| store::name(n).to_string())
        .collect();
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
        if shared && matches!(store::node(i), Node::Unary(..) | Node::Binary(..)) {
            let name = format!("{prefix}{}", temporaries.len() + 1);
            let mut definition = String::new();
            write_text(i, &names, &mut definition);
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
                None => write_text(r, &names, &mut s),
            }
            s
        })
        .collect();
    Cse {
        temporaries,
        outputs,
    }
}
