//! `ht`: hand tracking. `objective` gives the residuals `point − model point` (three per
//! correspondence) of a skinned hand mesh posed by 26 parameters `θ`; `jacobian` their
//! Jacobian with respect to `θ` and, in the complicated variant, each correspondence's own
//! barycentric coordinates `u` on its triangle.
//!
//! Mode: forward, with vector duals over all of `θ`. The Jacobian is tall (3 rows per
//! correspondence, up to 150 000) and narrow (26 columns of `θ`), so forward sweeps carrying
//! many directions each beat reverse mode's one sweep per row by orders of magnitude, and
//! beat chunks of 8 directions by sharing the values (and sines and cosines) of each
//! evaluation over more columns. Two passes: `θ₀..θ₁₂` on `DualVec<f64, 13>`, then
//! `θ₁₃..θ₂₅` (and the `u`s) on `DualVec<f64, 13 or 15>`. One pass on 26–28 directions was
//! measured up to 5× slower (hand8, c = 6400: 8.0 ms against 1.7 ms): a dual of 27+ `f64`s
//! is moved by `memcpy` calls, one of 16 or fewer stays in vector registers, and
//! recomputing the values in the second pass costs less.
//! The `u`s add `2c` columns, but correspondence `i`'s residuals depend only on its own `uᵢ`,
//! so all `uᵢ` share two directions (seeded afresh for each correspondence): the column
//! compression a colouring of the pattern would find, known here from the structure. The
//! response lists them first, as `∂/∂u₀, ∂/∂u₁`, then `θ`.
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
    #[inline(always)]
    fn residual<S: Real>(&self, posed: &[[S; 3]], i: usize, u: [S; 2]) -> [S; 3] {
        let point = self.instance.points[i];
        let [a, b, c] = self.corners[i];
        if self.instance.complicated() {
            hand::triangle_residual(point, [&posed[a], &posed[b], &posed[c]], u)
        } else {
            hand::vertex_residual(point, &posed[a])
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

/// The directions of the first pass: half of `θ`.
const HALF: usize = THETA / 2;

/// The Jacobian by two forward passes: `θ₀..θ₁₂` on `DualVec<f64, 13>` (`A = 13`), then
/// `θ₁₃..θ₂₅` and, in the complicated variant, each correspondence's `u` on
/// `DualVec<f64, B>` (`B` = 13 or 15).
struct Jacobian<const A: usize, const B: usize> {
    problem: Problem,
    first: Vec<[DualVec<f64, A>; 3]>,
    second: Vec<[DualVec<f64, B>; 3]>,
    /// Row-major, `columns` per row: the `u` columns (if any), then `θ`.
    jacobian: Vec<f64>,
    columns: usize,
}

impl<const A: usize, const B: usize> Jacobian<A, B> {
    fn new(problem: Problem) -> Self {
        let columns = HALF + B;
        Jacobian {
            first: vec![[DualVec::lift(0.0); 3]; problem.needed.len()],
            second: vec![[DualVec::lift(0.0); 3]; problem.needed.len()],
            // NaN, not 0: the pages are written here rather than faulted in by the first run.
            jacobian: vec![f64::NAN; 3 * problem.corners.len() * columns],
            columns,
            problem,
        }
    }
}

/// One forward pass on `N` directions: `θ[offset..]` (as many as fit) in the first, the
/// correspondence's `u` in the directions after `θ` runs out (when they fit), its tangents
/// written to their columns of `jacobian`.
///
/// Two passes of 13–15 directions rather than one of 26–28: a `DualVec` of 27 or more
/// `f64`s is moved with `memcpy` calls (a third of the run time when measured), one of 16
/// or fewer in registers, and the second evaluation of the values costs less than that.
fn pass<const N: usize>(
    problem: &Problem,
    offset: usize,
    posed: &mut [[DualVec<f64, N>; 3]],
    jacobian: &mut [f64],
    columns: usize,
) {
    let theta: Vec<DualVec<f64, N>> = problem
        .instance
        .theta
        .iter()
        .enumerate()
        .map(|(k, &t)| DualVec::seeded(t, k.wrapping_sub(offset)))
        .collect();
    problem.pose(&theta, posed);
    let posed = &*posed;
    // Directions `0..thetas` carry θ[offset..offset + thetas]; the next two the u's.
    let thetas = N.min(THETA - offset);
    let us = (N - thetas).min(columns - THETA);
    jacobian
        .par_chunks_mut(3 * columns)
        .with_min_len(GRAIN)
        .enumerate()
        .for_each(|(i, rows)| {
            let [u0, u1] = problem.u(i);
            let u = [DualVec::seeded(u0, thetas), DualVec::seeded(u1, thetas + 1)];
            let r = problem.residual(posed, i, u);
            for (row, ri) in rows.chunks_exact_mut(columns).zip(r) {
                let (u_columns, theta_columns) = row.split_at_mut(columns - THETA);
                theta_columns[offset..offset + thetas].copy_from_slice(&ri.tangent[..thetas]);
                u_columns[..us].copy_from_slice(&ri.tangent[thetas..thetas + us]);
            }
        });
}

impl<const A: usize, const B: usize> Prepared for Jacobian<A, B> {
    fn run(&mut self) {
        let columns = self.columns;
        pass(
            &self.problem,
            0,
            &mut self.first,
            &mut self.jacobian,
            columns,
        );
        pass(
            &self.problem,
            A,
            &mut self.second,
            &mut self.jacobian,
            columns,
        );
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
            residuals: vec![[f64::NAN; 3]; problem.corners.len()],
            problem,
        }),
        (_, false) => Box::new(Jacobian::<HALF, HALF>::new(problem)),
        (_, true) => Box::new(Jacobian::<HALF, { HALF + 2 }>::new(problem)),
    })
}

#[cfg(test)]
mod tests;
