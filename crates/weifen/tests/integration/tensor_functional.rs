//! The functional API against closed forms and against each other, and the fused path
//! against the exact derivative and the graph path.

use weifen::Scalar;
use weifen::tensor::elementwise::{ElementwiseFn, map, value_and_derivative};
use weifen::tensor::functional::{
    JacobianMode, hessian, hvp, jacobian, jvp, value_and_hessian, value_and_hvp,
    value_and_jacobian, value_and_jacobian_with, value_and_jvp, value_and_vhp, value_and_vjp, vhp,
    vjp,
};
use weifen::tensor::{GradOptions, Tensor, TensorError, grad};

/// g(x) = (x₀² + x₁, x₁·x₂): J = [[2x₀, 1, 0], [0, x₂, x₁]].
fn g(x: &Tensor) -> Tensor {
    Tensor::stack(&[&(x.get(0).powi(2) + x.get(1)), &(x.get(1) * x.get(2))], 0)
}

/// Rosenbrock Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², written with tensor ops.
fn rosenbrock(x: &Tensor) -> Tensor {
    let n = x.len();
    let (head, tail) = (x.slice(0, 0, n - 1), x.slice(0, 1, n));
    ((tail - head.clone().powi(2)).powi(2) * 100.0 + (1.0 - head).powi(2)).sum()
}

/// Its Hessian by hand (tridiagonal).
fn rosenbrock_hessian(x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let mut h = vec![vec![0.0; n]; n];
    for i in 0..n - 1 {
        h[i][i] += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
        h[i + 1][i + 1] += 200.0;
        h[i][i + 1] -= 400.0 * x[i];
        h[i + 1][i] -= 400.0 * x[i];
    }
    h
}

#[test]
fn seed_jacobian_is_exact_in_both_modes() {
    let x = weifen::tensor![1.0, 2.0, 3.0];
    let expected = vec![2.0, 1.0, 0.0, 0.0, 3.0, 2.0];
    let j = jacobian(g, &x).unwrap();
    assert_eq!(j.shape(), &[2, 3]);
    assert_eq!(j.to_vec(), expected);
    for mode in [JacobianMode::Forward, JacobianMode::Reverse] {
        let (y, j) = value_and_jacobian_with(g, &x, mode).unwrap();
        assert_eq!(y.to_vec(), vec![3.0, 6.0]);
        assert_eq!(j.to_vec(), expected, "{mode:?}");
    }
}

#[test]
fn jacobian_of_a_matrix_function_has_the_concatenated_shape() {
    // f(x) = x ⊗ x (outer product), x ∈ ℝ²: ∂(xᵢxⱼ)/∂xₖ = δᵢₖxⱼ + xᵢδⱼₖ.
    let x = Tensor::from(vec![2.0, 5.0]);
    let (y, j) = value_and_jacobian(|x| x.outer(x), &x).unwrap();
    assert_eq!(y.shape(), &[2, 2]);
    assert_eq!(j.shape(), &[2, 2, 2]);
    let xv = [2.0, 5.0];
    for i in 0..2 {
        for jj in 0..2 {
            for k in 0..2 {
                let exact =
                    f64::from(u8::from(i == k)) * xv[jj] + xv[i] * f64::from(u8::from(jj == k));
                assert_eq!(j.at(&[i, jj, k]), exact);
            }
        }
    }
}

#[test]
fn rosenbrock_hessian_matches_the_closed_form() {
    let xs = [0.5, -1.2, 0.8, 2.0];
    let (y, h) = value_and_hessian(rosenbrock, &Tensor::from(xs.to_vec())).unwrap();
    let exact_y: f64 = (0..3)
        .map(|i| 100.0 * (xs[i + 1] - xs[i] * xs[i]).powi(2) + (1.0 - xs[i]).powi(2))
        .sum();
    assert!((y.item() - exact_y).abs() < 1e-12);
    let exact = rosenbrock_hessian(&xs);
    for (i, row) in exact.iter().enumerate() {
        for (j, e) in row.iter().enumerate() {
            assert!((h.at(&[i, j]) - e).abs() < 1e-11, "H[{i}][{j}]");
        }
    }
}

#[test]
fn products_agree_with_the_full_matrices() {
    let x = Tensor::from(vec![0.5, -1.2, 0.8, 2.0]);
    let v = Tensor::from(vec![1.0, -2.0, 0.5, 3.0]);
    let h = hessian(rosenbrock, &x).unwrap();
    let hv = h.matmul(&v).to_vec();
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-10);
    assert!(close(&hvp(rosenbrock, &x, &v).unwrap().to_vec(), &hv));
    assert!(close(
        &vhp(rosenbrock, &x, &v).unwrap().to_vec(),
        &v.matmul(&h).to_vec()
    ));
    let (y, _) = value_and_hvp(rosenbrock, &x, &v).unwrap();
    let (y2, _) = value_and_vhp(rosenbrock, &x, &v).unwrap();
    assert_eq!(y.item(), y2.item());

    let x3 = Tensor::from(vec![1.0, 2.0, 3.0]);
    let j = jacobian(g, &x3).unwrap();
    let v3 = Tensor::from(vec![0.5, -1.0, 2.0]);
    let w = Tensor::from(vec![3.0, -0.5]);
    assert!(close(
        &jvp(g, &x3, &v3).unwrap().to_vec(),
        &j.matmul(&v3).to_vec()
    ));
    assert!(close(
        &vjp(g, &x3, &w).unwrap().to_vec(),
        &w.matmul(&j).to_vec()
    ));
    let (y, _) = value_and_jvp(g, &x3, &v3).unwrap();
    let (y2, _) = value_and_vjp(g, &x3, &w).unwrap();
    assert_eq!(y.to_vec(), y2.to_vec());
}

#[test]
fn functions_that_ignore_their_input_have_zero_derivatives() {
    let x = Tensor::from(vec![1.0, 2.0]);
    let j = jacobian(|_| Tensor::from(vec![1.0, 2.0, 3.0]), &x).unwrap();
    assert_eq!(j.shape(), &[3, 2]);
    assert!(j.to_vec().iter().all(|&v| v == 0.0));
    let h = hessian(|x| x.sum() * 2.0, &x).unwrap();
    assert!(h.to_vec().iter().all(|&v| v == 0.0));
}

#[test]
fn wrong_vector_shapes_are_named() {
    let x = Tensor::from(vec![1.0, 2.0, 3.0]);
    let err = jvp(g, &x, &Tensor::ones(&[2])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "jvp (input vs v): shapes [3] and [2] do not match"
    );
    assert!(matches!(
        vjp(g, &x, &Tensor::ones(&[3])),
        Err(TensorError::ShapeMismatch { .. })
    ));
    let err = hessian(g, &x).unwrap_err();
    assert!(err.to_string().contains("one element"), "{err}");
}

/// The seed function, as a type for the fused path.
struct Seed;
impl ElementwiseFn for Seed {
    fn eval<S: Scalar>(&self, x: S) -> S {
        let x2 = x.clone().powi(2);
        (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
    }
}

#[test]
fn fused_path_matches_the_exact_derivative_and_the_graph_path() {
    let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
    // 10⁵ points: above the parallel threshold, so the blocked parallel loop runs.
    let x = Tensor::linspace(0.0, 5.0, 100_000);
    let (y, dy) = value_and_derivative(&Seed, &x);
    let xs = x.to_vec();
    for (i, (&y, &d)) in y.to_vec().iter().zip(&dy.to_vec()).enumerate() {
        // The fused path's kernels on SIMD lanes are the f64 kernels, except `exp`, which
        // is within 1 ulp of `f64::exp` there: f's value within a few ulp of f on f64.
        let f = Seed.eval(xs[i]);
        assert!(
            (y - f).abs() <= 4.0 * f64::EPSILON * f.abs(),
            "x = {}",
            xs[i]
        );
        assert!((d - exact(xs[i])).abs() < 1e-14, "x = {}", xs[i]);
    }
    assert_eq!(map(&Seed, &x).to_vec(), y.to_vec());

    let xg = x.clone().requires_grad_(true);
    let yg = Seed.eval(xg.clone());
    let dg = grad(
        &[&yg],
        &[&xg],
        &[&Tensor::ones_like(&yg)],
        GradOptions::default(),
    )
    .unwrap();
    assert_eq!(yg.to_vec(), y.to_vec());
    let diff = dg[0]
        .to_vec()
        .iter()
        .zip(dy.to_vec())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    // The same rules; only the order in which the two uses of x2 add their parts differs.
    assert!(diff < 1e-14, "{diff}");
}

#[test]
fn fused_path_keeps_the_shape() {
    let x = Tensor::rand(&[3, 4], 1);
    let (y, dy) = value_and_derivative(&Seed, &x.transpose(0, 1));
    assert_eq!(y.shape(), &[4, 3]);
    assert_eq!(dy.shape(), &[4, 3]);
    assert_eq!(y.at(&[1, 2]), Seed.eval(x.at(&[2, 1])));
}

#[test]
fn seeded_random_tensors_repeat_and_have_the_right_moments() {
    assert_eq!(
        Tensor::rand(&[5], 3).to_vec(),
        Tensor::rand(&[5], 3).to_vec()
    );
    assert_ne!(
        Tensor::rand(&[5], 3).to_vec(),
        Tensor::rand(&[5], 4).to_vec()
    );
    let u = Tensor::rand(&[20_000], 1);
    assert!(u.to_vec().iter().all(|&v| (0.0..1.0).contains(&v)));
    assert!((u.mean().item() - 0.5).abs() < 0.01); // σ/√n ≈ 0.002
    let z = Tensor::randn(&[20_000], 2);
    assert!(z.mean().item().abs() < 0.03); // σ/√n ≈ 0.007
    assert!(((z.clone() * z).mean().item() - 1.0).abs() < 0.05);
}

#[test]
fn constructors_and_conversions_round_trip() {
    assert_eq!(
        Tensor::arange(0.0, 1.0, 0.25).to_vec(),
        vec![0.0, 0.25, 0.5, 0.75]
    );
    assert_eq!(Tensor::linspace(0.0, 1.0, 3).to_vec(), vec![0.0, 0.5, 1.0]);
    assert_eq!(Tensor::full(&[2, 2], 7.0).sum().item(), 28.0);
    assert_eq!(
        Tensor::zeros_like(&Tensor::ones(&[3])).to_vec(),
        vec![0.0; 3]
    );
    let a = ndarray::array![[1.0, 2.0], [3.0, 4.0]];
    let t = Tensor::from(a.clone());
    assert_eq!(t, weifen::tensor![[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(ndarray::ArrayD::from(t.clone()), a.into_dyn());
    assert_eq!(Vec::from(t.get(1)), vec![3.0, 4.0]);
    assert_eq!(Tensor::from(&[1.0, 2.0][..]).shape(), &[2]);
    assert_eq!(t.get(0).get(1).ndim(), 0);
    assert!(Tensor::from_shape_vec(&[3], vec![1.0]).is_err());
}
