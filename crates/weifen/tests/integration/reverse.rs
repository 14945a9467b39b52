//! Reverse mode against forward mode, closed forms, replay, checkpoints and misuse.

use crate::common::rosenbrock;
use weifen::forward::{self, Dual};
use weifen::reverse::{self, ReplayError, Tape, Var};
use weifen::{Real, Scalar};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

fn rosenbrock_gradient(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut g = vec![0.0; n];
    for i in 0..n - 1 {
        g[i] += -400.0 * x[i] * (x[i + 1] - x[i] * x[i]) - 2.0 * (1.0 - x[i]);
        g[i + 1] += 200.0 * (x[i + 1] - x[i] * x[i]);
    }
    g
}

/// A mix of every op family, ℝⁿ → ℝ.
fn mixed<S: Scalar>(x: &[S]) -> S {
    let (a, b, c) = (x[0].clone(), x[1].clone(), x[2].clone());
    (a.clone() * b.clone()).sin() + (b.clone() / c.clone()).exp() * a.clone().tanh()
        - c.clone().hypot(a.clone()).ln()
        + b.clone().atan2(c.clone())
        + a.clone().powf(1.5)
        + b.clone().max(c.clone()) * c.clone().cbrt().asinh()
        + (a.clone() * 0.1).erf()
        + b.pow(a)
}

fn beale<S: Scalar>(x: &[S]) -> S {
    let (a, b) = (x[0].clone(), x[1].clone());
    let t = |k: i32, c: f64| (-(a.clone()) * (-b.clone().powi(k) + 1.0) + c).powi(2);
    t(1, 1.5) + t(2, 2.25) + t(3, 2.625)
}

fn himmelblau<S: Scalar>(x: &[S]) -> S {
    let (a, b) = (x[0].clone(), x[1].clone());
    (a.clone().powi(2) + b.clone() - 11.0).powi(2) + (a + b.powi(2) - 7.0).powi(2)
}

#[test]
fn gradient_matches_analytic_rosenbrock_for_many_sizes() {
    for n in [2, 3, 10, 17, 100] {
        let x: Vec<f64> = (0..n).map(|i| 0.5 + 0.1 * (i as f64).sin()).collect();
        let g = reverse::gradient(|x| rosenbrock(x), &x);
        for (gi, ei) in g.iter().zip(rosenbrock_gradient(&x)) {
            assert!(close(*gi, ei, 1e-13), "n = {n}: {gi} vs {ei}");
        }
    }
}

#[test]
fn gradient_matches_analytic_beale_and_himmelblau() {
    let (a, b) = (1.3, 0.7);
    let g = reverse::gradient(|x| beale(x), &[a, b]);
    let r = [
        1.5 - a + a * b,
        2.25 - a + a * b * b,
        2.625 - a + a * b.powi(3),
    ];
    let ga = 2.0 * (r[0] * (b - 1.0) + r[1] * (b * b - 1.0) + r[2] * (b.powi(3) - 1.0));
    let gb = 2.0 * (r[0] * a + r[1] * 2.0 * a * b + r[2] * 3.0 * a * b * b);
    assert!(close(g[0], ga, 1e-13) && close(g[1], gb, 1e-13), "{g:?}");

    let h = reverse::gradient(|x| himmelblau(x), &[a, b]);
    let (p, q) = (a * a + b - 11.0, a + b * b - 7.0);
    assert!(close(h[0], 4.0 * a * p + 2.0 * q, 1e-13));
    assert!(close(h[1], 2.0 * p + 4.0 * b * q, 1e-13));
}

#[test]
fn gradient_jacobian_and_hessian_agree_with_forward_mode() {
    let x = [0.7, 1.9, 2.3];
    let gr = reverse::gradient(|x| mixed(x), &x);
    let gf = forward::gradient(mixed, &x);
    for (a, b) in gr.iter().zip(&gf) {
        assert!(close(*a, *b, 1e-12), "{gr:?} vs {gf:?}");
    }
    let hr = reverse::hessian(|x| mixed(x), &x);
    let hf = forward::hessian(mixed, &x);
    for (a, b) in hr.iter().zip(hf.iter()) {
        assert!(close(*a, *b, 1e-12), "{hr} vs {hf}");
    }
    let jr = reverse::jacobian(|x| vec![x[0] * x[1], x[2].sin() * x[0], mixed(x)], &x);
    let jf = forward::jacobian(|x| vec![x[0] * x[1], x[2].sin() * x[0], mixed(x)], &x);
    for (a, b) in jr.iter().zip(jf.iter()) {
        assert!(close(*a, *b, 1e-12), "{jr} vs {jf}");
    }
}

#[test]
fn hessian_of_rosenbrock_is_symmetric_and_matches_forward_for_sizes_across_chunks() {
    for n in [1, 7, 9, 17] {
        let x: Vec<f64> = (0..n).map(|i| 1.0 + 0.2 * (i as f64).cos()).collect();
        let hr = reverse::hessian(|x| rosenbrock(x), &x);
        let hf = forward::hessian(rosenbrock, &x);
        assert_eq!(hr.shape(), &[n, n]);
        for i in 0..n {
            for j in 0..n {
                assert!(close(hr[[i, j]], hf[[i, j]], 1e-12), "n={n} ({i},{j})");
                assert_eq!(hr[[i, j]], hr[[j, i]]);
            }
        }
        let v: Vec<f64> = (0..n).map(|i| (i as f64) - 1.5).collect();
        let hv = reverse::hvp(|x| rosenbrock(x), &x, &v).unwrap();
        for i in 0..n {
            let expect: f64 = (0..n).map(|j| hf[[i, j]] * v[j]).sum();
            assert!(close(hv[i], expect, 1e-12));
        }
    }
}

#[test]
fn seed_jacobian_by_reverse_mode() {
    let j = reverse::jacobian(|x| vec![x[0].powi(2) + x[1], x[1] * x[2]], &[1.0, 2.0, 3.0]);
    assert_eq!(j.shape(), &[2, 3]);
    assert_eq!(j, ndarray::array![[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]);
}

#[test]
fn derivative_and_second_derivative_of_seed_match_closed_forms() {
    fn seed<S: Scalar>(x: S) -> S {
        let x2 = x.clone().powi(2);
        (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
    }
    for x in [-1.0, 0.0, 1.3, 4.0] {
        let e = (-x * x / 2.0f64).exp();
        let d1 = (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * e;
        // f″ = (−2x⁴ + 4x³ + 11x² − 12x − 5)·e^{−x²/2}
        let d2 = (-2.0 * x.powi(4) + 4.0 * x.powi(3) + 11.0 * x * x - 12.0 * x - 5.0) * e;
        assert!(close(reverse::derivative(|x| seed(x), x), d1, 1e-13));
        assert!(close(reverse::second_derivative(|x| seed(x), x), d2, 1e-13));
    }
}

#[test]
fn nested_reverse_inside_reverse_has_no_perturbation_confusion() {
    // D(x ↦ x · D(y ↦ x + y)(1))(1) = 1
    let d = reverse::derivative(
        |x| x * reverse::derivative(|y| Var::constant_of(x) + y, Var::constant(1.0)),
        1.0,
    );
    assert_eq!(d, 1.0);
    // D(x ↦ x · D(y ↦ x·y)(3))(5) = 10
    let d = reverse::derivative(
        |x| x * reverse::derivative(|y| Var::constant_of(x) * y, Var::constant(3.0)),
        5.0,
    );
    assert_eq!(d, 10.0);
}

#[test]
fn forward_inside_reverse_and_reverse_inside_forward_nest() {
    // D(x ↦ x · D(y ↦ x·y)(3))(5) = 10 with the inner derivative in the other mode.
    let d = reverse::derivative(
        |x| x * forward::derivative(|y| Dual::lift(x) * y, Var::constant(3.0)),
        5.0,
    );
    assert_eq!(d, 10.0);
    let d = forward::derivative(
        |x| x * reverse::derivative(|y| Var::constant_of(x) * y, Dual::lift(3.0)),
        5.0,
    );
    assert_eq!(d, 10.0);
}

#[test]
fn vjp_equals_transposed_jacobian_times_u() {
    let x = [0.4, 1.1, 2.0];
    let u = [2.0, -1.0, 0.5];
    let (_, ju) = reverse::vjp(|x| vec![x[0] * x[1], x[1].exp(), mixed(x)], &x, &u).unwrap();
    let j = forward::jacobian(|x| vec![x[0] * x[1], x[1].exp(), mixed(x)], &x);
    for k in 0..3 {
        let expect: f64 = (0..3).map(|i| u[i] * j[[i, k]]).sum();
        assert!(close(ju[k], expect, 1e-12));
    }
}

#[test]
fn empty_input_gives_empty_gradient_and_zero_column_jacobian() {
    assert!(reverse::gradient(|_| Var::constant(1.0), &[] as &[f64]).is_empty());
    let j = reverse::jacobian(
        |_| vec![Var::constant(1.0), Var::constant(2.0)],
        &[] as &[f64],
    );
    assert_eq!(j.shape(), &[2, 0]);
}

#[test]
fn wrong_length_cotangent_and_hvp_vector_are_errors_naming_both_lengths() {
    let e = reverse::vjp(|x| vec![x[0]], &[1.0, 2.0], &[1.0, 1.0, 1.0]).unwrap_err();
    assert_eq!((e.expected, e.found), (1, 3));
    let e = reverse::hvp(|x| x[0] * x[1], &[1.0, 2.0], &[1.0]).unwrap_err();
    assert!(
        e.to_string().contains("length 1") && e.to_string().contains("length 2"),
        "{e}"
    );
}

#[test]
fn replay_at_new_inputs_matches_recording_again() {
    let mut rec = reverse::record(|x| rosenbrock(x), &[0.5; 10]);
    for k in 0..5 {
        let x: Vec<f64> = (0..10).map(|i| (i + k) as f64 * 0.13 - 0.4).collect();
        let (v, g) = rec.value_and_gradient(&x).unwrap();
        let (v2, g2) = reverse::value_and_gradient(|x| rosenbrock(x), &x);
        assert_eq!(v, v2);
        assert_eq!(g, g2);
    }
    let err = rec.value_and_gradient(&[1.0; 3]).unwrap_err();
    assert!(
        matches!(err, ReplayError::WrongLength(ref e) if (e.expected, e.found) == (10, 3)),
        "{err:?}"
    );
}

#[test]
fn replay_reports_a_flipped_guard_instead_of_a_wrong_gradient() {
    fn relu_sq<S: Real>(x: &[S]) -> S {
        if x[0] > x[1] { x[0] * x[0] } else { x[1] * 3.0 }
    }
    let mut rec = reverse::record(|x| relu_sq(x), &[2.0, 1.0]);
    assert_eq!(rec.gradient(&[3.0, 0.0]), Ok(vec![6.0, 0.0]));
    match rec.gradient(&[0.0, 3.0]) {
        Err(e @ ReplayError::GuardFlipped { guard: 0, .. }) => {
            // The message says it in words, not as Rust's Debug output.
            let text = e.to_string();
            assert!(
                text.contains("greater than") && text.contains("less than"),
                "{text}"
            );
            assert!(!text.contains("Some("), "{text}");
        }
        other => panic!("expected a flipped guard, got {other:?}"),
    }
}

#[test]
fn checkpointing_gives_the_same_gradient_with_a_smaller_peak_tape() {
    const T: usize = 400;
    fn step<S: Scalar>(x: &[S]) -> Vec<S> {
        let (a, b) = (x[0].clone(), x[1].clone());
        vec![
            (a.clone() * b.clone()).sin() + a.clone() * 0.9,
            (a * 0.3).cos() * b * 0.99,
        ]
    }
    let plain = Tape::new();
    let (p0, q0) = (plain.var(0.4), plain.var(0.8));
    let mut x = vec![p0, q0];
    for _ in 0..T {
        x = step(&x);
    }
    let y = x[0] + x[1];
    let adj = y.backward();
    let g_plain = [adj.wrt(p0), adj.wrt(q0)];

    let tape = Tape::new();
    let (p, q) = (tape.var(0.4), tape.var(0.8));
    let mut x = vec![p, q];
    for _ in 0..T {
        x = reverse::checkpoint(&tape, |x| step(x), &x);
    }
    let y = x[0] + x[1];
    let adj = y.backward();
    assert!(close(adj.wrt(p), g_plain[0], 1e-12) && close(adj.wrt(q), g_plain[1], 1e-12));
    assert!(
        tape.peak_len() * 3 < plain.peak_len(),
        "{} vs {}",
        tape.peak_len(),
        plain.peak_len()
    );
}

#[test]
#[should_panic(expected = "two different tapes")]
fn mixing_variables_of_two_tapes_panics_with_a_message() {
    let (t1, t2) = (Tape::new(), Tape::new());
    let _ = t1.var(1.0) + t2.var(2.0);
}

#[test]
fn seed_trace_rows_give_adjoints_x3_x3_and_x1_plus_x2() {
    let tape = Tape::replayable();
    let (x1, x2, x3) = (tape.var(1.0), tape.var(2.0), tape.var(3.0));
    let y = (x1 + x2) * x3;
    let rows = tape.rows(&y.backward()).unwrap();
    let got: Vec<(&str, f64, f64)> = rows
        .iter()
        .map(|r| (r.operation.as_str(), r.value, r.adjoint))
        .collect();
    assert_eq!(
        got,
        vec![
            ("input", 1.0, 3.0),
            ("input", 2.0, 3.0),
            ("input", 3.0, 3.0),
            ("v1 + v2", 3.0, 3.0),
            ("v4 · v3", 9.0, 1.0)
        ]
    );
}

#[test]
fn nan_propagates_through_values_and_adjoints() {
    let (y, g) = reverse::value_and_gradient(|x| x[0].ln() * x[1], &[-1.0, 2.0]);
    assert!(y.is_nan() && g[0].is_nan() && g[1].is_nan());
}

#[test]
fn tape_uses_16_bytes_per_arithmetic_operation() {
    let tape = Tape::new();
    let x = tape.var(1.0);
    let z = tape.var(0.5);
    let mut y = x;
    for k in 0..1024 {
        // Products, sums and differences of variables store no partials.
        y = match k % 3 {
            0 => y * x,
            1 => y + z,
            _ => y - z,
        };
    }
    assert_eq!(tape.len(), 1026);
    assert_eq!(tape.recorded_bytes(), 16 * 1026);
    // Capacity grows by doubling: 1027 nodes (with the sink) sit in 2048 slots at most.
    assert!(tape.bytes() <= 16 * 2048, "{}", tape.bytes());
    // A unary op and a quotient store one and two partials.
    let before = tape.recorded_bytes();
    let _ = (y.sin() / x) * 2.0;
    assert_eq!(
        tape.recorded_bytes() - before,
        (16 + 8) + (16 + 16) + (16 + 8)
    );
}

#[test]
fn listing_the_rows_of_a_tape_that_keeps_partials_only_is_an_error() {
    let tape = weifen::reverse::Tape::new();
    let x = tape.var(2.0);
    let y = x * x;
    let err = tape.rows(&y.backward()).unwrap_err();
    assert_eq!(err, weifen::reverse::ReplayError::NotReplayable);
    assert!(err.to_string().contains("Tape::replayable"), "{err}");
}

#[test]
fn adjoints_asked_for_a_variable_of_another_tape_are_an_error() {
    let (a, b) = (weifen::reverse::Tape::new(), weifen::reverse::Tape::new());
    let (x, z) = (a.var(2.0), b.var(5.0));
    let adjoints = (x * x).backward();
    assert_eq!(adjoints.try_wrt(x), Ok(4.0));
    let err = adjoints.try_wrt(z).unwrap_err();
    assert!(err.to_string().contains("another tape"), "{err}");
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| adjoints.wrt(z)));
    assert!(caught.is_err());
}

#[test]
fn a_workspace_gives_the_gradient_and_stops_growing_after_the_first_call() {
    let mut ws = weifen::reverse::Workspace::new();
    let x: Vec<f64> = (0..20).map(|i| 0.1 * f64::from(i) - 1.0).collect();
    let fresh = reverse::gradient(|v| rosenbrock(v), &x);
    assert_eq!(ws.gradient(|v| rosenbrock(v), &x), fresh);
    let bytes = ws.bytes();
    for k in 0..100_000 {
        let y = [0.5 + f64::from(k % 7), 1.5];
        let g = ws.gradient(|v| v[0] * v[1].sin(), &y);
        assert_eq!(g, vec![y[1].sin(), y[0] * y[1].cos()]);
    }
    // The same size of function again: no growth over 10⁵ calls.
    assert_eq!(ws.gradient(|v| rosenbrock(v), &x), fresh);
    assert_eq!(ws.bytes(), bytes);
}

#[test]
fn products_by_one_and_sums_with_zero_record_nothing() {
    let tape = Tape::new();
    let x = tape.var(3.0);
    let before = tape.len();
    let one = Var::constant_of(1.0);
    // x·1, 1·x and x * 1.0 are x itself: no node, same derivative.
    let y = x * one * 1.0;
    let y = one * y;
    assert_eq!(tape.len(), before);
    assert_eq!(y.backward().wrt(x), 1.0);
    // x + 0 is x too where x is not zero (a zero x keeps the node: +0 + −0 is +0).
    let zero = Var::constant_of(0.0);
    let z = zero + (y + zero);
    assert_eq!(tape.len(), before);
    assert_eq!(z.backward().wrt(x), 1.0);
    let t0 = Tape::new();
    let x0 = t0.var(-0.0);
    let s = zero + x0;
    assert!(s.value().is_sign_positive());
    assert_eq!(t0.len(), 2);
    // A dual number of tape variables with tangent 1 (forward over reverse) records its
    // tangent products without the seed's multiplications: sin(x) takes the sin node, its
    // derivative cos(x) and no product by 1.
    let t = Tape::new();
    let xv = t.var(0.5);
    let d = Dual::new(xv, Var::constant_of(1.0)).sin();
    assert_eq!(t.len(), 3, "input, sin, cos");
    assert!((d.tangent.value() - 0.5f64.cos()).abs() < 1e-15);
    assert!((d.tangent.backward().wrt(xv) + 0.5f64.sin()).abs() < 1e-15);
}

/// Σ xᵢ²·xᵢ₊₁.
fn chain<S: Scalar>(x: &[S]) -> S {
    (0..x.len() - 1).fold(S::constant(0.0), |s, i| {
        s + x[i].clone() * x[i].clone() * x[i + 1].clone()
    })
}

/// ∂/∂xᵢ of Σ xᵢ²·xᵢ₊₁ by hand.
fn chain_gradient(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    (0..n)
        .map(|i| {
            let own = if i + 1 < n {
                2.0 * x[i] * x[i + 1]
            } else {
                0.0
            };
            let before = if i > 0 { x[i - 1] * x[i - 1] } else { 0.0 };
            own + before
        })
        .collect()
}

#[test]
fn pooled_gradients_are_right_across_sizes_nesting_and_release() {
    // Large, small, large again: the pooled arrays are emptied between calls.
    for n in [2000usize, 3, 500, 2] {
        let x: Vec<f64> = (0..n).map(|i| ((i % 13) as f64 - 6.0) / 7.0).collect();
        let g = reverse::gradient(|v| chain(v), &x);
        let want = chain_gradient(&x);
        for (a, b) in g.iter().zip(&want) {
            assert!(
                (a - b).abs() <= 1e-14 * b.abs().max(1.0),
                "n = {n}: {a} vs {b}"
            );
        }
    }
    // A gradient computed inside the function being differentiated (the pool is in use by
    // the outer call, so the inner one records on fresh arrays).
    let (y, g) = reverse::value_and_gradient(
        |v| {
            let inner = reverse::gradient(|u| u[0] * u[0] * u[0], &[2.0]);
            v[0] * inner[0]
        },
        &[3.0],
    );
    assert_eq!((y, g), (36.0, vec![12.0]));
    reverse::release_buffers();
    assert_eq!(
        reverse::gradient(|v| v[0] * v[1], &[3.0, 4.0]),
        vec![4.0, 3.0]
    );
}
