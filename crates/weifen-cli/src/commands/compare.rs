//! `weifen compare`: the seed's comparison table, measured on the user's formula.

use crate::error::Result;
use crate::{args, json};
use serde_json::{Value, json};
use std::io::Write;
use weifen::method::{self, Comparison};
use weifen::symbolic::Expr;

/// `weifen compare EXPR --at VAR=VALUE [--wrt VAR] [--order K] [--json]`
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: args::FormulaAt,
    /// The variable to differentiate by (default: the formula's only variable).
    #[arg(long)]
    wrt: Option<String>,
    /// The derivative order.
    #[arg(long, default_value_t = 1)]
    order: usize,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `weifen compare`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let (expr, point) = args.input.load()?;
    let var = args::wrt(args.wrt.as_deref(), &point)?;
    let order = args::order(args.order)?;
    let bindings = point.bindings();
    if !args.json {
        return table(&expr, &var, &bindings, order, out);
    }
    let (reference, rows) = method::compare(&expr, &var, &bindings, order)?;
    {
        let methods: Vec<Value> = rows.iter().map(row_json).collect();
        let v = json!({ "reference": json::num(reference), "methods": methods });
        Ok(json::print(out, &v)?)
    }
}

/// Prints the comparison table of every method on the derivative of `expr`.
pub fn table(
    expr: &Expr,
    var: &str,
    bindings: &[(&str, f64)],
    order: usize,
    out: &mut impl Write,
) -> Result<()> {
    let (reference, rows) = method::compare(expr, var, bindings, order)?;
    let at: Vec<String> = bindings
        .iter()
        .map(|(n, x)| format!("{n} = {}", args::num(*x)))
        .collect();
    writeln!(
        out,
        "{} of f = {expr} at {}; reference (symbolic) = {reference}",
        args::prime(order),
        at.join(", ")
    )?;
    writeln!(
        out,
        "{:<20} {:>24} {:>10} {:>10} {:>10} {:>6} {:>10}  vouched",
        "method", "derivative", "abs error", "rel error", "estimate", "evals", "time"
    )?;
    for row in &rows {
        match &row.result {
            Ok(d) => writeln!(
                out,
                "{:<20} {:>24} {:>10.1e} {:>10.1e} {:>10} {:>6} {:>10}  {}",
                row.method.name(),
                args::num(d.derivative),
                row.abs_error,
                row.rel_error,
                d.error.map_or("-".to_string(), |e| format!("{e:.1e}")),
                d.evaluations.map_or("-".to_string(), |n| n.to_string()),
                seconds(row.seconds),
                if row.vouched {
                    "yes".to_string()
                } else {
                    format!("NO ({})", d.status.name())
                }
            )?,
            Err(e) => writeln!(out, "{:<20} unsupported: {e}", row.method.name())?,
        }
    }
    Ok(())
}

fn row_json(row: &Comparison) -> Value {
    match &row.result {
        Ok(d) => json!({
            "method": row.method.name(),
            "derivative": json::num(d.derivative),
            "abs_error": json::num(row.abs_error),
            "rel_error": json::num(row.rel_error),
            "evaluations": d.evaluations,
            "error_estimate": json::opt(d.error),
            "status": d.status.name(),
            "vouched": row.vouched,
            "seconds": json::num(row.seconds),
        }),
        Err(e) => json!({
            "method": row.method.name(),
            "derivative": null,
            "abs_error": null,
            "rel_error": null,
            "evaluations": null,
            "seconds": null,
            "vouched": false,
            "error": e.to_string(),
        }),
    }
}

/// `12.3 µs`, `1.2 ms`
fn seconds(s: f64) -> String {
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}
