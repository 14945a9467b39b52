//! LaTeX printing: fractions as `\frac`, powers with braced exponents, the usual names of
//! the elementary functions. The parenthesis rules are the plain text's (see `display.rs`),
//! except inside `\frac{…}{…}`, `\sqrt{…}` and exponents, where braces group.

use super::display::{ATOM, PRODUCT, SIGN, SUM, precedence, right_operand};
use super::expr::Expr;
use super::store::{self, Node};
use crate::ops::{Binary, Unary};
use std::f64::consts::{E, PI};

enum Task {
    Node(u32, u8),
    Text(&'static str),
    Owned(String),
}

fn number(v: f64) -> String {
    match v {
        _ if v.is_nan() => r"\mathrm{NaN}".into(),
        f64::INFINITY => r"\infty".into(),
        f64::NEG_INFINITY => r"-\infty".into(),
        PI => r"\pi".into(),
        E => "e".into(),
        _ if v == -PI => r"-\pi".into(),
        _ if v.fract() == 0.0 && v.abs() < 1e16 => format!("{v}"),
        _ => {
            let s = format!("{v:?}");
            match s.split_once('e') {
                Some((m, e)) => format!(r"{m} \times 10^{{{e}}}"),
                None => s,
            }
        }
    }
}

/// The LaTeX before and after a function's argument, from the op table; a user's op is
/// `\operatorname{name}`.
fn function(op: Unary) -> (String, &'static str) {
    match op.spec().latex {
        ("", _) => (
            format!(r"\operatorname{{{}}}\left(", op.spec().name),
            r"\right)",
        ),
        (open, close) => (open.to_string(), close),
    }
}

impl Expr {
    /// The expression in LaTeX.
    ///
    /// ```
    /// use weifen::symbolic::Expr;
    ///
    /// let f: Expr = "sqrt(x)/(1 + x^2)".parse().unwrap();
    /// assert_eq!(f.to_latex(), r"\frac{\sqrt{x}}{x^{2} + 1}");
    /// ```
    pub fn to_latex(&self) -> String {
        let mut out = String::new();
        let mut stack = vec![Task::Node(self.id, 0)];
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
            let node = store::node(id);
            if precedence(node) < min {
                out.push_str(r"\left(");
                stack.push(Task::Text(r"\right)"));
            }
            match node {
                Node::Const(v) => out.push_str(&number(v)),
                Node::Var(n) => out.push_str(&store::name(n)),
                Node::Unary(Unary::Neg, x) => {
                    out.push('-');
                    stack.push(Task::Node(x, SIGN));
                }
                Node::Unary(Unary::Powi(n), x) => {
                    stack.push(Task::Text("}"));
                    stack.push(Task::Owned(n.to_string()));
                    stack.extend([Task::Text("^{"), Task::Node(x, ATOM)]);
                }
                Node::Unary(Unary::Powf(c), x) => {
                    stack.push(Task::Text("}"));
                    stack.push(Task::Owned(number(c)));
                    stack.extend([Task::Text("^{"), Task::Node(x, ATOM)]);
                }
                Node::Unary(op, x) => {
                    let (open, close) = function(op);
                    out.push_str(&open);
                    stack.extend([Task::Text(close), Task::Node(x, 0)]);
                }
                Node::Binary(Binary::Div, a, b) => {
                    out.push_str(r"\frac{");
                    stack.extend([
                        Task::Text("}"),
                        Task::Node(b, 0),
                        Task::Text("}{"),
                        Task::Node(a, 0),
                    ]);
                }
                Node::Binary(op, a, b) => {
                    let (symbol, left, right) = match op {
                        Binary::Add | Binary::Sub => (op.spec().latex, SUM, PRODUCT),
                        Binary::Mul => (op.spec().latex, PRODUCT, SIGN),
                        Binary::Pow => {
                            stack.extend([
                                Task::Text("}"),
                                Task::Node(b, 0),
                                Task::Text("^{"),
                                Task::Node(a, ATOM),
                            ]);
                            continue;
                        }
                        _ => {
                            out.push_str(&format!(r"{}\left(", op.spec().latex));
                            stack.extend([
                                Task::Text(r"\right)"),
                                Task::Node(b, 0),
                                Task::Text(", "),
                                Task::Node(a, 0),
                            ]);
                            continue;
                        }
                    };
                    let right = right_operand(op, a, b, right);
                    stack.extend([
                        Task::Node(b, right),
                        Task::Owned(format!(" {symbol} ")),
                        Task::Node(a, left),
                    ]);
                }
            }
        }
        out
    }
}
