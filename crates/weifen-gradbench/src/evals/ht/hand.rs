//! The hand model, written once over any [`Real`] scalar: pose parameters → bone transforms
//! → skinned vertices → residuals.

use super::input::{Mat4, Model};
use weifen::Real;

/// Columns of the pose matrix before the bones' own: global rotation, scale, translation.
const GLOBAL: usize = 3;

/// The 3 × (bones + 3) pose matrix of the 26 parameters `theta`: global rotation (column 0),
/// unit scale (column 1), global translation (column 2), then per finger three bones, the
/// first with two angles (flexion and abduction) and the next two with one, and a bone left
/// at rest after each finger; the first two bones (wrist and its child) are at rest.
fn pose<S: Real>(theta: &[S], bones: usize) -> Vec<[S; 3]> {
    let zero = S::constant(0.0);
    let mut pose = vec![[zero; 3]; bones + GLOBAL];
    pose[0] = [theta[0], theta[1], theta[2]];
    pose[1] = [S::constant(1.0); 3];
    pose[2] = [theta[3], theta[4], theta[5]];
    let mut t = 6;
    let mut column = 5;
    for _finger in 0..5 {
        for joint in 0..3 {
            pose[column][0] = theta[t];
            t += 1;
            if joint == 0 {
                pose[column][1] = theta[t];
                t += 1;
            }
            column += 1;
        }
        column += 1;
    }
    pose
}

fn product<S: Real>(a: &[[S; 4]; 4], b: &[[S; 4]; 4]) -> [[S; 4]; 4] {
    std::array::from_fn(|r| {
        std::array::from_fn(|c| {
            a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c] + a[r][3] * b[3][c]
        })
    })
}

fn lift<S: Real>(m: &Mat4) -> [[S; 4]; 4] {
    m.map(|row| row.map(S::constant))
}

/// `Rz(angles[1])·Ry(angles[2])·Rx(angles[0])`.
pub fn euler_rotation<S: Real>(angles: [S; 3]) -> [[S; 3]; 3] {
    let (cx, sx) = (angles[0].cos(), angles[0].sin());
    let (cy, sy) = (angles[2].cos(), angles[2].sin());
    let (cz, sz) = (angles[1].cos(), angles[1].sin());
    // Rz·Ry, then ·Rx.
    let zy = [
        [cz * cy, -sz, cz * sy],
        [sz * cy, cz, sz * sy],
        [-sy, S::constant(0.0), cy],
    ];
    std::array::from_fn(|r| {
        [
            zy[r][0],
            zy[r][1] * cx + zy[r][2] * sx,
            -(zy[r][1] * sx) + zy[r][2] * cx,
        ]
    })
}

/// The rotation by the angle-axis vector `a` (Rodrigues); the identity when `|a| < 10⁻⁴`.
fn angle_axis_rotation<S: Real>(a: [S; 3]) -> [[S; 3]; 3] {
    let norm = (a[0] * a[0] + a[1] * a[1] + a[2] * a[2]).sqrt();
    let (zero, one) = (S::constant(0.0), S::constant(1.0));
    if norm < 1e-4 {
        return [[one, zero, zero], [zero, one, zero], [zero, zero, one]];
    }
    let [x, y, z] = a.map(|ai| ai / norm);
    let (s, c) = (norm.sin(), norm.cos());
    let d = -c + 1.0;
    [
        [
            x * x + (-(x * x) + 1.0) * c,
            x * y * d - z * s,
            x * z * d + y * s,
        ],
        [
            x * y * d + z * s,
            y * y + (-(y * y) + 1.0) * c,
            y * z * d - x * s,
        ],
        [
            x * z * d - y * s,
            z * y * d + x * s,
            z * z + (-(z * z) + 1.0) * c,
        ],
    ]
}

/// Each bone's skinning transform with the global pose folded in: the first three rows of
/// `G·(absoluteᵦ·inverse_base_absoluteᵦ)`, where `G` mirrors the x row (if the model is
/// mirrored) and then rotates by the global rotation; and the global translation.
///
/// Folding `G` into the 22 bones instead of applying it to every vertex is the same product
/// associated the other way: a skinned vertex is `G·Σᵦ wᵦ·Tᵦ·p + t = Σᵦ wᵦ·(G·Tᵦ)·p + t`.
pub fn bone_transforms<S: Real>(theta: &[S], model: &Model) -> (Vec<[[S; 4]; 3]>, [S; 3]) {
    let bones = model.parents.len();
    let pose = pose(theta, bones);
    let mut absolutes: Vec<[[S; 4]; 4]> = Vec::with_capacity(bones);
    for (b, parent) in model.parents.iter().enumerate() {
        let rotation = euler_rotation(pose[b + GLOBAL]);
        let base = lift::<S>(&model.base_relatives[b]);
        // base · [[R, 0], [0, 1]]
        let relative: [[S; 4]; 4] = std::array::from_fn(|r| {
            let row = &base[r];
            let mut out = [row[3]; 4];
            for (c, o) in out.iter_mut().take(3).enumerate() {
                *o = row[0] * rotation[0][c] + row[1] * rotation[1][c] + row[2] * rotation[2][c];
            }
            out
        });
        let absolute = match parent {
            Some(p) => product(&absolutes[*p], &relative),
            None => relative,
        };
        absolutes.push(absolute);
    }
    let mut global = angle_axis_rotation(pose[0]);
    if model.mirrored {
        for row in &mut global {
            row[0] = -row[0];
        }
    }
    let transforms = absolutes
        .iter()
        .zip(&model.inverse_base_absolutes)
        .map(|(absolute, inverse)| {
            let t = product(absolute, &lift(inverse));
            std::array::from_fn(|r| {
                std::array::from_fn(|c| {
                    global[r][0] * t[0][c] + global[r][1] * t[1][c] + global[r][2] * t[2][c]
                })
            })
        })
        .collect();
    (transforms, pose[2])
}

/// The posed position of vertex `v`: `Σᵦ wᵦ·Tᵦ·p + t` over the bones that weigh on it.
#[inline(always)]
pub fn skin<S: Real>(
    transforms: &[[[S; 4]; 3]],
    translation: [S; 3],
    model: &Model,
    v: usize,
) -> [S; 3] {
    let p = model.positions[v];
    let mut out = translation;
    for &(bone, weight) in model.weights(v) {
        let t = &transforms[bone as usize];
        for (o, row) in out.iter_mut().zip(t) {
            *o = *o + (row[0] * p[0] + row[1] * p[1] + row[2] * p[2] + row[3] * p[3]) * weight;
        }
    }
    out
}

/// The residual of a correspondence to vertex `v`: `point − v`.
#[inline(always)]
pub fn vertex_residual<S: Real>(point: [f64; 3], v: &[S; 3]) -> [S; 3] {
    [-v[0] + point[0], -v[1] + point[1], -v[2] + point[2]]
}

/// The residual of a correspondence to the point `u₀·a + u₁·b + (1 − u₀ − u₁)·c` of a
/// triangle with corners `a, b, c`: `point − (u₀·a + u₁·b + (1 − u₀ − u₁)·c)`.
///
/// The corners are borrowed: as vector duals they are hundreds of bytes each.
#[inline(always)]
pub fn triangle_residual<S: Real>(
    point: [f64; 3],
    [a, b, c]: [&[S; 3]; 3],
    [u0, u1]: [S; 2],
) -> [S; 3] {
    let w = -u0 - u1 + 1.0;
    let at = |j: usize| -(u0 * a[j] + u1 * b[j] + w * c[j]) + point[j];
    [at(0), at(1), at(2)]
}
