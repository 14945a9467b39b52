//! weifen as a GradBench tool: the evals' functions, differentiated by weifen.
//!
//! GradBench's intermediary sends one JSON message a line on standard input and reads one
//! response a line on standard output. The kinds are `start` (answered with the tool's
//! name), `define` (whether this tool implements an eval's module), `evaluate` (run one of
//! the module's functions on an input, repeatedly, and report the output and one timing
//! per repetition) and `analysis` (the eval's verdict on an earlier output, acknowledged).
//! A line this tool cannot read gets `success: false` with an `error` naming what was
//! wrong.
//!
//! [`protocol::respond`] answers one line; the `weifen-gradbench` binary is the loop over
//! standard input around it. [`evals`] holds one module per eval, reachable from tests.

pub mod evals;
pub mod protocol;
