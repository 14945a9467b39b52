//! The command's edge cases: what a user meets off the easy path gets a clear answer or a
//! clear message, never a hang or Rust debug output.

mod common;

use common::{fails, stdout, weifen};
use std::time::Duration;

#[test]
fn plot_over_the_whole_double_range_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.svg");
    weifen()
        .args(["plot", "x", "--from", "0", "--to", "1.7976931348623157e308"])
        .args(["--points", "2", "-o"])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    assert!(path.exists());
}

#[test]
fn plot_of_values_near_the_largest_double_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.svg");
    weifen()
        .args([
            "plot", "x*1e308", "--from", "-1", "--to", "1", "--points", "3", "-o",
        ])
        .arg(&path)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
}

#[test]
fn plot_rejects_an_interval_wider_than_the_largest_double() {
    let err = fails(
        &[
            "plot", "x", "--from", "-1e308", "--to", "1e308", "-o", "a.svg",
        ],
        2,
    );
    assert!(err.contains("wider than the largest number"), "{err}");
    assert!(err.contains("-1e308"), "{err}");
}

#[test]
fn plot_into_a_missing_directory_names_the_path_without_debug_output() {
    let err = fails(
        &[
            "plot",
            "x",
            "--from",
            "0",
            "--to",
            "1",
            "-o",
            "/no/such/dir/a.png",
        ],
        1,
    );
    assert!(err.contains("cannot write /no/such/dir/a.png"), "{err}");
    assert!(!err.contains("IoError") && !err.contains("Os {"), "{err}");
}

#[test]
fn diff_of_a_constant_with_a_plain_value_says_the_formula_has_no_variables() {
    let err = fails(&["diff", "3", "--at", "1"], 2);
    assert!(
        err.contains("no variables") && err.contains("--at x=1"),
        "{err}"
    );
    assert!(!err.contains("(, in this order)"), "{err}");
}

#[test]
fn diff_of_a_constant_at_a_named_point_is_zero() {
    let out = stdout(&["diff", "3", "--at", "x=1"]);
    assert!(out.contains("f' = 0"), "{out}");
}

#[test]
fn diff_accepts_bindings_for_variables_the_formula_does_not_use() {
    let out = stdout(&["diff", "x", "--at", "x=1,y=2"]);
    assert!(out.contains("f' = 1"), "{out}");
}

#[test]
fn diff_with_an_empty_wrt_asks_for_a_variable_name() {
    let err = fails(&["diff", "x*y", "--at", "x=1,y=2", "--wrt", ""], 2);
    assert!(err.contains("--wrt \"\" is not a variable name"), "{err}");
    assert!(!err.contains("does not use ;"), "{err}");
}

#[test]
fn plain_values_of_the_wrong_count_are_counted_in_words() {
    let err = fails(&["diff", "x", "--at", "1,2"], 2);
    assert!(
        err.contains("2 values") && err.contains("one variable, x"),
        "{err}"
    );
    let err = fails(&["diff", "x", "--at", ""], 2);
    assert!(err.contains("no values"), "{err}");
}

#[test]
fn richardson_above_its_order_limit_points_to_exact_methods() {
    let err = fails(
        &[
            "diff",
            "sin(x)",
            "--at",
            "1",
            "--order",
            "8",
            "--method",
            "richardson",
        ],
        2,
    );
    assert!(
        err.contains("order 1 to 4") && err.contains("forward"),
        "{err}"
    );
}

#[test]
fn a_difference_that_cannot_vouch_for_its_value_says_so() {
    let v = common::json(&[
        "diff", "1/x", "--at", "1e-8", "--method", "central", "--json",
    ]);
    assert_eq!(v["status"], "no-convergence", "{v}");
    assert_eq!(v["error_estimate"], "inf", "{v}");
    let out = stdout(&["diff", "1/x", "--at", "1e-8", "--method", "central"]);
    assert!(
        out.contains("warning:") && out.contains("exact method"),
        "{out}"
    );
    assert!(!out.contains("NoConvergence"), "{out}");
}

#[test]
fn grad_and_jacobian_pass_on_what_a_numeric_estimate_says_about_itself() {
    let out = stdout(&[
        "grad",
        "sqrt(x) + y",
        "--at",
        "x=0,y=1",
        "--method",
        "richardson",
    ]);
    assert!(out.contains("warning: f is not finite"), "{out}");
    let v = common::json(&[
        "grad",
        "x*y",
        "--at",
        "1,2",
        "--method",
        "richardson",
        "--json",
    ]);
    assert_eq!(v["status"], "ok", "{v}");
    let out = stdout(&[
        "jacobian",
        "[abs(x), y]",
        "--at",
        "0,1",
        "--method",
        "complex-step",
    ]);
    assert!(
        out.contains("warning: the complex step went through abs"),
        "{out}"
    );
}
