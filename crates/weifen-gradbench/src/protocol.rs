//! One message in, one response out.

use crate::evals;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The response to one line of input, as a JSON value.
pub fn respond(line: &str) -> Value {
    let message: Value = match serde_json::from_str(line) {
        Ok(message) => message,
        Err(e) => return failure(Value::Null, format!("the line is not JSON: {e}")),
    };
    let id = message.get("id").cloned().unwrap_or(Value::Null);
    if !(id.is_u64() || id.is_i64()) {
        return failure(id, "the message has no integer field \"id\"".into());
    }
    let kind = message.get("kind").and_then(Value::as_str);
    match kind {
        Some("start") => json!({ "id": id, "tool": "weifen" }),
        Some("define") => match field_str(&message, "module") {
            Ok(module) if evals::find(module).is_some() => json!({ "id": id, "success": true }),
            Ok(module) => failure(
                id,
                format!("weifen does not implement the module {module:?}"),
            ),
            Err(e) => failure(id, e),
        },
        Some("evaluate") => match evaluate(&message) {
            Ok((output, timings)) => json!({
                "id": id,
                "success": true,
                "output": output,
                "timings": timings,
            }),
            Err(e) => failure(id, e),
        },
        Some("analysis") | Some("end") => json!({ "id": id }),
        Some(other) => failure(id, format!("unknown message kind {other:?}")),
        None => failure(id, "the message has no string field \"kind\"".into()),
    }
}

fn failure(id: Value, error: String) -> Value {
    json!({ "id": id, "success": false, "error": error })
}

fn field_str<'a>(message: &'a Value, name: &str) -> Result<&'a str, String> {
    message
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the message has no string field {name:?}"))
}

/// How many repetitions an input asks for: at least `min_runs`, and until `min_seconds`
/// have accumulated (both optional: one run by default).
fn repetitions(input: &Value) -> Result<(u64, Duration), String> {
    let runs = match input.get("min_runs") {
        None => 1,
        Some(v) => v
            .as_u64()
            .ok_or_else(|| format!("\"min_runs\" must be a non-negative integer, not {v}"))?,
    };
    let seconds = match input.get("min_seconds") {
        None => 0.0,
        Some(v) => v
            .as_f64()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| format!("\"min_seconds\" must be a non-negative number, not {v}"))?,
    };
    Ok((runs.max(1), Duration::from_secs_f64(seconds.min(3600.0))))
}

fn evaluate(message: &Value) -> Result<(Value, Vec<Value>), String> {
    let module = field_str(message, "module")?;
    let function = field_str(message, "function")?;
    let input = message
        .get("input")
        .ok_or("the message has no field \"input\"")?;
    let eval = evals::find(module)
        .ok_or_else(|| format!("weifen does not implement the module {module:?}"))?;
    let (min_runs, min_time) = repetitions(input)?;

    let start = Instant::now();
    let mut prepared = (eval.prepare)(function, input)?;
    let mut timings = vec![timing("prepare", start.elapsed())];

    let mut total = Duration::ZERO;
    let mut runs = 0;
    while runs < min_runs || total < min_time {
        let start = Instant::now();
        prepared.run();
        let elapsed = start.elapsed();
        total += elapsed;
        runs += 1;
        timings.push(timing("evaluate", elapsed));
    }
    Ok((prepared.output(), timings))
}

fn timing(name: &str, elapsed: Duration) -> Value {
    let nanoseconds = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
    json!({ "name": name, "nanoseconds": nanoseconds })
}
