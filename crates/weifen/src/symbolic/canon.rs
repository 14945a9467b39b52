//! Canonical forms, built as nodes are made: every expression is a sum of products with
//! numeric coefficients, so like terms and like factors always meet.
//!
//! * A **sum** is `k + Σ cᵢ·tᵢ`: the terms `tᵢ` are not numbers, not sums, and carry no
//!   coefficient of their own; they are sorted (by `Arena::order`) and distinct (like terms merged, zero
//!   coefficients dropped). `c·t` alone is the sum `0 + c·t`; `t` alone is `t`.
//! * A **product** is `Π bᵢ^eᵢ` with integer exponents: the bases are not products and not
//!   numbers (but one divisor that does not fold exactly: `x/3`, never `x/2`, which is `0.5·x`);
//!   sorted, distinct (`x·x → x²`, `x/x → 1`), exponents non-zero. A product
//!   has no coefficient: `3·x·y` is the sum `0 + 3·(x·y)`, and `3·(a + b)` the sum `0 + 3·(a + b)`
//!   (multiplied out when it joins another sum).
//! * `−x`, `1/x`, `x^n`, `a − b`, `a / b` are built as sums and products; no other node is
//!   `+ − × ÷`.
//!
//! Sums with [`CAP`] terms and products with [`FACTORS`] factors are left closed (not
//! flattened into an enclosing sum or product), so building a chain of a million additions one
//! term at a time stays linear; larger ones are split into closed groups of that size.
//!
//! Every rule is a rewrite that holds for real numbers where both sides are defined; the ones
//! that extend a domain (`x − x → 0`, `0·x → 0`, `x/x → 1`, `x^0 → 1`) are listed in the
//! module docs.

use super::store::{Arena, Node, Shape};
use crate::ops::{Binary, Unary};

/// The number of terms at which a sum is left closed.
pub(crate) const CAP: usize = 256;

/// The number of factors at which a product is left closed. Small, because the product rule
/// copies every factor into each of its terms: a closed product is differentiated once (and
/// memoised), so `f·g·h` nested n deep has a first derivative of O(n) nodes, not O(n²).
pub(crate) const FACTORS: usize = 8;

/// The largest sum a product rule multiplies out (`x·(t² + 1) → x·t² + x`): small sums such
/// as the chain rule's `tan′ = tan² + 1` merge with their neighbours' terms; large ones stay
/// a factor (multiplying them out could square the size).
pub(crate) const DISTRIBUTE: usize = 4;

/// Whether a folded constant keeps the formula readable: an integer, or a short decimal.
pub(crate) fn readable(v: f64) -> bool {
    let integer = v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0;
    integer || format!("{v}").len() <= 8
}

/// The terms sorted, like terms added up (stably: in the order given), zeros dropped.
fn merge_terms(a: &Arena, mut out: Vec<(f64, u32)>) -> Vec<(f64, u32)> {
    out.sort_by(|p, q| a.order(p.1, q.1));
    let mut merged: Vec<(f64, u32)> = Vec::with_capacity(out.len());
    for (c, t) in out {
        match merged.last_mut() {
            Some(last) if last.1 == t => last.0 += c,
            _ => merged.push((c, t)),
        }
    }
    merged.retain(|&(c, _)| c != 0.0);
    merged
}

impl Arena {
    /// The number `v`.
    pub(crate) fn constant(&mut self, v: f64) -> u32 {
        self.intern(Shape::Leaf(Node::Const(v)))
    }

    /// The variable `name`.
    pub(crate) fn var(&mut self, name: &str) -> u32 {
        let n = self.intern_name(name);
        self.intern(Shape::Leaf(Node::Var(n)))
    }

    /// `k + Σ cᵢ·tᵢ`, canonical.
    pub(crate) fn sum(&mut self, k: f64, terms: &[(f64, u32)]) -> u32 {
        let mut constant = k;
        let mut out = Vec::with_capacity(terms.len() + 4);
        for &(c, t) in terms {
            self.push_term(c, t, &mut constant, &mut out);
        }
        self.finish_sum(constant, out)
    }

    /// Adds `c·t` to a sum being built, flattening `t` if it is a sum (a scaled sum
    /// `k·(a + b)` holds one: two levels at most).
    fn push_term(&self, c: f64, t: u32, constant: &mut f64, out: &mut Vec<(f64, u32)>) {
        match self.node(t) {
            Node::Const(v) => *constant += c * v,
            Node::Sum(k, s, n) if (n as usize) < CAP => {
                if k != 0.0 {
                    *constant += c * k;
                }
                for &(ci, ti) in self.terms(s, n) {
                    self.push_term(c * ci, ti, constant, out);
                }
            }
            _ => out.push((c, t)),
        }
    }

    fn finish_sum(&mut self, constant: f64, out: Vec<(f64, u32)>) -> u32 {
        if constant.is_nan() {
            return self.constant(f64::NAN);
        }
        let mut merged = merge_terms(self, out);
        // A coefficient may have become divisible by its term's divisor (1.5·(x/1.5) → x,
        // also once like terms have added up); the term then may meet another like it.
        let mut divided = false;
        for term in &mut merged {
            if let Some(reduced) = self.divide_out(term.0, term.1) {
                *term = reduced;
                divided = true;
            }
        }
        if divided {
            merged = merge_terms(self, merged);
        }
        let constant = if constant == 0.0 { 0.0 } else { constant };
        match merged.len() {
            0 => self.constant(constant),
            1 if constant == 0.0 && merged[0].0 == 1.0 => merged[0].1,
            n if n > CAP => {
                let full = n / CAP * CAP;
                let mut next: Vec<(f64, u32)> = merged[..full]
                    .chunks(CAP)
                    .map(|chunk| (1.0, self.intern(Shape::Sum(0.0, chunk))))
                    .collect();
                next.extend_from_slice(&merged[full..]);
                self.finish_sum(constant, next)
            }
            _ => self.intern(Shape::Sum(constant, &merged)),
        }
    }

    /// `c·t` as `(c/d, t·d)` when `t` is a product with a divisor `d` and `c/d` is exact and
    /// short.
    fn divide_out(&mut self, c: f64, t: u32) -> Option<(f64, u32)> {
        let Node::Product(s, n) = self.node(t) else {
            return None;
        };
        let factors = self.factors(s, n);
        let at = factors
            .iter()
            .position(|&(b, _)| self.constant_of(b).is_some())?;
        let d = self.constant_of(factors[at].0)?;
        let q = c / d;
        if !(q * d == c && readable(q)) {
            return None;
        }
        let mut rest = factors.to_vec();
        rest.remove(at);
        Some((q, self.product(1.0, &rest)))
    }

    /// `coefficient · Π bᵢ^eᵢ`, canonical.
    pub(crate) fn product(&mut self, coefficient: f64, factors: &[(u32, i32)]) -> u32 {
        let mut k = coefficient;
        let mut out = Vec::with_capacity(factors.len() + 4);
        for &(b, e) in factors {
            self.push_factor(b, e, &mut k, &mut out);
        }
        self.finish_product(k, out)
    }

    fn push_factor(&mut self, b: u32, e: i32, k: &mut f64, out: &mut Vec<(u32, i32)>) {
        match self.node(b) {
            Node::Const(v) => self.push_number(v, e, k, out),
            Node::Sum(0.0, s, 1) => {
                let (c, t) = self.terms(s, 1)[0];
                self.push_number(c, e, k, out);
                self.push_factor(t, e, k, out);
            }
            Node::Product(s, n) if (n as usize) < FACTORS => {
                let inner = self.factors(s, n);
                if inner
                    .iter()
                    .all(|&(_, ei)| ei.checked_mul(e).is_some_and(|p| p != i32::MIN))
                {
                    out.extend(inner.iter().map(|&(bi, ei)| (bi, ei * e)));
                } else {
                    out.push((b, e));
                }
            }
            _ => out.push((b, e)),
        }
    }

    /// Multiplies the coefficient by `v^e`, or, for a negative `e`, keeps the divisor
    /// `|v|^−e` as a factor `(d, −1)` (the sign moved to the coefficient);
    /// [`Arena::finish_product`] multiplies the divisors together and folds the quotient when
    /// it is exact (`x/3` stays, `x/2` is `0.5·x`).
    fn push_number(&mut self, v: f64, e: i32, k: &mut f64, out: &mut Vec<(u32, i32)>) {
        let d = v.abs().powi(-e);
        if e >= 0 || v == 0.0 || !v.is_finite() || !d.is_finite() || d == 0.0 {
            *k *= v.powi(e);
            return;
        }
        if v < 0.0 && e % 2 != 0 {
            *k = -*k;
        }
        let divisor = self.constant(d);
        out.push((divisor, -1));
    }

    fn finish_product(&mut self, mut k: f64, mut out: Vec<(u32, i32)>) -> u32 {
        out.sort_by(|p, q| self.order(p.0, q.0));
        let mut merged: Vec<(u32, i32)> = Vec::with_capacity(out.len());
        for (b, e) in out {
            match merged.last_mut() {
                // i32::MIN has no magnitude in i32: keep such powers apart.
                Some(last)
                    if last.0 == b && last.1.checked_add(e).is_some_and(|s| s != i32::MIN) =>
                {
                    last.1 += e
                }
                _ => merged.push((b, e)),
            }
        }
        merged.retain(|&(_, e)| e != 0);
        // Numbers are divisors `(d, −1)` (see `push_number`): one divisor, their product,
        // divides the coefficient when the quotient is exact and short or the divisor a power
        // of two (2·x/4 → 0.5·x, pi/2 is a number); otherwise it stays (x/3).
        let mut divisor = 1.0;
        merged.retain(|&(b, e)| match self.constant_of(b) {
            Some(d) => {
                divisor *= d.powi(-e);
                false
            }
            None => true,
        });
        if divisor != 1.0 {
            let q = k / divisor;
            let power_of_two = divisor.is_normal() && divisor.to_bits() & ((1 << 52) - 1) == 0;
            let exact = divisor.is_finite() && q * divisor == k;
            if !divisor.is_finite() || divisor == 0.0 || (exact && (readable(q) || power_of_two)) {
                k = q;
            } else {
                let d = self.constant(divisor);
                merged.push((d, -1));
                merged.sort_by(|p, q| self.order(p.0, q.0));
            }
        }
        if k.is_nan() {
            return self.constant(f64::NAN);
        }
        if k == 0.0 || merged.is_empty() {
            return self.constant(if k == 0.0 { 0.0 } else { k });
        }
        if merged.len() > FACTORS {
            let full = merged.len() / FACTORS * FACTORS;
            let mut next: Vec<(u32, i32)> = merged[..full]
                .chunks(FACTORS)
                .map(|chunk| (self.intern(Shape::Product(chunk)), 1))
                .collect();
            next.extend_from_slice(&merged[full..]);
            return self.finish_product(k, next);
        }
        let p = match merged[..] {
            [(b, 1)] => b,
            _ => self.intern(Shape::Product(&merged)),
        };
        match self.node(p) {
            _ if k == 1.0 => p,
            // k·(a + b) stays a product: multiplying it out would depend on the order the
            // factors came in (0.5·(x + y)·z must equal 0.5·((x + y)·z)). A sum it joins
            // multiplies it out.
            Node::Sum(..) => self.intern(Shape::Sum(0.0, &[(k, p)])),
            _ => self.sum(0.0, &[(k, p)]),
        }
    }

    /// `op(x)`, canonical.
    pub(crate) fn unary(&mut self, op: Unary, x: u32) -> u32 {
        use Unary::*;
        if let Some(v) = self.constant_of(x) {
            let y = op.eval(v);
            if matches!(op, Neg | Abs | Sign) || !y.is_finite() || readable(y) {
                return self.constant(y);
            }
        }
        match op {
            Neg => return self.sum(0.0, &[(-1.0, x)]),
            Recip => return self.product(1.0, &[(x, -1)]),
            // i32::MIN stays an op of its own: a product's exponents have a magnitude.
            Powi(n) if n != i32::MIN => return self.product(1.0, &[(x, n)]),
            Powf(p) if p.fract() == 0.0 && p.abs() <= f64::from(i32::MAX) => {
                return self.product(1.0, &[(x, p as i32)]);
            }
            Abs => match self.node(x) {
                Node::Unary(Abs, _) => return x,
                // |c·t| = |c|·|t|
                Node::Sum(0.0, s, 1) => {
                    let (c, t) = self.terms(s, 1)[0];
                    let a = self.unary(Abs, t);
                    return self.product(c.abs(), &[(a, 1)]);
                }
                _ => {}
            },
            _ => {}
        }
        self.intern(Shape::Leaf(Node::Unary(op, x)))
    }

    /// `op(a, b)`, canonical.
    pub(crate) fn binary(&mut self, op: Binary, a: u32, b: u32) -> u32 {
        match op {
            Binary::Add => self.sum(0.0, &[(1.0, a), (1.0, b)]),
            Binary::Sub => self.sum(0.0, &[(1.0, a), (-1.0, b)]),
            Binary::Mul => self.product(1.0, &[(a, 1), (b, 1)]),
            Binary::Div => {
                if let (Some(x), Some(y)) = (self.constant_of(a), self.constant_of(b)) {
                    let q = x / y;
                    if !q.is_finite() || (q * y == x && readable(q)) {
                        return self.constant(q);
                    }
                }
                self.product(1.0, &[(a, 1), (b, -1)])
            }
            Binary::Pow => {
                if let Some(k) = self.constant_of(b) {
                    return self.unary(Unary::Powf(k), a); // an integer k becomes a product
                }
                if self.constant_of(a) == Some(std::f64::consts::E) {
                    return self.unary(Unary::Exp, b);
                }
                // a^(b + k) → a^b·a^k for an integer k, so that the powers a^(b − 1),
                // a^(b − 2)… of pow's derivatives are one node times powers of a.
                if let Node::Sum(k, s, n) = self.node(b) {
                    let whole = k != 0.0 && k.fract() == 0.0 && k.abs() <= 1024.0;
                    if whole {
                        let rest = self.terms(s, n).to_vec();
                        let b = self.sum(0.0, &rest);
                        let p = self.binary(Binary::Pow, a, b);
                        return self.product(1.0, &[(p, 1), (a, k as i32)]);
                    }
                }
                self.intern(Shape::Leaf(Node::Binary(op, a, b)))
            }
            _ => {
                if let (Some(x), Some(y)) = (self.constant_of(a), self.constant_of(b)) {
                    let v = op.eval(x, y);
                    if !v.is_finite() || readable(v) {
                        return self.constant(v);
                    }
                }
                self.intern(Shape::Leaf(Node::Binary(op, a, b)))
            }
        }
    }
}
