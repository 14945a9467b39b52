//! `weifen diff`: derivatives of typed formulas, by every method and order.

mod common;
use common::{fails, json, num, stdout, weifen};

/// d/dx x²·sin x = 2x·sin x + x²·cos x; the second and third derivatives by hand.
fn exact(order: usize, x: f64) -> f64 {
    let (s, c) = x.sin_cos();
    match order {
        1 => 2.0 * x * s + x * x * c,
        2 => 2.0 * s + 4.0 * x * c - x * x * s,
        3 => 6.0 * c - 6.0 * x * s - x * x * c,
        _ => unreachable!(),
    }
}

#[test]
fn without_a_point_prints_the_simplified_symbolic_derivative() {
    let out = stdout(&["diff", "x^2*sin(x)"]);
    assert_eq!(out.trim(), "d/dx x^2*sin(x) = 2*x*sin(x) + x^2*cos(x)");
}

#[test]
fn every_method_gives_every_order_it_supports() {
    let methods = [
        "symbolic",
        "forward",
        "reverse",
        "richardson",
        "central",
        "forward-difference",
        "backward-difference",
        "five-point",
        "complex-step",
        "auto",
    ];
    for method in methods {
        for order in 1..=3usize {
            if method == "complex-step" && order > 1 {
                continue;
            }
            let k = order.to_string();
            let v = json(&[
                "diff",
                "x^2*sin(x)",
                "--at",
                "x=1.3",
                "--order",
                &k,
                "--method",
                method,
                "--json",
            ]);
            let d = num(&v["derivative"]);
            // One difference at the model's optimal step loses digits with each order.
            let tolerance = match method {
                "forward-difference" | "backward-difference" => {
                    1e-7 * 1e4f64.powi(order as i32 - 1)
                }
                "central" | "five-point" => 1e-9 * 1e3f64.powi(order as i32 - 1),
                _ => 1e-8,
            };
            assert!(
                (d - exact(order, 1.3)).abs() < tolerance,
                "{method} order {order}: {d}"
            );
        }
    }
}

#[test]
fn json_has_every_key_with_nulls_for_exact_methods() {
    let v = json(&["diff", "x*y^2", "--wrt", "y", "--at", "x=2,y=3", "--json"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "expression",
            "variable",
            "order",
            "method",
            "at",
            "value",
            "derivative",
            "error_estimate",
            "evaluations",
            "status",
            "derivative_expression"
        ]
    );
    assert_eq!(v["method"], "forward");
    assert_eq!(v["variable"], "y");
    assert_eq!(num(&v["derivative"]), 12.0);
    assert_eq!(num(&v["value"]), 18.0);
    assert!(v["error_estimate"].is_null() && v["evaluations"].is_null());
    assert_eq!(num(&v["at"]["x"]), 2.0);
}

#[test]
fn json_of_a_numeric_method_carries_error_and_evaluations() {
    let v = json(&[
        "diff",
        "exp(x)",
        "--at",
        "1",
        "--method",
        "richardson",
        "--json",
    ]);
    assert!(num(&v["error_estimate"]) < 1e-10);
    assert!(v["evaluations"].as_u64().unwrap() > 2);
}

#[test]
fn json_of_symbolic_includes_the_derivative_expression() {
    let v = json(&[
        "diff", "x^3", "--at", "x=2", "--method", "symbolic", "--json",
    ]);
    assert_eq!(v["derivative_expression"], "3*x^2");
    assert_eq!(num(&v["derivative"]), 12.0);
}

#[test]
fn json_writes_non_finite_numbers_as_strings() {
    let v = json(&["diff", "sqrt(x)", "--at", "x=0", "--json"]);
    assert_eq!(v["derivative"], "inf");
    let v = json(&["diff", "ln(x)", "--at", "x=-1", "--json"]);
    assert_eq!(v["value"], "nan");
}

#[test]
fn at_accepts_plain_values_in_natural_variable_order() {
    // x2 comes before x10: d/dx2 (x10 − x2²) at x2 = 3 is −6.
    let v = json(&["diff", "x10 - x2^2", "--wrt", "x2", "--at", "3,5", "--json"]);
    assert_eq!(num(&v["derivative"]), -6.0);
    let v = json(&[
        "diff",
        "x10 - x2^2",
        "--wrt",
        "x2",
        "--vars",
        "x10,x2",
        "--at",
        "3,5",
        "--json",
    ]);
    assert_eq!(num(&v["derivative"]), -10.0);
}

#[test]
fn reads_the_formula_from_standard_input() {
    let out = weifen()
        .args(["diff", "-", "--at", "x=2", "--json"])
        .write_stdin("x^3\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(num(&v["derivative"]), 12.0);
}

#[test]
fn fails_with_the_formula_underlined() {
    let err = fails(&["diff", "sin(x) + 2x"], 2);
    assert!(err.contains("implicit multiplication"), "{err}");
    assert!(err.contains("  sin(x) + 2x\n           ^^"), "{err}");
}

#[test]
fn fails_with_unknown_method_listing_the_valid_ones() {
    let err = fails(&["diff", "x", "--at", "1", "--method", "spline"], 2);
    assert!(err.contains("--method"), "{err}");
    assert!(
        err.contains("complex-step") && err.contains("five-point"),
        "{err}"
    );
}

#[test]
fn fails_naming_the_variable_without_a_value() {
    let err = fails(&["diff", "x*y", "--wrt", "x", "--at", "x=1"], 2);
    assert!(err.contains("y has no value"), "{err}");
}

#[test]
fn fails_when_the_variable_is_ambiguous() {
    let err = fails(&["diff", "x*y"], 2);
    assert!(err.contains("--wrt"), "{err}");
}

#[test]
fn fails_with_an_order_the_method_cannot_give() {
    let err = fails(
        &[
            "diff",
            "x^2",
            "--at",
            "1",
            "--method",
            "complex-step",
            "--order",
            "2",
        ],
        2,
    );
    assert!(err.contains("first derivatives only"), "{err}");
    let err = fails(
        &[
            "diff",
            "x^2",
            "--at",
            "1",
            "--method",
            "five-point",
            "--order",
            "5",
        ],
        2,
    );
    assert!(err.contains("order 1 to 4"), "{err}");
    let err = fails(&["diff", "x^2", "--order", "0"], 2);
    assert!(err.contains("--order"), "{err}");
}

#[test]
fn fails_when_a_numeric_method_has_no_point() {
    let err = fails(&["diff", "x^2", "--method", "central"], 2);
    assert!(err.contains("--at x=VALUE"), "{err}");
}

#[test]
fn survives_a_megabyte_formula() {
    let formula = vec!["sin(x)"; 150_000].join(" + ");
    assert!(formula.len() > 1_000_000);
    let out = weifen()
        .args(["diff", "-", "--at", "x=0.5", "--json"])
        .write_stdin(formula)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!((num(&v["derivative"]) - 150_000.0 * 0.5f64.cos()).abs() < 1e-6);
}

#[test]
fn fails_cleanly_on_nesting_100000_deep() {
    let formula = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let out = weifen()
        .args(["diff", "-"])
        .write_stdin(formula)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("nested more than"), "{err}");
    assert!(
        err.len() < 1000,
        "the message shows a window of the formula"
    );
}

#[test]
fn accepts_a_formula_and_a_point_that_start_with_a_minus() {
    let v = json(&["diff", "-x^2", "--at", "-1", "--json"]);
    assert_eq!(num(&v["derivative"]), 2.0);
}

#[test]
fn every_command_with_a_method_lists_the_library_methods_in_its_help() {
    for command in ["diff", "grad", "jacobian", "plot"] {
        let help = stdout(&[command, "--help"]);
        for m in weifen::method::Method::ALL {
            assert!(
                help.contains(m.name()),
                "{command} --help lacks {m}: {help}"
            );
        }
    }
}
