//! `--define NAME(X)=BODY`: a user's function, called by name and differentiated by every
//! method.

mod common;
use common::{fails, json, num};

/// softplus′ = σ, softplus″ = σ(1 − σ), with σ the logistic function.
fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[test]
fn a_defined_function_is_differentiated_by_every_method() {
    let x = 0.3;
    let s = sigmoid(x);
    for (method, order, exact, tol) in [
        ("symbolic", "1", s, 1e-15),
        ("forward", "2", s * (1.0 - s), 1e-15),
        ("reverse", "2", s * (1.0 - s), 1e-15),
        ("complex-step", "1", s, 1e-15),
        ("richardson", "1", s, 1e-12),
    ] {
        let out = json(&[
            "diff",
            "softplus(x)",
            "--define",
            "softplus(x) = ln_1p(exp(x))",
            "--at",
            "x=0.3",
            "--order",
            order,
            "--method",
            method,
            "--json",
        ]);
        let d = num(&out["derivative"]);
        assert!((d - exact).abs() <= tol, "{method}: {d} vs {exact}");
    }
}

#[test]
fn a_definition_may_call_an_earlier_one() {
    let out = json(&[
        "diff",
        "g(x)",
        "--define",
        "sq(t) = t^2",
        "--define",
        "g(x) = 3*sq(x)",
        "--at",
        "x=2",
        "--json",
    ]);
    assert_eq!(num(&out["derivative"]), 12.0);
}

#[test]
fn fails_when_a_definition_is_malformed() {
    let err = fails(&["diff", "x", "--define", "softplus(x)"], 2);
    assert!(err.contains("no `=`"), "{err}");
    let err = fails(&["diff", "x", "--define", "f(x) = y + x"], 2);
    assert!(err.contains("uses `y`"), "{err}");
    let err = fails(&["diff", "x", "--define", "sin(x) = x"], 2);
    assert!(err.contains("built-in"), "{err}");
    let err = fails(&["diff", "x", "--define", "f(x) = (x"], 2);
    assert!(err.contains("never closed"), "{err}");
}
