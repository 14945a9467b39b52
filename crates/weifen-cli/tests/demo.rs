//! The `weifen` binary, run as a user would.

use assert_cmd::Command;

fn weifen() -> Command {
    Command::cargo_bin("weifen").expect("the weifen binary is built")
}

/// What `weifen demo` prints, after checking that it succeeds (its files go to a temporary
/// directory).
fn demo_output() -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = weifen()
        .args(["demo", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("the demo prints UTF-8")
}

#[test]
fn demo_prints_forward_trace_ending_in_x3() {
    let out = demo_output();
    // Each intermediate with its tangent: v4 = v1 + v2 = 3 with tangent 1, v5 = 9 with tangent 3.
    assert!(out.contains("v4   v1 + v2           3        1"), "{out}");
    assert!(out.contains("v5   v4 · v3           9        3"), "{out}");
    assert!(out.contains("∂y/∂x1 = v̇5 = 3"), "{out}");
}

#[test]
fn demo_prints_reverse_trace_with_adjoints() {
    let out = demo_output();
    assert!(out.contains("v5   v4 · v3           9        1"), "{out}");
    assert!(
        out.contains("x̄1 = 3, x̄2 = 3 (= x3), x̄3 = 3 (= x1 + x2)"),
        "{out}"
    );
}

#[test]
fn demo_prints_seed_jacobian_with_shape() {
    let out = demo_output();
    assert!(out.contains("shape (2, 3)"), "{out}");
    assert!(out.contains("[[2, 1, 0], [0, 3, 2]]"), "{out}");
    assert!(out.contains("f(x) = [3, 6]"), "{out}");
}

#[test]
fn demo_prints_the_symbolic_derivative_of_the_seed() {
    let out = demo_output();
    assert!(
        out.contains(
            "f'(x) = 4*exp(-0.5*x^2) - 4*x*exp(-0.5*x^2) - x*exp(-0.5*x^2)*(4*x - 2*x^2 + 1)"
        ),
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

/// The error column of the demo's finite-difference row for `name`.
fn fd_error(out: &str, name: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("no {name} row in {out}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    fields[fields.len() - 2].parse().expect("an error value")
}

#[test]
fn demo_prints_difference_formulas_whose_errors_fall_with_their_order() {
    let out = demo_output();
    let forward = fd_error(&out, "forward");
    let central = fd_error(&out, "central");
    let five = fd_error(&out, "five-point");
    let richardson = fd_error(&out, "richardson");
    assert!(
        forward > central && central > five && five > richardson,
        "{out}"
    );
    assert!(
        richardson < 1e-12 && fd_error(&out, "complex step") < 1e-14,
        "{out}"
    );
}

#[test]
fn demo_writes_plots_printout_and_comparison_table_into_out() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("nested").join("demo");
    let out = weifen()
        .args(["demo", "--out"])
        .arg(&out_dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for file in ["autograd.png", "steps.png"] {
        let bytes = std::fs::read(out_dir.join(file)).expect("the plot was written");
        assert!(bytes.starts_with(b"\x89PNG"), "{file}");
        assert!(bytes.len() > 10_000, "{file} looks blank");
    }
    let text = std::fs::read_to_string(out_dir.join("demo.txt")).unwrap();
    assert_eq!(text, out);
    assert!(
        out.contains("reference (symbolic) = -2.09022610505345"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("complex-step")), "{out}");
}

#[test]
fn demo_fails_with_exit_1_when_out_cannot_be_created() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = weifen()
        .args(["demo", "--out"])
        .arg(file.join("sub"))
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("--out"), "{err}");
}

/// The largest error the demo prints after `label` (`… largest error 8.9e-16`).
fn largest_error(out: &str, label: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line with {label}: {out}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn demo_prints_the_tensor_autograd_results() {
    let out = demo_output();
    // f′ and f″ of the seed on 1000 points by tensor autograd, against their closed forms.
    assert!(largest_error(&out, "f′ on 1000 points") < 1e-13, "{out}");
    assert!(largest_error(&out, "f″ by grad") < 1e-12, "{out}");
    assert!(
        out.contains("shape [2, 3]: [[2.0, 1.0, 0.0], [0.0, 3.0, 2.0]]"),
        "{out}"
    );
}
