//! The `weifen` command: differentiation from the command line.
//!
//! `main` only calls [`run`]: the arguments are parsed by clap into one struct per
//! subcommand, each subcommand validates them into its configuration and runs, in its own
//! file under `commands/`, as thin glue over the `weifen` library. Errors are [`CliError`]s:
//! bad input exits with 2 (like clap's usage errors), a failure while running with 1.

mod args;
mod chart;
mod commands;
mod define;
mod error;
mod formula;
mod json;
mod point;
mod sparse;

use clap::{Parser, Subcommand};
use error::CliError;
use std::io::Write;
use std::process::ExitCode;

/// Differentiation on computers: finite differences, forward and reverse AD, symbolic.
#[derive(Parser)]
#[command(name = "weifen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Define a function for the formulas, as NAME(X) = BODY (repeatable); every method
    /// differentiates it through its symbolic derivative.
    #[arg(long, global = true, value_name = "NAME(X)=BODY")]
    define: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// The derivative of a formula (of order K), by any method, or as a formula.
    Diff(commands::diff::Args),
    /// The gradient (and Hessian) of a formula at a point.
    Grad(commands::grad::Args),
    /// The Jacobian of a list of formulas at a point.
    Jacobian(commands::jacobian::Args),
    /// Check forward, reverse and symbolic derivatives against finite differences.
    Check(commands::check::Args),
    /// Every method on one derivative: value, error against the symbolic one, cost, time.
    Compare(commands::compare::Args),
    /// The evaluation trace of a formula with forward tangents or reverse adjoints.
    Trace(commands::trace::Args),
    /// The finite-difference error against the step size, for each scheme.
    Steps(commands::steps::Args),
    /// Plot a formula and its derivative (PNG or SVG).
    Plot(commands::plot::Args),
    /// Run the worked examples, writing the plots into a directory.
    Demo(commands::demo::Args),
}

/// The work runs on a thread with a large stack, as a safety net for deep formulas (the
/// library walks expressions with loops, and the parser limits nesting).
const STACK: usize = 256 << 20;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.code()
        }
    }
}

fn run() -> Result<(), CliError> {
    // clap prints its own message and exits with 2 on bad arguments.
    let cli = Cli::parse();
    // A panic is a bug; report it as a failure in one line, without a backtrace.
    std::panic::set_hook(Box::new(|_| {}));
    let worker = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || execute(cli))
        .map_err(|e| CliError::Failure(format!("cannot start: {e}")))?;
    match worker.join() {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("unknown");
            Err(CliError::Failure(format!(
                "internal error (please report it): {what}"
            )))
        }
    }
}

fn execute(cli: Cli) -> Result<(), CliError> {
    define::declare_all(&cli.define)?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Diff(args) => commands::diff::run(args, &mut out)?,
        Command::Grad(args) => commands::grad::run(args, &mut out)?,
        Command::Jacobian(args) => commands::jacobian::run(args, &mut out)?,
        Command::Check(args) => commands::check::run(args, &mut out)?,
        Command::Compare(args) => commands::compare::run(args, &mut out)?,
        Command::Trace(args) => commands::trace::run(args, &mut out)?,
        Command::Steps(args) => commands::steps::run(args, &mut out)?,
        Command::Plot(args) => commands::plot::run(args, &mut out)?,
        Command::Demo(args) => commands::demo::run(args, &mut out)?,
    }
    out.flush()?;
    Ok(())
}
