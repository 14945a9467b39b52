//! `ba`: bundle adjustment. `objective` gives the reprojection errors `w·(π(cam, X) − feat)`
//! (two per observation) and the weight errors `1 − w²` (one per observation); `jacobian`
//! their sparse Jacobian with respect to all cameras (11 parameters each), points (3 each)
//! and weights (1 each), in CSR form.
//!
//! Mode: the Jacobian has block structure — an observation's two residuals depend on one
//! camera, one point and one weight (15 inputs), a weight error on one weight — so each
//! observation is differentiated on its own by forward mode with all 15 directions in one
//! `DualVec<f64, 15>` ([`forward::value_and_jacobian_fixed`]: one evaluation, on the stack),
//! and its 2 × 15 block is written straight into the CSR arrays. Reverse mode would need two
//! sweeps per observation plus a tape; general sparsity detection and colouring
//! (`weifen::sparse`) would rediscover a structure the data already states, and its
//! compressed sweeps carry every residual at once. Observations are independent, so rayon
//! splits them over the threads; each writes its own rows of the preallocated arrays.
//!
//! Layout (the one GradBench's reference uses): rows `2i`, `2i + 1` are observation `i`'s
//! residuals, each with the 11 columns of its camera, the 3 of its point and the 1 of its
//! weight, in that order (columns: cameras, then points, then weights); rows `2p + i` are the
//! weight errors. The response carries only the first 30 entries and the last of `rows`,
//! `cols` and `vals`. Indices are `u32`, which halves the memory of the largest inputs.
//!
//! Data: the input gives one camera, point, weight and feature, replicated as GradBench's
//! reference does (observation `i` sees camera `i mod n` and point `i mod m`); the
//! computation does not exploit the replication.

use super::{Prepared, number, unknown_function};
use rayon::prelude::*;
use serde_json::{Value, json};
use weifen::{Real, forward};

/// Parameters of one camera: rotation (angle-axis), centre, focal length, principal point,
/// radial distortion.
const CAMERA: usize = 11;
/// Inputs of one observation's residuals: its camera, its point and its weight.
const BLOCK: usize = CAMERA + 3 + 1;
/// Nonzeros of one observation's two residual rows.
const ENTRIES: usize = 2 * BLOCK;
/// Observations per rayon task: enough work to amortise the scheduling.
const GRAIN: usize = 1024;

/// `R(rot)·pt` for the angle-axis vector `rot` (Rodrigues' formula); at `rot = 0` its first
/// order form `pt + rot × pt`, which has the right derivative there.
#[inline(always)]
fn rotate<S: Real>(rot: [S; 3], pt: [S; 3]) -> [S; 3] {
    let sq = rot[0] * rot[0] + rot[1] * rot[1] + rot[2] * rot[2];
    if sq != 0.0 {
        let theta = sq.sqrt();
        let (c, s) = (theta.cos(), theta.sin());
        // One division and three products rather than three divisions.
        let inverse = S::constant(1.0) / theta;
        let w = [rot[0] * inverse, rot[1] * inverse, rot[2] * inverse];
        let cross = cross(w, pt);
        let along = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (-c + 1.0);
        let turn = |i: usize| pt[i] * c + cross[i] * s + w[i] * along;
        [turn(0), turn(1), turn(2)]
    } else {
        let cross = cross(rot, pt);
        [pt[0] + cross[0], pt[1] + cross[1], pt[2] + cross[2]]
    }
}

#[inline(always)]
fn cross<S: Real>(a: [S; 3], b: [S; 3]) -> [S; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// The projection of point `x` by camera `cam`: rotate `x − C`, divide by depth, distort
/// radially by `1 + k₁r² + k₂r⁴`, scale by the focal length and shift by the principal point.
#[inline(always)]
fn project<S: Real>(cam: &[S], x: &[S]) -> [S; 2] {
    let centred = [x[0] - cam[3], x[1] - cam[4], x[2] - cam[5]];
    let p = rotate([cam[0], cam[1], cam[2]], centred);
    let (u, v) = (p[0] / p[2], p[1] / p[2]);
    let r2 = u * u + v * v;
    let distortion = cam[9] * r2 + cam[10] * r2 * r2 + 1.0;
    [
        u * distortion * cam[6] + cam[7],
        v * distortion * cam[6] + cam[8],
    ]
}

/// The reprojection error `w·(π(cam, x) − feat)` of one observation.
fn reprojection_error<S: Real>(cam: &[S], x: &[S], w: S, feat: [f64; 2]) -> [S; 2] {
    let proj = project(cam, x);
    [w * (proj[0] - feat[0]), w * (proj[1] - feat[1])]
}

/// [`reprojection_error`] of the inputs gathered in one block: camera, point, weight.
fn block_error<S: Real>(block: &[S], feat: [f64; 2]) -> [S; 2] {
    reprojection_error(
        &block[..CAMERA],
        &block[CAMERA..CAMERA + 3],
        block[BLOCK - 1],
        feat,
    )
}

/// The weight error `1 − w²`.
fn weight_error<S: Real>(w: S) -> S {
    -(w * w) + 1.0
}

/// The replicated problem.
struct Problem {
    n: usize,
    m: usize,
    cams: Vec<f64>,
    points: Vec<f64>,
    weights: Vec<f64>,
    feats: Vec<[f64; 2]>,
    /// Camera and point of each observation.
    obs: Vec<[u32; 2]>,
}

impl Problem {
    /// The inputs of observation `i`'s residuals: its camera, point and weight.
    fn block(&self, i: usize) -> [f64; BLOCK] {
        let [c, x] = self.obs[i].map(|k| k as usize);
        let mut block = [0.0; BLOCK];
        block[..CAMERA].copy_from_slice(&self.cams[CAMERA * c..CAMERA * (c + 1)]);
        block[CAMERA..CAMERA + 3].copy_from_slice(&self.points[3 * x..3 * x + 3]);
        block[BLOCK - 1] = self.weights[i];
        block
    }

    /// Observation `i`'s camera and point, in place.
    fn camera_and_point(&self, i: usize) -> (&[f64], &[f64]) {
        let [c, x] = self.obs[i].map(|k| k as usize);
        (
            &self.cams[CAMERA * c..CAMERA * (c + 1)],
            &self.points[3 * x..3 * x + 3],
        )
    }

    fn p(&self) -> usize {
        self.weights.len()
    }
}

struct Objective {
    problem: Problem,
    reprojection: Vec<[f64; 2]>,
    weight: Vec<f64>,
}

impl Prepared for Objective {
    fn run(&mut self) {
        let problem = &self.problem;
        self.reprojection
            .par_iter_mut()
            .with_min_len(GRAIN)
            .enumerate()
            .for_each(|(i, e)| {
                let (cam, x) = problem.camera_and_point(i);
                *e = reprojection_error(cam, x, problem.weights[i], problem.feats[i]);
            });
        self.weight
            .par_iter_mut()
            .with_min_len(GRAIN)
            .zip(&problem.weights)
            .for_each(|(e, &w)| *e = weight_error(w));
    }

    fn output(&self) -> Value {
        json!({
            "reproj_error": { "elements": self.reprojection[0], "repeated": self.reprojection.len() },
            "w_err": { "element": self.weight[0], "repeated": self.weight.len() },
        })
    }
}

/// The Jacobian in CSR form: row `r`'s entries are `cols[rows[r]..rows[r + 1]]`,
/// `vals[rows[r]..rows[r + 1]]`.
struct Jacobian {
    problem: Problem,
    rows: Vec<u32>,
    cols: Vec<u32>,
    vals: Vec<f64>,
}

impl Prepared for Jacobian {
    fn run(&mut self) {
        let problem = &self.problem;
        let p = problem.p();
        let (reprojection_cols, weight_cols) = self.cols.split_at_mut(ENTRIES * p);
        let (reprojection_vals, weight_vals) = self.vals.split_at_mut(ENTRIES * p);
        let point_start = CAMERA * problem.n;
        let weight_start = point_start + 3 * problem.m;
        reprojection_vals
            .par_chunks_mut(ENTRIES)
            .with_min_len(GRAIN)
            .zip(reprojection_cols.par_chunks_mut(ENTRIES))
            .enumerate()
            .for_each(|(i, (vals, cols))| {
                let feat = problem.feats[i];
                let (_, j) = forward::value_and_jacobian_fixed(
                    |block| block_error(&block[..], feat),
                    &problem.block(i),
                );
                let [c, x] = problem.obs[i].map(|k| k as usize);
                let columns = (CAMERA * c..CAMERA * (c + 1))
                    .chain(point_start + 3 * x..point_start + 3 * x + 3)
                    .chain([weight_start + i]);
                for (k, column) in columns.enumerate() {
                    for (row, derivatives) in j.iter().enumerate() {
                        cols[BLOCK * row + k] = column as u32;
                        vals[BLOCK * row + k] = derivatives[k];
                    }
                }
            });
        weight_vals
            .par_iter_mut()
            .with_min_len(GRAIN)
            .zip(weight_cols.par_iter_mut())
            .enumerate()
            .for_each(|(i, (val, col))| {
                *val = forward::derivative(weight_error, problem.weights[i]);
                *col = (weight_start + i) as u32;
            });
        // Row starts: 15 entries per residual row, then 1 per weight row.
        let residual_rows = 2 * p;
        self.rows
            .par_iter_mut()
            .with_min_len(GRAIN)
            .enumerate()
            .for_each(|(r, start)| {
                *start = (BLOCK * r.min(residual_rows) + r.saturating_sub(residual_rows)) as u32;
            });
    }

    fn output(&self) -> Value {
        /// The first 30 entries and the last, as the eval asks.
        fn excerpt<T: Copy + Into<Value>>(all: &[T]) -> Value {
            let mut kept: Vec<Value> = all.iter().take(ENTRIES).map(|&v| v.into()).collect();
            kept.extend(all.last().map(|&v| v.into()));
            Value::Array(kept)
        }
        json!({
            "rows": excerpt(&self.rows),
            "cols": excerpt(&self.cols),
            "vals": excerpt(&self.vals),
        })
    }
}

/// Reads `input[key]` as an array of exactly `N` numbers.
fn numbers<const N: usize>(input: &Value, key: &str) -> Result<[f64; N], String> {
    let values = input
        .get(key)
        .and_then(Value::as_array)
        .filter(|a| a.len() == N)
        .ok_or_else(|| format!("the input field {key:?} must be an array of {N} numbers"))?;
    let mut out = [0.0; N];
    for (o, v) in out.iter_mut().zip(values) {
        *o = number(v, &format!("each element of {key:?}"))?;
    }
    Ok(out)
}

/// Reads `input[key]` as a positive count.
fn count(input: &Value, key: &str) -> Result<usize, String> {
    input
        .get(key)
        .and_then(Value::as_u64)
        .filter(|&k| k > 0)
        .map(|k| k as usize)
        .ok_or_else(|| format!("the input field {key:?} must be a positive integer"))
}

/// Reads and replicates the input.
fn problem(input: &Value) -> Result<Problem, String> {
    let (n, m, p) = (count(input, "n")?, count(input, "m")?, count(input, "p")?);
    let cam: [f64; CAMERA] = numbers(input, "cam")?;
    let x: [f64; 3] = numbers(input, "x")?;
    let w = number(
        input.get("w").unwrap_or(&Value::Null),
        "the input field \"w\"",
    )?;
    let feat: [f64; 2] = numbers(input, "feat")?;
    let columns = CAMERA as u128 * n as u128 + 3 * m as u128 + p as u128;
    let entries = ENTRIES as u128 * p as u128 + p as u128;
    if columns.max(entries) > u128::from(u32::MAX) {
        return Err(format!(
            "n = {n}, m = {m}, p = {p} give a Jacobian too large for 32-bit indices"
        ));
    }
    Ok(Problem {
        n,
        m,
        cams: cam.repeat(n),
        points: x.repeat(m),
        weights: vec![w; p],
        feats: vec![feat; p],
        obs: (0..p).map(|i| [(i % n) as u32, (i % m) as u32]).collect(),
    })
}

/// Prepares `objective` or `jacobian`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    match function {
        "objective" => {
            let problem = problem(input)?;
            let p = problem.p();
            Ok(Box::new(Objective {
                problem,
                reprojection: vec![[f64::NAN; 2]; p],
                weight: vec![f64::NAN; p],
            }))
        }
        "jacobian" => {
            let problem = problem(input)?;
            let p = problem.p();
            // Filled with a nonzero value so the pages are written here, in `prepare`, not
            // faulted in by the first timed run (a zero fill maps them lazily).
            Ok(Box::new(Jacobian {
                problem,
                rows: vec![u32::MAX; 3 * p + 1],
                cols: vec![u32::MAX; (ENTRIES + 1) * p],
                vals: vec![f64::NAN; (ENTRIES + 1) * p],
            }))
        }
        _ => Err(unknown_function("ba", function)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use weifen::reverse;

    /// A small problem with distinct cameras, points and weights (no replication), so that
    /// a misplaced column or a swapped block shows.
    fn small() -> Problem {
        let (n, m, p) = (2, 3, 5);
        let cams = (0..n * CAMERA)
            .map(|k| match k % CAMERA {
                0..3 => 0.1 * (k as f64 + 1.0).sin(),
                3..6 => 0.2 * (k as f64).cos(),
                6 => 400.0 + k as f64,
                7 | 8 => 10.0 + k as f64,
                _ => 1e-3 * k as f64,
            })
            .collect();
        let points = (0..3 * m)
            .map(|k| {
                if k % 3 == 2 {
                    5.0 + k as f64
                } else {
                    0.3 * k as f64
                }
            })
            .collect();
        Problem {
            n,
            m,
            cams,
            points,
            weights: (0..p).map(|i| 0.8 + 0.1 * i as f64).collect(),
            feats: (0..p).map(|i| [i as f64, -(i as f64)]).collect(),
            obs: (0..p)
                .map(|i| [(i % n) as u32, ((2 * i + 1) % m) as u32])
                .collect(),
        }
    }

    /// Every residual (reprojection, then weight errors) as a function of all parameters
    /// (cameras, points, weights): the dense map whose Jacobian the sparse one must equal.
    fn residuals<S: Real>(problem: &Problem, all: &[S]) -> Vec<S> {
        let (cams, rest) = all.split_at(CAMERA * problem.n);
        let (points, weights) = rest.split_at(3 * problem.m);
        let mut out = Vec::new();
        for (i, &[c, x]) in problem.obs.iter().enumerate() {
            let (c, x) = (c as usize, x as usize);
            let mut block = cams[CAMERA * c..CAMERA * (c + 1)].to_vec();
            block.extend_from_slice(&points[3 * x..3 * x + 3]);
            block.push(weights[i]);
            out.extend(block_error(&block, problem.feats[i]));
        }
        out.extend(weights.iter().map(|&w| weight_error(w)));
        out
    }

    fn parameters(problem: &Problem) -> Vec<f64> {
        [&problem.cams[..], &problem.points, &problem.weights].concat()
    }

    fn sparse_jacobian(problem: Problem) -> Jacobian {
        let p = problem.p();
        let mut jacobian = Jacobian {
            problem,
            rows: vec![0; 3 * p + 1],
            cols: vec![0; (ENTRIES + 1) * p],
            vals: vec![0.0; (ENTRIES + 1) * p],
        };
        jacobian.run();
        jacobian
    }

    #[test]
    fn block_sparse_jacobian_equals_the_dense_reverse_jacobian() {
        let problem = small();
        let x = parameters(&problem);
        let dense = reverse::jacobian(|all| residuals(&problem, all), &x);
        let sparse = sparse_jacobian(problem);
        assert_eq!(sparse.rows.len(), dense.nrows() + 1);
        let columns = dense.ncols();
        let mut seen = vec![false; dense.nrows() * columns];
        for r in 0..dense.nrows() {
            let (start, end) = (sparse.rows[r] as usize, sparse.rows[r + 1] as usize);
            for k in start..end {
                let c = sparse.cols[k] as usize;
                assert!(!seen[r * columns + c], "entry ({r}, {c}) stored twice");
                seen[r * columns + c] = true;
                let scale = dense[[r, c]].abs().max(1.0);
                assert!(
                    (sparse.vals[k] - dense[[r, c]]).abs() < 1e-12 * scale,
                    "({r}, {c}): {} against {}",
                    sparse.vals[k],
                    dense[[r, c]]
                );
            }
        }
        // What the sparse form leaves out is zero in the dense one.
        for ((r, c), &d) in dense.indexed_iter() {
            assert!(seen[r * columns + c] || d == 0.0, "({r}, {c}) missing");
        }
    }

    #[test]
    fn block_jacobian_agrees_with_central_differences() {
        let problem = small();
        let block = problem.block(3);
        let feat = problem.feats[3];
        let (_, j) = forward::value_and_jacobian_fixed(|b| block_error(&b[..], feat), &block);
        for k in 0..BLOCK {
            let h = 1e-6 * block[k].abs().max(1.0);
            let (mut up, mut down) = (block, block);
            up[k] += h;
            down[k] -= h;
            let (fu, fd) = (block_error(&up, feat), block_error(&down, feat));
            for row in 0..2 {
                let difference = (fu[row] - fd[row]) / (2.0 * h);
                let scale = j[row][k].abs().max(1.0);
                assert!(
                    (j[row][k] - difference).abs() < 1e-5 * scale,
                    "∂e{row}/∂b{k}: {} against {difference}",
                    j[row][k]
                );
            }
        }
    }

    #[test]
    fn projection_without_rotation_or_distortion_is_the_pinhole() {
        // rot = 0, C = (1, 2, 3), f = 2, principal point (10, 20), no distortion:
        // π(X) = f·(X − C)ₓᵧ/(X − C)_z + (10, 20)
        let cam = [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 2.0, 10.0, 20.0, 0.0, 0.0];
        let proj = project(&cam, &[3.0, 6.0, 7.0]);
        assert_eq!(proj, [2.0 * 2.0 / 4.0 + 10.0, 2.0 * 4.0 / 4.0 + 20.0]);
    }

    #[test]
    fn rotation_by_a_quarter_turn_about_z_maps_x_to_y() {
        let r = rotate([0.0, 0.0, std::f64::consts::FRAC_PI_2], [1.0, 0.0, 0.0]);
        assert!(r[0].abs() < 1e-15 && (r[1] - 1.0).abs() < 1e-15 && r[2].abs() < 1e-15);
    }

    #[test]
    fn objective_output_reports_the_first_residuals_and_the_count() {
        let input = json!({
            "n": 2, "m": 3, "p": 4,
            "cam": [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 2.0, 10.0, 20.0, 0.0, 0.0],
            "x": [3.0, 6.0, 7.0], "w": 0.5, "feat": [1.0, 2.0],
        });
        let mut objective = prepare("objective", &input).unwrap();
        objective.run();
        let out = objective.output();
        // w·(π − feat) with π = (11, 22), and 1 − w².
        assert_eq!(out["reproj_error"]["elements"], json!([5.0, 10.0]));
        assert_eq!(out["reproj_error"]["repeated"], json!(4));
        assert_eq!(out["w_err"], json!({ "element": 0.75, "repeated": 4 }));
    }

    #[test]
    fn bad_inputs_are_reported_with_the_field() {
        let input = json!({ "n": 2, "m": 3, "p": 4, "cam": [1.0], "x": [0.0, 0.0, 1.0], "w": 1.0, "feat": [0.0, 0.0] });
        let error = prepare("jacobian", &input).err().unwrap();
        assert!(error.contains("\"cam\""), "{error}");
        let error = prepare("gradient", &input).err().unwrap();
        assert!(error.contains("gradient"), "{error}");
        let error = prepare("objective", &json!({ "n": 0 })).err().unwrap();
        assert!(error.contains("\"n\""), "{error}");
    }
}
