//! `weifen plot`: a formula and its derivative on one chart, like the seed's autograd.png.

use crate::chart::{self, Chart, Series};
use crate::error::{CliError, Result};
use crate::point::Point;
use crate::{args, formula};
use std::io::Write;
use std::path::PathBuf;
use weifen::method::{self, Method};
use weifen::symbolic::Expr;

/// `weifen plot EXPR [--wrt VAR] [--from A] [--to B] [--points N] [--order K] [--method METHOD] [-o FILE]`
#[derive(clap::Args)]
pub struct Args {
    /// The formula, or - to read it from standard input.
    #[arg(allow_hyphen_values = true)]
    expr: String,
    /// The variable on the horizontal axis (default: the formula's only variable).
    #[arg(long)]
    wrt: Option<String>,
    /// Values of the other variables, as y=1,z=2.
    #[arg(long, allow_hyphen_values = true)]
    at: Option<String>,
    /// The left end of the interval.
    #[arg(long, default_value_t = -5.0, allow_hyphen_values = true)]
    from: f64,
    /// The right end of the interval.
    #[arg(long, default_value_t = 5.0, allow_hyphen_values = true)]
    to: f64,
    /// The number of points.
    #[arg(long, default_value_t = 400)]
    points: usize,
    /// The derivative order.
    #[arg(long, default_value_t = 1)]
    order: usize,
    #[arg(long, default_value = "auto", help = crate::args::method_help())]
    method: Method,
    /// The image to write: .png or .svg.
    #[arg(short, long, default_value = "plot.png")]
    output: PathBuf,
}

/// The most points a plot evaluates.
const MAX_POINTS: usize = 1_000_000;

/// The validated request.
pub struct Config {
    /// The formula.
    pub expr: Expr,
    /// The variable on the horizontal axis.
    pub var: String,
    /// The values of the other variables.
    pub others: Vec<(String, f64)>,
    /// The interval.
    pub from: f64,
    /// The interval.
    pub to: f64,
    /// The number of points.
    pub points: usize,
    /// The derivative order.
    pub order: usize,
    /// The method.
    pub method: Method,
    /// The image file.
    pub output: PathBuf,
}

impl Config {
    fn new(a: Args) -> Result<Config> {
        let expr = formula::parse(&formula::source(&a.expr)?)?;
        let point = Point::resolve(std::slice::from_ref(&expr), None, None)?;
        let var = args::wrt(a.wrt.as_deref(), &point)?;
        let mut others = Vec::new();
        for entry in a.at.iter().flat_map(|s| s.split(',')) {
            let Some((n, v)) = entry.split_once('=') else {
                return Err(CliError::Input(format!(
                    "--at {entry}: name the value, as y=1 (the plotted variable {var} runs \
                     over --from..--to)"
                )));
            };
            if n.trim() != var {
                others.push((n.trim().to_string(), crate::point::number(v.trim())?));
            }
        }
        if !(a.from.is_finite() && a.to.is_finite() && a.from < a.to) {
            return Err(CliError::Input(format!(
                "--from {} --to {}: the interval must be finite with --from below --to",
                args::num(a.from),
                args::num(a.to)
            )));
        }
        if !(a.to - a.from).is_finite() {
            return Err(CliError::Input(format!(
                "--from {} --to {}: the interval is wider than the largest number (about \
                 1.8e308); plot a narrower one",
                args::num(a.from),
                args::num(a.to)
            )));
        }
        if !(2..=MAX_POINTS).contains(&a.points) {
            return Err(CliError::Input(format!(
                "--points {}: use 2 to {MAX_POINTS} points",
                a.points
            )));
        }
        chart::check_extension(&a.output, "-o")?;
        Ok(Config {
            expr,
            var,
            others,
            from: a.from,
            to: a.to,
            points: a.points,
            order: args::order(a.order)?,
            method: a.method,
            output: a.output,
        })
    }
}

/// Runs `weifen plot`.
pub fn run(args: Args, out: &mut impl Write) -> Result<()> {
    let c = Config::new(args)?;
    let (worst, method) = draw(&c)?;
    writeln!(
        out,
        "wrote {}: f and {} on {} points of [{}, {}]",
        c.output.display(),
        args::prime(c.order),
        c.points,
        args::num(c.from),
        args::num(c.to)
    )?;
    writeln!(
        out,
        "largest |{method} − symbolic| over the points: {worst:.1e}"
    )?;
    Ok(())
}

/// Evaluates `f` and its derivative by the method at every point, draws them, and returns
/// the largest difference from the symbolic derivative and the method used (`auto` resolved).
pub fn draw(c: &Config) -> Result<(f64, Method)> {
    let xs: Vec<f64> = (0..c.points)
        .map(|k| c.from + (c.to - c.from) * k as f64 / (c.points - 1) as f64)
        .collect();
    let mut at: Vec<(&str, f64)> = vec![(c.var.as_str(), c.from)];
    at.extend(c.others.iter().map(|(n, v)| (n.as_str(), *v)));
    let results = method::derivative_along(&c.expr, &c.var, &at, &xs, c.order, c.method)?;
    // The reference: the symbolic derivative, built and compiled once.
    let exact = method::derivative_along(&c.expr, &c.var, &at, &xs, c.order, Method::Symbolic)?;
    let method = results.first().map_or(c.method, |r| r.method);
    let (mut f, mut d) = (Vec::new(), Vec::new());
    let mut worst = 0.0f64;
    for ((&x, r), reference) in xs.iter().zip(&results).zip(&exact) {
        let gap = (r.derivative - reference.derivative).abs();
        if gap.is_finite() {
            worst = worst.max(gap);
        }
        f.push((x, r.value));
        d.push((x, r.derivative));
    }
    let mut title = format!("f({}) = {}", c.var, c.expr);
    if title.chars().count() > 70 {
        title = title.chars().take(69).collect::<String>() + "…";
    }
    let chart = Chart {
        title,
        x_label: c.var.clone(),
        y_label: "value".to_string(),
        log: false,
        series: vec![
            Series {
                name: format!("f({})", c.var),
                points: f,
                marker: None,
            },
            Series {
                name: format!("{}({}) by {method}", args::prime(c.order), c.var),
                points: d,
                marker: None,
            },
        ],
    };
    chart::draw(&chart, &c.output)?;
    Ok((worst, method))
}
