//! `weifen-gradbench`: weifen as a GradBench tool.
//!
//! GradBench's intermediary sends one JSON message a line on standard input and reads one
//! response a line on standard output. The kinds are `start` (answered with the tool's
//! name), `define` (whether this tool implements an eval's module), `evaluate` (run one of
//! the module's functions on an input, repeatedly, and report the output and one timing
//! per repetition) and `analysis` (the eval's verdict on an earlier output, acknowledged).
//! A line this tool cannot read gets `success: false` with an `error` naming what was
//! wrong; end of input ends the tool with exit status 0.

mod evals;
mod protocol;

use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let mut stdout = io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let response = protocol::respond(&line);
        if writeln!(stdout, "{response}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}
