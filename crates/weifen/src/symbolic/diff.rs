//! Symbolic differentiation: the chain rule over the DAG, with the op table's rules
//! evaluated on expressions.
//!
//! `d(op(u)) = Unary::derivative::<Expr>(u, op(u)) · du` and
//! `d(op(a, b)) = ∂₁·da + ∂₂·db` with the partials from [`Binary::partials`](crate::ops::Binary::partials):
//! there is no second table of derivative rules. Nodes are visited once each in ascending id
//! order (operands first), and each node's derivative is memoised, so the derivative of a DAG
//! of `n` nodes is built with O(n) rule applications: its size grows linearly, where the tree
//! of the same formula can grow exponentially. Terms whose `du` is zero are skipped.
//!
//! Sums and products are n-ary nodes (see `canon.rs`): their rules are the sum rule and the
//! product rule with `powi`'s `n·bⁿ⁻¹`, and small sums that the chain rule makes
//! (`tan′ = tan² + 1`) are multiplied out into the product's terms. With like terms merged
//! at every step, the n-th derivative of `exp(sin x)` is `exp(sin x)` times a polynomial in
//! `sin x` and `cos x` with O(n²) terms, of `tan x` a polynomial of degree n + 1 in `tan x`:
//! repeated differentiation grows polynomially, not exponentially.

use super::canon::DISTRIBUTE;
use super::expr::Expr;
use super::owned::Store;
use super::store::{Arena, IdMap, Node};

impl Expr {
    /// `∂self/∂var`, simplified as it is built. A variable that does not occur gives `0`.
    ///
    /// ```
    /// use weifen::symbolic::Expr;
    ///
    /// let f: Expr = "x^3 + sin(x*y)".parse().unwrap();
    /// assert_eq!(f.diff("x").to_string(), "3*x^2 + y*cos(x*y)");
    /// ```
    pub fn diff(&self, var: &str) -> Expr {
        derivatives(std::slice::from_ref(self), var).swap_remove(0)
    }

    /// The n-th derivative `∂ⁿself/∂varⁿ` (`n = 0` is `self`).
    ///
    /// ```
    /// use weifen::symbolic::Expr;
    ///
    /// let f: Expr = "x^5".parse().unwrap();
    /// assert_eq!(f.nth_diff("x", 3).to_string(), "60*x^2");
    /// ```
    pub fn nth_diff(&self, var: &str, n: usize) -> Expr {
        (0..n).fold(self.clone(), |f, _| f.diff(var))
    }
}

/// The derivatives of several expressions with respect to `var`, sharing one memo (so a
/// Jacobian row's common subexpressions are differentiated once).
fn derivatives(roots: &[Expr], var: &str) -> Vec<Expr> {
    let (store, ids) = Store::common(roots);
    // The rules' numbers (`S::constant`) are built in the roots' store.
    store.with_default(|| derivatives_in(&store, &ids, var))
}

fn derivatives_in(store: &Store, ids: &[u32], var: &str) -> Vec<Expr> {
    let zero = store.constant(0.0);
    let Some(var) = store.lock().find_name(var) else {
        return vec![zero; ids.len()];
    };
    let order = store.lock().reachable(ids);
    let mut d: IdMap<u32, u32> = IdMap::default();
    d.reserve(order.len());
    let e = |id: u32| Expr::new(store.clone(), id);
    for &i in &order {
        let node = store.lock().node(i);
        let dy = match node {
            Node::Const(_) => zero.clone(),
            Node::Var(name) => store.constant(if name == var { 1.0 } else { 0.0 }),
            Node::Unary(op, u) => {
                let du = e(d[&u]);
                if du.is(0.0) {
                    zero.clone()
                } else {
                    op.derivative(&e(u), &e(i)) * du
                }
            }
            Node::Binary(op, a, b) => {
                let (da, db) = (e(d[&a]), e(d[&b]));
                if da.is(0.0) && db.is(0.0) {
                    zero.clone()
                } else {
                    let (pa, pb) = op.partials(&e(a), &e(b), &e(i));
                    pa * da + pb * db
                }
            }
            Node::Sum(_, s, n) => store.build(|a| a.sum_derivative(s, n, |t| d[&t])),
            Node::Product(s, n) => store.build(|a| a.product_derivative(s, n, |b| d[&b])),
        };
        d.insert(i, store.import(&dy));
    }
    ids.iter().map(|i| e(d[i])).collect()
}

impl Arena {
    /// `∂(k + Σ cᵢ·tᵢ) = Σ cᵢ·∂tᵢ`, given the derivative `d(t)` of each term.
    pub(crate) fn sum_derivative(&mut self, s: u32, n: u32, d: impl Fn(u32) -> u32) -> u32 {
        let terms: Vec<(f64, u32)> = self.terms(s, n).iter().map(|&(c, t)| (c, d(t))).collect();
        self.sum(0.0, &terms)
    }

    /// The product rule, `∂Π bᵢ^eᵢ = Σᵢ eᵢ·bᵢ^(eᵢ−1)·∂bᵢ·Π_{j≠i} bⱼ^eⱼ` (the rule of
    /// `powi` in the op table, times the others), given the derivative `d(b)` of each base.
    /// A small sum `∂bᵢ` is multiplied out, so its terms merge with the other terms'.
    pub(crate) fn product_derivative(&mut self, s: u32, n: u32, d: impl Fn(u32) -> u32) -> u32 {
        let factors = self.factors(s, n).to_vec();
        let mut terms = Vec::new();
        for &(b, e) in &factors {
            let db = d(b);
            if self.constant_of(db) == Some(0.0) {
                continue;
            }
            // bᵢ^(eᵢ−1) as bᵢ^eᵢ·bᵢ^−1: the product merges them (and cannot overflow).
            let mut rest = factors.clone();
            rest.push((b, -1));
            let coefficient = f64::from(e);
            match self.node(db) {
                Node::Sum(k, s2, n2) if (n2 as usize) <= DISTRIBUTE => {
                    let parts = self.terms(s2, n2).to_vec();
                    for (c, u) in parts {
                        rest.push((u, 1));
                        terms.push((1.0, self.product(coefficient * c, &rest)));
                        rest.pop();
                    }
                    if k != 0.0 {
                        terms.push((1.0, self.product(coefficient * k, &rest)));
                    }
                }
                _ => {
                    rest.push((db, 1));
                    terms.push((1.0, self.product(coefficient, &rest)));
                }
            }
        }
        self.sum(0.0, &terms)
    }
}

/// Returns `∂f/∂var`; the same as [`Expr::diff`], named as in the other methods' modules.
///
/// ```
/// use weifen::symbolic::{self, Expr};
///
/// let f: Expr = "x*exp(x)".parse().unwrap();
/// assert_eq!(symbolic::derivative(&f, "x").to_string(), "exp(x) + x*exp(x)");
/// ```
pub fn derivative(f: &Expr, var: &str) -> Expr {
    f.diff(var)
}

/// Returns `∂ⁿf/∂varⁿ`; the same as [`Expr::nth_diff`].
///
/// ```
/// use weifen::symbolic::{self, Expr};
///
/// let f: Expr = "sin(x)".parse().unwrap();
/// assert_eq!(symbolic::nth_derivative(&f, "x", 2).to_string(), "-sin(x)");
/// ```
pub fn nth_derivative(f: &Expr, var: &str, n: usize) -> Expr {
    f.nth_diff(var, n)
}

/// Returns `∇f`: the partial derivatives of `f` with respect to `vars`, in order.
///
/// ```
/// use weifen::symbolic::{self, Expr};
///
/// let f: Expr = "x^2*y".parse().unwrap();
/// let g = symbolic::gradient(&f, &["x", "y"]);
/// assert_eq!(g[0].to_string(), "2*x*y");
/// assert_eq!(g[1].to_string(), "x^2");
/// ```
pub fn gradient(f: &Expr, vars: &[&str]) -> Vec<Expr> {
    vars.iter().map(|v| f.diff(v)).collect()
}

/// Returns the Jacobian `J[i][j] = ∂fᵢ/∂varⱼ` of the outputs `f`.
///
/// ```
/// use weifen::symbolic::{self, Expr};
///
/// let f: Vec<Expr> = ["x*y", "x + y"].iter().map(|s| s.parse().unwrap()).collect();
/// let j = symbolic::jacobian(&f, &["x", "y"]);
/// assert_eq!(j[0][0].to_string(), "y");
/// assert_eq!(j[1][1].to_string(), "1");
/// ```
pub fn jacobian(f: &[Expr], vars: &[&str]) -> Vec<Vec<Expr>> {
    let columns: Vec<Vec<Expr>> = vars.iter().map(|v| derivatives(f, v)).collect();
    (0..f.len())
        .map(|i| columns.iter().map(|col| col[i].clone()).collect())
        .collect()
}

/// Returns the Hessian `H[i][j] = ∂²f/∂varᵢ∂varⱼ` (symmetric: the upper triangle is the
/// lower one, the same nodes).
///
/// ```
/// use weifen::symbolic::{self, Expr};
///
/// let f: Expr = "x^2*y".parse().unwrap();
/// let h = symbolic::hessian(&f, &["x", "y"]);
/// assert_eq!(h[0][0].to_string(), "2*y");
/// assert_eq!(h[0][1], h[1][0]);
/// ```
pub fn hessian(f: &Expr, vars: &[&str]) -> Vec<Vec<Expr>> {
    let g = gradient(f, vars);
    let lower = jacobian(&g, vars);
    (0..vars.len())
        .map(|i| {
            (0..vars.len())
                .map(|j| lower[i.max(j)][i.min(j)].clone())
                .collect()
        })
        .collect()
}
