//! `lse`: `LSE(x) = a + ln Σᵢ exp(xᵢ − a)` with `a = max x` (the log-sum-exp trick), and its
//! gradient.
//!
//! Mode: reverse. The gradient of ℝⁿ → ℝ costs a small constant times one evaluation in
//! reverse mode, against `n` evaluations (or `⌈n/8⌉` chunked ones) in forward mode. The
//! function is written once over [`Real`] (the maximum needs comparisons) and recorded into a
//! [`Workspace`] on every run: the tape's memory is reused, so a run allocates only the
//! gradient. The maximum is differentiated like the rest (its adjoint `1 − Σ softmax`
//! cancels to rounding); no rule is written here.
//!
//! Layout: `x` is a flat `Vec<f64>`.

use super::{Prepared, numbers, unknown_function};
use serde_json::{Value, json};
use weifen::Real;
use weifen::reverse::Workspace;

/// `LSE(x) = a + ln Σᵢ exp(xᵢ − a)`, `a = max x`.
///
/// # Panics
/// If `x` is empty (the input check in [`prepare`] refuses it first).
pub fn logsumexp<S: Real>(x: &[S]) -> S {
    let mut a = x[0];
    for &xi in &x[1..] {
        if xi > a {
            a = xi;
        }
    }
    let mut sum = S::constant(0.0);
    for &xi in x {
        sum = sum + (xi - a).exp();
    }
    a + sum.ln()
}

enum Output {
    Primal(f64),
    Gradient(Vec<f64>),
}

struct Lse {
    x: Vec<f64>,
    workspace: Option<Workspace>,
    output: Output,
}

impl Prepared for Lse {
    fn run(&mut self) {
        self.output = match &mut self.workspace {
            None => Output::Primal(logsumexp(&self.x)),
            Some(ws) => Output::Gradient(ws.gradient(|x| logsumexp(x), &self.x)),
        };
    }

    fn output(&self) -> Value {
        match &self.output {
            Output::Primal(y) => json!(y),
            Output::Gradient(g) => json!(g),
        }
    }
}

/// Prepares `primal` or `gradient`; the input is `{"x": [numbers]}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = match function {
        "primal" => false,
        "gradient" => true,
        _ => return Err(unknown_function("lse", function)),
    };
    let x = numbers(input, "x")?;
    if x.is_empty() {
        return Err("the input's \"x\" must not be empty".into());
    }
    Ok(Box::new(Lse {
        x,
        workspace: gradient.then(Workspace::new),
        output: Output::Primal(f64::NAN),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(function: &str, input: Value) -> Value {
        let mut p = prepare(function, &input).unwrap();
        p.run();
        p.output()
    }

    #[test]
    fn primal_is_the_log_of_the_sum_of_exponentials() {
        // ln(e¹ + e² + e³) = 3 + ln(1 + e⁻¹ + e⁻²)
        let y = run("primal", json!({"x": [1.0, 2.0, 3.0]}));
        let exact = 3.0 + (1.0 + (-1.0f64).exp() + (-2.0f64).exp()).ln();
        assert!((y.as_f64().unwrap() - exact).abs() < 1e-15);
    }

    #[test]
    fn gradient_is_the_softmax() {
        // ∂LSE/∂xᵢ = exp(xᵢ) / Σⱼ exp(xⱼ); large entries test that the trick is kept.
        let x = [700.0, 701.5, 699.0, 702.0];
        let g = run("gradient", json!({ "x": x }));
        let total: f64 = x.iter().map(|v| (v - 702.0f64).exp()).sum();
        for (gi, xi) in g.as_array().unwrap().iter().zip(x) {
            let softmax = (xi - 702.0f64).exp() / total;
            assert!((gi.as_f64().unwrap() - softmax).abs() < 1e-15);
        }
    }

    #[test]
    fn gradient_of_equal_entries_is_uniform() {
        let g = run("gradient", json!({"x": vec![0.25; 5]}));
        for gi in g.as_array().unwrap() {
            assert!((gi.as_f64().unwrap() - 0.2).abs() < 1e-15);
        }
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = |f: &str, v: Value| prepare(f, &v).err().unwrap();
        assert!(e("primal", json!({})).contains("\"x\""));
        assert!(e("primal", json!({"x": []})).contains("empty"));
        assert!(e("primal", json!({"x": [1, "a"]})).contains("x[1]"));
        assert!(e("hessian", json!({"x": [1]})).contains("hessian"));
    }
}
