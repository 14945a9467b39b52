//! Which second derivatives of each op can be nonzero: the one place where the pattern
//! tracer looks at op identities.
//!
//! This is a facet of each op (like its name or its rule) and belongs in the op table; until
//! the table declares it, it is derived here from the `Unary`/`Binary` values, by exhaustive
//! `match`es so that a new op does not compile without a decision.

use crate::ops::{Binary, Unary};

/// How a unary op `y = op(x)` passes dependence on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnaryCurvature {
    /// `op′ ≡ 0` (by the op table's convention): `y` depends on no input (`sign`, `x⁰`).
    Constant,
    /// `op″ ≡ 0`: `y` has the dependence and the second-order pairs of `x` (`−x`, `|x|`,
    /// whose second derivative is 0 by the convention `sign′ = 0`).
    Linear,
    /// `op″` may be nonzero: every pair of inputs `x` depends on interacts.
    Nonlinear,
}

/// Which second partials of a binary op `y = op(a, b)` may be nonzero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BinaryCurvature {
    /// `∂²y/∂a²`
    pub aa: bool,
    /// `∂²y/∂a∂b`
    pub ab: bool,
    /// `∂²y/∂b²`
    pub bb: bool,
}

impl BinaryCurvature {
    const fn new(aa: bool, ab: bool, bb: bool) -> Self {
        BinaryCurvature { aa, ab, bb }
    }
}

/// The curvature class of a unary op.
pub(crate) fn unary(op: Unary) -> UnaryCurvature {
    use UnaryCurvature::{Constant, Linear, Nonlinear};
    match op {
        Unary::Neg
        | Unary::Abs
        | Unary::AddConst(_)
        | Unary::MulConst(_)
        | Unary::DivConst(_)
        | Unary::ConstSub(_) => Linear,
        Unary::Sign => Constant,
        Unary::Powi(0) => Constant,
        Unary::Powi(1) => Linear,
        Unary::Powi(_) => Nonlinear,
        Unary::Powf(0.0) => Constant,
        Unary::Powf(1.0) => Linear,
        Unary::Powf(_) => Nonlinear,
        Unary::Recip
        | Unary::Sqrt
        | Unary::Cbrt
        | Unary::Exp
        | Unary::Exp2
        | Unary::ExpM1
        | Unary::Ln
        | Unary::Log2
        | Unary::Log10
        | Unary::Ln1p
        | Unary::Sin
        | Unary::Cos
        | Unary::Tan
        | Unary::Asin
        | Unary::Acos
        | Unary::Atan
        | Unary::Sinh
        | Unary::Cosh
        | Unary::Tanh
        | Unary::Asinh
        | Unary::Acosh
        | Unary::Atanh
        | Unary::Erf
        | Unary::Sech
        | Unary::OneMinusSquare
        | Unary::ConstDiv(_)
        | Unary::Custom(_) => Nonlinear,
    }
}

/// The second partials of a binary op that may be nonzero. Every binary op depends on both
/// operands (no partial is identically zero).
pub(crate) fn binary(op: Binary) -> BinaryCurvature {
    match op {
        // min and max are piecewise linear: their partials are constants (½ ± sign(b − a)/2).
        Binary::Add | Binary::Sub | Binary::Min | Binary::Max => {
            BinaryCurvature::new(false, false, false)
        }
        Binary::Mul => BinaryCurvature::new(false, true, false),
        // a/b: linear in a, ∂²/∂a∂b = −1/b², ∂²/∂b² = 2a/b³.
        Binary::Div => BinaryCurvature::new(false, true, true),
        Binary::Pow | Binary::Atan2 | Binary::Hypot => BinaryCurvature::new(true, true, true),
    }
}
