//! `weifen-gradbench`: weifen as a GradBench tool.
//!
//! Reads one JSON message a line from standard input and writes one response a line to
//! standard output ([`weifen_gradbench::protocol::respond`]); blank lines are skipped, and
//! end of input ends the tool with exit status 0.

use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let mut stdout = io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let response = weifen_gradbench::protocol::respond(&line);
        if writeln!(stdout, "{response}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}
