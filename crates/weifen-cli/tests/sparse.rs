//! `weifen grad --hessian --sparse` and `weifen jacobian --sparse`: the pattern, the colours
//! and the values, checked against the dense matrices the same binary prints.

mod common;
use common::{fails, json, num, stdout};
use serde_json::Value;

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array().expect("a list").iter().map(num).collect()
}

fn dense(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("rows").iter().map(numbers).collect()
}

fn positions(v: &Value) -> Vec<(usize, usize)> {
    v.as_array()
        .expect("a list of positions")
        .iter()
        .map(|p| {
            (
                p[0].as_u64().unwrap() as usize,
                p[1].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

/// The sparse matrix agrees with the dense one: same values at its positions, zeros
/// elsewhere.
fn agrees(sparse: &Value, dense: &[Vec<f64>]) {
    let pos = positions(&sparse["nonzeros"]);
    let values = numbers(&sparse["values"]);
    assert_eq!(pos.len(), values.len());
    for (i, row) in dense.iter().enumerate() {
        for (j, &d) in row.iter().enumerate() {
            let got = pos
                .iter()
                .position(|&p| p == (i, j))
                .map_or(0.0, |k| values[k]);
            assert!((got - d).abs() < 1e-12, "({i}, {j}): {got} against {d}");
        }
    }
}

const CHAIN: &str = "sin(p)*q + q^2*r + r*exp(s) + s*t";

#[test]
fn sparse_hessian_matches_the_dense_one_and_its_colouring_is_proper() {
    let at = "p=0.5,q=1.5,r=-1,s=0.25,t=2";
    let sparse = json(&["grad", CHAIN, "--at", at, "--hessian", "--sparse", "--json"]);
    let full = json(&[
        "grad",
        CHAIN,
        "--at",
        at,
        "--hessian",
        "--method",
        "forward",
        "--json",
    ]);
    assert_eq!(sparse["gradient"], full["gradient"]);
    let h = &sparse["hessian_sparse"];
    assert_eq!(h["shape"], serde_json::json!([5, 5]));
    agrees(h, &dense(&full["hessian"]));
    // A chain p – q – r – s – t: a tridiagonal Hessian without ∂²/∂r² and ∂²/∂t² (r and t
    // enter linearly).
    let pos = positions(&h["nonzeros"]);
    assert_eq!(pos.len(), 5 + 2 * 4 - 2);
    assert!(pos.iter().all(|&(i, j)| i.abs_diff(j) <= 1));
    assert_eq!(h["coloring"], "star");
    let colors: Vec<u64> = h["colors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(h["color_count"], 3);
    for &(i, j) in &pos {
        assert!(
            i == j || colors[i] != colors[j],
            "{i} and {j} share a colour"
        );
    }
}

#[test]
fn sparse_hessian_text_names_the_variables() {
    let out = stdout(&[
        "grad",
        "x*y + z^3",
        "--at",
        "x=1,y=2,z=3",
        "--hessian",
        "--sparse",
    ]);
    assert!(out.contains("∇f = [2, 1, 27]"), "{out}");
    assert!(out.contains("H, sparse (3 × 3, 3 nonzeros)"), "{out}");
    assert!(out.contains("colours: x → "), "{out}");
    for line in ["H[x, y] = 1", "H[y, x] = 1", "H[z, z] = 18"] {
        assert!(out.contains(line), "{line} missing in {out}");
    }
}

#[test]
fn sparse_jacobian_matches_the_dense_one_in_every_mode() {
    // A 1-D residual: output i couples inputs i − 1, i, i + 1; three column colours.
    let fs = "[2*u1 - u2 + exp(u1), -u1 + 2*u2 - u3 + exp(u2), -u2 + 2*u3 - u4 + exp(u3), \
              -u3 + 2*u4 - u5 + exp(u4), -u4 + 2*u5 + exp(u5)]";
    let at = "u1=0.1,u2=0.2,u3=0.3,u4=0.4,u5=0.5";
    let full = json(&["jacobian", fs, "--at", at, "--method", "symbolic", "--json"]);
    for (method, coloring) in [
        ("auto", "column"),
        ("forward", "column"),
        ("reverse", "row"),
    ] {
        let v = json(&[
            "jacobian", fs, "--at", at, "--sparse", "--method", method, "--json",
        ]);
        assert_eq!(v["values"], full["values"], "{method}");
        let j = &v["jacobian_sparse"];
        agrees(j, &dense(&full["jacobian"]));
        assert_eq!(j["coloring"], coloring, "{method}");
        assert_eq!(j["color_count"], 3, "{method}");
        assert_eq!(positions(&j["nonzeros"]).len(), 5 + 2 * 4);
    }
}

#[test]
fn sparse_jacobian_text_lists_colours_and_entries() {
    let out = stdout(&[
        "jacobian",
        "[x^2 + y, y*z]",
        "--at",
        "x=1,y=2,z=3",
        "--sparse",
    ]);
    assert!(out.contains("f = [3, 6]"), "{out}");
    assert!(
        out.contains("J, sparse (2 × 3, 4 nonzeros), by forward: 2 colours"),
        "{out}"
    );
    assert!(out.contains("colours: x → "), "{out}");
    for line in [
        "J[f0, x] = 2",
        "J[f0, y] = 1",
        "J[f1, y] = 3",
        "J[f1, z] = 2",
    ] {
        assert!(out.contains(line), "{line} missing in {out}");
    }
}

#[test]
fn fails_with_sparse_without_hessian() {
    let err = fails(&["grad", "x*y", "--at", "x=1,y=2", "--sparse"], 2);
    assert!(err.contains("--hessian"), "{err}");
}

#[test]
fn fails_with_sparse_and_a_finite_difference_method() {
    let err = fails(
        &[
            "grad",
            "x*y",
            "--at",
            "x=1,y=2",
            "--hessian",
            "--sparse",
            "--method",
            "central",
        ],
        2,
    );
    assert!(err.contains("--method central"), "{err}");
    let err = fails(
        &[
            "jacobian", "[x*y]", "--at", "x=1,y=2", "--sparse", "--method", "symbolic",
        ],
        2,
    );
    assert!(err.contains("--method symbolic"), "{err}");
}
