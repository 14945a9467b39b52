//! Nested differentiation without perturbation confusion: an inner derivative, gradient or
//! Hessian inside an outer derivative (or gradient), with the outer variable lifted into the
//! inner one by `lift`. A tag-less implementation that mixed the two perturbations would give
//! the wrong answers shown in the comments.

use weifen::Scalar;
use weifen::forward::{self, ChunkDual, Dual, DualVec, HessianDual};

#[test]
fn derivative_of_x_times_inner_derivative_of_x_plus_y_is_one() {
    // D(x ↦ x · D(y ↦ x + y)(1))(1): the inner derivative is 1, so the whole is D(x ↦ x) = 1.
    // Confusing the perturbations makes the inner derivative 2 and the answer 2.
    let d = forward::derivative(
        |x: Dual<f64>| {
            let inner = forward::derivative(|y| Dual::lift(x) + y, Dual::constant(1.0));
            x * inner
        },
        1.0,
    );
    assert_eq!(d, 1.0);
}

#[test]
fn derivative_of_x_times_inner_derivative_of_x_times_y_is_two_x() {
    // D(x ↦ x · D(y ↦ x·y)(3))(5): the inner derivative is x, so the whole is D(x ↦ x²)(5) = 10.
    let d = forward::derivative(
        |x: Dual<f64>| {
            let inner = forward::derivative(|y| Dual::lift(x) * y, Dual::constant(3.0));
            x * inner
        },
        5.0,
    );
    assert_eq!(d, 10.0);
}

#[test]
fn inner_derivative_value_is_not_perturbed_by_the_outer_variable_when_it_does_not_depend_on_it() {
    // D(y ↦ x + y) does not depend on x: its own derivative in x is 0.
    let (value, d) = forward::value_and_derivative(
        |x: Dual<f64>| forward::derivative(|y| Dual::lift(x) + y, Dual::constant(1.0)),
        1.0,
    );
    assert_eq!((value, d), (1.0, 0.0));
}

#[test]
fn three_levels_of_nested_derivatives_keep_their_perturbations_apart() {
    // D(x ↦ x · D(y ↦ D(z ↦ x·y·z)(2))(3))(4): the two inner derivatives give x, so the whole
    // is D(x ↦ x²)(4) = 8.
    let d = forward::derivative(
        |x: Dual<f64>| {
            let inner = forward::derivative(
                |y: Dual<Dual<f64>>| {
                    let x = Dual::lift(x);
                    forward::derivative(
                        |z: Dual<Dual<Dual<f64>>>| Dual::lift(x) * Dual::lift(y) * z,
                        Dual::constant(2.0),
                    )
                },
                Dual::constant(3.0),
            );
            x * inner
        },
        4.0,
    );
    assert_eq!(d, 8.0);
}

#[test]
fn nested_first_derivatives_equal_the_second_derivative() {
    fn f<S: Scalar>(x: S) -> S {
        x.clone().sin() * x.clone().exp() + x.powi(3)
    }
    for x in [-1.3, 0.0, 0.7, 2.2] {
        let nested = forward::derivative(|x: Dual<f64>| forward::derivative(f, x), x);
        let second = forward::second_derivative(f, x);
        // f″ = 2 cos x eˣ + 6x
        let exact = 2.0 * x.cos() * x.exp() + 6.0 * x;
        assert!(
            (nested - exact).abs() <= 1e-14 * (1.0 + exact.abs()),
            "at {x}"
        );
        assert!(
            (second - exact).abs() <= 1e-14 * (1.0 + exact.abs()),
            "at {x}"
        );
    }
}

#[test]
fn derivative_of_a_gradient_component_along_a_curve() {
    // g_t(p) = t·p0²·p1, so ∂g/∂p0 = 2t·p0·p1; at p = (t, t) that is 2t³, with derivative 6t².
    // The outer t enters both the point and the function (lifted).
    for t in [-1.5, 0.5, 2.0] {
        let d = forward::derivative(
            |t: Dual<f64>| {
                let tc = ChunkDual::lift(t);
                let g = forward::gradient(|p| tc * p[0] * p[0] * p[1], &[t, t]);
                g[0]
            },
            t,
        );
        assert!(
            (d - 6.0 * t * t).abs() <= 1e-14 * (6.0 * t * t),
            "at {t}: {d}"
        );
    }
}

#[test]
fn gradient_of_a_function_containing_an_inner_derivative() {
    // f(p) = p0 · D(y ↦ p1·y²)(p0) = p0 · 2p1·p0 = 2p0²p1, so ∇f = (4p0p1, 2p0²).
    let p = [1.5, -2.0];
    let g = forward::gradient(
        |p: &[ChunkDual<f64>]| {
            let p1 = Dual::lift(p[1]);
            p[0] * forward::derivative(|y| p1 * y * y, p[0])
        },
        &p,
    );
    assert_eq!(g, vec![4.0 * p[0] * p[1], 2.0 * p[0] * p[0]]);
}

#[test]
fn derivative_of_a_hessian_entry_along_a_curve() {
    // f_t(p) = t·p0²·p1 has H00 = 2t·p1; at p = (t, t) that is 2t², with derivative 4t.
    for t in [-1.0, 0.25, 3.0] {
        let d = forward::derivative(
            |t: Dual<f64>| {
                let tc = HessianDual::lift(DualVec::lift(t));
                forward::hessian(|p| tc * p[0] * p[0] * p[1], &[t, t])[[0, 0]]
            },
            t,
        );
        assert!(
            (d - 4.0 * t).abs() <= 1e-14 * (4.0 * t).abs(),
            "at {t}: {d}"
        );
    }
}

#[test]
fn jvp_inside_a_derivative() {
    // F_t(p) = [t·p0·p1], J·v along v = (1, 1) at p = (t, 1) is t·(p1 + p0) = t(1 + t),
    // with derivative 1 + 2t.
    for t in [-0.5, 1.0, 2.5] {
        let d = forward::derivative(
            |t: Dual<f64>| {
                let tc = Dual::lift(t);
                let one = Dual::constant(1.0);
                let (_, jv) = forward::jvp(|p| vec![tc * p[0] * p[1]], &[t, one], &[one, one])
                    .expect("lengths match");
                jv[0]
            },
            t,
        );
        assert_eq!(d, 1.0 + 2.0 * t, "at {t}");
    }
}
