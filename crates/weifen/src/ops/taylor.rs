//! Taylor recurrences over any scalar, for the op table's `taylor` facets.
//!
//! A series is a slice of coefficients `c₀, c₁, …` of `x(t) = Σ cₖ tᵏ`; a missing coefficient
//! is zero, so series of different lengths combine (a constant is a series of length 1).
//! Every recurrence is `O(n²)` and causal: coefficient `k` of the result needs coefficients
//! up to `k` of the arguments. The identities used are `y′ = u·x′` solved order by order
//! (`k·yₖ = Σⱼ j·xⱼ·uₖ₋ⱼ`).

use super::times;
use crate::Scalar;

fn get<S: Scalar>(x: &[S], k: usize) -> S {
    x.get(k).cloned().unwrap_or_else(|| S::constant(0.0))
}

fn sum<S: Scalar>(mut terms: impl Iterator<Item = S>) -> S {
    let first = terms.next().unwrap_or_else(|| S::constant(0.0));
    terms.fold(first, |acc, t| acc + t)
}

/// `x + c`.
pub fn add_constant<S: Scalar>(x: &[S], c: f64) -> Vec<S> {
    let mut y = x.to_vec();
    y[0] = y[0].clone() + c;
    y
}

/// Coefficient-wise `op(a, b)` (addition, subtraction).
pub fn zip<S: Scalar>(a: &[S], b: &[S], op: impl Fn(S, S) -> S) -> Vec<S> {
    let n = a.len().max(b.len());
    (0..n).map(|k| op(get(a, k), get(b, k))).collect()
}

/// The Cauchy product `a·b`.
pub fn mul<S: Scalar>(a: &[S], b: &[S]) -> Vec<S> {
    let n = a.len().max(b.len());
    (0..n)
        .map(|k| {
            let lo = k.saturating_sub(b.len() - 1);
            let hi = k.min(a.len() - 1);
            if lo > hi {
                S::constant(0.0)
            } else {
                sum((lo..=hi).map(|j| times(a[j].clone(), b[k - j].clone())))
            }
        })
        .collect()
}

/// `a/b`: `q` solves `b·q = a` order by order.
pub fn div<S: Scalar>(a: &[S], b: &[S]) -> Vec<S> {
    let n = a.len().max(b.len());
    let mut q: Vec<S> = Vec::with_capacity(n);
    for k in 0..n {
        let s = sum((1..=k.min(b.len() - 1)).map(|j| times(b[j].clone(), q[k - j].clone())));
        let qk = if k == 0 { get(a, 0) } else { get(a, k) - s };
        q.push(qk / b[0].clone());
    }
    q
}

/// `Σⱼ₌₁ᵏ j·xⱼ·uₖ₋ⱼ / k`: coefficient `k` of `y` where `y′ = u·x′`.
fn integrate_step<S: Scalar>(x: &[S], u: &[S], k: usize) -> S {
    let s = sum((1..=k.min(x.len() - 1)).map(|j| times(x[j].clone(), get(u, k - j)) * j as f64));
    s / k as f64
}

/// `eˣ`: `y′ = y·x′`.
pub fn exp<S: Scalar>(x: &[S]) -> Vec<S> {
    let mut y = vec![x[0].clone().exp()];
    for k in 1..x.len() {
        let yk = integrate_step(x, &y, k);
        y.push(yk);
    }
    y
}

/// `ln x`: `y′ = x′/x`. Outside the domain every coefficient is NaN like the value.
pub fn ln<S: Scalar>(x: &[S]) -> Vec<S> {
    logarithm(x, x[0].clone().ln(), 1.0)
}

/// A logarithm `y = log_b(x)` given its value `y0` and `scale = 1/ln b`: `y′ = scale·x′/x`.
pub fn logarithm<S: Scalar>(x: &[S], y0: S, scale: f64) -> Vec<S> {
    let dx: Vec<S> = (1..x.len()).map(|j| x[j].clone() * j as f64).collect();
    let mut y = vec![y0.clone()];
    if !dx.is_empty() {
        let q = div(&dx, x);
        y.extend(
            q.into_iter()
                .take(x.len() - 1)
                .enumerate()
                .map(|(k, qk)| super::nan_where_nan(qk * (scale / (k + 1) as f64), y0.clone())),
        );
    }
    y
}

/// `(sin x, cos x)`, or `(sinh x, cosh x)` when `hyperbolic`: `s′ = c·x′`, `c′ = ∓s·x′`.
pub fn sin_cos<S: Scalar>(x: &[S], hyperbolic: bool) -> (Vec<S>, Vec<S>) {
    let x0 = x[0].clone();
    let (mut s, mut c) = if hyperbolic {
        (vec![x0.clone().sinh()], vec![x0.cosh()])
    } else {
        (vec![x0.clone().sin()], vec![x0.cos()])
    };
    for k in 1..x.len() {
        let sk = integrate_step(x, &c, k);
        let ck = integrate_step(x, &s, k);
        s.push(sk);
        c.push(if hyperbolic { ck } else { -ck });
    }
    (s, c)
}

/// `xⁿ`: for `n ≥ 0` by binary powering with exact series products (no division by `x₀`, so
/// exact at `x₀ = 0`); for `n < 0` by the recurrence of [`powf`], which keeps the scale of
/// `xⁿ` (the reciprocal of `x⁻ⁿ` underflows through `1/x²ⁿ` where `xⁿ⁻¹` does not).
pub fn powi<S: Scalar>(x: &[S], n: i32) -> Vec<S> {
    if n < 0
        && let Some(y) = powf(x, f64::from(n))
    {
        return y;
    }
    let mut result = vec![S::constant(1.0)];
    let mut base = x.to_vec();
    let mut k = n.unsigned_abs();
    while k > 0 {
        if k & 1 == 1 {
            result = mul(&result, &base);
        }
        k >>= 1;
        if k > 0 {
            base = mul(&base, &base);
        }
    }
    // Pad a constant result (n = 0) to the length of x.
    result.resize(x.len(), S::constant(0.0));
    if n < 0 {
        div(&[S::constant(1.0)], &result)
    } else {
        result
    }
}

/// `√x` for `x₀ > 0`: `y² = x` gives `2·y₀·yₖ = xₖ − Σ₀<ⱼ<ₖ yⱼ·yₖ₋ⱼ`. Unlike the
/// general power recurrence it never divides by `x₀`, so near 0, where the derivatives
/// overflow, their derivatives (reverse mode through a jet) stay ±∞ instead of `∞ − ∞`.
pub fn sqrt<S: Scalar>(x: &[S]) -> Option<Vec<S>> {
    let y0 = x[0].clone().sqrt();
    if x.len() > 1 && y0.value_is_zero() {
        return None;
    }
    let twice = y0.clone() * 2.0;
    let mut y = vec![y0];
    for k in 1..x.len() {
        let s = sum((1..k).map(|j| times(y[j].clone(), y[k - j].clone())));
        y.push((x[k].clone() - s) / twice.clone());
    }
    Some(y)
}

/// `xᶜ` for `x₀ ≠ 0`: `x·y′ = c·y·x′` gives `k·x₀·yₖ = Σⱼ (c·j − (k − j))·xⱼ·yₖ₋ⱼ`. At
/// `x₀ = 0` the recurrence divides by zero: `None`, and the rule carries the op.
pub fn powf<S: Scalar>(x: &[S], c: f64) -> Option<Vec<S>> {
    let x0 = x[0].clone();
    let y0 = x0.clone().powf(c);
    // The recurrence scales every coefficient by y₀: where y₀ underflows to 0 (x₀ = 1e-300,
    // c = 1.5) although the derivatives do not, the rule carries the op instead.
    if x.len() > 1 && (x0.value_is_zero() || y0.value_is_zero()) {
        return None;
    }
    let mut y = vec![y0];
    for k in 1..x.len() {
        let s = sum((1..=k)
            .map(|j| times(x[j].clone(), y[k - j].clone()) * (c * j as f64 - (k - j) as f64)));
        y.push(s / (x0.clone() * k as f64));
    }
    Some(y)
}

/// The series of `y = op(x)` from the op's rule, one order at a time: `k·yₖ = Σⱼ j·xⱼ·uₖ₋ⱼ`
/// with `u = rule(x, y)` evaluated on the series known so far (`uₖ₋₁` needs `x` and `y` up to
/// order `k − 1` only). `rule` receives and returns series.
pub fn by_rule<S: Scalar>(x: &[S], y0: S, rule: impl Fn(&[S], &[S]) -> Vec<S>) -> Vec<S> {
    let mut y = vec![y0];
    for k in 1..x.len() {
        let u = rule(&x[..k], &y);
        let yk = integrate_step(x, &u, k);
        y.push(yk);
    }
    y
}
