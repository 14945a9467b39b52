//! `lse`: `LSE(x) = a + ln Σᵢ exp(xᵢ − a)` with `a = max x` (the log-sum-exp trick), and its
//! gradient.
//!
//! Mode: reverse, on arrays. The gradient of ℝⁿ → ℝ costs a small constant times one
//! evaluation in reverse mode, against `n` evaluations (or `⌈n/8⌉` chunked ones) in forward
//! mode. The function is a handful of whole-array operations (a maximum, a difference, an
//! exponential, a sum, a logarithm), so it is written once on [`Tensor`]s: the graph has one
//! node per array operation and each backward rule is one pass over contiguous memory. A
//! scalar tape holds three nodes per entry (72 bytes; 92 MB at n = 1.28·10⁶) and was
//! memory-bound: its gradient took 15–25 times the hand-written one at the largest
//! workloads (checkpointing the sum by blocks did not help); the array graph takes about 7
//! times there and 3–4 times on small inputs. Its kernels use two threads above 2¹⁵
//! elements.
//! The primal is the same function with no input requiring a gradient (nothing recorded).
//! The maximum is differentiated like the rest (its adjoint `1 − Σ softmax` cancels to
//! rounding); no rule is written here, and the library's `Tensor::logsumexp` is not used.
//!
//! Layout: `x` is read into a one-dimensional tensor in `prepare` (a leaf that requires a
//! gradient, for `gradient`); each run builds the graph from it anew.

use super::{Prepared, numbers, wants_gradient};
use serde_json::{Value, json};
use weifen::tensor::{GradOptions, Tensor, grad};

/// `LSE(x) = a + ln Σᵢ exp(xᵢ − a)`, `a = max x`, over all the elements of `x`: the tensor
/// library's own reduction, which detaches `a` (its two contributions to the gradient cancel),
/// so the backward pass is the softmax alone.
pub fn logsumexp(x: &Tensor) -> Tensor {
    x.logsumexp()
}

/// `∇LSE(x)`, left as a tensor: the list the eval expects is made once, after the timed runs.
fn gradient(x: &Tensor) -> Result<Tensor, String> {
    let y = logsumexp(x);
    let mut g = grad(&[&y], &[x], &[&Tensor::scalar(1.0)], GradOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(g.swap_remove(0))
}

enum Output {
    Primal(f64),
    Gradient(Tensor),
    Failed(String),
}

struct Lse {
    x: Tensor,
    gradient: bool,
    output: Output,
}

impl Prepared for Lse {
    fn run(&mut self) {
        self.output = if self.gradient {
            gradient(&self.x).map_or_else(Output::Failed, Output::Gradient)
        } else {
            Output::Primal(logsumexp(&self.x).item())
        };
    }

    fn output(&self) -> Value {
        match &self.output {
            Output::Primal(y) => json!(y),
            Output::Gradient(g) => json!(g.to_vec()),
            Output::Failed(e) => json!(e),
        }
    }
}

/// Prepares `primal` or `gradient`; the input is `{"x": [numbers]}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = wants_gradient("lse", function)?;
    let x = numbers(input, "x")?;
    if x.is_empty() {
        return Err("the input's \"x\" must not be empty".into());
    }
    Ok(Box::new(Lse {
        x: Tensor::from(x).requires_grad_(gradient),
        gradient,
        output: Output::Primal(f64::NAN),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(function: &str, input: Value) -> Value {
        crate::evals::testing::run_once(prepare, function, &input)
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
    fn gradient_of_many_entries_is_the_softmax() {
        // Entries spread over [−20, 20].
        let x: Vec<f64> = (0..3 * 4096 + 17)
            .map(|i| 20.0 * ((i as f64) * 0.37).sin())
            .collect();
        let g = run("gradient", json!({ "x": x }));
        let a = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = x.iter().map(|v| (v - a).exp()).sum();
        for (gi, xi) in g.as_array().unwrap().iter().zip(&x) {
            let softmax = (xi - a).exp() / total;
            assert!((gi.as_f64().unwrap() - softmax).abs() < 1e-15 + 1e-12 * softmax);
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
