//! Helpers shared by the integration tests' modules.

mod functions;
pub mod pipeline;
pub mod suite;
mod tree;

pub use functions::rosenbrock;
pub use tree::{Tree, close, tree};

/// The special values element-wise code must carry through: signed zeros, infinities,
/// NaN, subnormals, huge values, the edges of `exp`'s range, and ±1.
pub const SPECIAL_VALUES: [f64; 13] = [
    0.0,
    -0.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    5e-324,
    -1e-310,
    1e300,
    -1e300,
    709.0,
    -745.0,
    1.0,
    -1.0,
];
