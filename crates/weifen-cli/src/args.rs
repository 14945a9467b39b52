//! Checks shared by the subcommands: the variable to differentiate, the order.

use crate::error::{CliError, Result};
use crate::formula;
use crate::point::Point;
use weifen::symbolic::Expr;

/// The highest `--order` accepted: symbolic derivatives and Taylor jets grow with the
/// order, and finite differences lose all accuracy long before.
pub const MAX_ORDER: usize = 20;

/// The variable of `--wrt`, or the formula's only variable (variables that only `--at`
/// names are given values but are not candidates: `diff x --at x=1,y=2` differentiates by x).
pub fn wrt(flag: Option<&str>, point: &Point) -> Result<String> {
    let names = &point.names;
    match flag {
        Some(w) if !is_name(w) => Err(CliError::Input(format!(
            "--wrt {w:?} is not a variable name; name the variable to differentiate by, e.g. \
             --wrt {}",
            point.used.first().map_or("x", String::as_str)
        ))),
        Some(w) if names.iter().any(|n| n == w) || names.is_empty() => Ok(w.to_string()),
        Some(w) => Err(CliError::Input(format!(
            "--wrt {w}: the formula does not use {w}; its variables are {} (to differentiate \
             by {w} anyway, give it a value: --at {w}=VALUE)",
            names.join(", ")
        ))),
        None => match (point.used.as_slice(), names.as_slice()) {
            ([one], _) | ([], [one]) => Ok(one.clone()),
            ([], _) => Err(CliError::Input(
                "the formula has no variables, so every derivative is 0; name one with --wrt x \
                 --at x=VALUE"
                    .to_string(),
            )),
            (many, _) => Err(CliError::Input(format!(
                "the formula has several variables ({}); choose one with --wrt {}",
                many.join(", "),
                many[0]
            ))),
        },
    }
}

/// Whether `s` is a variable name: a letter or `_`, then letters, digits or `_`.
fn is_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// `--order`, checked to be in `1..=MAX_ORDER`.
pub fn order(k: usize) -> Result<usize> {
    if k == 0 || k > MAX_ORDER {
        return Err(CliError::Input(format!(
            "--order {k}: the order must be from 1 to {MAX_ORDER}"
        )));
    }
    Ok(k)
}

/// The help of `--method`: the library's list of method names.
pub fn method_help() -> String {
    format!("The method: {}", weifen::method::Method::names())
}

/// `f'`, `f''`, `f'''`, `f^(4)`…
pub fn prime(order: usize) -> String {
    match order {
        1..=3 => format!("f{}", "'".repeat(order)),
        k => format!("f^({k})"),
    }
}

/// A number for people: shortest round-trip digits, in exponent form when very large or
/// very small.
pub fn num(x: f64) -> String {
    let a = x.abs();
    if x.is_finite() && a != 0.0 && !(1e-5..1e16).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// What a finite-difference estimate says about itself, when it is not simply sound.
pub fn warning(status: &weifen::numeric::Status) -> Option<String> {
    match status {
        weifen::numeric::Status::Ok => None,
        other => Some(other.to_string()),
    }
}

/// A formula and a point with every variable given, shared by `grad`, `compare` and `trace`.
#[derive(clap::Args)]
pub struct FormulaAt {
    /// The formula, or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    expr: String,
    /// The point, as x=1,y=2 or as values in the variables' order.
    #[arg(long, allow_hyphen_values = true)]
    at: String,
    /// The variables' order, e.g. x,y,z (default: natural order, x2 before x10).
    #[arg(long)]
    vars: Option<String>,
}

impl FormulaAt {
    /// The parsed formula and its point.
    pub fn load(&self) -> Result<(Expr, Point)> {
        let expr: Expr = formula::parse(&formula::source(&self.expr)?)?;
        let point = Point::resolve(
            std::slice::from_ref(&expr),
            self.vars.as_deref(),
            Some(&self.at),
        )?;
        Ok((expr, point))
    }
}
