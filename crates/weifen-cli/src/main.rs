//! The `weifen` command: differentiation from the command line.
//!
//! `main` only parses the arguments and calls [`run`]; each subcommand lives in its own file
//! under `commands/` and is thin glue over the `weifen` library.

mod commands;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// Differentiation on computers: finite differences, forward and reverse AD, symbolic.
#[derive(Parser)]
#[command(name = "weifen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the worked examples: a forward-mode trace and a Jacobian.
    Demo,
}

fn main() -> ExitCode {
    // clap prints its own message and exits with 2 on bad arguments.
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Demo => commands::demo::run(&mut out)?,
    }
    out.flush()
}
