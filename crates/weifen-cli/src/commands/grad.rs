//! `weifen grad`: the gradient (and Hessian) of a formula at a point.

use crate::error::{CliError, Result};
use crate::json;
use serde_json::{Value, json};
use std::io::Write;
use weifen::method::{self, Method};

/// `weifen grad EXPR --at VAR=VALUE,... [--method METHOD] [--hessian [--sparse]] [--json]`
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: crate::args::FormulaAt,
    #[arg(long, default_value = "auto", help = crate::args::method_help())]
    method: Method,
    /// Also compute the Hessian.
    #[arg(long)]
    hessian: bool,
    /// With --hessian: detect the Hessian's sparsity, star-colour it and compute it with one
    /// Hessian-vector product per colour; print the nonzeros and the colours.
    #[arg(long, requires = "hessian")]
    sparse: bool,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `weifen grad`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let (expr, point) = args.input.load()?;
    let (vars, x) = (point.vars(), point.values.clone().unwrap_or_default());
    if vars.is_empty() {
        return Err(CliError::Input(
            "the formula has no variables, so its gradient is empty; give a point with a \
             variable: --at x=1"
                .to_string(),
        ));
    }
    let g = method::gradient(&expr, &vars, &x, args.method)?;
    let sparse_h = match args.sparse {
        true => Some(crate::sparse::hessian(&expr, &vars, &x, args.method)?),
        false => None,
    };
    let h = match args.hessian && !args.sparse {
        true => Some(method::hessian(&expr, &vars, &x, args.method)?),
        false => None,
    };
    if args.json {
        let mut v = json!({
            "variables": vars,
            "method": g.method.name(),
            "value": json::num(g.value),
            "gradient": json::nums(&g.gradient),
            "error_estimate": g.error.as_deref().map_or(Value::Null, json::nums),
            "evaluations": g.evaluations,
            "status": g.status.name(),
        });
        if let Some(w) = crate::args::warning(&g.status) {
            v["warning"] = Value::from(w);
        }
        if let Some(h) = &h {
            v["hessian"] = json::matrix(&h.value);
        }
        if let Some(h) = &sparse_h {
            v["hessian_sparse"] = h.json();
        }
        return Ok(json::print(out, &v)?);
    }
    let at: Vec<String> = point
        .bindings()
        .iter()
        .map(|(n, x)| format!("{n} = {}", crate::args::num(*x)))
        .collect();
    writeln!(out, "at {}, by {}:", at.join(", "), g.method)?;
    writeln!(out, "  f = {}", crate::args::num(g.value))?;
    writeln!(out, "  ∇f = {}", vector(&g.gradient))?;
    if let (Some(e), Some(n)) = (&g.error, g.evaluations) {
        let worst = e.iter().fold(0.0f64, |m, v| m.max(*v));
        writeln!(
            out,
            "  error estimate ≤ {worst:.1e}, evaluations of f = {n}"
        )?;
    }
    if let Some(w) = crate::args::warning(&g.status) {
        writeln!(out, "  warning: {w}")?;
    }
    if let Some(h) = h {
        let rows: Vec<String> = h.value.outer_iter().map(|r| vector(&r.to_vec())).collect();
        writeln!(out, "  Hessian ({}) = [{}]", h.method, rows.join(", "))?;
    }
    if let Some(h) = sparse_h {
        let name = |k: usize| vars[k].to_string();
        h.write(out, "H", name, name)?;
    }
    Ok(())
}

/// `[1, 2, 3]`
pub fn vector(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|&x| crate::args::num(x)).collect();
    format!("[{}]", items.join(", "))
}
