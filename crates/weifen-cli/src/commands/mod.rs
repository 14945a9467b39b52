//! One module per subcommand: its arguments, their validation, and its output.

mod autograd;
pub mod check;
pub mod compare;
pub mod demo;
pub mod diff;
pub mod grad;
pub mod jacobian;
pub mod plot;
pub mod steps;
pub mod trace;
