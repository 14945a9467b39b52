//! `llsq`: the linear least-squares objective
//! `y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)²`, `tᵢ = −1 + 2i/(n − 1)`, `sᵢ = sign tᵢ`, and its gradient.
//!
//! Mode: reverse. The gradient of ℝᵐ → ℝ (m = 128 in the default workloads) costs a small
//! constant times one evaluation in reverse mode, against `⌈m/8⌉` chunked forward passes.
//! The function has no data-dependent branch, but it is recorded on every run into a
//! [`Workspace`] (whose memory is reused) rather than replayed: a replay re-evaluates every
//! node through its run-time op, which costs about what recording does, and the recording
//! keeps the timed run the whole computation. The powers `tᵢʲ` are constants (`f64`), so
//! each term is one constant product and one subtraction on the tape: `2nm` nodes.
//!
//! Layout: `x` is a flat `Vec<f64>`; `t` and `s` are computed on the fly as the reference
//! does (`−1 + (2i)/(n − 1)`, in that order, so the points are the same doubles).

use super::{Prepared, count, numbers, unknown_function};
use serde_json::{Value, json};
use weifen::Scalar;
use weifen::reverse::Workspace;

/// The `i`-th of `n` points evenly spaced on `[−1, 1]`.
fn t(i: usize, n: usize) -> f64 {
    -1.0 + (i as f64 * 2.0) / (n as f64 - 1.0)
}

/// `y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)²` over `n ≥ 2` points.
pub fn objective<S: Scalar>(x: &[S], n: usize) -> S {
    let mut sum = S::constant(0.0);
    for i in 0..n {
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

enum Output {
    Primal(f64),
    Gradient(Vec<f64>),
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
            Some(ws) => Output::Gradient(ws.gradient(|x| objective(x, n), &self.x)),
        };
    }

    fn output(&self) -> Value {
        match &self.output {
            Output::Primal(y) => json!(y),
            Output::Gradient(g) => json!(g),
        }
    }
}

/// Prepares `primal` or `gradient`; the input is `{"x": [numbers], "n": points}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = match function {
        "primal" => false,
        "gradient" => true,
        _ => return Err(unknown_function("llsq", function)),
    };
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

    fn run(function: &str, input: Value) -> Value {
        let mut p = prepare(function, &input).unwrap();
        p.run();
        p.output()
    }

    fn floats(v: &Value) -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
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
    fn too_few_points_are_refused() {
        let e = prepare("primal", &json!({"x": [1.0], "n": 1}))
            .err()
            .unwrap();
        assert!(e.contains("\"n\"") && e.contains("at least 2"));
        let e = prepare("primal", &json!({"x": [1.0]})).err().unwrap();
        assert!(e.contains("\"n\""));
    }
}
