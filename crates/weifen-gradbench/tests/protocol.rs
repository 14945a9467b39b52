//! The tool's protocol through the real binary: messages on standard input, one response a
//! line on standard output.

use assert_cmd::Command;
use serde_json::{Value, json};

/// Runs the binary on `messages` (one line each) and returns its responses, asserting that
/// it exits with status 0 at the end of the input.
fn session(messages: &[String]) -> Vec<Value> {
    let mut input = messages.join("\n");
    input.push('\n');
    let output = Command::cargo_bin("weifen-gradbench")
        .unwrap()
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(output.status.success(), "exit status {:?}", output.status);
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn one(message: Value) -> Value {
    let mut r = session(&[message.to_string()]);
    assert_eq!(r.len(), 1);
    r.remove(0)
}

fn error_of(response: &Value) -> &str {
    assert_eq!(response["success"], json!(false), "{response}");
    response["error"]
        .as_str()
        .expect("a failure names its error")
}

fn evaluate_timings(response: &Value) -> usize {
    response["timings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"] == "evaluate" && t["nanoseconds"].is_u64())
        .count()
}

#[test]
fn start_define_and_evaluate_hello() {
    let r = session(&[
        json!({"id": 0, "kind": "start", "eval": "hello"}).to_string(),
        json!({"id": 1, "kind": "define", "module": "hello"}).to_string(),
        json!({"id": 2, "kind": "evaluate", "module": "hello", "function": "double",
               "input": 3.0})
        .to_string(),
    ]);
    assert_eq!(r[0], json!({"id": 0, "tool": "weifen"}));
    assert_eq!(r[1], json!({"id": 1, "success": true}));
    assert_eq!(r[2]["id"], json!(2));
    assert_eq!(r[2]["output"], json!(6.0));
    assert_eq!(evaluate_timings(&r[2]), 1);
}

#[test]
fn llsq_gradient_runs_at_least_min_runs_times() {
    // n = 2, x = (x₀, x₁): y = x₀² + (x₁ − 1)², ∇y = (2x₀, 2x₁ − 2).
    let r = session(&[
        json!({"id": 1, "kind": "define", "module": "llsq"}).to_string(),
        json!({"id": 2, "kind": "evaluate", "module": "llsq", "function": "gradient",
               "input": {"x": [0.5, 2.0], "n": 2, "min_runs": 4, "min_seconds": 0}})
        .to_string(),
    ]);
    assert_eq!(r[0]["success"], json!(true));
    assert_eq!(r[1]["success"], json!(true), "{}", r[1]);
    assert_eq!(r[1]["output"], json!([1.0, 2.0]));
    assert!(evaluate_timings(&r[1]) >= 4);
    let names: Vec<&str> = r[1]["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "prepare");
}

#[test]
fn a_malformed_line_is_answered_and_the_session_goes_on() {
    let r = session(&[
        "{not json".to_string(),
        json!({"id": 7, "kind": "start"}).to_string(),
    ]);
    assert!(error_of(&r[0]).contains("not JSON"));
    assert_eq!(r[1]["tool"], json!("weifen"));
}

#[test]
fn an_unknown_kind_is_named() {
    let r = one(json!({"id": 3, "kind": "explode"}));
    assert_eq!(r["id"], json!(3));
    assert!(error_of(&r).contains("\"explode\""));
}

#[test]
fn a_missing_field_is_named() {
    let r = one(json!({"id": 4, "kind": "evaluate", "module": "lse", "input": {"x": [1.0]}}));
    assert!(error_of(&r).contains("\"function\""));
    let r = one(
        json!({"id": 5, "kind": "evaluate", "module": "lse", "function": "primal",
                       "input": {}}),
    );
    assert!(error_of(&r).contains("\"x\""));
    let r = one(json!({"kind": "start"}));
    assert!(error_of(&r).contains("\"id\""));
}

#[test]
fn an_unknown_module_is_refused_at_define() {
    let r = one(json!({"id": 6, "kind": "define", "module": "nonesuch"}));
    assert_eq!(r["id"], json!(6));
    assert!(error_of(&r).contains("\"nonesuch\""));
}

#[test]
fn an_unknown_function_is_named() {
    let r = one(
        json!({"id": 8, "kind": "evaluate", "module": "det", "function": "inverse",
                       "input": {"A": [1.0], "ell": 1}}),
    );
    assert!(error_of(&r).contains("\"inverse\""));
}

#[test]
fn end_of_input_ends_the_tool_cleanly() {
    assert!(session(&[]).is_empty());
}
