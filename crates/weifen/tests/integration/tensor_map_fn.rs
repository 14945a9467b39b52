//! `Tensor::map_fn`, the fused element-wise node, against the op-by-op graph of the same
//! function and against closed forms of its first five derivatives; and the SIMD element
//! kernels of the op-by-op graph against the one-element kernels, on lengths that leave every
//! remainder of 4.

use weifen::Scalar;
use weifen::tensor::elementwise::{self, Derivative, ElementwiseFn};
use weifen::tensor::{GradOptions, Tensor, grad};

/// f(x) = (−2x² + 4x + 1)·exp(−x²/2)
#[derive(Clone, Copy)]
struct Seed;
impl ElementwiseFn for Seed {
    fn eval<S: Scalar>(&self, x: S) -> S {
        let x2 = x.clone().powi(2);
        (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
    }
}

/// f⁽ᵏ⁾(x) = pₖ(x)·exp(−x²/2), with p₀ = −2x² + 4x + 1 and pₖ₊₁ = pₖ′ − x·pₖ; coefficients
/// from the constant term up (derived by hand and checked with a computer algebra system).
fn closed_form(k: usize, x: f64) -> f64 {
    const P: [&[f64]; 6] = [
        &[1.0, 4.0, -2.0],
        &[4.0, -5.0, -4.0, 2.0],
        &[-5.0, -12.0, 11.0, 4.0, -2.0],
        &[-12.0, 27.0, 24.0, -19.0, -4.0, 2.0],
        &[27.0, 60.0, -84.0, -40.0, 29.0, 4.0, -2.0],
        &[60.0, -195.0, -180.0, 200.0, 60.0, -41.0, -4.0, 2.0],
    ];
    let p = P[k].iter().rev().fold(0.0, |acc, c| acc * x + c);
    p * (-x * x / 2.0).exp()
}

fn create_graph() -> GradOptions {
    GradOptions {
        create_graph: true,
        ..Default::default()
    }
}

/// dʸ/dx of an element-wise `y`, recorded.
fn d(y: &Tensor, x: &Tensor) -> Tensor {
    grad(&[y], &[x], &[&Tensor::ones_like(y)], create_graph())
        .unwrap()
        .remove(0)
}

fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len());
    for (i, (a, b)) in a.iter().zip(b).enumerate() {
        let ok = (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= tol * b.abs().max(1.0);
        assert!(ok, "{what}[{i}]: {a} vs {b}");
    }
}

#[test]
fn map_fn_derivatives_to_order_five_match_closed_forms_and_the_op_by_op_graph() {
    // 1001 points: 250 groups of four lanes and a remainder of one.
    let x = Tensor::linspace(-4.0, 4.0, 1001).requires_grad_(true);
    let (mut fused, mut graph) = (x.map_fn(&Seed), Seed.eval(x.clone()));
    for k in 0..=5 {
        let exact: Vec<f64> = x.to_vec().iter().map(|&x| closed_form(k, x)).collect();
        // Each order's rounding errors grow with the polynomial's terms (|p₅| ≤ 10⁴ here).
        let tol = 1e-14 * 10f64.powi(k as i32);
        close(&fused.to_vec(), &exact, tol, &format!("map_fn f^({k})"));
        close(
            &fused.to_vec(),
            &graph.to_vec(),
            tol,
            &format!("vs graph f^({k})"),
        );
        assert!(fused.requires_grad(), "order {k} is recorded");
        (fused, graph) = (d(&fused, &x), d(&graph, &x));
    }
}

#[test]
fn the_first_derivative_is_one_node_of_the_saved_derivative() {
    // Above the parallel threshold (2¹⁵), with a remainder of 1 after the lanes.
    let x = Tensor::linspace(-3.0, 3.0, 40_001).requires_grad_(true);
    let y = x.map_fn(&Seed);
    let g = grad(
        &[&y],
        &[&x],
        &[&Tensor::ones_like(&y)],
        GradOptions::default(),
    )
    .unwrap()
    .remove(0);
    let (value, derivative) = elementwise::value_and_derivative(&Seed, &x.detach());
    assert_eq!(y.to_vec(), value.to_vec());
    assert_eq!(g.to_vec(), derivative.to_vec(), "g·f′ with g = 1 is f′");
    assert!(!g.requires_grad());
    // With create_graph the same saved values, now a node of their own.
    let y = x.map_fn(&Seed);
    let recorded = d(&y, &x);
    assert!(recorded.requires_grad());
    assert_eq!(recorded.to_vec(), derivative.to_vec());
    // Without retain_graph the saved derivative is freed: a second pass says so.
    let y = x.map_fn(&Seed);
    grad(
        &[&y],
        &[&x],
        &[&Tensor::ones_like(&y)],
        GradOptions::default(),
    )
    .unwrap();
    assert!(
        grad(
            &[&y],
            &[&x],
            &[&Tensor::ones_like(&y)],
            GradOptions::default()
        )
        .is_err()
    );
}

#[test]
fn backward_through_map_fn_accumulates_with_other_uses_of_the_input() {
    let x = Tensor::linspace(-2.0, 2.0, 7).requires_grad_(true);
    // L = Σ f(x)·w + 3·Σ x, so ∂L/∂x = w·f′(x) + 3.
    let w = Tensor::linspace(1.0, 2.0, 7);
    let loss = (x.map_fn(&Seed) * w.clone()).sum() + (x.clone() * 3.0).sum();
    loss.backward();
    let again = (x.map_fn(&Seed) * w.clone()).sum();
    again.backward();
    let got = x.grad().unwrap().to_vec();
    let want: Vec<f64> = x
        .to_vec()
        .iter()
        .zip(w.to_vec())
        .map(|(&x, w)| 2.0 * w * closed_form(1, x) + 3.0)
        .collect();
    close(&got, &want, 1e-14, "accumulated grad");
}

#[test]
fn map_fn_on_f32_is_close_to_the_f64_result() {
    let x64 = Tensor::linspace(-3.0, 3.0, 203);
    let x = x64.cast::<f32>().requires_grad_(true);
    let y = x.map_fn(&Seed);
    let g = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], create_graph())
        .unwrap()
        .remove(0);
    let h = grad(&[&g], &[&x], &[&Tensor::ones_like(&g)], create_graph())
        .unwrap()
        .remove(0);
    // The f32 inputs, widened, through the f64 closed forms: each op of the fused path runs
    // in f32, so a few f32 roundings (6·10⁻⁸ each) of terms below 10 in size.
    let xs: Vec<f64> = x.to_vec().iter().map(|&v| f64::from(v)).collect();
    for (k, t) in [(0, &y), (1, &g), (2, &h)] {
        let want: Vec<f64> = xs.iter().map(|&x| closed_form(k, x)).collect();
        let got: Vec<f64> = t.to_vec().iter().map(|&v| f64::from(v)).collect();
        close(&got, &want, 1e-6, &format!("f32 f^({k})"));
    }
}

#[test]
fn map_fn_of_a_derivative_is_the_next_derivative() {
    let x = Tensor::linspace(-2.5, 2.5, 33).requires_grad_(true);
    let y = x.map_fn(&Derivative(Derivative(Seed)));
    let want: Vec<f64> = x.to_vec().iter().map(|&x| closed_form(2, x)).collect();
    close(&y.to_vec(), &want, 1e-13, "f″");
    let want: Vec<f64> = x.to_vec().iter().map(|&x| closed_form(3, x)).collect();
    close(&d(&y, &x).to_vec(), &want, 1e-12, "f‴");
}

#[test]
fn map_fn_agrees_with_the_graph_on_special_values() {
    let v = vec![
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        1e-310,
        40.0,
        -40.0,
        800.0,
    ];
    let x = Tensor::from(v).requires_grad_(true);
    let (fused, graph) = (x.map_fn(&Seed), Seed.eval(x.clone()));
    close(&fused.to_vec(), &graph.to_vec(), 0.0, "f");
    close(&d(&fused, &x).to_vec(), &d(&graph, &x).to_vec(), 0.0, "f′");
}

#[test]
fn simd_element_kernels_match_the_one_element_kernels_for_every_remainder() {
    for n in [1, 2, 3, 4, 5, 6, 7, 33, 40_003] {
        let x = Tensor::linspace(-3.0, 3.0, n);
        let y = Tensor::linspace(0.5, 2.0, n);
        let (xs, ys) = (x.to_vec(), y.to_vec());
        let lanes = [
            x.clone().exp().to_vec(),
            (x.clone() * y.clone()).to_vec(),
            (x.clone() / y.clone()).to_vec(),
            x.clone().sin().to_vec(),
            y.clone().pow(x.clone()).to_vec(),
        ];
        let one: [Vec<f64>; 5] = [
            xs.iter().map(|x| x.exp()).collect(),
            xs.iter().zip(&ys).map(|(x, y)| x * y).collect(),
            xs.iter().zip(&ys).map(|(x, y)| x / y).collect(),
            xs.iter().map(|x| x.sin()).collect(),
            xs.iter().zip(&ys).map(|(x, y)| y.powf(*x)).collect(),
        ];
        for (k, (a, b)) in lanes.iter().zip(&one).enumerate() {
            // exp on lanes is within 1 ulp; the others are the same kernel.
            close(a, b, 3e-16, &format!("n = {n}, kernel {k}"));
        }
    }
}
