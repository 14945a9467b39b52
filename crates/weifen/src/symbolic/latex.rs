//! LaTeX printing: fractions as `\frac`, powers with braced exponents, the usual names of
//! the elementary functions. The parenthesis rules are the plain text's (see `display.rs`),
//! except inside `\frac{…}{…}`, `\sqrt{…}` and exponents, where braces group.

use super::display::{ATOM, PRODUCT, SIGN, factors_of, precedence};
use super::expr::Expr;
use super::store::{Arena, Node};
use crate::ops::{Binary, Unary};
use std::f64::consts::{E, PI};

enum Task {
    Node(u32, u8),
    Term(f64, u32),
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
        self.with(|a| latex(a, self.id))
    }
}

fn latex(a: &Arena, root: u32) -> String {
    let mut out = String::new();
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
                push_factors(c, &factors_of(a, t), &mut stack);
                continue;
            }
            Task::Node(id, min) => (id, min),
        };
        if precedence(a, id) < min {
            out.push_str(r"\left(");
            stack.push(Task::Text(r"\right)"));
        }
        match a.node(id) {
            Node::Const(v) => out.push_str(&number(v)),
            Node::Var(n) => out.push_str(a.name(n)),
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
            Node::Binary(Binary::Pow, x, y) => {
                stack.extend([
                    Task::Text("}"),
                    Task::Node(y, 0),
                    Task::Text("^{"),
                    Task::Node(x, ATOM),
                ]);
            }
            Node::Binary(op, x, y) => {
                out.push_str(&format!(r"{}\left(", op.spec().latex));
                stack.extend([
                    Task::Text(r"\right)"),
                    Task::Node(y, 0),
                    Task::Text(", "),
                    Task::Node(x, 0),
                ]);
            }
            Node::Sum(k, s, n) => {
                let terms = a.terms(s, n);
                if k == 0.0 && n == 1 {
                    push_factors(terms[0].0, &factors_of(a, terms[0].1), &mut stack);
                    continue;
                }
                let mut tasks = Vec::with_capacity(2 * terms.len() + 2);
                for (j, &(c, t)) in terms.iter().enumerate() {
                    match (j, c < 0.0) {
                        (0, false) => {}
                        (0, true) => tasks.push(Task::Text("-")),
                        (_, false) => tasks.push(Task::Text(" + ")),
                        (_, true) => tasks.push(Task::Text(" - ")),
                    }
                    tasks.push(match c.abs() {
                        1.0 => Task::Node(t, PRODUCT),
                        m => Task::Term(m, t),
                    });
                }
                if k != 0.0 {
                    let sign = if k < 0.0 { " - " } else { " + " };
                    tasks.extend([Task::Text(sign), Task::Owned(number(k.abs()))]);
                }
                stack.extend(tasks.into_iter().rev());
            }
            Node::Product(s, n) => push_factors(1.0, a.factors(s, n), &mut stack),
        }
    }
    out
}

/// Pushes `c · Π bᵢ^eᵢ` as `c \cdot a \cdot b^{2}`, or a `\frac` when some `eᵢ < 0`.
fn push_factors(c: f64, factors: &[(u32, i32)], stack: &mut Vec<Task>) {
    let mut tasks = Vec::with_capacity(3 * factors.len() + 6);
    let (numerator, denominator): (Vec<(u32, i32)>, Vec<_>) =
        factors.iter().copied().partition(|f| f.1 > 0);
    let fraction = !denominator.is_empty();
    if c < 0.0 {
        tasks.push(Task::Text("-"));
    }
    if fraction {
        tasks.push(Task::Text(r"\frac{"));
    }
    let m = c.abs();
    if m != 1.0 {
        tasks.push(Task::Owned(number(m)));
    } else if numerator.is_empty() {
        tasks.push(Task::Text("1"));
    }
    let power = |tasks: &mut Vec<Task>, b: u32, e: u32| {
        if e == 1 {
            tasks.push(Task::Node(b, SIGN));
        } else {
            tasks.extend([Task::Node(b, ATOM), Task::Owned(format!("^{{{e}}}"))]);
        }
    };
    // Alone inside the braces of a \frac, a factor needs no parentheses.
    let alone_in = |part: &[(u32, i32)]| fraction && m == 1.0 && matches!(part, [(_, 1)]);
    for (j, &(b, e)) in numerator.iter().enumerate() {
        if j > 0 || m != 1.0 {
            tasks.push(Task::Text(r" \cdot "));
        }
        match alone_in(&numerator) {
            true => tasks.push(Task::Node(b, 0)),
            false => power(&mut tasks, b, e.unsigned_abs()),
        }
    }
    if fraction {
        tasks.push(Task::Text("}{"));
        let alone = matches!(denominator[..], [(_, -1)]);
        for (j, &(b, e)) in denominator.iter().enumerate() {
            if j > 0 {
                tasks.push(Task::Text(r" \cdot "));
            }
            match alone {
                true => tasks.push(Task::Node(b, 0)),
                false => power(&mut tasks, b, e.unsigned_abs()),
            }
        }
        tasks.push(Task::Text("}"));
    }
    stack.extend(tasks.into_iter().rev());
}
