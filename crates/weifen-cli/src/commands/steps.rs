//! `weifen steps`: the finite-difference error against the step size, for each scheme (the
//! seed's caution: too large a step truncates, too small a step rounds).

use crate::chart::{self, Chart, Series};
use crate::error::{CliError, Result};
use crate::point::Point;
use crate::{args, formula, json};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use weifen::ScalarFn;
use weifen::method::{self, Method, Slice};
use weifen::numeric::{self, SchemeStudy, StudyParams};
use weifen::symbolic::Expr;

/// `weifen steps EXPR --at VAR=VALUE [-o FILE] [--json]`
#[derive(clap::Args)]
pub struct Args {
    /// The formula, or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    expr: String,
    /// The point, as x=1.3 (or x=1,y=2 with --wrt).
    #[arg(long, allow_hyphen_values = true)]
    at: String,
    /// The variable to differentiate by (default: the formula's only variable).
    #[arg(long)]
    wrt: Option<String>,
    /// The derivative order.
    #[arg(long, default_value_t = 1)]
    order: usize,
    /// Also draw the log-log error curves into this .png or .svg file.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

/// Runs `weifen steps`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let expr: Expr = formula::parse(&formula::source(&args.expr)?)?;
    let point = Point::resolve(std::slice::from_ref(&expr), None, Some(&args.at))?;
    let var = args::wrt(args.wrt.as_deref(), &point)?;
    let order = args::order(args.order)?;
    if let Some(path) = &args.output {
        chart::check_extension(path, "-o")?;
    }
    let bindings = point.bindings();
    let (reference, study, x) = study(&expr, &var, &bindings, order)?;
    if let Some(path) = &args.output {
        draw(
            &study,
            path,
            &format!("{} of {expr} at {var} = {x}", args::prime(order)),
        )?;
    }
    if args.json {
        let schemes: Vec<Value> = study
            .iter()
            .map(|s| {
                let points: Vec<Value> = s
                    .steps
                    .iter()
                    .zip(&s.errors)
                    .map(|(&h, &e)| json!([json::num(h), json::num(e)]))
                    .collect();
                json!({
                    "scheme": s.scheme.name(),
                    "optimal_h": json::num(s.optimal_step),
                    "points": points,
                })
            })
            .collect();
        let v = json!({ "reference": json::num(reference), "schemes": schemes });
        return Ok(json::print(out, &v)?);
    }
    writeln!(
        out,
        "{} at {var} = {x}: reference (forward mode) = {reference}",
        args::prime(order)
    )?;
    writeln!(
        out,
        "{:<12} {:>12} {:>12} {:>14}",
        "scheme", "optimal h", "best h", "error at best"
    )?;
    for s in &study {
        let best = s
            .errors
            .iter()
            .copied()
            .filter(|e| e.is_finite())
            .fold(f64::INFINITY, f64::min);
        writeln!(
            out,
            "{:<12} {:>12.1e} {:>12.1e} {:>14.1e}",
            s.scheme.name(),
            s.optimal_step,
            s.best_step,
            best
        )?;
    }
    if let Some(path) = &args.output {
        writeln!(out, "wrote {}", path.display())?;
    }
    Ok(())
}

/// The reference (forward mode), the study of every named scheme, and the point.
pub fn study(
    expr: &Expr,
    var: &str,
    at: &[(&str, f64)],
    order: usize,
) -> Result<(f64, Vec<SchemeStudy>, f64)> {
    // Forward mode (Taylor jets): exact to rounding and fast at any order, where the
    // symbolic derivative grows with the order.
    let reference = method::derivative(expr, var, at, order, Method::Forward)?.derivative;
    let slice = Slice::new(expr, var, at)?;
    let x = slice.x();
    let params = StudyParams {
        order,
        ..StudyParams::default()
    };
    let study = numeric::step_study(|x| slice.eval(x), x, reference, &params)
        .map_err(|e| CliError::Input(e.to_string()))?;
    Ok((reference, study, x))
}

/// The log-log error curves, each scheme's optimal step marked.
pub fn draw(study: &[SchemeStudy], path: &std::path::Path, what: &str) -> Result<()> {
    let series = study
        .iter()
        .map(|s| Series {
            name: format!("{} (optimal h = {:.1e})", s.scheme.name(), s.optimal_step),
            points: s
                .steps
                .iter()
                .zip(&s.errors)
                // An error of exactly 0 has no logarithm: floor it at 1e-18.
                .map(|(&h, &e)| (h.log10(), e.max(1e-18).log10()))
                .collect(),
            marker: Some(s.optimal_step.log10()),
        })
        .collect();
    let chart = Chart {
        title: format!("finite-difference error against the step: {what}"),
        x_label: "step h".to_string(),
        y_label: "|error|".to_string(),
        log: true,
        series,
    };
    chart::draw(&chart, path)
}
