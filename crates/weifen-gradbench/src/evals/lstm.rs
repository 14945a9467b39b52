//! `lstm`: the next-character loss of ADBench's LSTM (diagonal weights) over a text, and its
//! gradient with respect to the parameters.
//!
//! **Mode: reverse, on the scalar tape, recorded each run into a reused
//! [`Workspace`](weifen::reverse::Workspace).** One scalar output and `8bl + 3b` parameters
//! call for reverse mode. The work is a sequential loop over `c − 1` characters of `l` layers
//! of `b` (14) hidden units each, and every weight matrix is diagonal: each op touches one
//! number. Tensors would be vectors of 14 elements, so each of ≈10⁶ tensor ops would cost its
//! allocation and graph node for 14 multiplications; the scalar tape records each
//! multiplication as 16 bytes instead. The recurrence forbids batching over time. Each unit's
//! recurrence is independent of the others' (the weights are diagonal; units meet only in
//! the loss), so the tape could be split by units over threads, with the loss's vjp joining
//! them; that is not done: it would be at most 2× on this 2-core machine, and one tape
//! already measured 0.8× manual's time at `l = 6, c = 8192` (1.5× at `l = 2, c = 1024`).
//!
//! **Layout.** Parameters are read row-major, as the input gives them: `main_params` is `2l`
//! rows of `4b` (per layer a weight row then a bias row, each the forget, input, output and
//! change gates' `b` entries), then `extra_params` (input weights, output weights, output
//! biases). The gradient is returned in the same order. The state and the text are constants
//! (plain `f64`), so ops with them record one constant-operand node.

use super::{Prepared, number, unknown_function};
use serde_json::{Value, json};
use weifen::Scalar;
use weifen::reverse::Workspace;

/// `1/(1 + e⁻ˣ)` as `(1 + tanh(x/2))/2`, which overflows for no `x`.
fn sigmoid<S: Scalar>(x: S) -> S {
    ((x * 0.5).tanh() + 1.0) * 0.5
}

/// Sizes and constants of one input.
struct Input {
    /// Layers.
    l: usize,
    /// Hidden units per layer (the bits of a character).
    b: usize,
    /// Characters.
    c: usize,
    /// `main_params` then `extra_params`, row-major.
    params: Vec<f64>,
    /// `2l` rows of `b`: per layer, hidden then cell.
    state: Vec<f64>,
    /// `c` rows of `b`: the text, one character's bits per row.
    sequence: Vec<f64>,
}

impl Input {
    /// `−(1/((c−1)b)) Σ_t Σ_i y_{t+1,i} (ŷ_{t,i} − ln(Σ_j exp ŷ_{t,j} + 2))`, where `ŷ_t` is the
    /// prediction after reading character `t` (the `+ 2` is ADBench's).
    fn loss<S: Scalar>(&self, params: &[S]) -> S {
        let (l, b) = (self.l, self.b);
        let (main, extra) = params.split_at(8 * b * l);
        let (in_weight, rest) = extra.split_at(b);
        let (out_weight, out_bias) = rest.split_at(b);
        let constant = |v: &[f64]| v.iter().map(|&v| S::constant(v)).collect::<Vec<S>>();
        let mut hidden: Vec<Vec<S>> = (0..l)
            .map(|j| constant(&self.state[2 * j * b..(2 * j + 1) * b]))
            .collect();
        let mut cell: Vec<Vec<S>> = (0..l)
            .map(|j| constant(&self.state[(2 * j + 1) * b..(2 * j + 2) * b]))
            .collect();
        let mut total = S::constant(0.0);
        for t in 0..self.c - 1 {
            let text = &self.sequence[t * b..(t + 1) * b];
            let mut input: Vec<S> = in_weight
                .iter()
                .zip(text)
                .map(|(w, &x)| w.clone() * x)
                .collect();
            for j in 0..l {
                let weight = &main[8 * b * j..8 * b * j + 4 * b];
                let bias = &main[8 * b * j + 4 * b..8 * b * (j + 1)];
                let gate = |g: usize, i: usize, x: &S| {
                    x.clone() * weight[g * b + i].clone() + bias[g * b + i].clone()
                };
                for i in 0..b {
                    let h = &hidden[j][i];
                    let forget = sigmoid(gate(0, i, &input[i]));
                    let ingate = sigmoid(gate(1, i, h));
                    let outgate = sigmoid(gate(2, i, &input[i]));
                    let change = gate(3, i, h).tanh();
                    let c = cell[j][i].clone() * forget + ingate * change;
                    hidden[j][i] = outgate * c.clone().tanh();
                    cell[j][i] = c;
                }
                input.clone_from(&hidden[j]);
            }
            let prediction: Vec<S> = (0..b)
                .map(|i| input[i].clone() * out_weight[i].clone() + out_bias[i].clone())
                .collect();
            let mut sum_exp = S::constant(2.0);
            for p in &prediction {
                sum_exp = sum_exp + p.clone().exp();
            }
            let lse = sum_exp.ln();
            // Σ_i y_i (ŷ_i − lse) = Σ_{i: y_i ≠ 0} y_i ŷ_i − lse Σ_i y_i: the text is constant.
            let gold = &self.sequence[(t + 1) * b..(t + 2) * b];
            for (p, &y) in prediction.iter().zip(gold) {
                if y != 0.0 {
                    total = total + p.clone() * y;
                }
            }
            let weight: f64 = gold.iter().sum();
            if weight != 0.0 {
                total = total - lse * weight;
            }
        }
        total * (-1.0 / ((self.c - 1) * b) as f64)
    }
}

enum Output {
    Objective(f64),
    Gradient(Vec<f64>),
}

struct Lstm {
    input: Input,
    /// `None` for the objective.
    workspace: Option<Workspace>,
    output: Output,
}

impl Prepared for Lstm {
    fn run(&mut self) {
        let input = &self.input;
        self.output = match &mut self.workspace {
            Some(ws) => Output::Gradient(ws.gradient(|p| input.loss(p), &input.params)),
            None => Output::Objective(input.loss(&input.params)),
        };
    }

    fn output(&self) -> Value {
        match &self.output {
            Output::Objective(y) => json!(y),
            Output::Gradient(g) => json!(g),
        }
    }
}

/// Reads a JSON array of arrays of one width into one row-major vector; returns it with the
/// number of rows and the width.
fn matrix(value: &Value, what: &str) -> Result<(Vec<f64>, usize, usize), String> {
    let rows = value
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| format!("{what} must be a non-empty array of rows"))?;
    let width = rows[0].as_array().map_or(0, Vec::len);
    let mut out = Vec::with_capacity(rows.len() * width);
    for (i, row) in rows.iter().enumerate() {
        let row = row
            .as_array()
            .filter(|r| r.len() == width && width > 0)
            .ok_or_else(|| format!("{what}[{i}] must be an array of {width} numbers"))?;
        for (j, v) in row.iter().enumerate() {
            out.push(number(v, &format!("{what}[{i}][{j}]"))?);
        }
    }
    Ok((out, rows.len(), width))
}

fn parse(input: &Value) -> Result<Input, String> {
    let (main, rows, width) = matrix(&input["main_params"], "main_params")?;
    if rows % 2 != 0 || width % 4 != 0 {
        return Err(format!(
            "main_params must be 2l rows of 4b numbers, not {rows} rows of {width}"
        ));
    }
    let (l, b) = (rows / 2, width / 4);
    let shape = |what: &str, (v, r, w): (Vec<f64>, usize, usize), rows: Option<usize>| {
        if w != b || rows.is_some_and(|n| n != r) {
            let want = rows.map_or("rows".to_string(), |n| format!("{n} rows"));
            Err(format!(
                "{what} must be {want} of {b} numbers, not {r} rows of {w}"
            ))
        } else {
            Ok((v, r))
        }
    };
    let (extra, _) = shape(
        "extra_params",
        matrix(&input["extra_params"], "extra_params")?,
        Some(3),
    )?;
    let (state, _) = shape("state", matrix(&input["state"], "state")?, Some(2 * l))?;
    let (sequence, c) = shape("sequence", matrix(&input["sequence"], "sequence")?, None)?;
    if c < 2 {
        return Err("sequence must have at least 2 characters".into());
    }
    let mut params = main;
    params.extend(extra);
    Ok(Input {
        l,
        b,
        c,
        params,
        state,
        sequence,
    })
}

/// Prepares `objective` or `jacobian` (the gradient of the objective).
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = match function {
        "objective" => false,
        "jacobian" => true,
        _ => return Err(unknown_function("lstm", function)),
    };
    Ok(Box::new(Lstm {
        input: parse(input)?,
        workspace: gradient.then(Workspace::new),
        output: Output::Objective(f64::NAN),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weifen::forward;

    fn small(l: usize, b: usize, c: usize) -> Value {
        // Deterministic values in (0, 1), and a text of 0/1 bits, as the eval generates.
        let mut seed = 0.37_f64;
        let mut next = || {
            seed = (seed * 997.0 + 0.123).fract();
            seed
        };
        let mut rows = |r: usize, w: usize| -> Vec<Vec<f64>> {
            (0..r).map(|_| (0..w).map(|_| next()).collect()).collect()
        };
        let main = rows(2 * l, 4 * b);
        let extra = rows(3, b);
        let state = rows(2 * l, b);
        let text: Vec<Vec<f64>> = rows(c, b)
            .into_iter()
            .map(|r| r.into_iter().map(|v| (v > 0.5) as u8 as f64).collect())
            .collect();
        json!({"main_params": main, "extra_params": extra, "state": state, "sequence": text})
    }

    #[test]
    fn objective_of_one_step_matches_the_formula() {
        // l = 1, b = 1, c = 2: one cell update, written out by hand.
        let input = json!({
            "main_params": [[0.5, 0.3, -0.2, 0.7], [0.1, -0.4, 0.6, 0.2]],
            "extra_params": [[0.9], [1.3], [-0.5]],
            "state": [[0.25], [-0.6]],
            "sequence": [[1.0], [1.0]],
        });
        let s = |x: f64| 1.0 / (1.0 + (-x).exp());
        let (h, c, x) = (0.25, -0.6, 0.9); // x = text · input weight = 1 · 0.9
        let forget = s(x * 0.5 + 0.1);
        let ingate = s(h * 0.3 - 0.4);
        let outgate = s(x * -0.2 + 0.6);
        let change = (h * 0.7 + 0.2_f64).tanh();
        let cell = c * forget + ingate * change;
        let y = outgate * cell.tanh() * 1.3 - 0.5;
        let expected = -(y - (y.exp() + 2.0).ln());
        let mut prepared = prepare("objective", &input).unwrap();
        prepared.run();
        let got = prepared.output().as_f64().unwrap();
        assert!((got - expected).abs() < 1e-14, "{got} vs {expected}");
    }

    #[test]
    fn gradient_matches_forward_mode_and_central_differences() {
        let json = small(2, 3, 6);
        let input = parse(&json).unwrap();
        let mut prepared = prepare("jacobian", &json).unwrap();
        prepared.run();
        let g: Vec<f64> = prepared
            .output()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(g.len(), 8 * 3 * 2 + 3 * 3);
        let oracle = forward::gradient(|p| input.loss(p), &input.params);
        for (i, (a, b)) in g.iter().zip(&oracle).enumerate() {
            assert!(
                (a - b).abs() < 1e-13 * b.abs().max(1.0),
                "entry {i}: {a} vs {b}"
            );
        }
        for i in 0..g.len() {
            let (mut up, mut down) = (input.params.clone(), input.params.clone());
            up[i] += 1e-5;
            down[i] -= 1e-5;
            let fd = (input.loss(&up) - input.loss(&down)) / 2e-5;
            assert!((g[i] - fd).abs() < 1e-8, "entry {i}: {} vs {fd}", g[i]);
        }
    }

    #[test]
    fn malformed_inputs_are_errors_naming_the_field() {
        let mut bad = small(1, 2, 3);
        bad["state"] = json!([[0.1, 0.2]]);
        assert!(prepare("jacobian", &bad).err().unwrap().contains("state"));
        bad = small(1, 2, 3);
        bad["main_params"] = json!([[0.1, 0.2, 0.3]]);
        assert!(
            prepare("objective", &bad)
                .err()
                .unwrap()
                .contains("main_params")
        );
    }
}
