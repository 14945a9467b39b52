//! Lowering: the DAG of some roots as a list of unary and binary ops (one value each, in
//! ascending id order, operands first). A sum of `n` terms becomes `n − 1` additions or
//! subtractions (a coefficient other than ±1 one multiplication), a product its numerator,
//! its denominator and one division; numbers are listed once each.

use super::error::EvalError;
use super::store::{Arena, IdMap, Node};
use crate::ops::{Binary, Unary};

/// One value of the lowered program: operands are indices of earlier values.
#[derive(Clone, Copy)]
pub(crate) enum Op {
    Const(f64),
    Input(usize),
    Unary(Unary, usize),
    Binary(Binary, usize, usize),
}

#[derive(Default)]
struct Lowering {
    ops: Vec<Op>,
    constants: IdMap<u64, usize>,
}

impl Lowering {
    fn push(&mut self, op: Op) -> usize {
        self.ops.push(op);
        self.ops.len() - 1
    }

    fn constant(&mut self, v: f64) -> usize {
        if let Some(&i) = self.constants.get(&v.to_bits()) {
            return i;
        }
        let i = self.push(Op::Const(v));
        self.constants.insert(v.to_bits(), i);
        i
    }

    /// `acc ± value` (or `value` when there is no `acc` yet).
    fn accumulate(&mut self, acc: Option<usize>, value: usize, negative: bool) -> usize {
        match (acc, negative) {
            (None, false) => value,
            (None, true) => self.push(Op::Unary(Unary::Neg, value)),
            (Some(a), false) => self.push(Op::Binary(Binary::Add, a, value)),
            (Some(a), true) => self.push(Op::Binary(Binary::Sub, a, value)),
        }
    }

    fn times(&mut self, acc: Option<usize>, value: usize) -> usize {
        match acc {
            None => value,
            Some(a) => self.push(Op::Binary(Binary::Mul, a, value)),
        }
    }
}

/// The DAG of `roots` as a list of unary and binary ops, and the value of each root.
pub(crate) fn lower(
    a: &Arena,
    roots: &[u32],
    variables: &[&str],
) -> Result<(Vec<Op>, Vec<usize>), EvalError> {
    let order = a.reachable(roots);
    let mut low = Lowering::default();
    let mut value: IdMap<u32, usize> = IdMap::default();
    for &i in &order {
        let v = match a.node(i) {
            Node::Const(c) => low.constant(c),
            Node::Var(n) => {
                let name = a.name(n);
                let Some(k) = variables.iter().position(|v| *v == name) else {
                    return Err(EvalError::UnknownVariable {
                        name: name.to_string(),
                    });
                };
                low.push(Op::Input(k))
            }
            Node::Unary(op, x) => low.push(Op::Unary(op, value[&x])),
            Node::Binary(op, x, y) => low.push(Op::Binary(op, value[&x], value[&y])),
            Node::Sum(k, s, n) => {
                let mut acc = None;
                for &(c, t) in a.terms(s, n) {
                    let term = if c.abs() == 1.0 {
                        value[&t]
                    } else {
                        let factor = low.constant(c.abs());
                        low.push(Op::Binary(Binary::Mul, factor, value[&t]))
                    };
                    acc = Some(low.accumulate(acc, term, c < 0.0));
                }
                if k != 0.0 {
                    let constant = low.constant(k.abs());
                    acc = Some(low.accumulate(acc, constant, k < 0.0));
                }
                acc.expect("a sum has a term")
            }
            Node::Product(s, n) => {
                let (mut numerator, mut denominator) = (None, None);
                for &(b, e) in a.factors(s, n) {
                    let power = match e.unsigned_abs() {
                        1 => value[&b],
                        m => {
                            let m = i32::try_from(m).unwrap_or(i32::MAX);
                            low.push(Op::Unary(Unary::Powi(m), value[&b]))
                        }
                    };
                    if e > 0 {
                        numerator = Some(low.times(numerator, power));
                    } else {
                        denominator = Some(low.times(denominator, power));
                    }
                }
                match (numerator, denominator) {
                    (Some(p), None) => p,
                    (Some(p), Some(q)) => low.push(Op::Binary(Binary::Div, p, q)),
                    (None, Some(q)) => low.push(Op::Unary(Unary::Recip, q)),
                    (None, None) => unreachable!("a product has a factor"),
                }
            }
        };
        value.insert(i, v);
    }
    let root_values = roots.iter().map(|r| value[r]).collect();
    Ok((low.ops, root_values))
}
