//! `weifen diff`: one derivative, by any method, or the derivative formula itself.

use crate::error::{CliError, Result};
use crate::point::Point;
use crate::{args, formula, json};
use serde_json::{Map, Value, json};
use std::io::Write;
use weifen::method::{self, Method};
use weifen::symbolic::Expr;

/// `weifen diff EXPR [--wrt VAR] [--at VAR=VALUE,...] [--order K] [--method METHOD] [--json]`
#[derive(clap::Args)]
pub struct Args {
    /// The formula, e.g. "x^2*sin(x)", or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    expr: String,
    /// The variable to differentiate by (default: the formula's only variable).
    #[arg(long)]
    wrt: Option<String>,
    /// The point, as x=1,y=2 or as values in the variables' order; without it, the
    /// derivative is printed as a formula.
    #[arg(long, allow_hyphen_values = true)]
    at: Option<String>,
    /// The variables' order, e.g. x,y,z (default: natural order, x2 before x10).
    #[arg(long)]
    vars: Option<String>,
    /// The derivative order.
    #[arg(long, default_value_t = 1)]
    order: usize,
    #[arg(long, default_value = "auto", help = crate::args::method_help())]
    method: Method,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// The validated request.
struct Config {
    expr: Expr,
    var: String,
    point: Point,
    order: usize,
    method: Method,
    json: bool,
}

impl Config {
    fn new(args: Args) -> Result<Config> {
        let expr = formula::parse(&formula::source(&args.expr)?)?;
        let point = Point::resolve(
            std::slice::from_ref(&expr),
            args.vars.as_deref(),
            args.at.as_deref(),
        )?;
        let var = args::wrt(args.wrt.as_deref(), &point)?;
        let order = args::order(args.order)?;
        if point.values.is_none() && !matches!(args.method, Method::Symbolic | Method::Auto) {
            return Err(CliError::Input(format!(
                "--method {} computes a number at a point; add --at {var}=VALUE (without \
                 --at, diff prints the symbolic derivative)",
                args.method
            )));
        }
        Ok(Config {
            expr,
            var,
            point,
            order,
            method: args.method,
            json: args.json,
        })
    }
}

/// Runs `weifen diff`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let c = Config::new(args)?;
    let label = format!("d{}/d{}{}", power(c.order), c.var, power(c.order));
    if c.point.values.is_none() {
        let d = c.expr.nth_diff(&c.var, c.order);
        if c.json {
            let mut v = object(&c, "symbolic");
            v["derivative_expression"] = Value::from(d.to_string());
            json::print(out, &v)?;
        } else {
            writeln!(out, "{label} {} = {d}", c.expr)?;
        }
        return Ok(());
    }
    let bindings = c.point.bindings();
    let d = method::derivative(&c.expr, &c.var, &bindings, c.order, c.method)?;
    if c.json {
        let mut v = object(&c, d.method.name());
        v["value"] = json::num(d.value);
        v["derivative"] = json::num(d.derivative);
        v["error_estimate"] = json::opt(d.error);
        v["evaluations"] = d.evaluations.map_or(Value::Null, Value::from);
        v["status"] = Value::from(d.status.name());
        if let Some(w) = args::warning(&d.status) {
            v["warning"] = Value::from(w);
        }
        if let Some(e) = d.expression {
            v["derivative_expression"] = Value::from(e.to_string());
        }
        return Ok(json::print(out, &v)?);
    }
    let at: Vec<String> = bindings
        .iter()
        .map(|(n, x)| format!("{n} = {}", args::num(*x)))
        .collect();
    writeln!(out, "at {}, by {}:", at.join(", "), d.method)?;
    if let Some(e) = d.expression {
        writeln!(out, "  {label} f = {e}")?;
    }
    writeln!(out, "  f = {}", args::num(d.value))?;
    writeln!(
        out,
        "  {} = {}",
        args::prime(c.order),
        args::num(d.derivative)
    )?;
    if let (Some(err), Some(n)) = (d.error, d.evaluations) {
        writeln!(out, "  error estimate = {err:.1e}, evaluations of f = {n}")?;
    }
    if let Some(w) = args::warning(&d.status) {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}

/// The JSON object with every key, the results still null.
fn object(c: &Config, method: &str) -> Value {
    let at: Map<String, Value> = c
        .point
        .bindings()
        .into_iter()
        .map(|(n, x)| (n.to_string(), json::num(x)))
        .collect();
    json!({
        "expression": c.expr.to_string(),
        "variable": c.var,
        "order": c.order,
        "method": method,
        "at": at,
        "value": null,
        "derivative": null,
        "error_estimate": null,
        "evaluations": null,
        "status": null,
        "derivative_expression": null,
    })
}

/// `""` for 1, `"²"`-style superscripts written as `^k` otherwise.
fn power(order: usize) -> String {
    if order == 1 {
        String::new()
    } else {
        format!("^{order}")
    }
}
