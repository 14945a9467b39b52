//! The ecosystem's numeric traits for the AD scalar types, so that code written against
//! `num_traits::Float` (or nalgebra's `RealField`, behind the `nalgebra` feature) is
//! differentiated without rewriting.
//!
//! Every method that computes is a [`Scalar`](crate::Scalar) op, so its derivative is the op
//! table's rule: `Float::hypot` is the `hypot` row, `Float::log(b)` is `ln x / ln b`,
//! `mul_add(a, b)` is `x·a + b`. Piecewise-constant functions (`floor`, `ceil`, `round`,
//! `trunc`, `signum`) return a constant (derivative 0, the table's convention for `sign`); on a
//! tape they also record, as guards, the comparisons that fix which piece was taken, so that a
//! replay at inputs where the piece changes is refused rather than wrong. Predicates
//! (`is_nan`, `is_sign_negative`, `classify`, …) and conversions (`to_f64`) read the value.
//!
//! Invariants: constants (`zero`, `one`, `from_f64`, `PI`, `nan`) have zero tangents and no
//! tape; equality and order are by value (as the types' `PartialEq`/`PartialOrd`), which is
//! what `Zero::is_zero`, `Signed::is_positive` and `Bounded` are stated in.
//!
//! `Float` and [`Scalar`](crate::Scalar) both name `sin`, `powf`, `max`…: a function bounded
//! by one of them calls its methods plainly; one bounded by both must name the trait
//! (`Float::sin(x)`). `Scalar::powf` takes an `f64` exponent, `Float::powf` one of the same
//! type (a constant exponent then takes the `powf` row, a variable one the `pow` row).

mod float;
mod lift;
#[cfg(feature = "nalgebra")]
mod nalgebra;
mod num;

pub use lift::FloatReal;
