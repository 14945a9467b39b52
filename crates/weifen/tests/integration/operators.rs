//! The multivariate operators (`gradient`, `jacobian`, `jvp`, `hessian`, `hvp` and their
//! `value_and_` forms) against analytic formulas and against each other, at sizes that
//! straddle the gradient chunk (8) and the Hessian block (4), plus their empty-input and
//! wrong-length behaviour and seeded property tests.

use crate::common::rosenbrock;
use ndarray::{Array1, Array2, array};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use std::cell::Cell;
use weifen::forward::{self, CHUNK, Dual, HESSIAN_BLOCK};
use weifen::{LengthError, Scalar, ScalarFn};

/// Sizes around the chunk of 8 and the Hessian block of 4 (1 and 2 below, 7, 8, 9, 16, 17).
const SIZES: [usize; 10] = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17];

/// SplitMix64, for seeded points.
fn seeded_vector(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            -2.0 + 4.0 * ((z >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect()
}

fn assert_close(actual: &[f64], expected: &[f64], rel: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths differ");
    let scale = expected.iter().fold(1.0f64, |m, e| m.max(e.abs()));
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            (a - e).abs() <= rel * scale,
            "{what}[{i}]: got {a:e}, expected {e:e}"
        );
    }
}

fn assert_matrix_close(actual: &Array2<f64>, expected: &Array2<f64>, rel: f64, what: &str) {
    assert_eq!(actual.shape(), expected.shape(), "{what}: shapes differ");
    let a: Vec<f64> = actual.iter().copied().collect();
    let e: Vec<f64> = expected.iter().copied().collect();
    assert_close(&a, &e, rel, what);
}

/// ∇f by hand: gᵢ = −400xᵢ(xᵢ₊₁ − xᵢ²) − 2(1 − xᵢ) [i < n−1] + 200(xᵢ − xᵢ₋₁²) [i > 0],
/// written generically so its Jacobian can be taken too.
fn rosenbrock_gradient<S: Scalar>(x: &[S]) -> Vec<S> {
    let n = x.len();
    (0..n)
        .map(|i| {
            let mut g = S::constant(0.0);
            if i + 1 < n {
                let (a, b) = (x[i].clone(), x[i + 1].clone());
                g = g + a.clone() * (b - a.clone().powi(2)) * -400.0 - (-a + 1.0) * 2.0;
            }
            if i > 0 {
                g = g + (x[i].clone() - x[i - 1].clone().powi(2)) * 200.0;
            }
            g
        })
        .collect()
}

/// ∇²f by hand: Hᵢᵢ = 1200xᵢ² − 400xᵢ₊₁ + 2 [i < n−1] + 200 [i > 0], Hᵢ,ᵢ₊₁ = −400xᵢ.
fn rosenbrock_hessian(x: &[f64]) -> Array2<f64> {
    let n = x.len();
    let mut h = Array2::zeros((n, n));
    for i in 0..n {
        if i + 1 < n {
            h[[i, i]] += 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
            h[[i, i + 1]] = -400.0 * x[i];
            h[[i + 1, i]] = -400.0 * x[i];
        }
        if i > 0 {
            h[[i, i]] += 200.0;
        }
    }
    h
}

#[test]
fn rosenbrock_gradient_matches_the_analytic_gradient_at_every_size() {
    for n in SIZES {
        let x = seeded_vector(n, n as u64);
        let g = forward::gradient(rosenbrock, &x);
        assert_close(&g, &rosenbrock_gradient(&x), 1e-14, &format!("n = {n}"));
    }
}

#[test]
fn rosenbrock_gradient_vanishes_at_the_minimum_of_ones() {
    for n in SIZES {
        assert_eq!(forward::gradient(rosenbrock, &vec![1.0; n]), vec![0.0; n]);
    }
}

#[test]
fn rosenbrock_hessian_matches_the_analytic_hessian_at_every_size() {
    for n in SIZES {
        let x = seeded_vector(n, 100 + n as u64);
        let h = forward::hessian(rosenbrock, &x);
        let what = format!("n = {n}");
        assert_matrix_close(&h, &rosenbrock_hessian(&x), 1e-14, &what);
    }
}

#[test]
fn hessian_is_exactly_symmetric() {
    for n in SIZES {
        let x = seeded_vector(n, 150 + n as u64);
        let h = forward::hessian(rosenbrock, &x);
        assert_eq!(h, h.t(), "n = {n}");
    }
}

#[test]
fn jacobian_of_the_rosenbrock_gradient_map_is_the_analytic_hessian() {
    for n in SIZES {
        let x = seeded_vector(n, 200 + n as u64);
        let j = forward::jacobian(rosenbrock_gradient, &x);
        assert_eq!(j.shape(), &[n, n]);
        let what = format!("n = {n}");
        assert_matrix_close(&j, &rosenbrock_hessian(&x), 1e-14, &what);
        assert_matrix_close(&j, &forward::hessian(rosenbrock, &x), 1e-14, &what);
    }
}

#[test]
fn hvp_equals_hessian_times_v_at_every_size() {
    for n in SIZES {
        let x = seeded_vector(n, 300 + n as u64);
        let v = seeded_vector(n, 400 + n as u64);
        let hv = forward::hvp(rosenbrock, &x, &v).expect("lengths match");
        let expected = rosenbrock_hessian(&x).dot(&Array1::from(v.clone()));
        assert_close(
            &hv,
            expected.as_slice().unwrap(),
            1e-14,
            &format!("n = {n}"),
        );
        let h = forward::hessian(rosenbrock, &x).dot(&Array1::from(v));
        assert_close(&hv, h.as_slice().unwrap(), 1e-14, &format!("n = {n}"));
    }
}

/// A map ℝⁿ → ℝ³ mixing all inputs: [Σ sin(xᵢ)·xᵢ₊₁, Σ xᵢ², exp(x₀)·x_{n−1}].
fn mixer<S: Scalar>(x: &[S]) -> Vec<S> {
    let n = x.len();
    let mut a = S::constant(0.0);
    let mut b = S::constant(0.0);
    for i in 0..n {
        a = a + x[i].clone().sin() * x[(i + 1) % n].clone();
        b = b + x[i].clone().powi(2);
    }
    vec![a, b, x[0].clone().exp() * x[n - 1].clone()]
}

/// The Jacobian of [`mixer`] by hand.
fn mixer_jacobian(x: &[f64]) -> Array2<f64> {
    let n = x.len();
    let mut j = Array2::zeros((3, n));
    for i in 0..n {
        // ∂/∂xᵢ of sin(xᵢ)xᵢ₊₁ and of sin(xᵢ₋₁)xᵢ.
        j[[0, i]] += x[i].cos() * x[(i + 1) % n];
        j[[0, i]] += x[(i + n - 1) % n].sin();
        j[[1, i]] = 2.0 * x[i];
    }
    j[[2, 0]] += x[0].exp() * x[n - 1];
    j[[2, n - 1]] += x[0].exp();
    j
}

#[test]
fn jacobian_of_a_map_matches_the_analytic_jacobian_at_every_size() {
    for n in SIZES {
        let x = seeded_vector(n, 500 + n as u64);
        let j = forward::jacobian(mixer, &x);
        assert_eq!(j.shape(), &[3, n]);
        assert_matrix_close(&j, &mixer_jacobian(&x), 1e-14, &format!("n = {n}"));
    }
}

#[test]
fn jvp_equals_jacobian_times_v_at_every_size() {
    for n in SIZES {
        let x = seeded_vector(n, 600 + n as u64);
        let v = seeded_vector(n, 700 + n as u64);
        let (y, jv) = forward::jvp(mixer, &x, &v).expect("lengths match");
        assert_eq!(y, mixer(&x), "n = {n}");
        let expected = mixer_jacobian(&x).dot(&Array1::from(v.clone()));
        assert_close(
            &jv,
            expected.as_slice().unwrap(),
            1e-14,
            &format!("n = {n}"),
        );
        let (_, jv_grad) = forward::jvp(rosenbrock_gradient, &x, &v).unwrap();
        let hv = forward::hvp(rosenbrock, &x, &v).unwrap();
        assert_close(&jv_grad, &hv, 1e-14, &format!("J(∇f)·v vs hvp, n = {n}"));
    }
}

#[test]
fn value_and_forms_return_the_value_of_f() {
    for n in SIZES {
        let x = seeded_vector(n, 800 + n as u64);
        let (y, g) = forward::value_and_gradient(rosenbrock, &x);
        assert_eq!(y, rosenbrock(&x), "n = {n}");
        assert_eq!(g, forward::gradient(rosenbrock, &x), "n = {n}");
        let (ys, j) = forward::value_and_jacobian(mixer, &x);
        assert_eq!(ys, mixer(&x), "n = {n}");
        assert_eq!(j, forward::jacobian(mixer, &x), "n = {n}");
    }
    let (y, d) = forward::value_and_derivative(|t| t.sin() * t, 0.8);
    assert_eq!(y, 0.8f64.sin() * 0.8);
    assert_eq!(d, 0.8f64.sin() + 0.8 * 0.8f64.cos());
}

#[test]
fn seed_jacobian_at_1_2_3_is_2_1_0_over_0_3_2() {
    fn f<S: Scalar>(x: &[S]) -> Vec<S> {
        vec![
            x[0].clone().powi(2) + x[1].clone(),
            x[1].clone() * x[2].clone(),
        ]
    }
    let (y, j) = forward::value_and_jacobian(f, &[1.0, 2.0, 3.0]);
    assert_eq!(j.shape(), &[2, 3]);
    assert_eq!(j, array![[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]);
    assert_eq!(y, vec![3.0, 6.0]);
}

#[test]
fn empty_input_gives_empty_gradient_m_by_0_jacobian_and_0_by_0_hessian() {
    let empty: &[f64] = &[];
    let (y, g) = forward::value_and_gradient(|_| Scalar::constant(4.5), empty);
    assert_eq!(y, 4.5);
    assert!(g.is_empty());
    let (ys, j) = forward::value_and_jacobian(
        |_| vec![Scalar::constant(1.0), Scalar::constant(2.0)],
        empty,
    );
    assert_eq!(ys, vec![1.0, 2.0]);
    assert_eq!(j.shape(), &[2, 0]);
    let h = forward::hessian(rosenbrock, empty);
    assert_eq!(h.shape(), &[0, 0]);
    assert_eq!(forward::hvp(rosenbrock, empty, empty), Ok(vec![]));
    let (y, jv) = forward::jvp(|_| vec![Scalar::constant(7.0)], empty, empty).unwrap();
    assert_eq!((y, jv), (vec![7.0], vec![0.0]));
}

#[test]
fn jvp_with_a_wrong_length_direction_is_a_length_error_naming_both_lengths() {
    let err: LengthError = forward::jvp(mixer, &[1.0, 2.0, 3.0], &[1.0; 5]).unwrap_err();
    assert_eq!((err.expected, err.found), (3, 5));
    let message = err.to_string();
    assert!(message.contains("jvp"), "{message}");
    assert!(message.contains('3') && message.contains('5'), "{message}");
}

#[test]
fn hvp_with_a_wrong_length_vector_is_a_length_error_naming_both_lengths() {
    let err: LengthError = forward::hvp(rosenbrock, &[1.0; 4], &[1.0; 2]).unwrap_err();
    assert_eq!((err.expected, err.found), (4, 2));
    let message = err.to_string();
    assert!(message.contains("hvp"), "{message}");
    assert!(message.contains('4') && message.contains('2'), "{message}");
    // An error is a std error, usable with `?` in a function returning Box<dyn Error>.
    let _: Box<dyn std::error::Error> = Box::new(err);
}

/// Beale: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)².
fn beale<S: Scalar>(p: &[S]) -> S {
    let (x, y) = (p[0].clone(), p[1].clone());
    let term = |c: f64, k: i32| (x.clone() * y.clone().powi(k) - x.clone() + c).powi(2);
    term(1.5, 1) + term(2.25, 2) + term(2.625, 3)
}

/// ∂/∂x = Σ 2tₖ(yᵏ − 1), ∂/∂y = Σ 2tₖ·k·x·yᵏ⁻¹, with tₖ = cₖ − x + xyᵏ.
fn beale_gradient(x: f64, y: f64) -> Vec<f64> {
    let mut g = vec![0.0, 0.0];
    for (c, k) in [(1.5, 1), (2.25, 2), (2.625, 3)] {
        let t = c - x + x * y.powi(k);
        g[0] += 2.0 * t * (y.powi(k) - 1.0);
        g[1] += 2.0 * t * f64::from(k) * x * y.powi(k - 1);
    }
    g
}

/// Himmelblau: (x² + y − 11)² + (x + y² − 7)².
fn himmelblau<S: Scalar>(p: &[S]) -> S {
    let (x, y) = (p[0].clone(), p[1].clone());
    (x.clone().powi(2) + y.clone() - 11.0).powi(2) + (x + y.powi(2) - 7.0).powi(2)
}

#[test]
fn beale_gradient_matches_the_analytic_gradient_and_vanishes_at_3_half() {
    for p in [[1.0, 1.0], [-0.7, 2.1], [2.5, -1.3], [0.3, 0.4]] {
        let g = forward::gradient(beale, &p);
        assert_close(&g, &beale_gradient(p[0], p[1]), 1e-14, &format!("{p:?}"));
    }
    assert_eq!(forward::gradient(beale, &[3.0, 0.5]), vec![0.0, 0.0]);
}

#[test]
fn himmelblau_gradient_and_hessian_match_the_analytic_ones() {
    for [x, y] in [[1.0, 1.0], [-2.8, 3.1], [3.6, -1.8], [0.2, -0.5]] {
        let g = forward::gradient(himmelblau, &[x, y]);
        let a = x * x + y - 11.0;
        let b = x + y * y - 7.0;
        let exact = [4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b];
        assert_close(&g, &exact, 1e-14, &format!("∇ at ({x}, {y})"));
        let h = forward::hessian(himmelblau, &[x, y]);
        let exact = array![
            [12.0 * x * x + 4.0 * y - 42.0, 4.0 * x + 4.0 * y],
            [4.0 * x + 4.0 * y, 4.0 * x + 12.0 * y * y - 26.0]
        ];
        assert_matrix_close(&h, &exact, 1e-14, &format!("H at ({x}, {y})"));
    }
    assert_eq!(forward::gradient(himmelblau, &[3.0, 2.0]), vec![0.0, 0.0]);
}

#[test]
#[should_panic(expected = "output length must depend only on its input length")]
fn jacobian_panics_when_the_output_length_changes_between_chunks() {
    // Nine inputs take two chunks; the second evaluation returns one output more.
    let calls = Cell::new(0);
    let f = |x: &[forward::ChunkDual]| {
        calls.set(calls.get() + 1);
        vec![x[0]; calls.get()]
    };
    forward::jacobian(f, &[1.0; 9]);
}

/// Counts the evaluations an operator makes of `rosenbrock`.
fn count<T: Scalar>(counter: &Cell<usize>) -> impl Fn(&[T]) -> T + '_ {
    move |x| {
        counter.set(counter.get() + 1);
        rosenbrock(x)
    }
}

#[test]
fn operators_evaluate_f_the_documented_number_of_times() {
    for n in [0, 1, 4, 5, 8, 9, 16, 17] {
        let x = vec![0.5; n];
        let c = Cell::new(0);
        forward::gradient(count(&c), &x);
        assert_eq!(c.get(), n.div_ceil(CHUNK).max(1), "gradient, n = {n}");

        let c = Cell::new(0);
        forward::hessian(count(&c), &x);
        let b = n.div_ceil(HESSIAN_BLOCK);
        assert_eq!(c.get(), b * (b + 1) / 2, "hessian, n = {n}");

        let c = Cell::new(0);
        forward::hvp(count(&c), &x, &x).unwrap();
        assert_eq!(c.get(), n.div_ceil(CHUNK), "hvp, n = {n}");
    }
}

/// `p(x)·exp(a·x)` or `p(x)·sin(a·x + b)` with a random polynomial `p`.
#[derive(Debug, Clone)]
struct PolyTimes {
    coefficients: Vec<f64>,
    a: f64,
    b: f64,
    use_sin: bool,
}

impl ScalarFn for PolyTimes {
    fn eval<S: Scalar>(&self, x: S) -> S {
        let p = self
            .coefficients
            .iter()
            .fold(S::constant(0.0), |acc, &c| acc * x.clone() + c);
        let g = if self.use_sin {
            (x * self.a + self.b).sin()
        } else {
            (x * self.a).exp()
        };
        p * g
    }
}

fn poly_times() -> impl Strategy<Value = PolyTimes> {
    (
        prop::collection::vec(-2.0..2.0f64, 1..7),
        -1.5..1.5f64,
        -1.5..1.5f64,
        any::<bool>(),
    )
        .prop_map(|(coefficients, a, b, use_sin)| PolyTimes {
            coefficients,
            a,
            b,
            use_sin,
        })
}

/// `[f, f′, f″, f‴]` by one, two and three nested dual numbers.
fn by_nested_duals(f: &PolyTimes, x: f64) -> [f64; 4] {
    let inner = Dual::new(Dual::variable(x), Dual::constant(1.0));
    let third = f.eval(Dual::new(inner, Dual::constant(1.0)));
    [
        f.eval(x),
        forward::derivative(|t| f.eval(t), x),
        forward::second_derivative(|t| f.eval(t), x),
        third.tangent.tangent.tangent,
    ]
}

/// Σᵢ sin(xᵢ)·xᵢ₊₁ + exp(xᵢ/4)·cos(xᵢ·xᵢ₊₂) + hypot(xᵢ, 1), indices cyclic.
fn coupled<S: Scalar>(x: &[S]) -> S {
    let n = x.len();
    (0..n).fold(S::constant(0.0), |sum, i| {
        let (a, b, c) = (x[i].clone(), x[(i + 1) % n].clone(), x[(i + 2) % n].clone());
        sum + a.clone().sin() * b
            + (a.clone() / 4.0).exp() * (a.clone() * c).cos()
            + a.hypot(S::constant(1.0))
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 128,
        rng_seed: RngSeed::Fixed(0x7765_6966_656e),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn gradient_agrees_with_per_coordinate_derivatives(
        x in prop::collection::vec(-2.0..2.0f64, 0..20)
    ) {
        let g = forward::gradient(coupled, &x);
        prop_assert_eq!(g.len(), x.len());
        for i in 0..x.len() {
            let d = forward::derivative(
                |t: Dual<f64>| {
                    let p: Vec<Dual<f64>> = x
                        .iter()
                        .enumerate()
                        .map(|(j, &xj)| if j == i { t } else { Dual::lift(xj) })
                        .collect();
                    coupled(&p)
                },
                x[i],
            );
            prop_assert!((g[i] - d).abs() <= 1e-14 * (1.0 + d.abs()), "∂{}: {} vs {}", i, g[i], d);
        }
    }

    #[test]
    fn hvp_agrees_with_hessian_times_v_on_random_points(
        xv in (0usize..20).prop_flat_map(|n| (
            prop::collection::vec(-2.0..2.0f64, n),
            prop::collection::vec(-2.0..2.0f64, n),
        ))
    ) {
        let (x, v) = xv;
        let hv = forward::hvp(coupled, &x, &v).unwrap();
        let h = forward::hessian(coupled, &x).dot(&Array1::from(v));
        let scale = h.iter().fold(1.0f64, |m, e| m.max(e.abs()));
        for (a, e) in hv.iter().zip(h.iter()) {
            prop_assert!((a - e).abs() <= 1e-13 * scale, "{} vs {}", a, e);
        }
    }

    #[test]
    fn jet_nth_derivative_agrees_with_nested_duals_on_polynomials_times_exp_or_sin(
        f in poly_times(),
        x in -2.0..2.0f64,
    ) {
        let duals = by_nested_duals(&f, x);
        let magnitude = duals.iter().fold(0.0f64, |m, d| m.max(d.abs()));
        for (n, &dual) in duals.iter().enumerate() {
            let jet = forward::nth_derivative(|t| f.eval(t), x, n);
            let tol = 1e-12 * (dual.abs() + 1e-2 * magnitude);
            prop_assert!((jet - dual).abs() <= tol, "order {}: jet {:e}, duals {:e}", n, jet, dual);
        }
    }
}
