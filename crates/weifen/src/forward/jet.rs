//! `Jet<S>`: truncated Taylor series over any scalar, for the n-th derivative in one pass.

use crate::Scalar;
use crate::ops::{BinaryOp, UnaryOp, taylor, times};

/// A truncated Taylor series `c₀ + c₁t + … + cₙtⁿ` of `f(x + t)`, with `cₖ = f⁽ᵏ⁾(x)/k!`.
///
/// The coefficients are any [`Scalar`]: `Jet<f64>` gives numbers, `Jet<Var>` records the
/// series on a tape (so reverse mode differentiates the n-th derivative once more), `Jet<Expr>`
/// builds it symbolically. Each op uses its Taylor recurrence from the op table where it has
/// one (`O(n²)`: products, quotients, exp, ln, powers, the sin/cos and sinh/cosh pairs); every
/// other op is carried by its rule, one order at a time (for `y = φ(x)`, `y′ = φ′(x, y)·x′`
/// gives `k·yₖ = Σⱼ j·xⱼ·uₖ₋ⱼ` with `u = φ′` evaluated on the jets already known).
///
/// A constant is a jet of length 1; missing coefficients are zero, so jets of different
/// lengths combine.
///
/// ```
/// use weifen::{forward::Jet, Scalar};
///
/// let y = Jet::variable(0.0, 4).sin();
/// assert_eq!(y.coefficients(), &[0.0, 1.0, 0.0, -1.0 / 6.0, 0.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Jet<S = f64> {
    c: Vec<S>,
}

impl<S: Scalar> Jet<S> {
    /// The independent variable at `x`, as a jet of order `n`: `x + t`.
    pub fn variable(x: S, n: usize) -> Jet<S> {
        let mut c = vec![S::constant(0.0); n + 1];
        c[0] = x;
        if n > 0 {
            c[1] = S::constant(1.0);
        }
        Jet { c }
    }

    /// A jet from its Taylor coefficients (an empty slice is the constant 0).
    pub fn from_coefficients(c: &[S]) -> Jet<S> {
        let c = if c.is_empty() {
            vec![S::constant(0.0)]
        } else {
            c.to_vec()
        };
        Jet { c }
    }

    /// The Taylor coefficients `c₀, c₁, …`.
    pub fn coefficients(&self) -> &[S] {
        &self.c
    }

    /// The Taylor coefficients, by value.
    pub fn into_coefficients(self) -> Vec<S> {
        self.c
    }

    fn series(c: Vec<S>) -> Jet<S> {
        Jet { c }
    }
}

impl<S: Scalar> Scalar for Jet<S> {
    fn constant(c: f64) -> Jet<S> {
        Jet {
            c: vec![S::constant(c)],
        }
    }

    fn unary<O: UnaryOp>(self, op: O) -> Jet<S> {
        if let Some(y) = op.taylor(&self.c) {
            return Jet::series(y);
        }
        let y0 = self.c[0].clone().unary(op);
        let y = taylor::by_rule(&self.c, y0, |x, y| {
            let (x, y) = (Jet::from_coefficients(x), Jet::from_coefficients(y));
            op.derivative(&x, &y).c
        });
        Jet::series(y)
    }

    fn binary<O: BinaryOp>(self, op: O, rhs: Jet<S>) -> Jet<S> {
        if let Some(y) = op.taylor(&self.c, &rhs.c) {
            return Jet::series(y);
        }
        // y′ = ∂ₐ·a′ + ∂ᵦ·b′, order by order, with the partials on the jets known so far.
        let n = self.c.len().max(rhs.c.len());
        let get = |s: &[S], k: usize| s.get(k).cloned().unwrap_or_else(|| S::constant(0.0));
        let mut y = vec![self.c[0].clone().binary(op, rhs.c[0].clone())];
        for k in 1..n {
            let a = Jet::from_coefficients(&self.c[..k.min(self.c.len())]);
            let b = Jet::from_coefficients(&rhs.c[..k.min(rhs.c.len())]);
            let (da, db) = op.partials(&a, &b, &Jet::from_coefficients(&y));
            let terms = (1..=k).map(|j| {
                (times(get(&self.c, j), get(&da.c, k - j))
                    + times(get(&rhs.c, j), get(&db.c, k - j)))
                    * j as f64
            });
            let s = terms.reduce(|p, q| p + q).expect("k ≥ 1");
            y.push(s / k as f64);
        }
        Jet::series(y)
    }

    fn is_zero(&self) -> bool {
        self.c.iter().all(S::is_zero)
    }

    fn value_is_zero(&self) -> bool {
        self.c[0].value_is_zero()
    }
}

scalar_operators!([S: Scalar] Jet<S>);
