//! The evals this tool implements, one module each.
//!
//! An eval's `prepare` reads a function's input into the eval's own types (timed as
//! `prepare`, outside the measured runs), and returns a [`Prepared`] computation that the
//! protocol runs as often as the input asks, timing each run; its output is converted to
//! JSON once, after the runs.

mod ba;
mod descent;
mod det;
mod gmm;
mod hello;
mod ht;
mod kmeans;
mod llsq;
mod lse;
mod lstm;
mod ode;
mod particle;
mod saddle;

use serde_json::Value;

/// A computation ready to run on a parsed input.
pub trait Prepared {
    /// Computes the function once (the timed part); later runs repeat the same work.
    fn run(&mut self);
    /// The output of the last run, as the eval expects it.
    fn output(&self) -> Value;
}

/// Reads a function's name and input into a computation, or says what was wrong.
pub type Prepare = fn(function: &str, input: &Value) -> Result<Box<dyn Prepared>, String>;

/// One eval module.
pub struct Eval {
    /// The module's name, as GradBench spells it.
    pub name: &'static str,
    /// Prepares one of the module's functions.
    pub prepare: Prepare,
}

/// Every eval this tool implements.
pub const ALL: &[Eval] = &[
    Eval {
        name: "hello",
        prepare: hello::prepare,
    },
    Eval {
        name: "lse",
        prepare: lse::prepare,
    },
    Eval {
        name: "llsq",
        prepare: llsq::prepare,
    },
    Eval {
        name: "det",
        prepare: det::prepare,
    },
    Eval {
        name: "kmeans",
        prepare: kmeans::prepare,
    },
    Eval {
        name: "gmm",
        prepare: gmm::prepare,
    },
    Eval {
        name: "lstm",
        prepare: lstm::prepare,
    },
    Eval {
        name: "ba",
        prepare: ba::prepare,
    },
    Eval {
        name: "ht",
        prepare: ht::prepare,
    },
    Eval {
        name: "ode",
        prepare: ode::prepare,
    },
    Eval {
        name: "particle",
        prepare: particle::prepare,
    },
    Eval {
        name: "saddle",
        prepare: saddle::prepare,
    },
];

/// The eval of a module name.
pub fn find(name: &str) -> Option<&'static Eval> {
    ALL.iter().find(|e| e.name == name)
}

/// Whether a function of an eval's `primal`/`gradient` pair is the gradient.
pub fn wants_gradient(module: &str, function: &str) -> Result<bool, String> {
    match function {
        "primal" => Ok(false),
        "gradient" => Ok(true),
        _ => Err(unknown_function(module, function)),
    }
}

/// The output of an eval's `primal`/`gradient` pair.
pub enum Output {
    /// `f(x)`.
    Primal(f64),
    /// `∇f(x)`.
    Gradient(Vec<f64>),
}

impl Output {
    /// As the eval expects it: a number or a list of numbers.
    pub fn to_json(&self) -> Value {
        match self {
            Output::Primal(y) => serde_json::json!(y),
            Output::Gradient(g) => serde_json::json!(g),
        }
    }
}

/// An error naming the function an eval does not have.
pub fn unknown_function(module: &str, function: &str) -> String {
    format!("the module {module:?} has no function {function:?}")
}

/// Reads a JSON number, naming the field when it is not one.
pub fn number(value: &Value, what: &str) -> Result<f64, String> {
    value
        .as_f64()
        .ok_or_else(|| format!("{what} must be a number, not {value}"))
}

/// Reads `input[field]`, naming the field when it is missing.
pub fn field<'a>(input: &'a Value, field: &str) -> Result<&'a Value, String> {
    input
        .get(field)
        .ok_or_else(|| format!("the input has no field {field:?}"))
}

/// Reads `input[field]` as an array of numbers, naming the field (and the entry) at fault.
pub fn numbers(input: &Value, name: &str) -> Result<Vec<f64>, String> {
    let array = field(input, name)?
        .as_array()
        .ok_or_else(|| format!("the input's {name:?} must be an array of numbers"))?;
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_f64()
                .ok_or_else(|| format!("{name}[{i}] must be a number, not {v}"))
        })
        .collect()
}

/// Reads `input[field]` as an array of equally long arrays of numbers, flattened row by
/// row; returns the rows' count and length.
pub fn matrix(input: &Value, name: &str) -> Result<(Vec<f64>, usize, usize), String> {
    let rows = field(input, name)?
        .as_array()
        .ok_or_else(|| format!("the input's {name:?} must be an array of arrays of numbers"))?;
    let cols = rows.first().and_then(Value::as_array).map_or(0, Vec::len);
    let mut flat = Vec::with_capacity(rows.len() * cols);
    for (i, row) in rows.iter().enumerate() {
        let row = row
            .as_array()
            .ok_or_else(|| format!("{name}[{i}] must be an array of numbers, not {row}"))?;
        if row.len() != cols {
            return Err(format!(
                "{name}[{i}] has {} entries where {name}[0] has {cols}",
                row.len()
            ));
        }
        for (j, v) in row.iter().enumerate() {
            flat.push(
                v.as_f64()
                    .ok_or_else(|| format!("{name}[{i}][{j}] must be a number, not {v}"))?,
            );
        }
    }
    Ok((flat, rows.len(), cols))
}

/// Reads `input[field]` as a non-negative integer.
pub fn count(input: &Value, name: &str) -> Result<usize, String> {
    let v = field(input, name)?;
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("the input's {name:?} must be a non-negative integer, not {v}"))
}

/// Helpers for the evals' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::Prepare;
    use serde_json::Value;

    /// One run of a function on an input, its output as the eval would receive it.
    pub fn run_once(prepare: Prepare, function: &str, input: &Value) -> Value {
        let mut p = prepare(function, input).unwrap();
        p.run();
        p.output()
    }

    /// A JSON list of numbers.
    pub fn floats(v: &Value) -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    }
}
