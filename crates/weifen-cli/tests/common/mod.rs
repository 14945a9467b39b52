//! Running the `weifen` binary as a user would.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The built binary.
pub fn weifen() -> Command {
    Command::cargo_bin("weifen").expect("the weifen binary is built")
}

/// The standard output of a successful run.
pub fn stdout(args: &[&str]) -> String {
    let out = weifen()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("UTF-8 output")
}

/// The JSON object a successful run prints.
pub fn json(args: &[&str]) -> Value {
    serde_json::from_str(&stdout(args)).expect("one JSON object")
}

/// The standard error of a run that exits with `code`.
pub fn fails(args: &[&str], code: i32) -> String {
    let out = weifen().args(args).assert().code(code).get_output().clone();
    let err = String::from_utf8(out.stderr).expect("UTF-8 errors");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.starts_with("error:"), "{err}");
    err
}

/// A JSON number as `f64`.
pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number, not {v}"))
}
