//! Error classes through the real binary: bad input exits 2 with a message that names the
//! flag or shows the formula, never a panic.

mod common;
use common::{fails, json, num, weifen};

#[test]
fn fails_on_a_megabyte_formula_showing_only_a_window_around_the_fault() {
    let formula = format!("{} + sin(x", vec!["x"; 400_000].join(" + "));
    let out = weifen()
        .args(["diff", "-"])
        .write_stdin(formula)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("never closed"), "{err}");
    assert!(err.contains("… x + x"), "{err}");
    assert!(err.len() < 500, "{err}");
}

#[test]
fn fails_when_vars_omits_a_variable_of_the_formula() {
    let err = fails(&["grad", "x*y", "--vars", "x", "--at", "1"], 2);
    assert!(err.contains("--vars x,y"), "{err}");
}

#[test]
fn fails_when_at_mixes_named_and_plain_values() {
    let err = fails(&["grad", "x*y", "--at", "x=1,2"], 2);
    assert!(err.contains("NAME=VALUE"), "{err}");
}

#[test]
fn fails_when_at_is_not_a_number() {
    let err = fails(&["diff", "x", "--at", "x=one"], 2);
    assert!(err.contains("not a number"), "{err}");
}

#[test]
fn at_accepts_constant_formulas() {
    let v = json(&["diff", "sin(x)", "--at", "x=pi/2", "--json"]);
    assert!(num(&v["derivative"]).abs() < 1e-15);
}

#[test]
fn vars_orders_the_gradient() {
    let v = json(&["grad", "x*y^2", "--vars", "y,x", "--at", "3,2", "--json"]);
    assert_eq!(v["variables"], serde_json::json!(["y", "x"]));
    assert_eq!(v["gradient"], serde_json::json!([12.0, 9.0]));
}

#[test]
fn trace_reverse_fails_with_wrt() {
    let err = fails(
        &[
            "trace", "x*y", "--at", "1,2", "--mode", "reverse", "--wrt", "x",
        ],
        2,
    );
    assert!(err.contains("--mode forward"), "{err}");
}

#[test]
fn plot_holds_the_other_variables_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.svg");
    let out = common::stdout(&[
        "plot",
        "x*y",
        "--wrt",
        "x",
        "--at",
        "y=2",
        "--points",
        "5",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(out.contains("0.0e0"), "{out}");
}

#[test]
fn jacobian_reads_the_list_from_standard_input() {
    let out = weifen()
        .args(["jacobian", "-", "--at", "2", "--json"])
        .write_stdin("[x^2, 3*x]\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["jacobian"], serde_json::json!([[4.0], [3.0]]));
}
