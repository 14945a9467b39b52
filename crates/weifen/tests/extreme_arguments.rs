//! Rules that stay accurate when differentiated again, at large and small arguments. Each case
//! is a closed form of the derivative (its leading term where the argument makes the others
//! vanish in `f64`), and each was wrong before the rule was rewritten: cancellation in
//! `(1 − x)(1 + x)` differentiated, overflow of `(x² + 1)²`, underflow of a Taylor recurrence
//! scaled by `y₀`, and `tanh′ = 1/cosh²` giving ∞/∞.

use weifen::forward::{self, Dual};
use weifen::symbolic::Expr;
use weifen::{Scalar, reverse};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs()
}

#[test]
fn inverse_trigonometric_second_derivatives_do_not_cancel_at_small_arguments() {
    let x = 1e-30;
    // asin″ = x/(1 − x²)^{3/2} ≈ x, acos″ = −asin″, atanh″ = 2x/(1 − x²)² ≈ 2x.
    type D2 = Dual<Dual<f64>>;
    type Case = (fn(D2) -> D2, f64);
    let cases: [Case; 3] = [
        (|t| t.asin(), x),
        (|t| t.acos(), -x),
        (|t| t.atanh(), 2.0 * x),
    ];
    for (k, (f, exact)) in cases.into_iter().enumerate() {
        let d2 = forward::second_derivative(f, x);
        assert!(close(d2, exact), "case {k}: {d2} vs {exact}");
    }
    let jets = [
        forward::nth_derivative(|t| t.asin(), x, 2),
        forward::nth_derivative(|t| t.acos(), x, 2),
        forward::nth_derivative(|t| t.atanh(), x, 2),
    ];
    for (got, exact) in jets.into_iter().zip([x, -x, 2.0 * x]) {
        assert!(close(got, exact), "{got} vs {exact}");
    }
    let r = reverse::nth_derivative(|t| t.asin(), x, 2);
    assert!(close(r, x), "{r}");
}

#[test]
fn atan_second_derivative_does_not_overflow_at_large_arguments() {
    // atan″ = −2x/(1 + x²)² ≈ −2/x³.
    for x in [1e100, -1e100, 1e50] {
        let exact = -2.0 / (x * x * x);
        let d2 = forward::second_derivative(|t| t.atan(), x);
        assert!(close(d2, exact), "{x}: {d2} vs {exact}");
        let j = forward::nth_derivative(|t| t.atan(), x, 2);
        assert!(close(j, exact), "{x}: jet {j} vs {exact}");
    }
}

#[test]
fn powers_keep_their_scale_where_intermediate_powers_underflow() {
    // (x⁻²)′ = −2x⁻³ at 1e100 is −2e-300: representable, although x⁻⁴ is not.
    let x = 1e100;
    let exact = -2e-300;
    let r = reverse::nth_derivative(|t| t.powi(-2), x, 1);
    assert!(close(r, exact), "{r}");
    let j = forward::nth_derivative(|t| t.powi(-2), x, 1);
    assert!(close(j, exact), "{j}");
    // (x^1.5)′ = 1.5·x^0.5 at 1e-300 is 1.5e-150, although x^1.5 underflows to 0.
    let x = 1e-300;
    let j = forward::nth_derivative(|t| t.powf(1.5), x, 1);
    assert!(close(j, 1.5e-150), "{j}");
    let j2 = forward::nth_derivative(|t| t.powf(1.5), x, 2);
    assert!(close(j2, 0.75e150), "{j2}");
}

#[test]
fn tanh_derivatives_keep_their_sign_and_stay_finite_at_large_arguments() {
    // tanh‴ = −2 sech²(x)(1 − 3 tanh²(x)) ≈ 4 sech²(x) > 0 for large x; sech(x) ≈ 2e^{−x}.
    let x = 100.0;
    let sech = 2.0 * (-x).exp();
    let exact = 4.0 * sech * sech;
    let f3 = forward::nth_derivative(|t| t.tanh(), x, 3);
    assert!((f3 - exact).abs() <= 1e-10 * exact, "{f3} vs {exact}");
    let n3 = forward::second_derivative(|t| t.tanh(), Dual::variable(x)).tangent;
    assert!((n3 - exact).abs() <= 1e-10 * exact, "{n3} vs {exact}");
    let r3 = reverse::nth_derivative(|t| t.tanh(), x, 3);
    assert!((r3 - exact).abs() <= 1e-10 * exact, "{r3} vs {exact}");
    // At 400 the true values underflow to 0: zero, not NaN.
    assert_eq!(forward::second_derivative(|t| t.tanh(), 400.0), 0.0);
    assert_eq!(reverse::nth_derivative(|t| t.tanh(), 400.0, 2), 0.0);
    let s = Expr::var("x")
        .tanh()
        .nth_diff("x", 2)
        .eval(&[("x", 400.0)])
        .unwrap();
    assert_eq!(s, 0.0);
}

#[test]
fn derivatives_that_overflow_are_infinite_not_nan() {
    // exp, sinh and cosh at 800: every derivative is e^800/2 or more, beyond f64: +∞ (sinh and
    // cosh: ±∞ by parity). A zero tangent times an infinite partial must not make NaN.
    let x = 800.0;
    type D2 = Dual<Dual<f64>>;
    type Case = (fn(D2) -> D2, f64);
    let cases: [Case; 3] = [(|t| t.exp(), 1.0), (|t| t.sinh(), 1.0), (|t| t.cosh(), 1.0)];
    for (k, (f, sign)) in cases.into_iter().enumerate() {
        let d2 = forward::second_derivative(f, x);
        assert_eq!(d2, sign * f64::INFINITY, "case {k}");
    }
    for order in 1..=3 {
        assert_eq!(
            forward::nth_derivative(|t| t.exp(), x, order),
            f64::INFINITY
        );
        assert_eq!(
            reverse::nth_derivative(|t| t.exp(), x, order),
            f64::INFINITY
        );
        assert_eq!(
            reverse::nth_derivative(|t| t.cosh(), x, order),
            f64::INFINITY
        );
        assert_eq!(
            reverse::nth_derivative(|t| t.sinh(), -x, order),
            f64::INFINITY * if order % 2 == 1 { 1.0 } else { -1.0 }
        );
    }
    assert_eq!(reverse::second_derivative(|t| t.exp(), x), f64::INFINITY);
    // An input the output does not depend on still gets a zero adjoint, not NaN.
    let g = reverse::gradient(|v| v[0].exp() + v[1] * 0.0, &[800.0, 1.0]);
    assert_eq!(g, vec![f64::INFINITY, 0.0]);
}
