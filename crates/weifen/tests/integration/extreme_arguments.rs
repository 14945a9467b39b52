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

#[test]
fn derivatives_that_overflow_near_zero_are_infinite_not_nan() {
    // At x = 1e-300 the third derivatives of ln, log2, log10, recip, cbrt and the second and
    // third of sqrt are beyond f64: ±∞ with the sign of the closed form. Each was NaN through
    // `0·∞` in a direction the result does not depend on (`sign′ = 0` times an overflowed
    // tangent), `∞ − ∞` in `1/(y·y)` (cbrt) or in the power recurrence divided by x₀ (sqrt).
    let x = 1e-300;
    type D3 = Dual<Dual<Dual<f64>>>;
    type Case = (fn(D3) -> D3, fn(Jet) -> Jet, f64);
    type Jet = weifen::forward::Jet<f64>;
    let cases: [Case; 5] = [
        (|t| t.ln(), |t| t.ln(), 1.0),     // 2/x³
        (|t| t.log2(), |t| t.log2(), 1.0), // 2/(x³ ln 2)
        (|t| t.log10(), |t| t.log10(), 1.0),
        (|t| t.recip(), |t| t.recip(), -1.0), // −6/x⁴
        (|t| t.cbrt(), |t| t.cbrt(), 1.0),    // (10/27)·x^{−8/3}
    ];
    for (k, (nested, jet, sign)) in cases.into_iter().enumerate() {
        let expected = sign * f64::INFINITY;
        let d3 = forward::second_derivative(nested, Dual::variable(x)).tangent;
        assert_eq!(d3, expected, "case {k}: nested duals");
        let j = forward::nth_derivative(jet, x, 3);
        assert_eq!(j, expected, "case {k}: jet");
    }
    assert_eq!(reverse::nth_derivative(|t| t.cbrt(), x, 3), f64::INFINITY);
    // √x: −x^{−3/2}/4 and (3/8)·x^{−5/2}.
    assert_eq!(reverse::nth_derivative(|t| t.sqrt(), x, 2), -f64::INFINITY);
    assert_eq!(reverse::nth_derivative(|t| t.sqrt(), x, 3), f64::INFINITY);
    assert_eq!(forward::nth_derivative(|t| t.sqrt(), x, 3), f64::INFINITY);
    // cbrt is odd: at −1e-300 its third derivative is +∞ as well.
    assert_eq!(forward::nth_derivative(|t| t.cbrt(), -x, 3), f64::INFINITY);
}

#[test]
fn symbolic_derivatives_keep_sign_and_scale_where_intermediate_powers_leave_f64() {
    use weifen::symbolic::Program;
    let at = |f: &str, order: usize, x: f64| {
        let e: Expr = f.parse().unwrap();
        let d = e.nth_diff("x", order);
        Program::new(&[d], &["x"]).unwrap().eval(&[x]).unwrap()[0]
    };
    // atan″ = −2x/(1 + x²)² ≈ −2/x³; asinh‴ = (2x² − 1)/(1 + x²)^{5/2} ≈ 2/x³: their
    // canonical forms divide powers of hypot(x, 1) beyond the range of f64.
    for x in [1e100, -1e100] {
        let a2 = at("atan(x)", 2, x);
        assert!(close(a2, -2.0 / (x * x * x)), "atan″({x}) = {a2}");
        let s3 = at("asinh(x)", 3, x);
        assert!(
            close(s3, 2.0 / (x * x).abs() / x.abs()),
            "asinh‴({x}) = {s3}"
        );
    }
    // At 1e300 the true values underflow to 0 (not NaN).
    for f in ["atan(x)", "asinh(x)", "erf(x)"] {
        for x in [1e300, -1e300] {
            let d3 = at(f, 3, x);
            assert_eq!(d3, 0.0, "{f}‴({x}) = {d3}");
        }
    }
    // Many points at once: the points whose powers leave f64 are evaluated again.
    let e: Expr = "asinh(x)".parse().unwrap();
    let program = Program::new(&[e.nth_diff("x", 3)], &["x"]).unwrap();
    let xs = [0.5, 1e100, -1e100, 2.0];
    let mut out = vec![Vec::new()];
    program.eval_batch(&[&xs], &mut out).unwrap();
    for (&x, &d) in xs.iter().zip(&out[0]) {
        assert_eq!(d, at("asinh(x)", 3, x), "{x}");
    }
    assert!(close(out[0][1], 2e-300), "{}", out[0][1]);
    // The same evaluation at ordinary points is the plain one.
    let d = at("asinh(x)", 3, 0.5);
    let exact = (2.0 * 0.25 - 1.0) / 1.25f64.powf(2.5);
    assert!(close(d, exact), "{d} vs {exact}");
}
