//! `ht`: hand tracking. `objective` gives the residuals `point − model point` (three per
//! correspondence) of a skinned hand mesh posed by 26 parameters `θ`; `jacobian` their
//! Jacobian with respect to `θ` and, in the complicated variant, each correspondence's own
//! barycentric coordinates `u` on its triangle.
//!
//! Mode: forward, one evaluation of the whole model on `DualVec<f64, 26>` (simple) or
//! `DualVec<f64, 28>` (complicated). The Jacobian is tall (3 rows per correspondence, up to
//! 150 000) and narrow (26 columns of `θ`), so one forward sweep with all 26 directions beats
//! reverse mode's one sweep per row by orders of magnitude, and beats chunks of 8 directions
//! by sharing the values (and the sines and cosines) of each evaluation across all columns.
//! The `u`s add `2c` columns, but correspondence `i`'s residuals depend only on its own `uᵢ`,
//! so all `uᵢ` share two extra directions (columns 26 and 27, seeded afresh for each
//! correspondence): the column compression a colouring of the pattern would find, known
//! here from the structure. The response lists them first, as `∂/∂u₀, ∂/∂u₁`, then `θ`.
//!
//! Work: the global pose is folded into the 22 bone transforms (see [`hand::bone_transforms`]),
//! and only the vertices the correspondences read are skinned, each by the bones with a
//! nonzero weight on it (1.6 on average in the big model, of 22). Vertices and
//! correspondences are split over the threads with rayon.

mod hand;
mod input;

use super::{Prepared, unknown_function};
use input::{Instance, THETA};
use rayon::prelude::*;
use serde_json::Value;
use weifen::Real;
use weifen::forward::DualVec;

/// Vertices or correspondences per rayon task.
const GRAIN: usize = 64;

/// An instance with the vertices its residuals read.
struct Problem {
    instance: Instance,
    /// The vertices the residuals read, in increasing order.
    needed: Vec<usize>,
    /// The corners of each correspondence, as positions in `needed` (the simple variant
    /// repeats its one vertex).
    corners: Vec<[usize; 3]>,
}

impl Problem {
    fn new(instance: Instance) -> Self {
        let targets: Vec<[usize; 3]> = if instance.complicated() {
            let triangles = &instance.model.triangles;
            instance
                .correspondences
                .iter()
                .map(|&t| triangles[t])
                .collect()
        } else {
            instance.correspondences.iter().map(|&v| [v; 3]).collect()
        };
        let mut needed: Vec<usize> = targets.iter().flatten().copied().collect();
        needed.sort_unstable();
        needed.dedup();
        let corners = targets
            .iter()
            .map(|t| t.map(|v| needed.binary_search(&v).unwrap_or_default()))
            .collect();
        Problem {
            instance,
            needed,
            corners,
        }
    }

    /// The posed vertices `needed`, with the pose parameters `theta` in `S`.
    fn pose<S: Real + Send + Sync>(&self, theta: &[S], posed: &mut [[S; 3]]) {
        let model = &self.instance.model;
        let (transforms, translation) = hand::bone_transforms(theta, model);
        posed
            .par_iter_mut()
            .with_min_len(GRAIN)
            .zip(&self.needed)
            .for_each(|(out, &v)| *out = hand::skin(&transforms, translation, model, v));
    }

    /// Correspondence `i`'s residuals, from the posed vertices and its `u` (unused in the
    /// simple variant).
    fn residual<S: Real>(&self, posed: &[[S; 3]], i: usize, u: [S; 2]) -> [S; 3] {
        let point = self.instance.points[i];
        let [a, b, c] = self.corners[i].map(|k| posed[k]);
        if self.instance.complicated() {
            hand::triangle_residual(point, [a, b, c], u)
        } else {
            hand::vertex_residual(point, a)
        }
    }

    fn u(&self, i: usize) -> [f64; 2] {
        self.instance.us.get(i).copied().unwrap_or_default()
    }
}

struct Objective {
    problem: Problem,
    posed: Vec<[f64; 3]>,
    residuals: Vec<[f64; 3]>,
}

impl Prepared for Objective {
    fn run(&mut self) {
        let problem = &self.problem;
        problem.pose(&problem.instance.theta, &mut self.posed);
        let posed = &self.posed;
        self.residuals
            .par_iter_mut()
            .with_min_len(GRAIN)
            .enumerate()
            .for_each(|(i, r)| *r = problem.residual(posed, i, problem.u(i)));
    }

    fn output(&self) -> Value {
        Value::from(
            self.residuals
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<f64>>(),
        )
    }
}

/// The Jacobian by one forward evaluation on `N` directions: `θ` in `0..26`, and (when
/// `N = 28`) each correspondence's `u` in `26, 27`.
struct Jacobian<const N: usize> {
    problem: Problem,
    posed: Vec<[DualVec<f64, N>; 3]>,
    /// Row-major, `columns` per row.
    jacobian: Vec<f64>,
    columns: usize,
}

impl<const N: usize> Jacobian<N> {
    fn new(problem: Problem) -> Self {
        let columns = N;
        let zero = DualVec::lift(0.0);
        Jacobian {
            posed: vec![[zero; 3]; problem.needed.len()],
            jacobian: vec![0.0; 3 * problem.corners.len() * columns],
            columns,
            problem,
        }
    }
}

impl<const N: usize> Prepared for Jacobian<N> {
    fn run(&mut self) {
        let problem = &self.problem;
        let theta: Vec<DualVec<f64, N>> = problem
            .instance
            .theta
            .iter()
            .enumerate()
            .map(|(k, &t)| DualVec::seeded(t, k))
            .collect();
        problem.pose(&theta, &mut self.posed);
        let posed = &self.posed;
        let columns = self.columns;
        self.jacobian
            .par_chunks_mut(3 * columns)
            .with_min_len(GRAIN)
            .enumerate()
            .for_each(|(i, rows)| {
                let [u0, u1] = problem.u(i);
                let u = [DualVec::seeded(u0, THETA), DualVec::seeded(u1, THETA + 1)];
                let r = problem.residual(posed, i, u);
                for (row, ri) in rows.chunks_exact_mut(columns).zip(r) {
                    // The u columns (directions 26, 27) first, then θ.
                    let (us, theta) = row.split_at_mut(N - THETA);
                    us.copy_from_slice(&ri.tangent[THETA..]);
                    theta.copy_from_slice(&ri.tangent[..THETA]);
                }
            });
    }

    fn output(&self) -> Value {
        Value::Array(
            self.jacobian
                .chunks_exact(self.columns)
                .map(|row| Value::from(row.to_vec()))
                .collect(),
        )
    }
}

/// Prepares `objective` or `jacobian`.
pub fn prepare(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String> {
    if !matches!(function, "objective" | "jacobian") {
        return Err(unknown_function("ht", function));
    }
    let problem = Problem::new(input::instance(input)?);
    Ok(match (function, problem.instance.complicated()) {
        ("objective", _) => Box::new(Objective {
            posed: vec![[0.0; 3]; problem.needed.len()],
            residuals: vec![[0.0; 3]; problem.corners.len()],
            problem,
        }),
        (_, false) => Box::new(Jacobian::<THETA>::new(problem)),
        (_, true) => Box::new(Jacobian::<{ THETA + 2 }>::new(problem)),
    })
}

#[cfg(test)]
mod tests;
