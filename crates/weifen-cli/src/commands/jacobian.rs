//! `weifen jacobian`: the Jacobian of a list of formulas at a point.

use super::grad::vector;
use crate::error::Result;
use crate::point::Point;
use crate::{formula, json};
use serde_json::{Value, json};
use std::io::Write;
use weifen::method::{self, Method};
use weifen::symbolic::Expr;

/// `weifen jacobian "[EXPR, EXPR, ...]" --at VAR=VALUE,... [--method METHOD] [--sparse] [--json]`
#[derive(clap::Args)]
pub struct Args {
    /// The outputs, e.g. "[x^2 + y, y*z]", or - to read them from standard input.
    #[arg(allow_hyphen_values = true)]
    exprs: String,
    /// The point, as x=1,y=2 or as values in the variables' order.
    #[arg(long, allow_hyphen_values = true)]
    at: String,
    /// The variables' order, e.g. x,y,z (default: natural order, x2 before x10).
    #[arg(long)]
    vars: Option<String>,
    #[arg(long, default_value = "auto", help = crate::args::method_help())]
    method: Method,
    /// Detect the Jacobian's sparsity, colour it and compute it with one sweep per colour
    /// (forward or reverse: --method, or the cheaper for auto); print the nonzeros and the
    /// colours.
    #[arg(long)]
    sparse: bool,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `weifen jacobian`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let exprs = formula::parse_list(&formula::source(&args.exprs)?)?;
    let point = Point::resolve(&exprs, args.vars.as_deref(), Some(&args.at))?;
    let (vars, x) = (point.vars(), point.values.clone().unwrap_or_default());
    if args.sparse {
        return sparse(&exprs, &vars, &x, args.method, args.json, out);
    }
    let j = method::jacobian(&exprs, &vars, &x, args.method)?;
    let m = &j.jacobian;
    if args.json {
        let v = json!({
            "variables": vars,
            "method": m.method.name(),
            "values": json::nums(&j.values),
            "jacobian": json::matrix(&m.value),
            "error_estimate": m.error.as_ref().map_or(Value::Null, json::matrix),
            "evaluations": m.evaluations,
            "status": m.status.name(),
        });
        return Ok(json::print(out, &v)?);
    }
    let names: Vec<String> = exprs.iter().map(ToString::to_string).collect();
    writeln!(
        out,
        "f({}) = [{}] at {}, by {}:",
        vars.join(", "),
        names.join(", "),
        vector(&x),
        m.method
    )?;
    writeln!(out, "  f = {}", vector(&j.values))?;
    writeln!(
        out,
        "  J, shape ({}, {}) (one row per output):",
        m.value.nrows(),
        m.value.ncols()
    )?;
    for row in m.value.outer_iter() {
        writeln!(out, "    {}", vector(&row.to_vec()))?;
    }
    if let Some(n) = m.evaluations {
        writeln!(out, "  evaluations of f = {n}")?;
    }
    if let Some(w) = crate::args::warning(&m.status) {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}

/// `weifen jacobian --sparse`: the values, then the sparse Jacobian with its pattern and
/// colours.
fn sparse(
    exprs: &[Expr],
    vars: &[&str],
    x: &[f64],
    method: Method,
    as_json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let values = crate::sparse::values(exprs, vars, x)?;
    let j = crate::sparse::jacobian(exprs, vars, x, method)?;
    if as_json {
        let v = json!({
            "variables": vars,
            "values": json::nums(&values),
            "jacobian_sparse": j.json(),
        });
        return Ok(json::print(out, &v)?);
    }
    let names: Vec<String> = exprs.iter().map(ToString::to_string).collect();
    writeln!(
        out,
        "f({}) = [{}] at {}:",
        vars.join(", "),
        names.join(", "),
        vector(x)
    )?;
    writeln!(out, "  f = {}", vector(&values))?;
    j.write(out, "J", |i| format!("f{i}"), |k| vars[k].to_string())
}
