//! Lowering: the DAG of some roots as a list of unary and binary ops (one value each, in
//! ascending id order, operands first). A sum of `n` terms becomes `n − 1` additions or
//! subtractions (a coefficient other than ±1 one multiplication), a product its numerator,
//! its denominator and one division; numbers and powers are computed once each, factors
//! common to a sum's terms are taken out, and ops nothing uses are dropped.

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
    powers: IdMap<(usize, u32), usize>,
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

    /// `base^m` for `m > 0`, computed once per base and exponent.
    fn power(&mut self, base: usize, m: u32) -> usize {
        if m == 1 {
            return base;
        }
        if let Some(&p) = self.powers.get(&(base, m)) {
            return p;
        }
        let n = i32::try_from(m).unwrap_or(i32::MAX);
        let p = self.push(Op::Unary(Unary::Powi(n), base));
        self.powers.insert((base, m), p);
        p
    }

    /// `Π bᵢ^eᵢ` as a numerator, a denominator and one division; `None` for no factor (1).
    fn factors(&mut self, value: &IdMap<u32, usize>, factors: &[(u32, i32)]) -> Option<usize> {
        let (mut numerator, mut denominator) = (None, None);
        for &(b, e) in factors {
            let power = self.power(value[&b], e.unsigned_abs());
            if e > 0 {
                numerator = Some(self.times(numerator, power));
            } else {
                denominator = Some(self.times(denominator, power));
            }
        }
        match (numerator, denominator) {
            (p, None) => p,
            (Some(p), Some(q)) => Some(self.push(Op::Binary(Binary::Div, p, q))),
            (None, Some(q)) => Some(self.push(Op::Unary(Unary::Recip, q))),
        }
    }

    /// `k + Σ cᵢ·tᵢ`. Without a constant, factors that every term has (to the least power
    /// they have it) are taken out: `4·E − 4x·E − x·E·p` is computed as `E·(4 − 4x − x·p)`.
    fn sum(&mut self, a: &Arena, value: &IdMap<u32, usize>, k: f64, terms: &[(f64, u32)]) -> usize {
        let lists: Vec<Vec<(u32, i32)>> = terms
            .iter()
            .map(|&(_, t)| match a.node(t) {
                Node::Product(s, n) => a.factors(s, n).to_vec(),
                _ => vec![(t, 1)],
            })
            .collect();
        let power_in =
            |list: &[(u32, i32)], b: u32| list.iter().find(|f| f.0 == b).map_or(0, |f| f.1);
        let common: Vec<(u32, i32)> = match (k == 0.0, lists.split_first()) {
            (true, Some((first, rest))) if !rest.is_empty() => first
                .iter()
                .filter(|f| f.1 > 0)
                .map(|&(b, e)| (b, rest.iter().fold(e, |m, l| m.min(power_in(l, b).max(0)))))
                .filter(|f| f.1 > 0)
                .collect(),
            _ => Vec::new(),
        };
        let mut acc = None;
        for (&(c, t), list) in terms.iter().zip(&lists) {
            let reduced = if common.is_empty() {
                Some(value[&t])
            } else {
                let rest: Vec<(u32, i32)> = list
                    .iter()
                    .map(|&(b, e)| (b, e - power_in(&common, b)))
                    .filter(|f| f.1 != 0)
                    .collect();
                self.factors(value, &rest)
            };
            let term = match (reduced, c.abs()) {
                (Some(v), 1.0) => v,
                (Some(v), m) => {
                    let factor = self.constant(m);
                    self.push(Op::Binary(Binary::Mul, factor, v))
                }
                (None, m) => self.constant(m),
            };
            acc = Some(self.accumulate(acc, term, c < 0.0));
        }
        if k != 0.0 {
            let constant = self.constant(k.abs());
            acc = Some(self.accumulate(acc, constant, k < 0.0));
        }
        let sum = acc.expect("a sum has a term");
        match self.factors(value, &common) {
            Some(f) => self.push(Op::Binary(Binary::Mul, f, sum)),
            None => sum,
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
            Node::Sum(k, s, n) => low.sum(a, &value, k, a.terms(s, n)),
            Node::Product(s, n) => low
                .factors(&value, a.factors(s, n))
                .expect("a product has a factor"),
        };
        value.insert(i, v);
    }
    let root_values: Vec<usize> = roots.iter().map(|r| value[r]).collect();
    Ok(live(low.ops, root_values))
}

/// The ops that the roots use (a sum whose terms share a factor computes its terms without
/// it, so their own values may go unused), renumbered, and the roots' new positions.
fn live(ops: Vec<Op>, roots: Vec<usize>) -> (Vec<Op>, Vec<usize>) {
    let mut used = vec![false; ops.len()];
    roots.iter().for_each(|&r| used[r] = true);
    for k in (0..ops.len()).rev() {
        if used[k] {
            match ops[k] {
                Op::Unary(_, x) => used[x] = true,
                Op::Binary(_, x, y) => {
                    used[x] = true;
                    used[y] = true;
                }
                Op::Const(_) | Op::Input(_) => {}
            }
        }
    }
    let mut position = vec![usize::MAX; ops.len()];
    let mut kept = Vec::with_capacity(ops.len());
    for (k, op) in ops.into_iter().enumerate() {
        if used[k] {
            position[k] = kept.len();
            kept.push(match op {
                Op::Unary(f, x) => Op::Unary(f, position[x]),
                Op::Binary(f, x, y) => Op::Binary(f, position[x], position[y]),
                other => other,
            });
        }
    }
    let roots = roots.iter().map(|&r| position[r]).collect();
    (kept, roots)
}
