//! Run-time dispatch: every method against the symbolic derivative on a shared set of
//! formulas, at every order it supports.

use weifen::method::{self, Method, MethodError};
use weifen::symbolic::Expr;

const FORMULAS: [(&str, f64); 4] = [
    ("sin(x)*exp(x)", 0.7),
    ("x^3 - 2*x", -1.5),
    ("atan(x)/(1 + x^2)", 0.3),
    ("(-2*x^2 + 4*x + 1)*exp(-x^2/2)", 1.3),
];

/// How close a method must come at an order, relative to `max(|exact|, 1)`.
fn tolerance(m: Method, order: usize) -> f64 {
    let k = order as i32 - 1;
    match m {
        Method::Symbolic | Method::Forward | Method::Reverse | Method::Auto => 1e-13,
        Method::ComplexStep => 1e-14,
        Method::Richardson => 1e-8 * 1e2f64.powi(k),
        Method::Central | Method::FivePoint => 1e-9 * 1e3f64.powi(k),
        _ => 1e-7 * 1e4f64.powi(k),
    }
}

#[test]
fn every_method_agrees_with_symbolic_at_every_order_it_supports() {
    for (source, x) in FORMULAS {
        let f: Expr = source.parse().unwrap();
        for order in 1..=3 {
            let exact = method::derivative(&f, "x", &[("x", x)], order, Method::Symbolic)
                .unwrap()
                .derivative;
            for m in Method::ALL {
                if m.max_order().is_some_and(|max| order > max) {
                    continue;
                }
                let d = method::derivative(&f, "x", &[("x", x)], order, m).unwrap();
                let err = (d.derivative - exact).abs() / exact.abs().max(1.0);
                assert!(
                    err < tolerance(m, order),
                    "{m} order {order} on {source}: {err:e}"
                );
                assert_eq!(d.error.is_none(), m.is_exact(), "{m}");
            }
        }
    }
}

#[test]
fn unsupported_orders_are_errors_naming_the_method() {
    let f: Expr = "x^2".parse().unwrap();
    let err = method::derivative(&f, "x", &[("x", 1.0)], 2, Method::ComplexStep).unwrap_err();
    assert!(matches!(
        err,
        MethodError::UnsupportedOrder {
            method: "complex-step",
            ..
        }
    ));
    let err = method::derivative(&f, "x", &[("x", 1.0)], 5, Method::FivePoint).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the five-point method gives derivatives of order 1 to 4, not 5"),
        "{err}"
    );
    // Finite differences are refused where they would answer with noise.
    let err = method::derivative(&f, "x", &[("x", 1.0)], 5, Method::Richardson).unwrap_err();
    assert!(err.to_string().contains("order 1 to 4"), "{err}");
    let err = method::derivative(&f, "x", &[("x", 1.0)], 5, Method::Central).unwrap_err();
    assert!(err.to_string().contains("order 1 to 4"), "{err}");
    assert!(method::derivative(&f, "x", &[("x", 1.0)], 0, Method::Forward).is_err());
}

#[test]
fn reverse_mode_gives_every_order_through_jets_on_the_tape() {
    let f: Expr = "exp(sin(x))".parse().unwrap();
    for order in 1..=8 {
        let r = method::derivative(&f, "x", &[("x", 0.7)], order, Method::Reverse).unwrap();
        let s = method::derivative(&f, "x", &[("x", 0.7)], order, Method::Forward).unwrap();
        let tol = 1e-12 * s.derivative.abs().max(1.0);
        assert!(
            (r.derivative - s.derivative).abs() <= tol,
            "order {order}: reverse {} forward {}",
            r.derivative,
            s.derivative
        );
    }
}

#[test]
fn method_names_round_trip() {
    for m in Method::ALL {
        assert_eq!(m.name().parse::<Method>(), Ok(m));
    }
}

#[test]
fn gradients_hessians_and_jacobians_agree_across_methods() {
    let f: Expr = "x*exp(y) + sin(x*z)".parse().unwrap();
    let vars = ["x", "y", "z"];
    let x = [0.5, -0.3, 1.2];
    let g0 = method::gradient(&f, &vars, &x, Method::Symbolic)
        .unwrap()
        .gradient;
    let h0 = method::hessian(&f, &vars, &x, Method::Symbolic)
        .unwrap()
        .value;
    for m in Method::ALL {
        let g = method::gradient(&f, &vars, &x, m).unwrap().gradient;
        let worst = g
            .iter()
            .zip(&g0)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-6, "{m}: {g:?}");
        if let Ok(h) = method::hessian(&f, &vars, &x, m) {
            let worst = (&h.value - &h0).iter().fold(0.0f64, |w, e| w.max(e.abs()));
            assert!(worst < 1e-5, "{m}: {}", h.value);
        }
    }
    let fs: Vec<Expr> = ["x*y", "sin(z) + x"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let j0 = method::jacobian(&fs, &vars, &x, Method::Symbolic).unwrap();
    for m in Method::ALL {
        let j = method::jacobian(&fs, &vars, &x, m).unwrap();
        assert_eq!(j.values, j0.values);
        let worst = (&j.jacobian.value - &j0.jacobian.value)
            .iter()
            .fold(0.0f64, |w, e| w.max(e.abs()));
        assert!(worst < 1e-6, "{m}");
    }
}

#[test]
fn trace_adjoints_are_the_gradient_and_the_last_tangent_the_derivative() {
    let f: Expr = "x*exp(y) + sin(x*y)".parse().unwrap();
    let (vars, x) = (["x", "y"], [0.5, -0.3]);
    let rows = method::trace(&f, &vars, &x, Some("y")).unwrap();
    let g = method::gradient(&f, &vars, &x, Method::Reverse)
        .unwrap()
        .gradient;
    assert_eq!(rows[0].adjoint, g[0]);
    assert_eq!(rows[1].adjoint, g[1]);
    assert_eq!(rows.last().unwrap().tangent, g[1]);
    assert_eq!(rows[0].operation, "x");
}

#[test]
fn compare_rows_every_method_but_symbolic_and_auto() {
    let f: Expr = "exp(x)".parse().unwrap();
    let (reference, rows) = method::compare(&f, "x", &[("x", 0.0)], 2).unwrap();
    assert_eq!(reference, 1.0);
    assert_eq!(rows.len(), 8);
    let complex = rows
        .iter()
        .find(|r| r.method == Method::ComplexStep)
        .unwrap();
    assert!(complex.result.is_err() && complex.abs_error.is_nan());
    for row in rows.iter().filter(|r| r.result.is_ok()) {
        assert!(row.rel_error < 1e-4, "{}", row.method);
    }
}
