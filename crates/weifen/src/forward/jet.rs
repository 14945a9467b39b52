//! `Jet`: truncated Taylor series, for the n-th derivative in one pass.

use crate::Scalar;
use crate::ops::{Binary, Unary};

/// A truncated Taylor series `c₀ + c₁t + … + cₙtⁿ` of `f(x + t)`, with `cₖ = f⁽ᵏ⁾(x)/k!`.
///
/// Multiplication, division and the exponential, logarithm, square root, power and the
/// trigonometric and hyperbolic pairs have their `O(n²)` recurrences. Every other op is
/// carried by its rule from the op table: for `y = φ(x)`, `y′ = φ′(x)·x′` gives
/// `k·yₖ = Σⱼ j·xⱼ·uₖ₋ⱼ` with `u = φ′(x, y)` evaluated on the jets already known, one order
/// at a time (Taylor arithmetic is causal: `uₖ₋₁` needs only `x` and `y` up to order `k − 1`).
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
pub struct Jet {
    c: Vec<f64>,
}

impl Jet {
    /// The independent variable at `x`, as a jet of order `n`: `x + t`.
    pub fn variable(x: f64, n: usize) -> Jet {
        let mut c = vec![0.0; n + 1];
        c[0] = x;
        if n > 0 {
            c[1] = 1.0;
        }
        Jet { c }
    }

    /// A jet from its Taylor coefficients (an empty slice is the constant 0).
    pub fn from_coefficients(c: &[f64]) -> Jet {
        let c = if c.is_empty() { vec![0.0] } else { c.to_vec() };
        Jet { c }
    }

    /// The Taylor coefficients `c₀, c₁, …`.
    pub fn coefficients(&self) -> &[f64] {
        &self.c
    }

    /// The Taylor coefficients, by value.
    pub fn into_coefficients(self) -> Vec<f64> {
        self.c
    }

    fn get(&self, k: usize) -> f64 {
        self.c.get(k).copied().unwrap_or(0.0)
    }

    fn prefix(&self, len: usize) -> Jet {
        Jet::from_coefficients(&self.c[..len.min(self.c.len())])
    }

    fn add_f64(mut self, a: f64) -> Jet {
        self.c[0] += a;
        self
    }

    fn mul_f64(mut self, a: f64) -> Jet {
        self.c.iter_mut().for_each(|ck| *ck *= a);
        self
    }

    fn div_f64(mut self, a: f64) -> Jet {
        self.c.iter_mut().for_each(|ck| *ck /= a);
        self
    }

    fn zip(self, other: Jet, op: impl Fn(f64, f64) -> f64) -> Jet {
        let n = self.c.len().max(other.c.len());
        Jet {
            c: (0..n).map(|k| op(self.get(k), other.get(k))).collect(),
        }
    }

    fn mul(&self, other: &Jet) -> Jet {
        let n = self.c.len().max(other.c.len());
        let c = (0..n)
            .map(|k| (0..=k).map(|j| self.get(j) * other.get(k - j)).sum())
            .collect();
        Jet { c }
    }

    /// `self / other`: `q = a/b` solves `b·q = a` order by order.
    fn div(&self, other: &Jet) -> Jet {
        let n = self.c.len().max(other.c.len());
        let b0 = other.get(0);
        let mut q: Vec<f64> = Vec::with_capacity(n);
        for k in 0..n {
            let s: f64 = (1..=k).map(|j| other.get(j) * q[k - j]).sum();
            q.push((self.get(k) - s) / b0);
        }
        Jet { c: q }
    }

    /// The series `y` with `y₀ = y0` and `y′ = u·x′`, where `u(k)` returns the series of `u` up
    /// to order `k − 1` given `y` up to order `k − 1`.
    fn integrate(&self, y0: f64, mut u: impl FnMut(&Jet) -> Jet) -> Jet {
        let n = self.c.len();
        let mut y = Jet { c: vec![y0] };
        for k in 1..n {
            let uk = u(&y);
            let s: f64 = (1..=k).map(|j| j as f64 * self.c[j] * uk.get(k - j)).sum();
            y.c.push(s / k as f64);
        }
        y
    }

    /// sin and cos together: `s′ = c·x′`, `c′ = −s·x′`.
    fn sin_cos(&self) -> (Jet, Jet) {
        self.paired(self.c[0].sin(), self.c[0].cos(), -1.0)
    }

    /// sinh and cosh together: `s′ = c·x′`, `c′ = s·x′`.
    fn sinh_cosh(&self) -> (Jet, Jet) {
        self.paired(self.c[0].sinh(), self.c[0].cosh(), 1.0)
    }

    fn paired(&self, s0: f64, c0: f64, sign: f64) -> (Jet, Jet) {
        let n = self.c.len();
        let (mut s, mut c) = (vec![s0], vec![c0]);
        for k in 1..n {
            let (mut ds, mut dc) = (0.0, 0.0);
            for j in 1..=k {
                let w = j as f64 * self.c[j];
                ds += w * c[k - j];
                dc += w * s[k - j];
            }
            s.push(ds / k as f64);
            c.push(sign * dc / k as f64);
        }
        (Jet { c: s }, Jet { c })
    }

    fn exp_series(&self) -> Jet {
        // y′ = y·x′
        let n = self.c.len();
        let mut y = vec![self.c[0].exp()];
        for k in 1..n {
            let s: f64 = (1..=k).map(|j| j as f64 * self.c[j] * y[k - j]).sum();
            y.push(s / k as f64);
        }
        Jet { c: y }
    }

    /// `xᶜ` for `x₀ ≠ 0`: `x·y′ = c·y·x′` gives
    /// `k·x₀·yₖ = Σⱼ (c·j − (k − j))·xⱼ·yₖ₋ⱼ`.
    fn powf_series(&self, e: f64) -> Jet {
        let n = self.c.len();
        let x0 = self.c[0];
        let mut y = vec![x0.powf(e)];
        for k in 1..n {
            let s: f64 = (1..=k)
                .map(|j| (e * j as f64 - (k - j) as f64) * self.c[j] * y[k - j])
                .sum();
            y.push(s / (k as f64 * x0));
        }
        Jet { c: y }
    }

    fn powi_series(&self, n: i32) -> Jet {
        // Binary powering with exact jet products: no division by x₀, so exact at x₀ = 0.
        let mut result = Jet { c: vec![1.0] };
        let mut base = self.clone();
        let mut k = n.unsigned_abs();
        while k > 0 {
            if k & 1 == 1 {
                result = result.mul(&base);
            }
            base = base.mul(&base);
            k >>= 1;
        }
        if n < 0 { result.recip() } else { result }
    }
}

impl Scalar for Jet {
    fn constant(c: f64) -> Jet {
        Jet { c: vec![c] }
    }

    fn unary(self, op: Unary) -> Jet {
        let mut y = self.unary_series(op);
        // Outside the op's domain every derivative is NaN like the value, as in the rules.
        if y.c[0].is_nan() {
            y.c.iter_mut().for_each(|c| *c = f64::NAN);
        }
        y
    }

    fn binary(self, op: Binary, rhs: Jet) -> Jet {
        let mut y = self.binary_series(op, rhs);
        if y.c[0].is_nan() {
            y.c.iter_mut().for_each(|c| *c = f64::NAN);
        }
        y
    }
}

impl Jet {
    fn unary_series(self, op: Unary) -> Jet {
        match op {
            Unary::Neg => self.mul_f64(-1.0),
            Unary::Recip => Jet::constant(1.0).div(&self),
            Unary::Exp => self.exp_series(),
            // ln: y′ = x′/x
            Unary::Ln => {
                let d = Jet {
                    c: self
                        .c
                        .iter()
                        .skip(1)
                        .enumerate()
                        .map(|(j, c)| (j + 1) as f64 * c)
                        .collect(),
                };
                let q = d.div(&self);
                let mut y = vec![self.c[0].ln()];
                y.extend(
                    q.c.iter()
                        .take(self.c.len() - 1)
                        .enumerate()
                        .map(|(k, qk)| qk / (k + 1) as f64),
                );
                Jet { c: y }
            }
            Unary::Sin => self.sin_cos().0,
            Unary::Cos => self.sin_cos().1,
            Unary::Sinh => self.sinh_cosh().0,
            Unary::Cosh => self.sinh_cosh().1,
            Unary::Powi(n) => self.powi_series(n),
            Unary::Powf(e) if self.c[0] != 0.0 => self.powf_series(e),
            Unary::Sqrt if self.c[0] != 0.0 => self.powf_series(0.5),
            _ => {
                let y0 = op.eval(self.c[0]);
                self.integrate(y0, |y| {
                    let x = self.prefix(y.c.len());
                    op.derivative(&x, y)
                })
            }
        }
    }

    fn binary_series(self, op: Binary, rhs: Jet) -> Jet {
        match op {
            Binary::Add => self.zip(rhs, |a, b| a + b),
            Binary::Sub => self.zip(rhs, |a, b| a - b),
            Binary::Mul => self.mul(&rhs),
            Binary::Div => self.div(&rhs),
            // aᵇ = exp(b·ln a) holds for the whole series where a₀ > 0.
            Binary::Pow => (rhs * self.ln()).exp(),
            _ => {
                let n = self.c.len().max(rhs.c.len());
                let y0 = op.eval(self.c[0], rhs.c[0]);
                let mut y = Jet { c: vec![y0] };
                for k in 1..n {
                    let (a, b) = (self.prefix(k), rhs.prefix(k));
                    let (da, db) = op.partials(&a, &b, &y);
                    let s: f64 = (1..=k)
                        .map(|j| {
                            j as f64 * (self.get(j) * da.get(k - j) + rhs.get(j) * db.get(k - j))
                        })
                        .sum();
                    y.c.push(s / k as f64);
                }
                y
            }
        }
    }
}

scalar_operators!([] Jet);
