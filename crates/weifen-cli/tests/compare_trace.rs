//! `weifen compare` and `weifen trace`: the seed's table and traces, on typed formulas.

mod common;
use common::{fails, json, num, stdout};

const SEED: &str = "(-2*x^2 + 4*x + 1)*exp(-x^2/2)";

#[test]
fn compare_flags_answers_a_method_cannot_vouch_for() {
    let v = json(&["compare", "1/x", "--at", "1e-8", "--json"]);
    let methods = v["methods"].as_array().unwrap();
    let central = methods.iter().find(|m| m["method"] == "central").unwrap();
    assert_eq!(central["vouched"], false, "{central}");
    assert_eq!(central["status"], "no-convergence", "{central}");
    for m in methods.iter().filter(|m| m["vouched"] == true) {
        if m["error_estimate"].is_number() {
            assert!(num(&m["abs_error"]) <= num(&m["error_estimate"]), "{m}");
        }
    }
}

#[test]
fn compare_measures_every_method_against_the_symbolic_derivative() {
    let v = json(&["compare", SEED, "--at", "x=1.3", "--json"]);
    let x: f64 = 1.3;
    let exact = (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
    assert!((num(&v["reference"]) - exact).abs() < 1e-15);
    let methods = v["methods"].as_array().unwrap();
    let names: Vec<&str> = methods
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "forward",
            "reverse",
            "richardson",
            "central",
            "forward-difference",
            "backward-difference",
            "five-point",
            "complex-step"
        ]
    );
    for m in methods {
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "method",
                "derivative",
                "abs_error",
                "rel_error",
                "evaluations",
                "error_estimate",
                "status",
                "vouched",
                "seconds"
            ]
        );
        assert!(num(&m["abs_error"]) < 1e-7, "{m}");
        assert_eq!(m["vouched"], true, "{m}");
        assert!(num(&m["seconds"]) >= 0.0);
    }
    // One forward difference costs two evaluations, and four more (the stencil at 2h, 4h,
    // 8h and 1.38h) estimate its error.
    assert_eq!(methods[4]["evaluations"], 6);
    assert!(methods[1]["evaluations"].is_null());
}

#[test]
fn compare_marks_methods_that_cannot_give_the_order() {
    let v = json(&["compare", "x^4", "--at", "2", "--order", "2", "--json"]);
    assert_eq!(num(&v["reference"]), 48.0);
    let complex = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == "complex-step")
        .unwrap();
    assert!(complex["derivative"].is_null());
    assert!(
        complex["error"]
            .as_str()
            .unwrap()
            .contains("first derivatives")
    );
}

#[test]
fn compare_prints_the_table() {
    let out = stdout(&["compare", SEED, "--at", "x=1.3"]);
    assert!(out.contains("reference (symbolic)"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("five-point")), "{out}");
}

#[test]
fn trace_forward_gives_the_tangents_of_the_worked_example() {
    let v = json(&[
        "trace",
        "(x1 + x2)*x3",
        "--at",
        "1,2,3",
        "--mode",
        "forward",
        "--wrt",
        "x1",
        "--json",
    ]);
    assert_eq!(v["mode"], "forward");
    let rows = v["rows"].as_array().unwrap();
    let ops: Vec<&str> = rows
        .iter()
        .map(|r| r["operation"].as_str().unwrap())
        .collect();
    assert_eq!(ops, ["x1", "x2", "x3", "v1 + v2", "v3 · v4"]);
    let tangents: Vec<f64> = rows.iter().map(|r| num(&r["tangent"])).collect();
    assert_eq!(tangents, [1.0, 0.0, 0.0, 1.0, 3.0]);
    let values: Vec<f64> = rows.iter().map(|r| num(&r["value"])).collect();
    assert_eq!(values, [1.0, 2.0, 3.0, 3.0, 9.0]);
    assert!(rows[0].get("adjoint").is_none());
    assert_eq!(rows[0]["name"], "v1");
}

#[test]
fn trace_reverse_gives_the_adjoints_of_the_worked_example() {
    let v = json(&[
        "trace",
        "(x1 + x2)*x3",
        "--at",
        "x1=1,x2=2,x3=3",
        "--mode",
        "reverse",
        "--json",
    ]);
    let adjoints: Vec<f64> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| num(&r["adjoint"]))
        .collect();
    assert_eq!(adjoints, [3.0, 3.0, 3.0, 3.0, 1.0]);
}

#[test]
fn trace_prints_a_table() {
    let out = stdout(&[
        "trace",
        "(x1 + x2)*x3",
        "--at",
        "1,2,3",
        "--mode",
        "reverse",
    ]);
    assert!(out.contains("v3 · v4"), "{out}");
    assert!(out.contains("adjoint"), "{out}");
}

#[test]
fn trace_forward_fails_without_wrt() {
    let err = fails(&["trace", "x*y", "--at", "1,2", "--mode", "forward"], 2);
    assert!(err.contains("--wrt x"), "{err}");
}

#[test]
fn trace_fails_with_an_unknown_mode() {
    let err = fails(&["trace", "x", "--at", "1", "--mode", "sideways"], 2);
    assert!(err.contains("--mode"), "{err}");
}
