//! The `weifen` binary, run as a user would.

use assert_cmd::Command;

fn weifen() -> Command {
    Command::cargo_bin("weifen").expect("the weifen binary is built")
}

#[test]
fn demo_prints_forward_trace_ending_in_x3() {
    let out = weifen()
        .arg("demo")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    // Each intermediate with its tangent: v4 = v1 + v2 = 3 with tangent 1, v5 = 9 with tangent 3.
    assert!(out.contains("v4   v1 + v2           3        1"), "{out}");
    assert!(out.contains("v5   v4 · v3           9        3"), "{out}");
    assert!(out.contains("∂y/∂x1 = v̇5 = 3"), "{out}");
}

#[test]
fn demo_prints_reverse_trace_with_adjoints() {
    let out = weifen()
        .arg("demo")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("v5   v4 · v3           9        1"), "{out}");
    assert!(
        out.contains("x̄1 = 3, x̄2 = 3 (= x3), x̄3 = 3 (= x1 + x2)"),
        "{out}"
    );
}

#[test]
fn demo_prints_seed_jacobian_with_shape() {
    let out = weifen()
        .arg("demo")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("shape (2, 3)"), "{out}");
    assert!(out.contains("[[2, 1, 0], [0, 3, 2]]"), "{out}");
    assert!(out.contains("f(x) = [3, 6]"), "{out}");
}

#[test]
fn demo_prints_the_symbolic_derivative_of_the_seed() {
    let out = weifen()
        .arg("demo")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("f'(x) = exp(-0.5*x^2)*(-4*x + 4) - (-2*x^2 + 4*x + 1)*exp(-0.5*x^2)*x"),
        "{out}"
    );
    assert!(out.contains("t1 = x^2; t2 = exp(-0.5*t1);"), "{out}");
}

#[test]
fn fails_with_unknown_subcommand_and_exit_code_2() {
    let assert = weifen().arg("differentiate-everything").assert().code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(err.contains("unrecognized subcommand"), "{err}");
}
