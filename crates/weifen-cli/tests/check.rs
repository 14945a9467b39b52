//! `weifen check`: AD and symbolic derivatives against finite differences, exit 0 or 1.

mod common;

use common::{fails, json, stdout, weifen};

#[test]
fn check_exits_zero_when_every_entry_agrees() {
    let out = stdout(&["check", "x^2*sin(y) + exp(x*y)", "--at", "x=1.5,y=-0.7"]);
    // 2 entries by each of forward, reverse and symbolic.
    assert!(out.contains("all 6 entries agree"), "{out}");
}

#[test]
fn check_takes_a_list_of_outputs_and_counts_every_jacobian_entry() {
    let v = json(&[
        "check",
        "[x*y, atan2(y, x), hypot(x, y)]",
        "--at",
        "3,4",
        "--json",
    ]);
    assert_eq!(v["passed"], true, "{v}");
    assert_eq!(v["checked"], 18); // 3 outputs × 2 inputs × 3 sources
    assert_eq!(v["variables"], serde_json::json!(["x", "y"]));
}

#[test]
fn check_exits_one_with_the_table_when_an_entry_cannot_be_verified() {
    // On the pole of 1/(x − y), no finite difference can vouch for the derivative.
    let out = weifen()
        .args(["check", "1/(x - y)", "--at", "x=1,y=1"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let table = String::from_utf8(out.stdout).unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(table.contains("unverified: non-finite"), "{table}");
    assert!(
        err.starts_with("error:") && err.contains("could not be verified"),
        "{err}"
    );
}

#[test]
fn check_json_lists_each_unverified_entry_and_still_exits_one() {
    let out = weifen()
        .args(["check", "sqrt(x)", "--at", "0", "--json"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], false);
    let unverified = v["unverified"].as_array().unwrap();
    assert_eq!(unverified.len(), 3, "{v}"); // forward, reverse, symbolic
    assert!(unverified.iter().all(|u| u["input"] == "x"), "{v}");
}

#[test]
fn check_rejects_a_negative_or_non_finite_tolerance() {
    let err = fails(&["check", "x", "--at", "1", "--atol", "-1"], 2);
    assert!(err.contains("--atol -1") && err.contains("≥ 0"), "{err}");
    let err = fails(&["check", "x", "--at", "1", "--rtol", "nan"], 2);
    assert!(err.contains("--rtol"), "{err}");
}

#[test]
fn check_of_a_formula_without_variables_says_so() {
    let err = fails(&["check", "3", "--at", ""], 2);
    assert!(err.contains("no variables"), "{err}");
}
