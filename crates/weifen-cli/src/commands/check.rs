//! `weifen check`: the formula's derivatives by forward, reverse and symbolic
//! differentiation against finite differences (complex step or Richardson), entry by entry.

use crate::error::{CliError, Result};
use crate::point::Point;
use crate::{formula, json};
use serde_json::{Value, json};
use std::io::Write;
use weifen::check::{self, CheckParams, Report};
use weifen::method::{self, Method};
use weifen::symbolic::Formula;

/// `weifen check "EXPR" | "[EXPR, ...]" --at VAR=VALUE,... [--atol A] [--rtol R] [--json]`
#[derive(clap::Args)]
pub struct Args {
    /// The formula, or a list of outputs "[x^2 + y, y*z]", or - to read it from standard
    /// input.
    #[arg(allow_hyphen_values = true)]
    exprs: String,
    /// The point, as x=1,y=2 or as values in the variables' order.
    #[arg(long, allow_hyphen_values = true)]
    at: String,
    /// The variables' order, e.g. x,y,z (default: natural order, x2 before x10).
    #[arg(long)]
    vars: Option<String>,
    /// Absolute tolerance: an entry agrees when |analytic − numeric| ≤ atol + rtol·|numeric|
    /// + the numeric method's own error bound.
    #[arg(long, default_value_t = 1e-8, allow_hyphen_values = true)]
    atol: f64,
    /// Relative tolerance (see --atol).
    #[arg(long, default_value_t = 1e-6, allow_hyphen_values = true)]
    rtol: f64,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `weifen check`: exit 0 when every entry agrees, 1 (after the table) otherwise.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    for (flag, v) in [("--atol", args.atol), ("--rtol", args.rtol)] {
        if !(v >= 0.0 && v.is_finite()) {
            return Err(CliError::Input(format!(
                "{flag} {v}: a tolerance must be a finite number ≥ 0, e.g. {flag} 1e-8"
            )));
        }
    }
    let exprs = formula::parse_list(&formula::source(&args.exprs)?)?;
    let point = Point::resolve(&exprs, args.vars.as_deref(), Some(&args.at))?;
    let (vars, x) = (point.vars(), point.values.clone().unwrap_or_default());
    if vars.is_empty() {
        return Err(CliError::Input(
            "the formula has no variables, so it has no derivatives to check; give a point \
             with a variable: --at x=1"
                .to_string(),
        ));
    }
    let params = CheckParams {
        atol: args.atol,
        rtol: args.rtol,
        ..CheckParams::default()
    };
    let formula = Formula::new(&exprs, &vars).map_err(method::MethodError::from)?;
    let numeric = |e: weifen::numeric::NumericError| CliError::from(method::MethodError::from(e));
    let mut report = check::check_jacobian(&formula, &x, &params).map_err(numeric)?;
    let symbolic = method::jacobian(&exprs, &vars, &x, Method::Symbolic)?;
    let given = check::check_given(&symbolic.jacobian.value, "symbolic", &formula, &x, &params)
        .map_err(numeric)?;
    report.merge(given);
    if args.json {
        json::print(out, &to_json(&vars, &report))?;
    } else {
        let names: Vec<String> = exprs.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "[{}] at {}: forward, reverse and symbolic against finite differences",
            names.join(", "),
            point
                .bindings()
                .iter()
                .map(|(n, v)| format!("{n} = {}", crate::args::num(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        table(out, &vars, &report)?;
    }
    if report.passed() {
        return Ok(());
    }
    Err(CliError::Failure(format!(
        "{} of {} entries disagree with finite differences and {} could not be verified \
         (see the table); loosen --atol/--rtol only if the difference is rounding",
        report.mismatches.len(),
        report.checked,
        report.unverified.len()
    )))
}

/// One line when all agree; else a row per mismatch or unverified entry.
fn table(out: &mut impl Write, vars: &[&str], report: &Report) -> Result<()> {
    if report.passed() {
        writeln!(out, "  all {} entries agree", report.checked)?;
        return Ok(());
    }
    writeln!(
        out,
        "  {:>6} {:>8} {:>10} {:>24} {:>24} {:>9}  reference",
        "output", "input", "analytic", "derivative", "numeric", "error"
    )?;
    for m in &report.mismatches {
        writeln!(
            out,
            "  {:>6} {:>8} {:>10} {:>24} {:>24} {:>9.1e}  {}",
            m.output,
            vars[m.input],
            m.analytic_by,
            crate::args::num(m.analytic),
            crate::args::num(m.numeric),
            m.numeric_error,
            m.numeric_by
        )?;
    }
    for u in &report.unverified {
        writeln!(
            out,
            "  {:>6} {:>8} {:>10} {:>24} {:>24} {:>9}  unverified: {}",
            u.output,
            vars[u.input],
            u.analytic_by,
            crate::args::num(u.analytic),
            "-",
            "-",
            u.status.name()
        )?;
    }
    Ok(())
}

fn to_json(vars: &[&str], report: &Report) -> Value {
    let mismatches: Vec<Value> = report
        .mismatches
        .iter()
        .map(|m| {
            json!({
                "output": m.output,
                "input": vars[m.input],
                "analytic_by": m.analytic_by,
                "analytic": json::num(m.analytic),
                "numeric": json::num(m.numeric),
                "numeric_error": json::num(m.numeric_error),
                "numeric_by": m.numeric_by.name(),
            })
        })
        .collect();
    let unverified: Vec<Value> = report
        .unverified
        .iter()
        .map(|u| {
            json!({
                "output": u.output,
                "input": vars[u.input],
                "analytic_by": u.analytic_by,
                "analytic": json::num(u.analytic),
                "status": u.status.name(),
            })
        })
        .collect();
    json!({
        "variables": vars,
        "checked": report.checked,
        "passed": report.passed(),
        "mismatches": mismatches,
        "unverified": unverified,
    })
}
