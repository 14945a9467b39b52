//! `weifen grad` and `weifen jacobian`: multivariate derivatives of typed formulas.

mod common;
use common::{fails, json, num, stdout};
use serde_json::Value;

const METHODS: [&str; 10] = [
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

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("a list").iter().map(num).collect()
}

fn close(a: &[f64], b: &[f64], tolerance: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < tolerance)
}

#[test]
fn grad_agrees_across_every_method() {
    // f = x·y² + sin z: ∇f = (y², 2xy, cos z)
    let exact = [9.0, 12.0, 1.0];
    for method in METHODS {
        let v = json(&[
            "grad",
            "x*y^2 + sin(z)",
            "--at",
            "x=2,y=3,z=0",
            "--method",
            method,
            "--json",
        ]);
        assert_eq!(v["variables"], serde_json::json!(["x", "y", "z"]));
        assert_eq!(num(&v["value"]), 18.0);
        let g = numbers(&v["gradient"]);
        assert!(close(&g, &exact, 1e-6), "{method}: {g:?}");
        assert!(v.get("hessian").is_none());
    }
}

#[test]
fn grad_hessian_by_exact_and_central_methods() {
    // H = [[0, 2y, 0], [2y, 2x, 0], [0, 0, −sin z]] at (2, 3, 0)
    let exact = [0.0, 6.0, 0.0, 6.0, 4.0, 0.0, 0.0, 0.0, 0.0];
    for method in [
        "symbolic",
        "forward",
        "reverse",
        "richardson",
        "central",
        "auto",
    ] {
        let v = json(&[
            "grad",
            "x*y^2 + sin(z)",
            "--at",
            "2,3,0",
            "--hessian",
            "--method",
            method,
            "--json",
        ]);
        let h: Vec<f64> = v["hessian"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(numbers)
            .collect();
        assert!(close(&h, &exact, 1e-5), "{method}: {h:?}");
    }
}

#[test]
fn grad_fails_with_a_hessian_the_method_cannot_give() {
    let err = fails(
        &[
            "grad",
            "x*y",
            "--at",
            "1,2",
            "--hessian",
            "--method",
            "complex-step",
        ],
        2,
    );
    assert!(err.contains("Hessians"), "{err}");
}

#[test]
fn grad_prints_the_gradient() {
    let out = stdout(&["grad", "x*y", "--at", "x=2,y=5"]);
    assert!(out.contains("∇f = [5, 2]"), "{out}");
}

#[test]
fn grad_fails_naming_the_variable_without_a_value() {
    let err = fails(&["grad", "x*y", "--at", "x=2"], 2);
    assert!(err.contains("y has no value"), "{err}");
    let err = fails(&["grad", "x*y", "--at", "2"], 2);
    assert!(
        err.contains("--at has 1 value, but the formula has 2 variables"),
        "{err}"
    );
}

#[test]
fn jacobian_has_one_row_per_output_by_every_method() {
    let exact = [2.0, 1.0, 0.0, 0.0, 3.0, 2.0];
    for method in METHODS {
        let v = json(&[
            "jacobian",
            "[x^2 + y, y*z]",
            "--at",
            "1,2,3",
            "--method",
            method,
            "--json",
        ]);
        assert_eq!(numbers(&v["values"]), vec![3.0, 6.0]);
        let rows = v["jacobian"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        let j: Vec<f64> = rows.iter().flat_map(numbers).collect();
        assert!(close(&j, &exact, 1e-6), "{method}: {j:?}");
    }
}

#[test]
fn jacobian_prints_its_shape() {
    let out = stdout(&["jacobian", "[x^2 + y, y*z]", "--at", "x=1,y=2,z=3"]);
    assert!(out.contains("shape (2, 3)"), "{out}");
    assert!(out.contains("[0, 3, 2]"), "{out}");
}

#[test]
fn jacobian_underlines_the_bad_output_in_the_list() {
    let err = fails(&["jacobian", "[x + 1, sinn(x)]", "--at", "1"], 2);
    assert!(err.contains("unknown function \"sinn\""), "{err}");
    assert!(err.contains("  [x + 1, sinn(x)]\n          ^^^^"), "{err}");
}
