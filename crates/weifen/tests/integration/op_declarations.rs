//! Every row of the op table reaches every consumer: the parser, both printers, every method;
//! its Taylor recurrence (where it has one) agrees with nested dual numbers to order 6; an op
//! declared by a user goes through every method; the complex step's report of a
//! non-analytic op survives nesting.

use weifen::forward::{self, Dual, Jet};
use weifen::method::{self, Method};
use weifen::numeric::{Complex, Status, complex_step};
use weifen::ops::{Binary, Unary, UnaryOp, custom};
use weifen::symbolic::Expr;
use weifen::{Scalar, custom_unary, reverse};

/// A point inside the op's smooth domain, away from its ends and kink.
fn point(op: Unary) -> f64 {
    let d = op.spec().domain;
    [0.37, -0.41, 1.3, 2.2, 0.9]
        .into_iter()
        .find(|&x| d.contains(x) && d.contains(x - 0.05) && d.contains(x + 0.05))
        .expect("a sample point in the domain")
}

/// The ops a formula can name: those without a constant parameter.
fn callable(op: Unary) -> bool {
    !op.has_parameter()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300) || a == b
}

#[test]
fn every_named_op_parses_prints_and_differentiates_by_every_method() {
    for op in Unary::all().into_iter().filter(|&op| callable(op)) {
        let name = op.spec().name;
        let x = point(op);
        let rule = op.derivative(&x, &op.eval(x));
        let formula = format!("{name}(x)");
        let f: Expr = formula.parse().unwrap_or_else(|e| panic!("{formula}: {e}"));
        // Both printers name the op, and the text form parses back to the same node.
        let text = f.to_string();
        assert_eq!(
            text.parse::<Expr>().unwrap(),
            f,
            "{formula} printed as {text}"
        );
        assert!(!f.to_latex().is_empty(), "{formula}");
        for m in Method::ALL {
            let d = method::derivative(&f, "x", &[("x", x)], 1, m)
                .unwrap_or_else(|e| panic!("{formula} by {}: {e}", m.name()));
            if m == Method::ComplexStep && matches!(op, Unary::Abs | Unary::Sign) {
                assert!(matches!(d.status, Status::NonAnalytic { .. }), "{formula}");
                continue;
            }
            let tol = if m.is_exact() || m == Method::ComplexStep {
                1e-13
            } else {
                1e-5
            };
            // Differences of a constant leave rounding, not zero: an absolute floor.
            assert!(
                close(d.derivative, rule, tol) || (d.derivative - rule).abs() < 1e-12,
                "{formula} at {x} by {}: {} vs rule {rule}",
                m.name(),
                d.derivative
            );
        }
    }
    for op in Binary::all() {
        let name = op.spec().name;
        let formula = match op.spec().infix {
            Some(s) => format!("x {s} 1.7"),
            None => format!("{name}(x, 1.7)"),
        };
        let f: Expr = formula.parse().unwrap_or_else(|e| panic!("{formula}: {e}"));
        let x = 0.6;
        let (da, _) = op.partials(&x, &1.7, &op.eval(x, 1.7));
        let d = method::derivative(&f, "x", &[("x", x)], 1, Method::Reverse).unwrap();
        assert!(close(d.derivative, da, 1e-14), "{formula}");
    }
}

#[test]
fn every_op_differentiates_on_every_scalar_type_to_its_rule() {
    for op in Unary::all() {
        let x = point(op);
        let rule = op.derivative(&x, &op.eval(x));
        let fwd = forward::derivative(|t| t.unary(op), x);
        let rev = reverse::derivative(|t| t.unary(op), x);
        let jet = forward::nth_derivative(|t| t.unary(op), x, 1);
        let sym = Expr::var("x")
            .unary(op)
            .diff("x")
            .eval(&[("x", x)])
            .unwrap();
        assert_eq!(fwd, rule, "{op:?} forward");
        assert!(close(rev, rule, 1e-15), "{op:?} reverse");
        assert!(close(jet, rule, 1e-14), "{op:?} jet {jet} vs {rule}");
        assert!(close(sym, rule, 1e-14), "{op:?} symbolic {sym} vs {rule}");
        let cs = complex_step::derivative(|t: Complex| t.unary(op), x).unwrap();
        if matches!(op, Unary::Abs | Unary::Sign) {
            assert!(matches!(cs.status, Status::NonAnalytic { .. }), "{op:?}");
        } else {
            assert!(close(cs.value, rule, 1e-13), "{op:?} complex step");
        }
    }
}

type D1 = Dual<f64>;
type D2 = Dual<D1>;
type D3 = Dual<D2>;
type D4 = Dual<D3>;
type D5 = Dual<D4>;
type D6 = Dual<D5>;

/// `x` seeded at every level of a dual number nested six deep: the coefficient of
/// `ε₁ε₂…ε₆` of `f(x)` is `f⁽⁶⁾(x)`, and the lower ones lie along the way.
fn seeded6(x: f64) -> D6 {
    let d1 = D1::variable(x);
    let d2 = D2::new(d1, D1::constant(1.0));
    let d3 = D3::new(d2, D2::constant(1.0));
    let d4 = D4::new(d3, D3::constant(1.0));
    let d5 = D5::new(d4, D4::constant(1.0));
    D6::new(d5, D5::constant(1.0))
}

/// `f⁽ᵏ⁾` for k = 0..=6 from one evaluation on the nested dual.
fn derivatives6(y: D6) -> [f64; 7] {
    [
        y.value.value.value.value.value.value,
        y.value.value.value.value.value.tangent,
        y.value.value.value.value.tangent.tangent,
        y.value.value.value.tangent.tangent.tangent,
        y.value.value.tangent.tangent.tangent.tangent,
        y.value.tangent.tangent.tangent.tangent.tangent,
        y.tangent.tangent.tangent.tangent.tangent.tangent,
    ]
}

#[test]
fn taylor_recurrences_agree_with_nested_duals_to_order_6() {
    let mut checked = 0;
    for op in Unary::all() {
        let x = point(op);
        let has_recurrence = op.taylor(Jet::variable(x, 6).coefficients()).is_some();
        let nested = derivatives6(seeded6(x).unary(op));
        let jet = forward::taylor_coefficients(|t| t.unary(op), x, 6);
        let mut factorial = 1.0;
        for k in 0..=6 {
            if k > 0 {
                factorial *= k as f64;
            }
            let from_jet = jet[k] * factorial;
            let scale = nested[k].abs().max(nested[0].abs()).max(1.0);
            assert!(
                (from_jet - nested[k]).abs() <= 1e-11 * scale,
                "{op:?} order {k} at {x}: jet {from_jet} nested duals {}",
                nested[k]
            );
        }
        checked += usize::from(has_recurrence);
    }
    // exp, ln, sqrt, sin, cos, sinh, cosh, powi, powf, recip, neg and the constant operands.
    assert!(checked >= 15, "only {checked} ops have recurrences");
}

custom_unary! {
    /// `ln(1 + eˣ)`, without overflow for large x.
    Softplus = "softplus_test" {
        eval: |x| if x > 30.0 { x + (-x).exp() } else { x.exp().ln_1p() },
        rule: |x, _y| ((-x).exp() + 1.0).recip(),
    }
}

/// The logistic function σ(x) = softplus′(x), and σ′ = σ(1 − σ).
fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[test]
fn a_user_op_goes_through_every_method() {
    custom::register(Softplus).unwrap();
    // Registering twice is fine; a name taken by the table is refused.
    custom::register(Softplus).unwrap();
    assert!(custom::register(weifen::ops::Sin).is_err());
    for x in [-2.0, 0.3, 1.7] {
        let s = sigmoid(x);
        let (d1, d2, d3) = (s, s * (1.0 - s), s * (1.0 - s) * (1.0 - 2.0 * s));
        assert!(close(
            forward::derivative(|t| t.unary(Softplus), x),
            d1,
            1e-15
        ));
        assert!(close(
            forward::second_derivative(|t| t.unary(Softplus), x),
            d2,
            1e-14
        ));
        assert!(close(
            forward::nth_derivative(|t| t.unary(Softplus), x, 3),
            d3,
            1e-12
        ));
        assert!(close(
            reverse::derivative(|t| t.unary(Softplus), x),
            d1,
            1e-15
        ));
        assert!(close(
            reverse::nth_derivative(|t| t.unary(Softplus), x, 3),
            d3,
            1e-12
        ));
        // Run-time dispatch goes through the recorded rule.
        let op = Softplus.id();
        assert!(close(
            forward::second_derivative(|t| t.unary(op), x),
            d2,
            1e-14
        ));
        // Parsed by name, differentiated and printed symbolically.
        let f: Expr = "softplus_test(2*x)".parse().unwrap();
        assert!(f.to_string().contains("softplus_test"));
        let g = f.diff("x");
        assert!(close(g.eval(&[("x", x / 2.0)]).unwrap(), 2.0 * d1, 1e-14));
        let d = method::derivative(&f, "x", &[("x", x / 2.0)], 2, Method::Symbolic).unwrap();
        assert!(close(d.derivative, 4.0 * d2, 1e-13));
        // No complex kernel was given: the complex step says so.
        let cs = complex_step::derivative(|t: Complex| t.unary(Softplus), x).unwrap();
        assert_eq!(
            cs.status,
            Status::NonAnalytic {
                op: "softplus_test"
            }
        );
    }
}

#[test]
fn a_nested_complex_step_keeps_the_non_analytic_report() {
    // The inner call evaluates an analytic function; the outer one uses abs. The report of
    // the outer evaluation must not be cleared by the inner call.
    let outer = |t: Complex| {
        let inner = complex_step::derivative(|u: Complex| u.sin(), 0.3).unwrap();
        assert!(inner.is_ok());
        t.abs() * inner.value
    };
    let d = complex_step::derivative(outer, -1.5).unwrap();
    assert_eq!(d.status, Status::NonAnalytic { op: "abs" });
    assert!(close(d.value, -(0.3f64.cos()), 1e-15));
    // And the other way round: an inner non-analytic call does not mark the outer result.
    let outer = |t: Complex| {
        let inner = complex_step::derivative(|u: Complex| u.abs(), -0.3).unwrap();
        assert_eq!(inner.status, Status::NonAnalytic { op: "abs" });
        t.sin() * inner.value
    };
    let d = complex_step::derivative(outer, 0.2).unwrap();
    assert!(d.is_ok());
}
