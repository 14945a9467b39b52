//! Helpers shared by the integration tests' modules.

mod functions;
pub mod pipeline;
pub mod suite;
mod tree;

pub use functions::rosenbrock;
pub use tree::{Tree, close, tree};
