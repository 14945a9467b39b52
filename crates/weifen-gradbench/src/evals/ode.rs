//! `ode`: `s` classical Runge–Kutta steps on `[0, 2]` for `y₀′ = x₀`, `yᵢ′ = xᵢ·yᵢ₋₁`
//! (`y(0) = 0`, `n` states and parameters), and the gradient `∇ₓ yₙ₋₁(2)`.
//!
//! Mode and layout: one scalar output of `n` inputs (`n` up to 10⁵), so reverse mode — forward
//! mode would need `n` sweeps of `O(ns)` each. A whole recording costs about 19 nodes per state
//! and step (`24 B` each): 4.6 GB at `n = 10⁵, s = 100`, too much. So the sweep is
//! checkpointed at every step, storing only the states: a plain `f64` pass keeps `y` after
//! each step (`8·n·s` bytes, 80 MB at the largest input), then, last step first, one step is
//! recorded at its stored state and swept from the cotangent `ȳ` of its output (the
//! gradient of `ȳ·step(y, x)`): that gives the cotangent of its input state and adds this
//! step's share to `x̄`. The tape of one step (about 46 MB at `n = 10⁵`) and its adjoint
//! buffer are kept in one [`Workspace`] and reused by every step and every run. The cost is
//! one extra `f64` evaluation over a full recording, and the tape stays cache-sized for the
//! smaller inputs. (`reverse::checkpoint` would also fit, but it keeps each segment's inputs,
//! `x` included, `s` times, and records each segment once more on its forward pass.)

use super::{Prepared, number, unknown_function};
use serde_json::{Value, json};
use weifen::Scalar;
use weifen::reverse::Workspace;

/// The end of the time interval.
const T_END: f64 = 2.0;

/// The right-hand side `z₀ = x₀`, `zᵢ = xᵢ·yᵢ₋₁`.
fn field<S: Scalar>(x: &[S], y: &[S]) -> Vec<S> {
    let mut z = Vec::with_capacity(x.len());
    z.push(x[0].clone());
    z.extend(x[1..].iter().zip(y).map(|(a, b)| a.clone() * b.clone()));
    z
}

/// `y + c·k`, element by element.
fn axpy<S: Scalar>(y: &[S], c: f64, k: &[S]) -> Vec<S> {
    y.iter()
        .zip(k)
        .map(|(a, b)| a.clone() + b.clone() * c)
        .collect()
}

/// One classical Runge–Kutta step of length `h` from `y`.
pub fn step<S: Scalar>(x: &[S], y: &[S], h: f64) -> Vec<S> {
    let k1 = field(x, y);
    let k2 = field(x, &axpy(y, h / 2.0, &k1));
    let k3 = field(x, &axpy(y, h / 2.0, &k2));
    let k4 = field(x, &axpy(y, h, &k3));
    y.iter()
        .enumerate()
        .map(|(i, yi)| {
            let sum = k1[i].clone() + k2[i].clone() * 2.0 + k3[i].clone() * 2.0 + k4[i].clone();
            yi.clone() + sum * (h / 6.0)
        })
        .collect()
}

/// `y(2)` after `s` steps from `y(0) = 0`.
pub fn solve<S: Scalar>(x: &[S], s: usize) -> Vec<S> {
    let h = T_END / s as f64;
    let mut y = vec![S::constant(0.0); x.len()];
    for _ in 0..s {
        y = step(x, &y, h);
    }
    y
}

/// `∇ₓ yₙ₋₁(2)` by the step-checkpointed reverse sweep described above.
pub fn gradient(x: &[f64], s: usize, workspace: &mut Workspace) -> Vec<f64> {
    let n = x.len();
    let h = T_END / s as f64;
    // states[k] is y after k steps.
    let mut states = Vec::new();
    let mut y = vec![0.0; n];
    for _ in 0..s {
        let next = step(x, &y, h);
        states.push(y);
        y = next;
    }
    let mut y_bar = vec![0.0; n];
    let mut x_bar = vec![0.0; n];
    if let Some(last) = y_bar.last_mut() {
        *last = 1.0;
    }
    let mut point = vec![0.0; 2 * n];
    point[n..].copy_from_slice(x);
    for state in states.iter().rev() {
        point[..n].copy_from_slice(state);
        let weights = &y_bar;
        let g = workspace.gradient(
            |v| {
                let (y, x) = v.split_at(n);
                let out = step(x, y, h);
                out.into_iter()
                    .zip(weights)
                    .filter(|(_, w)| **w != 0.0)
                    .map(|(o, &w)| o * w)
                    .reduce(|a, b| a + b)
                    .unwrap_or_else(|| y[0] * 0.0)
            },
            &point,
        );
        y_bar.copy_from_slice(&g[..n]);
        x_bar.iter_mut().zip(&g[n..]).for_each(|(a, b)| *a += b);
    }
    x_bar
}

struct Ode {
    x: Vec<f64>,
    s: usize,
    /// `None` for the primal.
    workspace: Option<Workspace>,
    output: Vec<f64>,
}

impl Prepared for Ode {
    fn run(&mut self) {
        self.output = match &mut self.workspace {
            None => solve(&self.x, self.s),
            Some(ws) => gradient(&self.x, self.s, ws),
        };
    }

    fn output(&self) -> Value {
        json!(self.output)
    }
}

/// Prepares `primal` or `gradient`; the input is `{"x": [x₀, …], "s": steps}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let workspace = match function {
        "primal" => None,
        "gradient" => Some(Workspace::new()),
        _ => return Err(unknown_function("ode", function)),
    };
    let x = input
        .get("x")
        .and_then(Value::as_array)
        .ok_or("the field \"x\" must be an array of numbers")?
        .iter()
        .enumerate()
        .map(|(i, v)| number(v, &format!("x[{i}]")))
        .collect::<Result<Vec<f64>, String>>()?;
    if x.is_empty() {
        return Err("the field \"x\" must have at least one element".into());
    }
    let s = input
        .get("s")
        .and_then(Value::as_u64)
        .filter(|&s| s >= 1)
        .ok_or("the field \"s\" must be a positive integer")?;
    let s = usize::try_from(s).map_err(|_| format!("the field \"s\" is too large: {s}"))?;
    Ok(Box::new(Ode {
        x,
        s,
        workspace,
        output: Vec::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weifen::forward;

    /// For `n ≤ 4` the exact solution `yᵢ(t) = x₀⋯xᵢ·t^{i+1}/(i+1)!` is a polynomial of degree
    /// at most 4 in `t`, which the classical Runge–Kutta step integrates exactly.
    fn exact(x: &[f64]) -> Vec<f64> {
        let mut y = Vec::new();
        let mut term = 1.0;
        for (i, xi) in x.iter().enumerate() {
            term *= xi * T_END / (i + 1) as f64;
            y.push(term);
        }
        y
    }

    fn close(a: &[f64], b: &[f64], tolerance: f64) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(p, q)| (p - q).abs() <= tolerance * (1.0 + q.abs()))
    }

    #[test]
    fn primal_is_exact_for_four_states() {
        let x = [0.3, 0.9, 0.5, 0.7];
        for s in [1, 3, 10] {
            assert!(close(&solve(&x, s), &exact(&x), 1e-14), "s = {s}");
        }
    }

    #[test]
    fn gradient_is_exact_for_four_states() {
        // yₙ₋₁ = x₀⋯xₙ₋₁·2ⁿ/n!, so ∂yₙ₋₁/∂xⱼ = yₙ₋₁/xⱼ.
        let x = [0.3, 0.9, 0.5, 0.7];
        let last = exact(&x)[3];
        let want: Vec<f64> = x.iter().map(|xj| last / xj).collect();
        let mut ws = Workspace::new();
        for s in [1, 2, 7] {
            assert!(close(&gradient(&x, s, &mut ws), &want, 1e-14), "s = {s}");
        }
    }

    #[test]
    fn gradient_agrees_with_forward_mode_and_central_differences() {
        // Nine states: the Runge–Kutta solution is no longer exact, so compare methods.
        let x = [0.8, 0.4, 0.95, 0.1, 0.6, 0.3, 0.99, 0.5, 0.7];
        let s = 3;
        let got = gradient(&x, s, &mut Workspace::new());
        let by_forward = forward::gradient(|v| solve(v, s).pop().expect("n ≥ 1"), &x);
        assert!(close(&got, &by_forward, 1e-13));
        let h = 1e-6;
        let central: Vec<f64> = (0..x.len())
            .map(|j| {
                let (mut up, mut down) = (x.to_vec(), x.to_vec());
                up[j] += h;
                down[j] -= h;
                (solve(&up, s)[8] - solve(&down, s)[8]) / (2.0 * h)
            })
            .collect();
        assert!(close(&got, &central, 1e-8));
    }

    #[test]
    fn the_workspace_gives_the_same_gradient_when_reused() {
        let x = [0.2, 0.6, 0.4, 0.9, 0.3];
        let mut ws = Workspace::new();
        let first = gradient(&x, 4, &mut ws);
        let _other = gradient(&[0.5, 0.5], 9, &mut ws);
        assert_eq!(gradient(&x, 4, &mut ws), first);
    }

    #[test]
    fn bad_inputs_are_errors_naming_the_field() {
        let err = |input: Value| prepare("gradient", &input).err().expect("an error");
        assert!(err(json!({"x": [1.0], "s": 0})).contains("\"s\""));
        assert!(err(json!({"x": [], "s": 1})).contains("\"x\""));
        assert!(err(json!({"x": [1.0, "a"], "s": 1})).contains("x[1]"));
        assert!(prepare("hessian", &json!({"x": [1.0], "s": 1})).is_err());
    }
}
