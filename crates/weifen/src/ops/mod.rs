//! The op table: every elementary operation, declared once.
//!
//! [`table.rs`](self) holds one row per op — its names (text, LaTeX), the domain where it is
//! smooth, its `f64` kernel, its derivative rule written **generically in
//! [`Scalar`] operations**, and, where it has one, its Taylor recurrence.
//! Everything else is generated from those rows by one macro (`generate.rs`):
//!
//! * a zero-sized type per op ([`Sin`], [`Tanh`], …; [`Powi`] and the constant-operand ops
//!   carry their constant) implementing [`UnaryOp`] or [`BinaryOp`]. `x.sin()` calls
//!   `x.unary(Sin)`, which every scalar type implements once, generically in the op: the call
//!   is monomorphised per op, so the kernel and the rule are resolved at compile time whatever
//!   the inliner decides;
//! * the run-time enums [`Unary`] and [`Binary`], for what must be chosen or stored at run
//!   time (a parsed formula, a recorded tape, a symbolic node); they implement the same traits
//!   by one `match` over the rows;
//! * the [`Scalar`] methods, the parser's function names and the printers'
//!   names.
//!
//! Because rules are written in `Scalar` operations, evaluating a rule on a dual number
//! differentiates the rule itself: higher orders need no extra code.
//!
//! Rules may use the op's result `y` as well as its argument `x` (`exp′ = y`), which saves
//! recomputing it. They are chosen for floating-point accuracy, not only correctness on paper:
//! `tanh′ = sech²` with `sech` an op of its own (not `1 − tanh²`, which rounds to 0 at x = 20,
//! nor `1/cosh²`, whose own derivative overflows to ∞/∞), `asin′ = 1/√((1−x)(1+x))` (not
//! `1/√(1−x²)`, which loses digits near 1), `asinh′ = 1/hypot(x, 1)` (no overflow).
//!
//! Conventions at kinks (the same as PyTorch and JAX):
//! `|x|′(0) = 0`, `sign′ = 0`, `min`/`max` split the derivative evenly on a tie (½ to each
//! argument), `sqrt′(0) = +∞`. NaN propagates.
//!
//! Users add ops of their own with [`custom_unary!`](crate::custom_unary): see [`custom`].

#[macro_use]
mod generate;
#[macro_use]
mod table;
pub mod custom;
mod domain;
mod notation;
mod reads;
pub mod taylor;

pub use custom::{CustomUnary, Recorder};
pub use domain::Domain;
pub use reads::{derivative_reads_output, partials_read_output};

use crate::Scalar;
use std::f64::consts::{FRAC_2_SQRT_PI, LN_2, LN_10};

/// The name(s) and smooth domain of a unary op.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnarySpec {
    /// The name used by printing, the parser and the command line.
    pub name: &'static str,
    /// Other names the parser accepts (`log` for `ln`).
    pub aliases: &'static [&'static str],
    /// The LaTeX before and after the argument (`\tanh\left(`, `\right)`); empty for the
    /// ops the printer lays out itself (negation, powers, constant operands).
    pub latex: (&'static str, &'static str),
    /// Where the op is smooth.
    pub domain: Domain,
}

/// The name(s) and smooth domain of a binary op.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinarySpec {
    /// The name used by printing, the parser and the command line.
    pub name: &'static str,
    /// Other names the parser accepts (`powi(x, 3)` for `x^3`).
    pub aliases: &'static [&'static str],
    /// The infix symbol in formulas (`+`, `*`) for the ops written between their operands.
    pub infix: Option<&'static str>,
    /// The infix symbol for people (`·`, `−`), as the trace prints it; empty if none.
    pub symbol: &'static str,
    /// The LaTeX of the infix symbol (`\cdot`) or of the function (`\operatorname{atan2}`).
    pub latex: &'static str,
    /// Where the op is smooth in its first argument.
    pub a: Domain,
    /// Where the op is smooth in its second argument.
    pub b: Domain,
    /// Whether the op has a kink where `a == b` (`min`, `max`).
    pub kink_on_tie: bool,
}

/// A unary op `y = op(x)`: a zero-sized type per op of the table (or [`Unary`], chosen at
/// run time). Every facet of the op is here, so a scalar type implements
/// [`Scalar::unary`] once for all ops.
pub trait UnaryOp: Copy + Send + Sync + 'static {
    /// The op as a run-time value (to record or store it).
    fn id(self) -> Unary;
    /// Its names and domain.
    fn spec(self) -> UnarySpec;
    /// The `f64` kernel (IEEE semantics: `ln(−1)` is NaN).
    fn eval(self, x: f64) -> f64;
    /// The derivative rule `dy/dx` for `y = op(x)`, in `Scalar` operations. Outside the op's
    /// domain, where `y` is NaN, so is the derivative.
    fn derivative<S: Scalar>(self, x: &S, y: &S) -> S;
    /// Whether the op is linear (`−x`, `x + c`, `x·c`, `x/c`, `c − x`): its tangent map is
    /// then [`tangent`](UnaryOp::tangent) without the rule.
    #[inline(always)]
    fn is_linear(self) -> bool {
        false
    }
    /// The tangent map `t ↦ t·dy/dx`. Linear ops override it with the op itself (`−t`,
    /// `t·c`), which saves a multiplication by a constant partial at every nested level.
    #[inline(always)]
    fn tangent<S: Scalar>(self, x: &S, y: &S, t: S) -> S {
        t.scale_by(self.derivative(x, y))
    }
    /// `(op(x), dy/dx)` together: for a run-time [`Unary`] one dispatch instead of two (the
    /// tape's replay evaluates both for every node).
    #[inline(always)]
    fn value_and_derivative<S: Scalar>(self, x: &S) -> (S, S) {
        let y = x.clone().unary(self);
        let d = self.derivative(x, &y);
        (y, d)
    }
    /// The Taylor coefficients of `op(x(t))` from those of `x(t)`, where the op has an
    /// `O(n²)` recurrence; `None` means Taylor arithmetic carries the op by its rule.
    #[inline(always)]
    fn taylor<S: Scalar>(self, x: &[S]) -> Option<Vec<S>> {
        let _ = x;
        None
    }
}

/// Code generic over a unary op's type, run by [`Unary::visit`] on an op chosen at run time:
/// one `match` to find the type, then code compiled for that op.
pub trait UnaryVisitor {
    /// What the visit returns.
    type Output;
    /// The visit, with the op as its own type.
    fn visit<O: UnaryOp>(self, op: O) -> Self::Output;
}

/// Code generic over a binary op's type, run by [`Binary::visit`].
pub trait BinaryVisitor {
    /// What the visit returns.
    type Output;
    /// The visit, with the op as its own type.
    fn visit<O: BinaryOp>(self, op: O) -> Self::Output;
}

/// A binary op `y = op(a, b)`; see [`UnaryOp`].
pub trait BinaryOp: Copy + Send + Sync + 'static {
    /// The op as a run-time value.
    fn id(self) -> Binary;
    /// Its names and domain.
    fn spec(self) -> BinarySpec;
    /// The `f64` kernel.
    fn eval(self, a: f64, b: f64) -> f64;
    /// The partial derivatives `(∂y/∂a, ∂y/∂b)`, in `Scalar` operations.
    fn partials<S: Scalar>(self, a: &S, b: &S, y: &S) -> (S, S);
    /// Whether the op is linear (`a + b`, `a − b`).
    #[inline(always)]
    fn is_linear(self) -> bool {
        false
    }
    /// Whether the op is the product `a·b`, whose partials are the other operand's value
    /// (`∂y/∂a = b`, `∂y/∂b = a`): a tape stores the operands' values instead of partials.
    #[inline(always)]
    fn is_product(self) -> bool {
        false
    }
    /// The tangent map `(ta, tb) ↦ ta·∂y/∂a + tb·∂y/∂b`; linear ops override it.
    #[inline(always)]
    fn tangent<S: Scalar>(self, a: &S, b: &S, y: &S, ta: S, tb: S) -> S {
        let (da, db) = self.partials(a, b, y);
        ta.scale_by(da) + tb.scale_by(db)
    }
    /// `(op(a, b), ∂y/∂a, ∂y/∂b)` together: one dispatch for a run-time [`Binary`].
    #[inline(always)]
    fn value_and_partials<S: Scalar>(self, a: &S, b: &S) -> (S, S, S) {
        let y = a.clone().binary(self, b.clone());
        let (da, db) = self.partials(a, b, &y);
        (y, da, db)
    }
    /// The Taylor coefficients of `op(a(t), b(t))`, where the op has a recurrence.
    #[inline(always)]
    fn taylor<S: Scalar>(self, a: &[S], b: &[S]) -> Option<Vec<S>> {
        let _ = (a, b);
        None
    }
}

op_table!(define_ops);

/// `t·d`, or `t` itself when `t` is the constant zero: a zero tangent (no dependence on the
/// seeded input) times an infinite partial is 0, not the NaN of IEEE `0·∞`, so that a
/// derivative that overflows stays ±∞ (the second derivative of `exp` at 800) instead of
/// becoming NaN through the bookkeeping of the directions it does not depend on. Only the
/// tangent is tested: a zero partial times a NaN tangent stays NaN (a derivative undefined
/// upstream), and ops whose derivative is the constant 0 (`sign`) say so by their tangent
/// map. Dual numbers use it in [`Scalar::scale_by`] for their own parts, so a first-order
/// `Dual<f64>` pays nothing (a test on every `f64` product cost a third of the seed's f′);
/// the product itself is [`Scalar::scale_by`], so the rule holds at every level of a
/// nested dual number.
#[inline(always)]
pub fn times<S: Scalar>(t: S, d: S) -> S {
    if t.is_zero() { t } else { t.scale_by(d) }
}

/// `d`, made NaN where the op's value `y` is NaN: outside its domain an op's derivative is
/// NaN like its value (`ln(−1)` and `ln′(−1)`), where the bare formula (`1/x`) would give a
/// number. `sign(y)·0` is ±0 for every non-NaN `y`, infinities included, so it changes nothing
/// inside the domain.
#[inline(always)]
pub(crate) fn nan_where_nan<S: Scalar>(d: S, y: S) -> S {
    d + y.sign() * 0.0
}

/// The bits of an op's constant parameter, for [`Unary`]'s equality and hash.
pub(crate) trait ParamBits: Copy {
    fn bits(self) -> u64;
}

impl ParamBits for i32 {
    fn bits(self) -> u64 {
        u64::from(self as u32)
    }
}

// All NaNs are one parameter (as the symbolic store has all NaN constants be one node).
impl ParamBits for f64 {
    fn bits(self) -> u64 {
        if self.is_nan() {
            f64::NAN.to_bits()
        } else {
            self.to_bits()
        }
    }
}

pub(crate) fn param_bits(p: impl ParamBits) -> u64 {
    p.bits()
}

impl PartialEq for Unary {
    fn eq(&self, other: &Unary) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Unary {}

impl std::hash::Hash for Unary {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

// The run-time enums answer the trait's questions without the trait in scope.
impl Unary {
    /// Its names and domain ([`UnaryOp::spec`]).
    pub fn spec(self) -> UnarySpec {
        UnaryOp::spec(self)
    }
    /// The `f64` kernel ([`UnaryOp::eval`]).
    #[inline(always)]
    pub fn eval(self, x: f64) -> f64 {
        UnaryOp::eval(self, x)
    }
    /// The derivative rule ([`UnaryOp::derivative`]).
    #[inline(always)]
    pub fn derivative<S: Scalar>(self, x: &S, y: &S) -> S {
        UnaryOp::derivative(self, x, y)
    }
}

impl Binary {
    /// Its names and domain ([`BinaryOp::spec`]).
    pub fn spec(self) -> BinarySpec {
        BinaryOp::spec(self)
    }
    /// The `f64` kernel ([`BinaryOp::eval`]).
    #[inline(always)]
    pub fn eval(self, a: f64, b: f64) -> f64 {
        BinaryOp::eval(self, a, b)
    }
    /// The partial derivatives ([`BinaryOp::partials`]).
    #[inline(always)]
    pub fn partials<S: Scalar>(self, a: &S, b: &S, y: &S) -> (S, S) {
        BinaryOp::partials(self, a, b, y)
    }
}
