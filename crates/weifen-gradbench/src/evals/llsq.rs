//! `llsq`: the linear least-squares objective
//! `y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)²`, `tᵢ = −1 + 2i/(n − 1)`, `sᵢ = sign tᵢ`, and its gradient.
//!
//! Mode: reverse. The gradient of ℝᵐ → ℝ (m = 128 in the default workloads) costs a small
//! constant times one evaluation in reverse mode, against `⌈m/8⌉` chunked forward passes.
//! The powers `tᵢʲ` are constants (`f64`), so each term is one constant product and one
//! subtraction on the tape: `2nm` nodes, 16 or 24 bytes each. Recorded whole, the tape outgrows the
//! caches from `n = 1024` on (6 MB), and the run became bound by memory (a hundred times the
//! hand-written gradient at n = 1024, against five at n = 512). The objective is a sum over
//! points, and the gradient of a sum is the sum of the gradients, so the points are taken in
//! blocks of about 4096/m (32 at m = 128): each block is recorded into one [`Workspace`],
//! whose tape (≈ 200 KB) stays in cache and whose memory is reused, and its gradient is
//! added to the total. Replaying a recording instead of recording again would cost about as
//! much (each node is re-evaluated through its run-time op) and the run would no longer be
//! the whole computation.
//!
//! Layout: `x` is a flat `Vec<f64>`; `t` and `s` are computed on the fly as the reference
//! does (`−1 + (2i)/(n − 1)`, in that order, so the points are the same doubles).

use super::{Output, Prepared, count, numbers, wants_gradient};
use serde_json::Value;
use std::ops::Range;
use weifen::Scalar;
use weifen::reverse::Workspace;

/// About this many tape terms per block of points (two nodes each, 16 or 24 bytes a node).
const BLOCK_TERMS: usize = 4096;

/// `∇y(x)`, block of points by block of points (see the module docs).
fn gradient(ws: &mut Workspace, x: &[f64], n: usize) -> Vec<f64> {
    let block = (BLOCK_TERMS / x.len().max(1)).max(1);
    let mut total = vec![0.0; x.len()];
    for start in (0..n).step_by(block) {
        let points = start..n.min(start + block);
        let g = ws.gradient(|x| partial_objective(x, n, points.clone()), x);
        for (t, gj) in total.iter_mut().zip(g) {
            *t += gj;
        }
    }
    total
}

/// The `i`-th of `n` points evenly spaced on `[−1, 1]`.
fn t(i: usize, n: usize) -> f64 {
    -1.0 + (i as f64 * 2.0) / (n as f64 - 1.0)
}

/// `y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)²` over `n ≥ 2` points.
pub fn objective<S: Scalar>(x: &[S], n: usize) -> S {
    partial_objective(x, n, 0..n)
}

/// The terms `points` of the objective: `½ Σ_{i ∈ points} (sᵢ − Σⱼ xⱼ tᵢʲ)²`.
pub fn partial_objective<S: Scalar>(x: &[S], n: usize, points: Range<usize>) -> S {
    let mut sum = S::constant(0.0);
    for i in points {
        let ti = t(i, n);
        let si = if ti > 0.0 {
            1.0
        } else if ti < 0.0 {
            -1.0
        } else {
            0.0
        };
        let mut residual = S::constant(si);
        let mut power = 1.0;
        for xj in x {
            residual = residual - xj.clone() * power;
            power *= ti;
        }
        sum = sum + residual.clone() * residual;
    }
    sum * 0.5
}

struct Llsq {
    x: Vec<f64>,
    n: usize,
    workspace: Option<Workspace>,
    output: Output,
}

impl Prepared for Llsq {
    fn run(&mut self) {
        let n = self.n;
        self.output = match &mut self.workspace {
            None => Output::Primal(objective(&self.x, n)),
            Some(ws) => Output::Gradient(gradient(ws, &self.x, n)),
        };
    }

    fn output(&self) -> Value {
        self.output.to_json()
    }
}

/// Prepares `primal` or `gradient`; the input is `{"x": [numbers], "n": points}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = wants_gradient("llsq", function)?;
    let x = numbers(input, "x")?;
    let n = count(input, "n")?;
    if n < 2 {
        return Err(format!(
            "the input's \"n\" must be at least 2 (the points are spaced by 2/(n − 1)), not {n}"
        ));
    }
    Ok(Box::new(Llsq {
        x,
        n,
        workspace: gradient.then(Workspace::new),
        output: Output::Primal(f64::NAN),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evals::testing::{floats, run_once};
    use serde_json::json;

    fn run(function: &str, input: Value) -> Value {
        run_once(prepare, function, &input)
    }

    #[test]
    fn two_points_and_a_line() {
        // n = 2: t = (−1, 1), s = (−1, 1).
        // y = ½((−1 − x₀ + x₁)² + (1 − x₀ − x₁)²) = x₀² + (x₁ − 1)²,
        // ∇y = (2x₀, 2(x₁ − 1)).
        let input = json!({"x": [0.3, -0.7], "n": 2});
        let y = run("primal", input.clone()).as_f64().unwrap();
        assert!((y - (0.09 + 2.89)).abs() < 1e-15);
        let g = floats(&run("gradient", input));
        assert!((g[0] - 0.6).abs() < 1e-15);
        assert!((g[1] + 3.4).abs() < 1e-15);
    }

    #[test]
    fn gradient_is_the_normal_equations_residual() {
        // y = ½‖Vx − s‖² with Vᵢⱼ = tᵢʲ, so ∇y = Vᵀ(Vx − s).
        let (n, x) = (7, [0.5, -0.25, 1.5, 0.125]);
        let g = floats(&run("gradient", json!({"x": x, "n": n})));
        let ts: Vec<f64> = (0..n).map(|i| -1.0 + 2.0 * i as f64 / 6.0).collect();
        for (j, gj) in g.iter().enumerate() {
            let exact: f64 = ts
                .iter()
                .map(|&ti| {
                    let vx: f64 = x
                        .iter()
                        .enumerate()
                        .map(|(k, xk)| xk * ti.powi(k as i32))
                        .sum();
                    (vx - ti.signum() * f64::from(u8::from(ti != 0.0))) * ti.powi(j as i32)
                })
                .sum();
            assert!((gj - exact).abs() < 1e-13, "∂y/∂x{j}: {gj} vs {exact}");
        }
    }

    #[test]
    fn blocks_add_up_to_the_whole() {
        // More points than one block holds (4096/m = 1024 at m = 4): the blocked gradient
        // must match a gradient of the whole sum recorded at once.
        let (n, x) = (3000, [0.1, -0.3, 0.7, 0.2]);
        let blocked = floats(&run("gradient", json!({"x": x, "n": n})));
        let whole = weifen::reverse::gradient(|x| objective(x, n), &x);
        for (b, w) in blocked.iter().zip(&whole) {
            assert!((b - w).abs() < 1e-9 * w.abs().max(1.0), "{b} vs {w}");
        }
    }

    #[test]
    fn too_few_points_are_refused() {
        let e = prepare("primal", &json!({"x": [1.0], "n": 1}))
            .err()
            .unwrap();
        assert!(e.contains("\"n\"") && e.contains("at least 2"));
        let e = prepare("primal", &json!({"x": [1.0]})).err().unwrap();
        assert!(e.contains("\"n\""));
    }
}
