//! JSON values for numbers: non-finite numbers become the strings `"inf"`, `"-inf"`, `"nan"`.

use ndarray::Array2;
use serde_json::Value;

/// A number, or its name when it is not finite.
pub fn num(x: f64) -> Value {
    if x.is_finite() {
        serde_json::json!(x)
    } else if x.is_nan() {
        Value::from("nan")
    } else if x > 0.0 {
        Value::from("inf")
    } else {
        Value::from("-inf")
    }
}

/// An optional number (`null` for `None`).
pub fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, num)
}

/// A list of numbers.
pub fn nums(x: &[f64]) -> Value {
    Value::Array(x.iter().map(|&v| num(v)).collect())
}

/// A matrix as a list of rows.
pub fn matrix(m: &Array2<f64>) -> Value {
    Value::Array(m.outer_iter().map(|r| nums(&r.to_vec())).collect())
}

/// Prints one JSON object, pretty, with a final newline.
pub fn print(out: &mut impl std::io::Write, value: &Value) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}
