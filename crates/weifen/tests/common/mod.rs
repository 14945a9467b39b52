//! Helpers shared by the integration tests. Each test binary compiles this module and uses
//! only part of it, hence the allowances.
#![allow(dead_code, unused_imports)]

mod functions;
pub mod pipeline;
pub mod suite;
mod tree;

pub use functions::rosenbrock;
pub use tree::{Tree, close, tree};
