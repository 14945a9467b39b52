//! `kmeans`: the k-means objective `f(C) = Σᵢ minⱼ |Cⱼ − Pᵢ|²` over `n` points `P` and `k`
//! centroids `C` in `d` dimensions (`cost`), and the Newton direction `J·H⁻¹` (`dir`),
//! where `J = ∇f` and `H = ∇²f` is diagonal.
//!
//! The minimum is piecewise: where centroid `a(i)` is the closest to `Pᵢ`, `f` is
//! `Σᵢ |C_{a(i)} − Pᵢ|²`, and the derivative of `min` is the derivative of the branch it
//! selects (zero for the others). So the function is written as the assignment `a` (compared
//! on values, `n·k·d` operations in `f64`) and the selected distances, generic over
//! [`Scalar`] ([`assigned_cost`]); only the selected distances are differentiated. Recording
//! all `k` distances per point would put `3·n·k·d` operations on the tape (5·10⁸ at the
//! largest workload) for adjoints that are all zero but one per point.
//!
//! Mode: the Hessian's sparsity pattern is detected once per input (in `prepare`) with
//! [`HessianSparsity::detect`]: it is diagonal, one colour. Then each run records the
//! assigned cost once on dual numbers of tape variables with every tangent 1, and two
//! backward sweeps give `J` (from the value) and `H·1 = diag H` (from the tangent):
//! [`DiagonalHessian`], which keeps the tape and adjoints between runs (a fresh tape per run
//! spent a third of the time clearing new pages). No derivative is written here.
//!
//! Layout: points and centroids are flat row-major `Vec<f64>` (`n × d`, `k × d`); the output
//! is `k` rows of `d`.

use super::{Prepared, matrix, unknown_function};
use serde_json::{Value, json};
use weifen::Scalar;
use weifen::sparse::{DiagonalHessian, HessianSparsity};

/// For each point (row of `points`, `d` wide), the index of the closest centroid (the
/// first, on ties), by squared Euclidean distance.
pub fn assign(points: &[f64], centroids: &[f64], d: usize) -> Vec<usize> {
    points
        .chunks_exact(d)
        .map(|p| {
            let mut best = (f64::INFINITY, 0);
            for (j, c) in centroids.chunks_exact(d).enumerate() {
                let dist: f64 = p.iter().zip(c).map(|(pl, cl)| (pl - cl) * (pl - cl)).sum();
                if dist < best.0 {
                    best = (dist, j);
                }
            }
            best.1
        })
        .collect()
}

/// `Σᵢ |C_{a(i)} − Pᵢ|²`: the k-means objective on the region where `assignment` is `a`.
pub fn assigned_cost<S: Scalar>(
    points: &[f64],
    centroids: &[S],
    assignment: &[usize],
    d: usize,
) -> S {
    let mut cost = S::constant(0.0);
    for (p, &j) in points.chunks_exact(d).zip(assignment) {
        for (pl, cl) in p.iter().zip(&centroids[j * d..(j + 1) * d]) {
            // `powi(2)` rather than `e·e`: on `Dual<Var>` it records 6 nodes a term, not 7.
            cost = cost + (cl.clone() - *pl).powi(2);
        }
    }
    cost
}

/// `f(C) = Σᵢ minⱼ |Cⱼ − Pᵢ|²`.
pub fn cost(points: &[f64], centroids: &[f64], d: usize) -> f64 {
    assigned_cost(points, centroids, &assign(points, centroids, d), d)
}

struct Cost {
    points: Vec<f64>,
    centroids: Vec<f64>,
    d: usize,
    cost: f64,
}

impl Prepared for Cost {
    fn run(&mut self) {
        self.cost = cost(&self.points, &self.centroids, self.d);
    }

    fn output(&self) -> Value {
        json!(self.cost)
    }
}

struct Dir {
    points: Vec<f64>,
    centroids: Vec<f64>,
    d: usize,
    hessian: DiagonalHessian,
    dir: Result<Vec<f64>, String>,
}

impl Dir {
    fn direction(&mut self) -> Result<Vec<f64>, String> {
        let (points, d) = (&self.points, self.d);
        let assignment = assign(points, &self.centroids, d);
        let (_, j, h) = self
            .hessian
            .value_gradient_and_diagonal(
                |c| assigned_cost(points, c, &assignment, d),
                &self.centroids,
            )
            .map_err(|e| e.to_string())?;
        Ok(j.iter().zip(&h).map(|(jl, hl)| jl / hl).collect())
    }
}

impl Prepared for Dir {
    fn run(&mut self) {
        self.dir = self.direction();
    }

    fn output(&self) -> Value {
        match &self.dir {
            Ok(dir) => json!(dir.chunks_exact(self.d).collect::<Vec<_>>()),
            Err(e) => json!(e),
        }
    }
}

/// Prepares `cost` or `dir`; the input is `{"points": n × d, "centroids": k × d}`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    if !matches!(function, "cost" | "dir") {
        return Err(unknown_function("kmeans", function));
    }
    let (points, n, d) = matrix(input, "points")?;
    let (centroids, k, dc) = matrix(input, "centroids")?;
    if n == 0 || k == 0 || d == 0 {
        return Err(format!(
            "the input needs at least one point and one centroid of at least one coordinate \
             (it has {n} points of {d} and {k} centroids)"
        ));
    }
    if dc != d {
        return Err(format!(
            "the centroids have {dc} coordinates where the points have {d}"
        ));
    }
    if function == "cost" {
        return Ok(Box::new(Cost {
            points,
            centroids,
            d,
            cost: f64::NAN,
        }));
    }
    let assignment = assign(&points, &centroids, d);
    let sparsity =
        HessianSparsity::detect(|c| assigned_cost(&points, c, &assignment, d), &centroids);
    let hessian = DiagonalHessian::new(sparsity).map_err(|e| e.to_string())?;
    Ok(Box::new(Dir {
        points,
        centroids,
        d,
        hessian,
        dir: Err("not run".into()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(function: &str, input: &Value) -> Value {
        crate::evals::testing::run_once(prepare, function, input)
    }

    #[test]
    fn cost_sums_the_nearest_squared_distances() {
        // 1-D: centroids 0 and 10; points 1, 4, 6, 12 → nearest 0, 0, 10, 10.
        let input = json!({"points": [[1.0], [4.0], [6.0], [12.0]], "centroids": [[0.0], [10.0]]});
        assert_eq!(run("cost", &input).as_f64(), Some(1.0 + 16.0 + 16.0 + 4.0));
    }

    #[test]
    fn dir_moves_each_centroid_to_its_points_mean() {
        // f = Σ over each cluster of |Cⱼ − Pᵢ|²: ∂f/∂Cⱼ = 2(|Sⱼ|Cⱼ − ΣPᵢ), ∂²f/∂Cⱼₗ² = 2|Sⱼ|,
        // so J/H = Cⱼ − mean(Sⱼ).
        let points = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [5.0, 5.0], [6.0, 4.0]];
        let centroids = [[0.25, 0.25], [5.0, 5.0]];
        let dir = run("dir", &json!({"points": points, "centroids": centroids}));
        let means = [[0.5, 0.5], [5.5, 4.5]];
        for j in 0..2 {
            for l in 0..2 {
                let got = dir[j][l].as_f64().unwrap();
                let exact = centroids[j][l] - means[j][l];
                assert!(
                    (got - exact).abs() < 1e-15,
                    "dir[{j}][{l}] = {got}, not {exact}"
                );
            }
        }
    }

    #[test]
    fn the_hessian_pattern_is_diagonal() {
        let points = [0.0, 1.0, 3.0, 4.0];
        let centroids = [0.5, 3.5];
        let a = assign(&points, &centroids, 1);
        assert_eq!(a, vec![0, 0, 1, 1]);
        let s = HessianSparsity::detect(|c| assigned_cost(&points, c, &a, 1), &centroids);
        assert_eq!(s.coloring().count(), 1);
        assert_eq!(
            s.pattern().positions().collect::<Vec<_>>(),
            vec![(0, 0), (1, 1)]
        );
    }

    #[test]
    fn ragged_or_mismatched_inputs_are_refused() {
        let e = prepare(
            "cost",
            &json!({"points": [[1.0, 2.0], [3.0]], "centroids": [[0.0, 0.0]]}),
        )
        .err()
        .unwrap();
        assert!(e.contains("points[1] has 1 entries"));
        let e = prepare(
            "dir",
            &json!({"points": [[1.0, 2.0]], "centroids": [[0.0]]}),
        )
        .err()
        .unwrap();
        assert!(e.contains("1 coordinates") && e.contains("have 2"));
        let e = prepare("dir", &json!({"points": [[1.0]]})).err().unwrap();
        assert!(e.contains("\"centroids\""));
    }
}
