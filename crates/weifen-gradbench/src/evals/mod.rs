//! The evals this tool implements, one module each.
//!
//! An eval's `prepare` reads a function's input into the eval's own types (timed as
//! `prepare`, outside the measured runs), and returns a [`Prepared`] computation that the
//! protocol runs as often as the input asks, timing each run; its output is converted to
//! JSON once, after the runs.

mod ba;
mod hello;
mod ht;

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
        name: "ba",
        prepare: ba::prepare,
    },
    Eval {
        name: "ht",
        prepare: ht::prepare,
    },
];

/// The eval of a module name.
pub fn find(name: &str) -> Option<&'static Eval> {
    ALL.iter().find(|e| e.name == name)
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
