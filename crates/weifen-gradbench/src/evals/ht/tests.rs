//! The hand eval on a small synthetic hand: the Jacobian against a dense reverse-mode
//! Jacobian and central differences, the model against closed forms.

use super::*;
use serde_json::json;
use weifen::reverse;

const BONES: usize = 22;

fn identity() -> Value {
    json!([
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0]
    ])
}

/// A hand of 22 bones in a tree, with rigid-looking but distinct bone matrices, 6 vertices
/// weighed by 1 to 3 bones and 4 triangles; `us` present makes it the complicated variant.
fn input(complicated: bool) -> Value {
    let parents: Vec<i64> = (0..BONES as i64)
        .map(|b| if b == 0 { -1 } else { (b - 1) / 2 })
        .collect();
    let matrix = |b: usize, s: f64| {
        let a = 0.1 * (b as f64 + s);
        json!([
            [a.cos(), -a.sin(), 0.0, 0.1 * s],
            [a.sin(), a.cos(), 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.05 * b as f64],
            [0.01 * s, 0.0, 0.02, 1.0]
        ])
    };
    let vertices = 6;
    let positions: Vec<Value> = (0..vertices)
        .map(|v| {
            json!([
                0.1 * v as f64,
                1.0 - 0.2 * v as f64,
                0.3 + 0.05 * v as f64,
                1.0
            ])
        })
        .collect();
    let weights: Vec<Vec<f64>> = (0..vertices)
        .map(|v| {
            let mut row = vec![0.0; BONES];
            row[(3 * v + 2) % BONES] = 0.5;
            row[(7 * v + 5) % BONES] += 0.3;
            row[(v + 20) % BONES] += 0.2;
            row
        })
        .collect();
    let correspondences: Vec<usize> = if complicated {
        vec![0, 3, 1, 3, 2]
    } else {
        vec![5, 0, 2, 2, 4]
    };
    let us: Vec<[f64; 2]> = if complicated {
        (0..5)
            .map(|i| [0.1 + 0.1 * i as f64, 0.2 + 0.05 * i as f64])
            .collect()
    } else {
        vec![]
    };
    json!({
        "theta": (0..THETA).map(|k| 0.1 * (k as f64 + 1.0).sin()).collect::<Vec<_>>(),
        "us": us,
        "data": {
            "correspondences": correspondences,
            "points": (0..5).map(|i| [i as f64, 0.5, -0.2 * i as f64]).collect::<Vec<_>>(),
            "model": {
                "bone_count": BONES,
                "bone_names": (0..BONES).map(|b| format!("bone{b}")).collect::<Vec<_>>(),
                "parents": parents,
                "base_relatives": (0..BONES).map(|b| matrix(b, 1.0)).collect::<Vec<_>>(),
                "inverse_base_absolutes": (0..BONES).map(|b| matrix(b, -2.0)).collect::<Vec<_>>(),
                "base_positions": positions,
                "weights": weights,
                "triangles": [[0, 1, 2], [2, 3, 4], [4, 5, 0], [1, 3, 5]],
                "is_mirrored": false,
            }
        }
    })
}

/// Every residual as a function of `θ` and all the `u`s (the dense map whose Jacobian the
/// compressed one must equal), evaluated serially with the model's own pieces.
fn residuals<S: Real>(problem: &Problem, x: &[S]) -> Vec<S> {
    let (theta, us) = x.split_at(THETA);
    let model = &problem.instance.model;
    let (transforms, translation) = hand::bone_transforms(theta, model);
    let posed: Vec<[S; 3]> = problem
        .needed
        .iter()
        .map(|&v| hand::skin(&transforms, translation, model, v))
        .collect();
    (0..problem.corners.len())
        .flat_map(|i| {
            let u = if us.is_empty() {
                [S::constant(0.0); 2]
            } else {
                [us[2 * i], us[2 * i + 1]]
            };
            problem.residual(&posed, i, u)
        })
        .collect()
}

fn jacobian(input: &Value) -> Vec<Vec<f64>> {
    let mut prepared = prepare("jacobian", input).unwrap();
    prepared.run();
    serde_json::from_value(prepared.output()).unwrap()
}

fn assert_close(a: f64, b: f64, tolerance: f64, what: &str) {
    assert!(
        (a - b).abs() <= tolerance * b.abs().max(1.0),
        "{what}: {a} against {b}"
    );
}

#[test]
fn compressed_jacobian_equals_the_dense_reverse_jacobian() {
    for complicated in [false, true] {
        let input = input(complicated);
        let problem = Problem::new(input::instance(&input).unwrap());
        let x: Vec<f64> = problem
            .instance
            .theta
            .iter()
            .copied()
            .chain(problem.instance.us.iter().flatten().copied())
            .collect();
        let dense = reverse::jacobian(|x| residuals(&problem, x), &x);
        let compressed = jacobian(&input);
        let extra = if complicated { 2 } else { 0 };
        assert_eq!(compressed.len(), dense.nrows());
        for (r, row) in compressed.iter().enumerate() {
            assert_eq!(row.len(), THETA + extra);
            for k in 0..THETA {
                assert_close(
                    row[extra + k],
                    dense[[r, k]],
                    1e-12,
                    &format!("∂r{r}/∂θ{k}"),
                );
            }
            // Row r belongs to correspondence r / 3: its u columns are the compressed ones,
            // every other correspondence's u has no effect.
            for c in THETA..dense.ncols() {
                let (owner, which) = ((c - THETA) / 2, (c - THETA) % 2);
                if owner == r / 3 {
                    assert_close(
                        row[which],
                        dense[[r, c]],
                        1e-12,
                        &format!("∂r{r}/∂u{which}"),
                    );
                } else {
                    assert_eq!(dense[[r, c]], 0.0);
                }
            }
        }
    }
}

#[test]
fn jacobian_agrees_with_central_differences() {
    for complicated in [false, true] {
        let input = input(complicated);
        let problem = Problem::new(input::instance(&input).unwrap());
        let x: Vec<f64> = problem
            .instance
            .theta
            .iter()
            .copied()
            .chain(problem.instance.us.iter().flatten().copied())
            .collect();
        let compressed = jacobian(&input);
        let extra = if complicated { 2 } else { 0 };
        for k in 0..THETA {
            let h = 1e-6;
            let (mut up, mut down) = (x.clone(), x.clone());
            up[k] += h;
            down[k] -= h;
            let (fu, fd) = (residuals(&problem, &up), residuals(&problem, &down));
            for (r, row) in compressed.iter().enumerate() {
                assert_close(
                    row[extra + k],
                    (fu[r] - fd[r]) / (2.0 * h),
                    1e-6,
                    &format!("∂r{r}/∂θ{k}"),
                );
            }
        }
    }
}

#[test]
fn a_hand_at_rest_is_translated_and_rotated_by_the_global_pose() {
    // Identity bones, zero finger angles: each vertex is Σ wᵦ·p = p (the weights sum to 1),
    // rotated by a quarter turn about z and translated by (1, 2, 3): (x, y, z) → (−y + 1, x + 2, z + 3).
    let mut input = input(false);
    let model = &mut input["data"]["model"];
    model["base_relatives"] = json!(vec![identity(); BONES]);
    model["inverse_base_absolutes"] = json!(vec![identity(); BONES]);
    let mut theta = vec![0.0; THETA];
    theta[2] = std::f64::consts::FRAC_PI_2;
    theta[3..6].copy_from_slice(&[1.0, 2.0, 3.0]);
    input["theta"] = json!(theta);
    let mut objective = prepare("objective", &input).unwrap();
    objective.run();
    let residuals: Vec<f64> = serde_json::from_value(objective.output()).unwrap();
    let instance = input::instance(&input).unwrap();
    for (i, &v) in instance.correspondences.iter().enumerate() {
        let p = instance.model.positions[v];
        let posed = [-p[1] + 1.0, p[0] + 2.0, p[2] + 3.0];
        for j in 0..3 {
            let expected = instance.points[i][j] - posed[j];
            assert_close(residuals[3 * i + j], expected, 1e-14, &format!("r{i},{j}"));
        }
    }
}

#[test]
fn finger_angles_rotate_about_x_z_and_y_in_that_order() {
    // R = Rz(a₁)·Ry(a₂)·Rx(a₀): the x axis goes to (cos a₁·cos a₂, sin a₁·cos a₂, −sin a₂).
    let (a0, a1, a2) = (0.3, -0.4, 0.7);
    let r = hand::euler_rotation([a0, a1, a2]);
    let x = [r[0][0], r[1][0], r[2][0]];
    let expected = [a1.cos() * a2.cos(), a1.sin() * a2.cos(), -a2.sin()];
    for j in 0..3 {
        assert_close(x[j], expected[j], 1e-15, "R·eₓ");
    }
    // and the rotation is orthogonal.
    for a in 0..3 {
        for b in 0..3 {
            let dot: f64 = (0..3).map(|k| r[k][a] * r[k][b]).sum();
            assert_close(dot, if a == b { 1.0 } else { 0.0 }, 1e-15, "RᵀR");
        }
    }
}

#[test]
fn bad_inputs_are_reported_with_the_field() {
    let mut bad = input(true);
    bad["data"]["correspondences"] = json!([0, 3, 1, 3, 9]);
    let error = prepare("jacobian", &bad).err().unwrap();
    assert!(error.contains("data.correspondences"), "{error}");
    let mut bad = input(false);
    bad["theta"] = json!([1.0]);
    let error = prepare("objective", &bad).err().unwrap();
    assert!(error.contains("theta"), "{error}");
    let mut bad = input(false);
    bad["data"]["model"]["parents"][3] = json!(7);
    let error = prepare("objective", &bad).err().unwrap();
    assert!(error.contains("parents[3]"), "{error}");
    assert!(
        prepare("hessian", &input(false))
            .err()
            .unwrap()
            .contains("hessian")
    );
}
