//! `weifen demo`: the worked examples, end to end.

use super::{compare, steps};
use crate::error::CliError;
use ndarray::Array2;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use weifen::method::{self, Backend, Method, TraceRow};
use weifen::symbolic::{self, Expr};
use weifen::{MultivariateFn, Scalar, ScalarFn, VectorFn};

/// `weifen demo [--out DIR]`
#[derive(clap::Args)]
pub struct Args {
    /// The directory to write autograd.png, steps.png and demo.txt into.
    #[arg(long, default_value = "weifen-demo")]
    out: PathBuf,
}

/// Prints every part of the demo, and writes the plots and the printout into `--out`.
pub fn run(args: Args, out: &mut impl Write) -> crate::error::Result<()> {
    std::fs::create_dir_all(&args.out).map_err(|e| {
        CliError::Failure(format!(
            "--out {}: cannot create it: {e}",
            args.out.display()
        ))
    })?;
    let mut text = Vec::new();
    print(&mut text)?;
    writeln!(text)?;
    files(&args.out, &mut text)?;
    let txt = args.out.join("demo.txt");
    std::fs::write(&txt, &text)
        .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", txt.display())))?;
    out.write_all(&text)?;
    Ok(())
}

/// The seed formula, as typed.
const SEED: &str = "(-2*x^2 + 4*x + 1)*exp(-x^2/2)";

/// autograd.png (f, f′ and f″ on 1000 points of [0, 5] by tensor autograd, as the seed did
/// with PyTorch), steps.png (the error against the step at x = 1.3), and the measured
/// comparison table at x = 1.3.
fn files(dir: &Path, out: &mut impl Write) -> crate::error::Result<()> {
    super::autograd::run(dir, out)?;
    let expr: Expr = SEED.parse().expect("the seed formula parses");
    let at = [("x", 1.3)];
    let (_, study, _) = steps::study(&expr, "x", &at, 1)?;
    let path = dir.join("steps.png");
    steps::draw(&study, &path, "f' of the seed at x = 1.3")?;
    writeln!(
        out,
        "Wrote {}: finite-difference error against the step",
        path.display()
    )?;
    writeln!(out)?;
    writeln!(out, "Every method on f′(1.3), measured:")?;
    compare::table(&expr, "x", &at, 1, out)
}

fn print(out: &mut impl Write) -> io::Result<()> {
    forward_trace(out)?;
    writeln!(out)?;
    reverse_trace(out)?;
    writeln!(out)?;
    seed_jacobian(out)?;
    writeln!(out)?;
    finite_differences(out)?;
    writeln!(out)?;
    symbolic_seed(out)
}

/// y = (x1 + x2)·x3, written once for every scalar type: the traces' example.
struct Example;

impl MultivariateFn for Example {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        (x[0].clone() + x[1].clone()) * x[2].clone()
    }
}

/// The trace of the example at (1, 2, 3) seeded with ẋ1 = 1: one recording of dual numbers
/// on a tape, whose rows carry the forward tangents and the reverse adjoints.
fn example_trace() -> io::Result<Vec<TraceRow>> {
    method::trace_fn(&Example, &["x1", "x2", "x3"], &[1.0, 2.0, 3.0], Some("x1"))
        .map_err(io::Error::other)
}

/// The forward-mode worked example: `y = (x1 + x2)·x3` at (1, 2, 3), seeded with ẋ1 = 1.
/// Every number is computed by dual-number arithmetic; the rows name its steps.
fn forward_trace(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "Forward mode: y = (x1 + x2)·x3 at (x1, x2, x3) = (1, 2, 3), seed ẋ1 = 1"
    )?;
    let rows = example_trace()?;
    writeln!(
        out,
        "  {:<4} {:<10} {:>8} {:>8}",
        "v", "operation", "value", "tangent"
    )?;
    for r in &rows {
        writeln!(
            out,
            "  {:<4} {:<10} {:>8} {:>8}",
            r.name, r.operation, r.value, r.tangent
        )?;
    }
    let y = rows.last().expect("the example records operations");
    writeln!(
        out,
        "  y = {} = {}, ∂y/∂x1 = v̇{} = {} (= x3)",
        y.name,
        y.value,
        &y.name[1..],
        y.tangent
    )
}

/// The reverse-mode worked example: the same `y = (x1 + x2)·x3`, recorded on a tape and swept
/// backwards from `ȳ = 1`; the rows are the tape's own listing.
fn reverse_trace(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "Reverse mode: y = (x1 + x2)·x3 at (1, 2, 3), backward sweep from ȳ = 1"
    )?;
    let rows = example_trace()?;
    writeln!(
        out,
        "  {:<4} {:<10} {:>8} {:>8}",
        "v", "operation", "value", "adjoint"
    )?;
    for r in &rows {
        writeln!(
            out,
            "  {:<4} {:<10} {:>8} {:>8}",
            r.name, r.operation, r.value, r.adjoint
        )?;
    }
    let [g1, g2, g3] = [0, 1, 2].map(|i| rows[i].adjoint);
    writeln!(out, "  x̄1 = {g1}, x̄2 = {g2} (= x3), x̄3 = {g3} (= x1 + x2)")
}

/// f(x) = [x0² + x1, x1·x2], written once for every scalar type.
struct SeedMap;

impl VectorFn for SeedMap {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        vec![
            x[0].clone().powi(2) + x[1].clone(),
            x[1].clone() * x[2].clone(),
        ]
    }
}

fn seed_jacobian(out: &mut impl Write) -> io::Result<()> {
    let x = [1.0, 2.0, 3.0];
    let (y, j) = Backend::Forward
        .value_and_jacobian(&SeedMap, &x)
        .map_err(io::Error::other)?;
    let j = j.derivative;
    writeln!(
        out,
        "Jacobian of f(x) = [x0² + x1, x1·x2] at x = {}",
        vector(&x)
    )?;
    writeln!(out, "  f(x) = {}", vector(&y))?;
    writeln!(
        out,
        "  J (forward mode), shape ({}, {}):",
        j.nrows(),
        j.ncols()
    )?;
    writeln!(out, "  {}", matrix(&j))
}

/// The seed parsed as a formula, differentiated symbolically, checked against forward mode
/// on the parsed formula itself.
fn symbolic_seed(out: &mut impl Write) -> io::Result<()> {
    let f: Expr = SEED.parse().expect("the seed formula parses");
    let x = 1.3;
    let by = |m| method::derivative(&f, "x", &[("x", x)], 1, m).map_err(io::Error::other);
    let symbolic = by(Method::Symbolic)?;
    let df = symbolic
        .expression
        .expect("the symbolic method returns its formula");
    writeln!(out, "Symbolic: f(x) = {SEED}")?;
    writeln!(out, "  f'(x) = {df}")?;
    writeln!(
        out,
        "  with common subexpressions named: {}",
        symbolic::cse(std::slice::from_ref(&df))
    )?;
    let by_forward = by(Method::Forward)?.derivative;
    writeln!(
        out,
        "  f'({x}) = {} (forward mode on the parsed formula: {by_forward})",
        symbolic.derivative
    )
}

/// `[1, 2, 3]`
fn vector(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(f64::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// `[[2, 1, 0], [0, 3, 2]]`
fn matrix(m: &Array2<f64>) -> String {
    let rows: Vec<String> = m.outer_iter().map(|r| vector(&r.to_vec())).collect();
    format!("[{}]", rows.join(", "))
}

/// The seed function f(x) = (−2x² + 4x + 1)·exp(−x²/2).
struct Seed;

impl ScalarFn for Seed {
    fn eval<S: Scalar>(&self, x: S) -> S {
        let x2 = x.clone().powi(2);
        (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
    }
}

/// The difference formulas on the seed f at x = 1.3, each at its default step, against the
/// exact derivative; then Richardson extrapolation and the complex step.
fn finite_differences(out: &mut impl Write) -> io::Result<()> {
    let x = 1.3;
    let exact = (2.0 * x * x * x - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0f64).exp();
    writeln!(
        out,
        "Finite differences of f(x) = (−2x² + 4x + 1)·exp(−x²/2) at x = {x}"
    )?;
    writeln!(out, "  exact f′({x}) = {exact:.15}")?;
    writeln!(
        out,
        "  {:<20} {:>20} {:>10} {:>6}",
        "formula", "f′ estimate", "error", "evals"
    )?;
    let methods = [
        ("forward", Method::ForwardDifference),
        ("backward", Method::BackwardDifference),
        ("central", Method::Central),
        ("five-point", Method::FivePoint),
        ("richardson", Method::Richardson),
        ("complex step", Method::ComplexStep),
    ];
    for (name, m) in methods {
        match m.backend().derivative(&Seed, x) {
            Ok(d) => writeln!(
                out,
                "  {name:<20} {:>20.15} {:>10.1e} {:>6}",
                d.derivative,
                (d.derivative - exact).abs(),
                d.evaluations.unwrap_or(0)
            )?,
            Err(e) => writeln!(out, "  {name:<20} failed: {e}")?,
        }
    }
    Ok(())
}
