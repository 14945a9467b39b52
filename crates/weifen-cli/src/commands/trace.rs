//! `weifen trace`: the evaluation trace of a formula, forward (tangents) or reverse
//! (adjoints), as recorded by the library's tape.

use crate::error::{CliError, Result};
use crate::json;
use serde_json::{Value, json};
use std::io::Write;
use weifen::method;

/// Which sweep to show.
#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum Mode {
    /// Tangents v̇ = ∂v/∂x along the variable of --wrt.
    Forward,
    /// Adjoints v̄ = ∂y/∂v from ȳ = 1.
    Reverse,
}

/// `weifen trace EXPR --at VAR=VALUE,... (--mode forward --wrt VAR | --mode reverse) [--json]`
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: crate::args::FormulaAt,
    /// forward (with --wrt) or reverse.
    #[arg(long, value_enum)]
    mode: Mode,
    /// The variable seeded with tangent 1 in forward mode.
    #[arg(long)]
    wrt: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `weifen trace`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let (expr, point) = args.input.load()?;
    let wrt = match (args.mode, args.wrt.as_deref()) {
        (Mode::Forward, None) => {
            let first = point.names.first().map_or("x", String::as_str);
            return Err(CliError::Input(format!(
                "--mode forward needs the variable to seed; add --wrt {first}"
            )));
        }
        (Mode::Reverse, Some(_)) => {
            return Err(CliError::Input(
                "--wrt seeds a forward sweep; reverse mode gives every adjoint at once: drop \
                 --wrt, or use --mode forward"
                    .to_string(),
            ));
        }
        (_, w) => w,
    };
    if let Some(w) = wrt
        && !point.names.iter().any(|n| n == w)
    {
        return Err(CliError::Input(format!(
            "--wrt {w}: not a variable of the formula ({})",
            point.names.join(", ")
        )));
    }
    let x = point.values.clone().unwrap_or_default();
    let rows = method::trace(&expr, &point.vars(), &x, wrt)?;
    let (mode, column) = match args.mode {
        Mode::Forward => ("forward", "tangent"),
        Mode::Reverse => ("reverse", "adjoint"),
    };
    let pick = |r: &method::TraceRow| match args.mode {
        Mode::Forward => r.tangent,
        Mode::Reverse => r.adjoint,
    };
    if args.json {
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "name": r.name,
                    "operation": r.operation,
                    "value": json::num(r.value),
                    column: json::num(pick(r)),
                })
            })
            .collect();
        return Ok(json::print(out, &json!({ "mode": mode, "rows": rows }))?);
    }
    let seed = match wrt {
        Some(w) => format!("seed {w}̇ = 1"),
        None => "backward sweep from ȳ = 1".to_string(),
    };
    writeln!(out, "{mode} mode: y = {expr}, {seed}")?;
    let width = rows
        .iter()
        .map(|r| r.operation.chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    writeln!(
        out,
        "  {:<6} {:<width$} {:>20} {:>20}",
        "v", "operation", "value", column
    )?;
    for r in &rows {
        writeln!(
            out,
            "  {:<6} {:<width$} {:>20} {:>20}",
            r.name,
            r.operation,
            crate::args::num(r.value),
            crate::args::num(pick(r))
        )?;
    }
    Ok(())
}
