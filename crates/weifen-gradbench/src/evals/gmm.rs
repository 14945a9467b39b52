//! `gmm`: the log posterior of a Gaussian mixture with a Wishart prior, and its gradient.
//!
//! **Mode: reverse, on tensors.** One scalar output and `k(1 + d + d(d+1)/2)` inputs (≈2·10⁵
//! at `d = 64, k = 100`) call for reverse mode, and the work (≈2·10⁸ multiply-adds in
//! `Q_k(x_i − μ_k)`) is dense linear algebra: a scalar tape would record every one of them,
//! while a tensor graph records a dozen ops whose kernels are matrix products.
//!
//! **Layout.** The factors `Q_k` are assembled by one `scatter_add` of `exp(q)` and `l` into
//! `[k, d·d]` (positions in row-major order, `l` filling each column below the diagonal in
//! turn). Centring every point for every component would make `[n, k, d]` tensors (51 MB at
//! the largest size) and several passes over them forward and back. Instead, with the
//! precision `P_k = Q_kᵀQ_k` (a batched product of `[k, d, d]`),
//! `‖Q_k(x − μ_k)‖² = xᵀP_k x − 2(P_k μ_k)ᵀx + μ_kᵀP_k μ_k`, and the first term for every point
//! and component is one product `P_upper [k, d(d+1)/2] · pairs [d(d+1)/2, n]`, where `pairs`
//! holds the data's coordinate products (off-diagonal ones doubled), built once in `prepare`
//! since the data is constant. The backward pass is one more product of that size (`∂P_upper =
//! G·pairsᵀ`); nothing of size `n·k·d` is ever formed, and the result `[k, n]` goes through
//! `logsumexp` over the components (dimension 0). The three terms are of the size of the
//! result for these inputs, so the expansion costs no accuracy that validation can see. The
//! centred form (`Q_k x_i − Q_k μ_k` as one `[k·d, d]·[d, n]` product, then squares) was tried
//! first and was slower: its element-wise passes over `[k·d, n]` and their gradients cost
//! more than the product. This form measured 0.6–0.7× manual's time at `d = 64, k = 100`.
//! The prior and the normalising constants are closed forms of `q`, `l`, `α`.

use super::{Prepared, number, unknown_function};
use serde_json::{Value, json};
use weifen::Scalar;
use weifen::tensor::{GradOptions, Tensor, grad, no_grad};

/// One parsed input: the parameters (row-major, `k` rows each) and the data.
struct Input {
    d: usize,
    k: usize,
    n: usize,
    alpha: Vec<f64>,
    mu: Vec<f64>,
    q: Vec<f64>,
    l: Vec<f64>,
    /// The data transposed, `[d, n]`.
    xt: Tensor,
    /// The products of coordinates of the data, `[d(d+1)/2, n]` (see [`pairs`]).
    pairs: Tensor,
    m: f64,
    gamma: f64,
}

/// Positions in a row-major `d × d` matrix: the diagonal, then the strictly lower triangle
/// column by column (the order of `l`).
fn positions(d: usize) -> (Vec<usize>, Vec<usize>) {
    let diagonal = (0..d).map(|i| i * d + i).collect();
    let lower = (0..d)
        .flat_map(|col| (col + 1..d).map(move |row| row * d + col))
        .collect();
    (diagonal, lower)
}

/// Positions `a·d + b` of the upper triangle `a ≤ b` of a row-major `d × d` matrix, row by row.
fn upper_positions(d: usize) -> Vec<usize> {
    (0..d)
        .flat_map(|a| (a..d).map(move |b| a * d + b))
        .collect()
}

/// `[d(d+1)/2, n]`: row `(a, b)` (in [`upper_positions`] order) holds `c·x_a x_b` for every
/// point, `c = 1` on the diagonal and `2` off it, so that `P_upper · pairs = xᵀPx` for a
/// symmetric `P`.
fn pairs(x: &[f64], d: usize, n: usize) -> Tensor {
    let mut out = Vec::with_capacity(d * (d + 1) / 2 * n);
    for a in 0..d {
        for b in a..d {
            let c = if a == b { 1.0 } else { 2.0 };
            out.extend((0..n).map(|i| c * x[i * d + a] * x[i * d + b]));
        }
    }
    Tensor::from_shape_vec(&[d * (d + 1) / 2, n], out).expect("one row per pair")
}

/// `ln Γ(h/2)` for a positive integer `h`, exactly from `Γ(1) = 1`, `Γ(1/2) = √π` and
/// `Γ(x + 1) = xΓ(x)` (the prior's gamma arguments are all multiples of `1/2`).
fn ln_gamma_half(h: usize) -> f64 {
    let mut x = if h.is_multiple_of(2) { 1.0 } else { 0.5 };
    let mut out = if h.is_multiple_of(2) {
        0.0
    } else {
        0.5 * std::f64::consts::PI.ln()
    };
    while 2.0 * x < h as f64 {
        out += x.ln();
        x += 1.0;
    }
    out
}

impl Input {
    /// `K(nD ln(γ/√2) − ln Γ_D(n/2)) − ND/2 ln 2π`: the terms free of parameters.
    fn constant(&self) -> f64 {
        let (d, k, n) = (self.d as f64, self.k as f64, self.n as f64);
        let dof = self.d + self.m as usize + 1;
        let mut ln_multigamma = 0.25 * d * (d - 1.0) * std::f64::consts::PI.ln();
        for j in 1..=self.d {
            // Γ(dof/2 + (1 − j)/2) = Γ((dof + 1 − j)/2).
            ln_multigamma += ln_gamma_half(dof + 1 - j);
        }
        let wishart = dof as f64 * d * (self.gamma.ln() - 0.5 * 2f64.ln()) - ln_multigamma;
        k * wishart - 0.5 * n * d * (2.0 * std::f64::consts::PI).ln()
    }

    /// The log posterior at the parameters `[α (k), μ (k, d), q (k, d), l (k, d(d−1)/2)]`.
    fn log_posterior(&self, alpha: &Tensor, mu: &Tensor, q: &Tensor, l: &Tensor) -> Tensor {
        let (d, k, n) = (self.d, self.k, self.n);
        let (diagonal, lower) = positions(d);
        let qd = q.clone().exp();
        let factor = qd.scatter_add(&diagonal, d * d) + l.scatter_add(&lower, d * d);
        let factor = factor.reshape(&[k, d, d]);
        // ‖Q(x − μ)‖² = xᵀPx − 2(Pμ)ᵀx + μᵀPμ with P = QᵀQ symmetric.
        let precision = factor.transpose(1, 2).matmul(&factor);
        let upper = precision.reshape(&[k, d * d]).take(&upper_positions(d));
        let p_mu = precision.matmul(&mu.reshape(&[k, d, 1])).reshape(&[k, d]);
        let mu_p_mu = (p_mu.clone() * mu.clone()).sum_dim(1, true);
        let distance = upper.matmul(&self.pairs) - p_mu.matmul(&self.xt) * 2.0 + mu_p_mu;
        let beta = alpha.reshape(&[k, 1]) + q.sum_dim(1, true) - distance * 0.5;
        let likelihood = beta.logsumexp_dim(0, false).sum() - alpha.logsumexp() * n as f64;
        let frobenius = (qd.clone() * qd).sum() + (l.clone() * l.clone()).sum();
        let prior = q.sum() * self.m - frobenius * (0.5 * self.gamma * self.gamma);
        likelihood + prior + self.constant()
    }

    fn parameters(&self) -> [Tensor; 4] {
        let (d, k) = (self.d, self.k);
        let t = |v: &[f64], shape: &[usize]| {
            Tensor::from_shape_vec(shape, v.to_vec()).expect("lengths checked when parsed")
        };
        [
            t(&self.alpha, &[k]),
            t(&self.mu, &[k, d]),
            t(&self.q, &[k, d]),
            t(&self.l, &[k, d * (d - 1) / 2]),
        ]
    }
}

enum Output {
    Objective(f64),
    Gradient([Vec<f64>; 4]),
}

struct Gmm {
    input: Input,
    gradient: bool,
    output: Output,
}

impl Prepared for Gmm {
    fn run(&mut self) {
        let [alpha, mu, q, l] = self.input.parameters();
        self.output = if self.gradient {
            let p = [alpha, mu, q, l].map(|t| t.requires_grad_(true));
            let y = self.input.log_posterior(&p[0], &p[1], &p[2], &p[3]);
            let g = grad(
                &[&y],
                &[&p[0], &p[1], &p[2], &p[3]],
                &[&Tensor::scalar(1.0)],
                GradOptions::default(),
            )
            .expect("every parameter reaches the objective");
            let mut g = g.into_iter().map(|t| t.to_vec());
            Output::Gradient(std::array::from_fn(|_| g.next().expect("four gradients")))
        } else {
            let _guard = no_grad();
            Output::Objective(self.input.log_posterior(&alpha, &mu, &q, &l).item())
        };
    }

    fn output(&self) -> Value {
        match &self.output {
            Output::Objective(y) => json!(y),
            Output::Gradient([alpha, mu, q, l]) => {
                let rows = |v: &[f64], width: usize| -> Vec<Vec<f64>> {
                    (0..self.input.k)
                        .map(|i| v[i * width..(i + 1) * width].to_vec())
                        .collect()
                };
                let d = self.input.d;
                json!({
                    "alpha": alpha,
                    "mu": rows(mu, d),
                    "q": rows(q, d),
                    "l": rows(l, d * (d - 1) / 2),
                })
            }
        }
    }
}

/// Reads a JSON array of `rows` arrays of `width` numbers into one row-major vector.
fn matrix(value: &Value, what: &str, rows: usize, width: usize) -> Result<Vec<f64>, String> {
    let outer = value
        .as_array()
        .filter(|a| a.len() == rows)
        .ok_or_else(|| format!("{what} must be an array of {rows} rows"))?;
    let mut out = Vec::with_capacity(rows * width);
    for (i, row) in outer.iter().enumerate() {
        let row = row
            .as_array()
            .filter(|r| r.len() == width)
            .ok_or_else(|| format!("{what}[{i}] must be an array of {width} numbers"))?;
        for (j, v) in row.iter().enumerate() {
            out.push(number(v, &format!("{what}[{i}][{j}]"))?);
        }
    }
    Ok(out)
}

fn count(input: &Value, field: &str) -> Result<usize, String> {
    input[field]
        .as_u64()
        .filter(|&v| v > 0)
        .map(|v| v as usize)
        .ok_or_else(|| format!("{field} must be a positive integer, not {}", input[field]))
}

fn parse(input: &Value) -> Result<Input, String> {
    let (d, k, n) = (count(input, "d")?, count(input, "k")?, count(input, "n")?);
    let alpha = input["alpha"]
        .as_array()
        .filter(|a| a.len() == k)
        .ok_or_else(|| format!("alpha must be an array of {k} numbers"))?
        .iter()
        .enumerate()
        .map(|(i, v)| number(v, &format!("alpha[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let x = matrix(&input["x"], "x", n, d)?;
    let xt = (0..d)
        .flat_map(|a| x.iter().skip(a).step_by(d).copied())
        .collect();
    let xt = Tensor::from_shape_vec(&[d, n], xt).expect("d·n numbers");
    let pairs = pairs(&x, d, n);
    let m = input["m"]
        .as_u64()
        .ok_or_else(|| format!("m must be a non-negative integer, not {}", input["m"]))?;
    let gamma = number(&input["gamma"], "gamma")?;
    Ok(Input {
        d,
        k,
        n,
        alpha,
        mu: matrix(&input["mu"], "mu", k, d)?,
        q: matrix(&input["q"], "q", k, d)?,
        l: matrix(&input["l"], "l", k, d * (d - 1) / 2)?,
        xt,
        pairs,
        m: m as f64,
        gamma,
    })
}

/// Prepares `objective` or `jacobian` (the gradient of the objective).
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    let gradient = match function {
        "objective" => false,
        "jacobian" => true,
        _ => return Err(unknown_function("gmm", function)),
    };
    Ok(Box::new(Gmm {
        input: parse(input)?,
        gradient,
        output: Output::Objective(f64::NAN),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weifen::reverse;

    /// A small input with every parameter exercised: `d = 3, k = 2, n = 4`, `m = 2`, `γ = 0.7`.
    fn small() -> Value {
        json!({
            "d": 3, "k": 2, "n": 4, "m": 2, "gamma": 0.7,
            "alpha": [0.3, -0.8],
            "mu": [[0.1, 0.5, -0.2], [0.7, -0.4, 0.3]],
            "q": [[0.2, -0.1, 0.4], [-0.3, 0.25, 0.1]],
            "l": [[0.5, -0.3, 0.8], [-0.6, 0.2, 0.4]],
            "x": [[0.3, -0.2, 0.9], [-1.1, 0.4, 0.2], [0.6, 0.8, -0.5], [0.0, -0.7, 1.2]],
        })
    }

    fn flat(input: &Input) -> Vec<f64> {
        [&input.alpha, &input.mu, &input.q, &input.l]
            .into_iter()
            .flatten()
            .copied()
            .collect()
    }

    /// The definition itself, on scalars: `ln Π_i Σ_k φ_k N(x_i; μ_k, (QₖᵀQₖ)⁻¹)` plus the log
    /// Wishart density of each `QₖᵀQₖ`, with the `d × d` matrices formed explicitly.
    // Indices as in the formulas, so that the oracle reads like the definition.
    #[allow(clippy::needless_range_loop)]
    fn definition<S: Scalar>(p: &[S], x: &[f64], d: usize, k: usize, m: f64, gamma: f64) -> S {
        let n = x.len() / d;
        let lsz = d * (d - 1) / 2;
        let (alpha, rest) = p.split_at(k);
        let (mu, rest) = rest.split_at(k * d);
        let (q, l) = rest.split_at(k * d);
        let factor = |c: usize| -> Vec<Vec<S>> {
            let mut f = vec![vec![S::constant(0.0); d]; d];
            let mut next = 0;
            for col in 0..d {
                f[col][col] = q[c * d + col].clone().exp();
                for row in col + 1..d {
                    f[row][col] = l[c * lsz + next].clone();
                    next += 1;
                }
            }
            f
        };
        let mut z = S::constant(0.0);
        for a in alpha {
            z = z + a.clone().exp();
        }
        let pi2 = 2.0 * std::f64::consts::PI;
        let mut likelihood = S::constant(1.0);
        for i in 0..n {
            let mut mixture = S::constant(0.0);
            for c in 0..k {
                let f = factor(c);
                // (x − μ)ᵀ QᵀQ (x − μ) = ‖Q(x − μ)‖²; det Σ⁻¹ = Π exp(2q).
                let mut quad = S::constant(0.0);
                for row in 0..d {
                    let mut s = S::constant(0.0);
                    for col in 0..d {
                        s = s + f[row][col].clone()
                            * (mu[c * d + col].clone() * -1.0 + x[i * d + col]);
                    }
                    quad = quad + s.clone() * s;
                }
                let mut det = S::constant(1.0);
                for j in 0..d {
                    det = det * f[j][j].clone() * f[j][j].clone();
                }
                let density = (quad * -0.5).exp() * (det / pi2.powi(d as i32)).sqrt();
                mixture = mixture + alpha[c].clone().exp() / z.clone() * density;
            }
            likelihood = likelihood * mixture;
        }
        // Wishart W_d(γ⁻²I, dof) at P = QᵀQ: det(P)^((dof−d−1)/2) exp(−γ² tr P / 2) / norm.
        let dof = d as f64 + m + 1.0;
        let mut ln_multigamma = 0.25 * (d * (d - 1)) as f64 * std::f64::consts::PI.ln();
        for j in 1..=d {
            ln_multigamma += ln_gamma_half(dof as usize + 1 - j);
        }
        let ln_norm =
            0.5 * dof * d as f64 * 2f64.ln() - dof * d as f64 * gamma.ln() + ln_multigamma;
        let mut prior = S::constant(0.0);
        for c in 0..k {
            let f = factor(c);
            let mut trace = S::constant(0.0);
            let mut ln_det = S::constant(0.0);
            for row in 0..d {
                ln_det = ln_det + q[c * d + row].clone() * 2.0;
                for col in 0..d {
                    trace = trace + f[row][col].clone() * f[row][col].clone();
                }
            }
            prior = prior + ln_det * ((dof - d as f64 - 1.0) / 2.0)
                - trace * (gamma * gamma / 2.0)
                - ln_norm;
        }
        likelihood.ln() + prior
    }

    #[test]
    fn ln_gamma_half_matches_closed_forms() {
        // Γ(1/2) = √π, Γ(3) = 2, Γ(7/2) = 15√π/8.
        let sqrt_pi = std::f64::consts::PI.sqrt();
        assert!((ln_gamma_half(1) - sqrt_pi.ln()).abs() < 1e-15);
        assert!((ln_gamma_half(6) - 2f64.ln()).abs() < 1e-15);
        assert!((ln_gamma_half(7) - (15.0 * sqrt_pi / 8.0).ln()).abs() < 1e-14);
    }

    #[test]
    fn objective_matches_the_definition() {
        let input = parse(&small()).unwrap();
        let [alpha, mu, q, l] = input.parameters();
        let y = input.log_posterior(&alpha, &mu, &q, &l).item();
        let expected = definition(
            &flat(&input),
            &[
                0.3, -0.2, 0.9, -1.1, 0.4, 0.2, 0.6, 0.8, -0.5, 0.0, -0.7, 1.2,
            ],
            3,
            2,
            2.0,
            0.7,
        );
        assert!(
            (y - expected).abs() < 1e-12 * expected.abs().max(1.0),
            "{y} vs {expected}"
        );
    }

    #[test]
    fn gradient_matches_scalar_reverse_mode_and_central_differences() {
        let mut prepared = prepare("jacobian", &small()).unwrap();
        prepared.run();
        let out = prepared.output();
        let mut g = out["alpha"].as_array().unwrap().clone();
        for field in ["mu", "q", "l"] {
            for row in out[field].as_array().unwrap() {
                g.extend(row.as_array().unwrap().iter().cloned());
            }
        }
        let g: Vec<f64> = g.iter().map(|v| v.as_f64().unwrap()).collect();
        let input = parse(&small()).unwrap();
        let p = flat(&input);
        let x = [
            0.3, -0.2, 0.9, -1.1, 0.4, 0.2, 0.6, 0.8, -0.5, 0.0, -0.7, 1.2,
        ];
        let oracle = reverse::gradient(|v| definition(v, &x, 3, 2, 2.0, 0.7), &p);
        assert_eq!(g.len(), oracle.len());
        for (i, (a, b)) in g.iter().zip(&oracle).enumerate() {
            assert!(
                (a - b).abs() < 1e-10 * b.abs().max(1.0),
                "entry {i}: {a} vs {b}"
            );
        }
        // Central differences of the tensor objective itself, h = 1e-5: error O(h²) ≈ 1e-9.
        let objective = |p: &[f64]| {
            let mut input = parse(&small()).unwrap();
            let (a, rest) = p.split_at(2);
            let (m, rest) = rest.split_at(6);
            let (q, l) = rest.split_at(6);
            (input.alpha, input.mu, input.q, input.l) =
                (a.to_vec(), m.to_vec(), q.to_vec(), l.to_vec());
            let [alpha, mu, q, l] = input.parameters();
            let _guard = no_grad();
            input.log_posterior(&alpha, &mu, &q, &l).item()
        };
        for i in 0..p.len() {
            let (mut up, mut down) = (p.clone(), p.clone());
            up[i] += 1e-5;
            down[i] -= 1e-5;
            let fd = (objective(&up) - objective(&down)) / 2e-5;
            assert!(
                (g[i] - fd).abs() < 1e-6 * fd.abs().max(1.0),
                "entry {i}: {} vs {fd}",
                g[i]
            );
        }
    }

    #[test]
    fn malformed_inputs_are_errors_naming_the_field() {
        let mut bad = small();
        bad["mu"] = json!([[0.1, 0.5], [0.7, -0.4, 0.3]]);
        assert!(prepare("jacobian", &bad).err().unwrap().contains("mu[0]"));
        assert!(prepare("hessian", &small()).is_err());
    }
}
