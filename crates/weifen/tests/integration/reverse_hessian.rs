//! Forward-over-reverse Hessian–vector products and Hessians on one recording, against
//! forward over forward (`forward::hessian`, `forward::hvp`) and closed forms.

use crate::common::rosenbrock;
use ndarray::Array2;
use weifen::ops::{Binary, Unary};
use weifen::reverse::{self, HessianStrategy, ReplayError, Var};
use weifen::sparse::{HessianSparsity, SparseError};
use weifen::{Real, Scalar, forward};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0) || a == b
}

#[track_caller]
fn assert_matrix_close(a: &Array2<f64>, b: &Array2<f64>, rel: f64, what: &str) {
    assert_eq!(a.shape(), b.shape(), "{what}");
    for ((i, j), &x) in a.indexed_iter() {
        assert!(
            close(x, b[[i, j]], rel),
            "{what} ({i}, {j}): {x} vs {}",
            b[[i, j]]
        );
    }
}

/// `H·v` from the forward-over-forward Hessian.
fn times(h: &Array2<f64>, v: &[f64]) -> Vec<f64> {
    h.rows()
        .into_iter()
        .map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum())
        .collect()
}

/// A point inside a domain, away from its ends and kink.
fn inside(d: weifen::ops::Domain) -> f64 {
    [0.37, -0.41, 1.3, 2.2, 0.9]
        .into_iter()
        .find(|&x| d.contains(x) && d.contains(x - 0.05) && d.contains(x + 0.05))
        .expect("a sample point in the domain")
}

/// `u(p + 0.1·x₀x₁ − 0.05·x₂)·(x₂ + 1) + x₁·u(p + 0.02·x₀)`: the op on a nonlinear argument,
/// times an input, so that every second partial of `u` reaches the Hessian.
fn with_unary<S: Scalar>(u: Unary, p: f64, x: &[S]) -> S {
    let (a, b, c) = (x[0].clone(), x[1].clone(), x[2].clone());
    let arg = a.clone() * b.clone() * 0.1 - c.clone() * 0.05 + p;
    arg.unary(u) * (c + 1.0) + b * (a * 0.02 + p).unary(u)
}

/// A binary op on two nonlinear arguments, and with a constant on either side (the
/// recording's constant-operand forms).
fn with_binary<S: Scalar>(o: Binary, (pa, pb): (f64, f64), x: &[S]) -> S {
    let (a, b, c) = (x[0].clone(), x[1].clone(), x[2].clone());
    let left = a.clone() * b.clone() * 0.1 + pa;
    let right = b.clone() * c.clone() * 0.1 - a.clone() * 0.05 + pb;
    left.clone().binary(o, right.clone()) * (c.clone() + 1.0)
        + S::constant(pa).binary(o, right) * a
        + left.binary(o, S::constant(pb)) * b
}

const X: [f64; 3] = [0.3, 0.5, 0.2];
const V: [f64; 3] = [0.7, -1.1, 0.4];

#[test]
fn hvps_on_a_recording_match_forward_over_forward_for_every_unary_op() {
    for u in Unary::all() {
        let p = inside(u.spec().domain);
        let mut rec = reverse::record(|x| with_unary(u, p, x), &X);
        let hv = rec.hvp(&X, &V).unwrap();
        let h = forward::hessian(|x| with_unary(u, p, x), &X);
        let expect = times(&h, &V);
        for (a, b) in hv.iter().zip(&expect) {
            assert!(
                close(*a, *b, 1e-12),
                "{}: {hv:?} vs {expect:?}",
                u.spec().name
            );
        }
        let by_dual = forward::hvp(|x| with_unary(u, p, x), &X, &V).unwrap();
        for (a, b) in hv.iter().zip(&by_dual) {
            assert!(
                close(*a, *b, 1e-12),
                "{}: {hv:?} vs {by_dual:?}",
                u.spec().name
            );
        }
    }
}

#[test]
fn hvps_on_a_recording_match_forward_over_forward_for_every_binary_op() {
    for o in Binary::all() {
        let s = o.spec();
        let points = (inside(s.a), inside(s.b) + 0.2);
        let mut rec = reverse::record(|x| with_binary(o, points, x), &X);
        let hv = rec.hvp(&X, &V).unwrap();
        let h = forward::hessian(|x| with_binary(o, points, x), &X);
        let expect = times(&h, &V);
        for (a, b) in hv.iter().zip(&expect) {
            assert!(close(*a, *b, 1e-12), "{}: {hv:?} vs {expect:?}", s.name);
        }
        let hr = reverse::hessian(|x| with_binary(o, points, x), &X);
        assert_matrix_close(&hr, &h, 1e-12, s.name);
    }
}

/// Every input coupled with every other: a dense Hessian.
fn coupled<S: Scalar>(x: &[S]) -> S {
    let s = x.iter().cloned().fold(S::constant(0.0), |s, xi| s + xi);
    let q = x
        .iter()
        .cloned()
        .fold(S::constant(0.0), |s, xi| s + xi.clone() * xi);
    s.sin() * q.clone() + q.ln()
}

fn point(n: usize) -> Vec<f64> {
    (0..n).map(|i| 0.4 + 0.3 * (i as f64).sin()).collect()
}

#[test]
fn batched_hvps_agree_with_single_hvps() {
    let x = point(11);
    let mut rec = reverse::record(|x| rosenbrock(x), &x);
    let mut at = rec.second_order(&x).unwrap();
    let directions: Vec<[f64; 3]> = (0..11)
        .map(|j| {
            [
                j as f64 - 5.0,
                (j as f64).cos(),
                if j == 4 { 1.0 } else { 0.0 },
            ]
        })
        .collect();
    let mut batched = vec![[0.0; 3]; 11];
    at.hvps(&directions, &mut batched).unwrap();
    for k in 0..3 {
        let v: Vec<f64> = directions.iter().map(|d| d[k]).collect();
        let single = at.hvp(&v).unwrap();
        for j in 0..11 {
            assert!(close(batched[j][k], single[j], 1e-14), "lane {k}, row {j}");
        }
    }
}

#[test]
fn hvp_after_replay_at_new_points_matches_forward_over_forward_there() {
    let x0 = point(9);
    let mut rec = reverse::record(|x| coupled(x), &x0);
    for shift in [0.0, 0.25, -0.1, 0.0] {
        let x: Vec<f64> = x0.iter().map(|xi| xi + shift).collect();
        // A first-order replay in between must not leave the second-order state stale.
        let (y, g) = rec.value_and_gradient(&x).unwrap();
        let v: Vec<f64> = (0..9).map(|i| 1.0 - 0.2 * i as f64).collect();
        let hv = rec.hvp(&x, &v).unwrap();
        let h = forward::hessian(coupled, &x);
        let expect = times(&h, &v);
        for (a, b) in hv.iter().zip(&expect) {
            assert!(close(*a, *b, 1e-12), "shift {shift}: {hv:?} vs {expect:?}");
        }
        let (y2, g2, h2) = rec.value_gradient_and_hessian(&x).unwrap();
        assert_eq!((y, g), (y2, g2));
        assert_matrix_close(&h2, &h, 1e-12, "replayed Hessian");
    }
}

/// `|x₀|·x₁²` written with a branch.
fn branching<S: Real>(x: &[S]) -> S {
    let sign = if x[0] < 0.0 { -1.0 } else { 1.0 };
    x[0] * x[1] * x[1] * sign
}

#[test]
fn second_order_at_a_point_on_another_branch_is_refused() {
    let mut rec = reverse::record(|x| branching(x), &[2.0, 3.0]);
    assert_eq!(rec.hvp(&[1.0, 3.0], &[0.0, 1.0]), Ok(vec![6.0, 2.0]));
    let e = rec.second_order(&[-1.0, 3.0]).unwrap_err();
    assert!(
        matches!(e, ReplayError::GuardFlipped { guard: 0, .. }),
        "{e}"
    );
    assert!(rec.hvp(&[-1.0, 3.0], &[1.0, 0.0]).is_err());
    // The recording is still good on its own branch.
    let h = rec.value_gradient_and_hessian(&[0.5, 2.0]).unwrap().2;
    assert_eq!(h, ndarray::array![[0.0, 4.0], [4.0, 1.0]]);
}

#[test]
fn wrong_lengths_are_errors_naming_both() {
    let mut rec = reverse::record(|x| rosenbrock(x), &[1.0, 2.0, 3.0]);
    let e = rec.hvp(&[1.0, 2.0, 3.0], &[1.0]).unwrap_err();
    let ReplayError::WrongLength(length) = &e else {
        panic!("{e:?}");
    };
    assert_eq!((length.expected, length.found), (3, 1));
    let text = e.to_string();
    assert!(
        text.contains("direction") && text.contains('1') && text.contains('3'),
        "{text}"
    );
    let mut at = rec.second_order(&[1.0, 2.0, 3.0]).unwrap();
    let e = at.hvp(&[1.0, 2.0]).unwrap_err();
    assert_eq!((e.expected, e.found), (3, 2));
    let mut out = [[0.0; 2]; 2];
    assert!(at.hvps(&[[1.0, 0.0]; 3], &mut out).is_err());
}

#[test]
fn value_gradient_and_hessian_matches_value_and_gradient_and_forward_hessian() {
    let x = point(5);
    let (y, g, h) = reverse::value_gradient_and_hessian(|x| rosenbrock(x), &x);
    assert_eq!((y, g), reverse::value_and_gradient(|x| rosenbrock(x), &x));
    assert_matrix_close(&h, &forward::hessian(rosenbrock, &x), 1e-12, "rosenbrock");
    let x = point(12);
    let (y, g, h) = reverse::value_gradient_and_hessian(|x| coupled(x), &x);
    assert_eq!((y, g), reverse::value_and_gradient(|x| coupled(x), &x));
    assert_matrix_close(&h, &forward::hessian(coupled, &x), 1e-12, "coupled");
}

#[test]
fn dense_and_sparse_strategies_agree_with_forward_over_forward() {
    for n in [1, 2, 3, 9, 12, 70, 150] {
        let x = point(n);
        let hf = forward::hessian(rosenbrock, &x);
        for s in [
            HessianStrategy::Dense,
            HessianStrategy::Sparse,
            HessianStrategy::Auto,
        ] {
            let h = reverse::hessian_with(|x| rosenbrock(x), &x, s);
            assert_matrix_close(&h, &hf, 1e-12, &format!("rosenbrock n = {n}, {s:?}"));
            assert_eq!(h, h.t(), "exactly symmetric");
        }
    }
    // A dense Hessian above DENSE_UP_TO: detection gives up or colours every input.
    let x = point(80);
    let hf = forward::hessian(coupled, &x);
    for s in [HessianStrategy::Auto, HessianStrategy::Sparse] {
        let h = reverse::hessian_with(|x| coupled(x), &x, s);
        assert_matrix_close(&h, &hf, 1e-11, &format!("coupled, {s:?}"));
    }
}

#[test]
fn new_hessian_agrees_with_reverse_over_forward() {
    let x = point(17);
    let h = reverse::hessian(|x| coupled(x), &x);
    let old = reverse::hessian_reverse_over_forward(|x| coupled(x), &x);
    assert_matrix_close(&h, &old, 1e-12, "coupled");
}

#[test]
fn outputs_that_skip_inputs_and_constant_outputs_have_zero_derivatives() {
    // The output is input 0 itself: nodes after it are not part of the function.
    let (y, g, h) = reverse::value_gradient_and_hessian(|x| x[0], &[2.0, 3.0, 4.0]);
    assert_eq!((y, g), (2.0, vec![1.0, 0.0, 0.0]));
    assert_eq!(h, Array2::zeros((3, 3)));
    let (y, g, h) = reverse::value_gradient_and_hessian(|_| Var::constant(5.0), &[2.0, 3.0]);
    assert_eq!((y, g), (5.0, vec![0.0, 0.0]));
    assert_eq!(h, Array2::zeros((2, 2)));
    let mut rec = reverse::record(|x| x[1] * x[1], &[2.0, 3.0]);
    assert_eq!(rec.hvp(&[1.0, 1.0], &[1.0, 1.0]), Ok(vec![0.0, 2.0]));
}

#[test]
fn an_infinite_second_partial_does_not_make_nan_where_no_direction_reaches_it() {
    // √x₀ at 0: √′ = ∞ and √″ = −∞, but ∂²/∂x₀∂x₁ = 0 and ∂²/∂x₁² = 2.
    let h = reverse::hessian(|x| x[0].sqrt() + x[1] * x[1], &[0.0, 1.5]);
    assert_eq!((h[[0, 1]], h[[1, 0]], h[[1, 1]]), (0.0, 0.0, 2.0));
    // ∂²/∂x₀² = −x₀^(−3/2)/4 → −∞.
    assert_eq!(h[[0, 0]], f64::NEG_INFINITY);
}

#[test]
fn a_given_pattern_from_another_branch_is_reported_by_the_recording() {
    fn g<S: Scalar + PartialOrd<f64>>(x: &[S]) -> S {
        match x[0] > 0.0 {
            true => x[1].clone().powi(2),
            false => x[1].clone() * x[2].clone(),
        }
    }
    let s = HessianSparsity::detect(g, &[1.0, 1.0, 1.0]);
    let x = [1.0, 3.0, 1.0];
    let mut rec = reverse::record(|x| g(x), &x);
    let h = rec.second_order(&x).unwrap().sparse_hessian(&s).unwrap();
    assert_eq!((h.get(1, 1), h.nnz()), (Some(&2.0), 1));
    // Recorded on the other branch, the function couples x₁ and x₂: not in the pattern.
    let x = [-1.0, 3.0, 1.0];
    let mut rec = reverse::record(|x| g(x), &x);
    let err = rec.second_order(&x).unwrap().sparse_hessian(&s);
    assert!(
        matches!(err, Err(SparseError::PatternChanged { .. })),
        "{err:?}"
    );
    let err = rec
        .second_order(&x)
        .unwrap()
        .sparse_hessian(&HessianSparsity::detect(g, &[1.0; 4]));
    assert!(matches!(err, Err(SparseError::Length(_))), "{err:?}");
}
