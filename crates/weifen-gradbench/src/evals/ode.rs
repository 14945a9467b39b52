//! `ode`: `s` classical Runge–Kutta steps on `[0, 2]` for `y₀′ = x₀`, `yᵢ′ = xᵢ·yᵢ₋₁`
//! (`y(0) = 0`, `n` states and parameters), and the gradient `∇ₓ yₙ₋₁(2)`.
//!
//! Mode and layout: one scalar output of `n` inputs (`n` up to 10⁵), so reverse mode — forward
//! mode would need `n` sweeps of `O(ns)` each. A whole recording costs about 19 nodes per state
//! and step (16–24 B each): over 3 GB at `n = 10⁵, s = 100`, too much. So the sweep is
//! checkpointed at every step and stores only the states: a plain `f64` pass keeps `y` after
//! each step (`8·n·s` bytes, 80 MB at the largest input), then, last step first, one step is
//! swept back from the cotangent `ȳ` of its output: the gradient of `ȳ·step(y, x)` in `(y, x)`
//! is the cotangent of its input state and this step's share of `x̄`.
//!
//! Every step has the same operations, and output `i` of a step depends only on its inputs
//! `i − 4 ..= i`; so that pullback is recorded once (in `prepare`, on a replayable tape with
//! `(y, x, ȳ)` as inputs) on a window of 1024 states, and replayed on windows that overlap by
//! the 4-state halo, every step and run ([`Pullback`]). Replay re-evaluates the nodes without
//! the recording's bookkeeping, and the window's recording (1.2 MB) stays in cache. Measured
//! (medians, loaded 2-core machine): recording each whole step afresh into a reused
//! workspace, 1.17 s at `n = 10⁴, s = 100`; replaying a whole-step recording, 0.72 s (and
//! 1.42 s at `n = 10⁵, s = 10`, its 120 MB recording out of cache); replaying the window,
//! 0.42 s and 0.49 s, with 27 MB resident instead of 166 MB. (`reverse::checkpoint` would
//! also fit, but it keeps each segment's inputs, `x` included, `s` times, and records each
//! segment once more on its forward pass.)

use super::{Prepared, number, wants_gradient};
use serde_json::{Value, json};
use weifen::Scalar;
use weifen::reverse::{self, Recording};

/// The end of the time interval.
const T_END: f64 = 2.0;

/// The right-hand side `z₀ = x₀`, `zᵢ = xᵢ·yᵢ₋₁`, written into `z`.
fn field<S: Scalar>(x: &[S], y: &[S], z: &mut Vec<S>) {
    z.clear();
    z.push(x[0].clone());
    z.extend(x[1..].iter().zip(y).map(|(a, b)| a.clone() * b.clone()));
}

/// `y + c·k`, element by element, written into `out`.
fn axpy<S: Scalar>(y: &[S], c: f64, k: &[S], out: &mut Vec<S>) {
    out.clear();
    out.extend(y.iter().zip(k).map(|(a, b)| a.clone() + b.clone() * c));
}

/// The stage vectors of a step, kept across steps so that a solve allocates once.
struct Stages<S> {
    k: [Vec<S>; 4],
    shifted: Vec<S>,
}

impl<S> Stages<S> {
    fn new() -> Self {
        Stages {
            k: [Vec::new(), Vec::new(), Vec::new(), Vec::new()],
            shifted: Vec::new(),
        }
    }
}

/// One classical Runge–Kutta step of length `h` from `y`, written into `out`.
fn step_into<S: Scalar>(x: &[S], y: &[S], h: f64, stages: &mut Stages<S>, out: &mut Vec<S>) {
    let Stages {
        k: [k1, k2, k3, k4],
        shifted,
    } = stages;
    field(x, y, k1);
    axpy(y, h / 2.0, k1, shifted);
    field(x, shifted, k2);
    axpy(y, h / 2.0, k2, shifted);
    field(x, shifted, k3);
    axpy(y, h, k3, shifted);
    field(x, shifted, k4);
    out.clear();
    out.extend(y.iter().enumerate().map(|(i, yi)| {
        let sum = k1[i].clone() + k2[i].clone() * 2.0 + k3[i].clone() * 2.0 + k4[i].clone();
        yi.clone() + sum * (h / 6.0)
    }));
}

/// One classical Runge–Kutta step of length `h` from `y`.
pub fn step<S: Scalar>(x: &[S], y: &[S], h: f64) -> Vec<S> {
    let mut out = Vec::with_capacity(y.len());
    step_into(x, y, h, &mut Stages::new(), &mut out);
    out
}

/// `y(2)` after `s` steps from `y(0) = 0`.
pub fn solve<S: Scalar>(x: &[S], s: usize) -> Vec<S> {
    let h = T_END / s as f64;
    let mut y = vec![S::constant(0.0); x.len()];
    let mut next = Vec::with_capacity(x.len());
    let mut stages = Stages::new();
    for _ in 0..s {
        step_into(x, &y, h, &mut stages, &mut next);
        std::mem::swap(&mut y, &mut next);
    }
    y
}

/// `ȳ·step(y, x)` as a function of `v = (y, x, ȳ)`: its gradient's first two thirds are the
/// cotangents of `y` and `x` that one step sends back from the cotangent `ȳ` of its output.
fn step_pullback<S: Scalar>(v: &[S], h: f64) -> S {
    let n = v.len() / 3;
    let (y, rest) = v.split_at(n);
    let (x, weights) = rest.split_at(n);
    step(x, y, h)
        .into_iter()
        .zip(weights)
        .map(|(o, w)| o * w.clone())
        .fold(S::constant(0.0), |a, b| a + b)
}

/// How far back one step reaches: output `i` depends on the states and parameters
/// `i − 4 ..= i` (one index per Runge–Kutta stage).
const HALO: usize = 4;

/// The states per window of the recorded pullback: small enough for its recording (about
/// 19 nodes of 64 B per state, 1.2 MB) to stay in cache, large enough that the halo of
/// [`HALO`] recomputed states per window costs under half a percent.
pub const WINDOW: usize = 1024;

/// [`step_pullback`] recorded once on a window of states, replayed on every window of every
/// step. Since a step's output `i` depends only on its inputs `i − 4 ..= i`, the step applied
/// to a window `a .. a + w` gives the true outputs from `a + 4` on (and from `a` when
/// `a = 0`, where the window's first state is the system's): so windows overlapping by
/// [`HALO`], with the weights of the halo's outputs set to 0, cover the whole pullback.
pub struct Pullback {
    recording: Recording,
    window: usize,
}

impl Pullback {
    /// Records the pullback of a step of length `h` for `n` states, on windows of at most
    /// `window` states (more than [`HALO`]).
    pub fn new(n: usize, h: f64, window: usize) -> Self {
        assert!(window > HALO, "a window must be longer than the halo");
        let window = window.min(n);
        let recording = reverse::record(|v| step_pullback(v, h), &vec![0.0; 3 * window]);
        Pullback { recording, window }
    }

    /// Adds to `y_bar` and `x_bar` the cotangents of a step's input state and parameters
    /// (at `y`, `x`) from the cotangent `weights` of its output.
    fn accumulate(
        &mut self,
        y: &[f64],
        x: &[f64],
        weights: &[f64],
        y_bar: &mut [f64],
        x_bar: &mut [f64],
    ) {
        let (n, w) = (x.len(), self.window);
        let mut point = vec![0.0; 3 * w];
        let mut covered = 0;
        while covered < n {
            let start = if covered == 0 {
                0
            } else {
                (covered - HALO).min(n - w)
            };
            let range = start..start + w;
            point[..w].copy_from_slice(&y[range.clone()]);
            point[w..2 * w].copy_from_slice(&x[range.clone()]);
            point[2 * w..].copy_from_slice(&weights[range.clone()]);
            // Outputs already counted (or, in the halo, not computed right) weigh nothing.
            point[2 * w..2 * w + (covered - start)].fill(0.0);
            let g = self
                .recording
                .gradient(&point)
                .expect("the step has no branches, and the point has the recording's length");
            y_bar[range.clone()]
                .iter_mut()
                .zip(&g[..w])
                .for_each(|(a, b)| *a += b);
            x_bar[range]
                .iter_mut()
                .zip(&g[w..2 * w])
                .for_each(|(a, b)| *a += b);
            covered = start + w;
        }
    }
}

/// `∇ₓ yₙ₋₁(2)` by the step-checkpointed reverse sweep described above.
pub fn gradient(x: &[f64], s: usize, pullback: &mut Pullback) -> Vec<f64> {
    let n = x.len();
    let h = T_END / s as f64;
    // states[k] is y after k steps.
    let mut states = Vec::new();
    let mut y = vec![0.0; n];
    let mut stages = Stages::new();
    for _ in 0..s {
        let mut next = Vec::with_capacity(n);
        step_into(x, &y, h, &mut stages, &mut next);
        states.push(std::mem::replace(&mut y, next));
    }
    let mut weights = vec![0.0; n];
    weights[n - 1] = 1.0;
    let mut y_bar = vec![0.0; n];
    let mut x_bar = vec![0.0; n];
    for state in states.iter().rev() {
        y_bar.fill(0.0);
        pullback.accumulate(state, x, &weights, &mut y_bar, &mut x_bar);
        std::mem::swap(&mut weights, &mut y_bar);
    }
    x_bar
}

struct Ode {
    x: Vec<f64>,
    s: usize,
    /// The recorded pullback of one step; `None` for the primal.
    pullback: Option<Pullback>,
    output: Vec<f64>,
}

impl Prepared for Ode {
    fn run(&mut self) {
        self.output = match &mut self.pullback {
            None => solve(&self.x, self.s),
            Some(pullback) => gradient(&self.x, self.s, pullback),
        };
    }

    fn output(&self) -> Value {
        json!(self.output)
    }
}

/// Prepares `primal` or `gradient`; the input is `{"x": [x₀, …], "s": steps}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let derivative = wants_gradient("ode", function)?;
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
    let pullback = derivative.then(|| Pullback::new(x.len(), T_END / s as f64, WINDOW));
    Ok(Box::new(Ode {
        x,
        s,
        pullback,
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

    /// Parameters `xᵢ ≈ (i + 1)/2`, so that `yₙ₋₁ = x₀⋯xₙ₋₁·2ⁿ/n!` and its gradient are of
    /// order 1 (with `xᵢ < 1` they would vanish like `2ⁿ/n!`, and any error with them).
    fn sample(n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| (i + 1) as f64 * (0.45 + 0.1 * (i as f64).sin()))
            .collect()
    }

    /// Whether `a` and `b` agree to `tolerance` relative to `b`'s largest entry.
    fn close(a: &[f64], b: &[f64], tolerance: f64) -> bool {
        let scale = b.iter().fold(0.0_f64, |m, q| m.max(q.abs()));
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(p, q)| (p - q).abs() <= tolerance * scale)
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
        for s in [1, 2, 7] {
            let mut pullback = Pullback::new(x.len(), T_END / s as f64, WINDOW);
            assert!(
                close(&gradient(&x, s, &mut pullback), &want, 1e-14),
                "s = {s}"
            );
        }
    }

    #[test]
    fn gradient_agrees_with_forward_mode_and_central_differences() {
        // Nine states: the Runge–Kutta solution is no longer exact, so compare methods.
        let x = sample(9);
        let s = 3;
        let got = gradient(&x, s, &mut Pullback::new(x.len(), T_END / s as f64, WINDOW));
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
    fn the_recording_gives_the_same_gradient_when_replayed() {
        let x = [0.2, 0.6, 0.4, 0.9, 0.3];
        let mut pullback = Pullback::new(x.len(), T_END / 4.0, WINDOW);
        let first = gradient(&x, 4, &mut pullback);
        let _other = gradient(&[0.5, 0.25, 0.75, 1.0, 0.1], 4, &mut pullback);
        assert_eq!(gradient(&x, 4, &mut pullback), first);
        // Recorded at 0, replayed at v: the same as a recording at v.
        let v = [x, x, x].concat();
        let recorded = reverse::gradient(|u| step_pullback(u, 0.5), &v);
        let mut replayed = Pullback::new(x.len(), 0.5, WINDOW);
        assert_eq!(replayed.recording.gradient(&v).unwrap(), recorded);
    }

    #[test]
    fn overlapping_windows_give_the_whole_pullback() {
        // 23 states on windows of 5, 6, 8 and 16 (the last window overlapping the one
        // before by more than the halo) against one window of all 23, and forward mode.
        let x = sample(23);
        let s = 2;
        let whole = gradient(&x, s, &mut Pullback::new(x.len(), 1.0, x.len()));
        let by_forward = forward::gradient(|v| solve(v, s).pop().expect("n ≥ 1"), &x);
        assert!(close(&whole, &by_forward, 1e-13));
        for window in [5, 6, 8, 16] {
            let windowed = gradient(&x, s, &mut Pullback::new(x.len(), 1.0, window));
            assert!(close(&windowed, &whole, 1e-14), "window {window}");
        }
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
