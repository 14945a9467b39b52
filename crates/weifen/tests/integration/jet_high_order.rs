//! Jets to order 10 against closed forms of the n-th derivative (sin, exp, ln, powers, erf
//! through Hermite polynomials, atan): the Taylor recurrences of `Jet` and the rule-driven
//! path for the other ops, well past the orders that nested dual numbers reach cheaply.

use std::f64::consts::{FRAC_2_SQRT_PI, LN_2};
use weifen::Scalar;
use weifen::forward::{self, Jet};

const WIDE: &[f64] = &[-2.3, -1.1, -0.35, 0.45, 1.25, 2.7];
const NONZERO: &[f64] = &[-2.3, -1.1, 0.9, 1.7, 3.4];
const HALF_WIDE: &[f64] = &[-1.7, -0.6, 0.2, 0.9, 1.8];
const POSITIVE: &[f64] = &[0.15, 0.7, 1.3, 2.9, 6.5];

/// Whether `|actual − expected| ≤ tol`; false when either is NaN, so NaN never passes.
fn is_close(actual: f64, expected: f64, tol: f64) -> bool {
    (actual - expected).abs() <= tol
}

/// `c(c − 1)…(c − k + 1)`.
fn falling(c: f64, k: usize) -> f64 {
    (0..k).map(|j| c - j as f64).product()
}

fn factorial(k: usize) -> f64 {
    falling(k as f64, k)
}

/// The physicists' Hermite polynomial `Hₙ(x)`: H₀ = 1, H₁ = 2x, Hₙ₊₁ = 2xHₙ − 2nHₙ₋₁.
fn hermite(n: usize, x: f64) -> f64 {
    let (mut h0, mut h1) = (1.0, 2.0 * x);
    if n == 0 {
        return h0;
    }
    for k in 1..n {
        (h0, h1) = (h1, 2.0 * x * h1 - 2.0 * k as f64 * h0);
    }
    h1
}

/// A function of one `Jet` with the closed form of its k-th derivative.
type HighOrderCase = (
    &'static str,
    fn(Jet) -> Jet,
    fn(f64, usize) -> f64,
    &'static [f64],
);

fn high_order_cases() -> Vec<HighOrderCase> {
    use std::f64::consts::FRAC_PI_2;
    vec![
        (
            "sin",
            |x| x.sin(),
            |x, k| (x + k as f64 * FRAC_PI_2).sin(),
            WIDE,
        ),
        (
            "cos",
            |x| x.cos(),
            |x, k| (x + k as f64 * FRAC_PI_2).cos(),
            WIDE,
        ),
        (
            "exp(2x)",
            |x| (x * 2.0).exp(),
            |x, k| 2f64.powi(k as i32) * (2.0 * x).exp(),
            WIDE,
        ),
        (
            "exp2",
            |x| x.exp2(),
            |x, k| LN_2.powi(k as i32) * x.exp2(),
            WIDE,
        ),
        (
            "exp_m1",
            |x| x.exp_m1(),
            |x, k| if k == 0 { x.exp_m1() } else { x.exp() },
            WIDE,
        ),
        (
            "sinh",
            |x| x.sinh(),
            |x, k| if k % 2 == 0 { x.sinh() } else { x.cosh() },
            WIDE,
        ),
        (
            "cosh",
            |x| x.cosh(),
            |x, k| if k % 2 == 0 { x.cosh() } else { x.sinh() },
            WIDE,
        ),
        (
            "ln",
            |x| x.ln(),
            |x, k| match k {
                0 => x.ln(),
                _ => (-1f64).powi(k as i32 - 1) * factorial(k - 1) / x.powi(k as i32),
            },
            POSITIVE,
        ),
        (
            "ln_1p",
            |x| x.ln_1p(),
            |x, k| match k {
                0 => x.ln_1p(),
                _ => (-1f64).powi(k as i32 - 1) * factorial(k - 1) / (1.0 + x).powi(k as i32),
            },
            &[-0.6, 0.2, 1.5, 6.0],
        ),
        (
            "recip",
            |x| x.recip(),
            |x, k| (-1f64).powi(k as i32) * factorial(k) / x.powi(k as i32 + 1),
            NONZERO,
        ),
        (
            "powi(7)",
            |x| x.powi(7),
            |x, k| falling(7.0, k) * x.powi(7 - k.min(7) as i32),
            WIDE,
        ),
        (
            "powi(-3)",
            |x| x.powi(-3),
            |x, k| falling(-3.0, k) * x.powi(-3 - k as i32),
            NONZERO,
        ),
        (
            "powf(2.5)",
            |x| x.powf(2.5),
            |x, k| falling(2.5, k) * x.powf(2.5 - k as f64),
            POSITIVE,
        ),
        (
            "sqrt",
            |x| x.sqrt(),
            |x, k| falling(0.5, k) * x.powf(0.5 - k as f64),
            POSITIVE,
        ),
        // erf⁽ᵏ⁾ = (−1)^{k−1}·(2/√π)·H_{k−1}(x)·e^{−x²}
        (
            "erf",
            |x| x.erf(),
            |x, k| match k {
                0 => libm::erf(x),
                _ => {
                    let sign = (-1f64).powi(k as i32 - 1);
                    sign * FRAC_2_SQRT_PI * hermite(k - 1, x) * (-x * x).exp()
                }
            },
            HALF_WIDE,
        ),
        // atan⁽ᵏ⁾ = (k − 1)!·cosᵏθ·sin(k(θ + π/2)) with θ = atan x
        (
            "atan",
            |x| x.atan(),
            |x, k| match k {
                0 => x.atan(),
                _ => {
                    let t = x.atan();
                    let kf = k as f64;
                    factorial(k - 1) * t.cos().powi(k as i32) * (kf * (t + FRAC_PI_2)).sin()
                }
            },
            WIDE,
        ),
    ]
}

#[test]
fn jet_derivatives_up_to_order_10_match_closed_forms() {
    const ORDER: usize = 10;
    let mut failures = Vec::new();
    for (name, f, exact, points) in high_order_cases() {
        for &x in points {
            let coefficients = forward::taylor_coefficients(f, x, ORDER);
            let exact: Vec<f64> = (0..=ORDER).map(|k| exact(x, k)).collect();
            let magnitude = exact.iter().fold(0.0f64, |m, e| m.max(e.abs()));
            for (k, (c, e)) in coefficients.iter().zip(&exact).enumerate() {
                let got = c * factorial(k);
                if !is_close(got, *e, 1e-11 * e.abs().max(1e-3 * magnitude)) {
                    failures.push(format!("{name} order {k} at {x}: jet {got:e}, exact {e:e}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
