//! Symbolic differentiation: formulas parsed, differentiated, simplified, printed and
//! compiled.
//!
//! An [`Expr`] is a node of a hash-consed DAG: equal subexpressions are one node, and an
//! `Expr` is a `Copy` id into an arena owned by the thread (no context to pass around; ids
//! are a topological order, so every walk is a loop, not a recursion). `Expr` implements
//! [`Scalar`](crate::Scalar), so the derivative of each op is the op table's own rule
//! evaluated on expressions, and [`Expr::diff`] memoises per node: the derivative's size
//! grows linearly with the DAG's. Nodes are simplified as they are built (see
//! [Simplification](#simplification) for the rules and the domains they change).
//!
//! Why an arena of `Copy` ids rather than `Rc` nodes interned through a weak table: a clone
//! is free (no reference count), equality is an integer comparison, memo tables are keyed by
//! integers, and dropping a deep expression cannot overflow the stack. The price is memory:
//! nodes live as long as the thread (about 60 bytes each, [`store_len`] counts them).
//!
//! ```
//! use weifen::symbolic::{Expr, Formula};
//! use weifen::{forward, ScalarFn};
//!
//! let f: Expr = "(-2*x^2 + 4*x + 1)*exp(-x^2/2)".parse().unwrap();
//! let df = f.diff("x");
//! // f′(x) = (2x³ − 4x² − 5x + 4)·exp(−x²/2), by hand.
//! let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
//! let at = df.eval(&[("x", 1.3)]).unwrap();
//! assert!((at - exact(1.3)).abs() < 1e-15);
//!
//! // The parsed formula is a function every method can differentiate.
//! let formula = Formula::new(&[f], &["x"]).unwrap();
//! assert!((forward::derivative(|x| formula.eval(x), 1.3) - at).abs() < 1e-15);
//! ```
//!
//! ## The expression language
//!
//! Numbers (`2`, `0.5`, `1.5e-3`), the constants `pi` and `e`, variables (identifiers such
//! as `x`, `x_1`, `theta`), `+ - * /` (left-associative), `^` or `**` (right-associative,
//! tighter than a sign: `-x^2` is `-(x^2)`, `2^-x` is `2^(-x)`), parentheses, and calls of
//! every op by its name in the [op table](crate::ops) (`sin(x)`, `atan2(y, x)`, `pow(a, b)`)
//! or an alias (`log` = `ln`, `expm1`, `log1p`). A constant exponent makes `powi` (integer,
//! exact at 0) or `powf`; a variable one makes `pow`. There is no implicit multiplication.
//!
//! ## Simplification
//!
//! Each node is simplified as it is built, by local rules (each looks at most two levels
//! down, so building stays O(1) per node): constants fold (`+ − ×` always; `÷` and the
//! elementary functions only when the result is an integer or a short decimal, so `sin(2)`
//! and `1/3` stay as written); `0` and `1` identities; like terms (`2*x + x → 3*x`) and like
//! powers (`x^2*x → x^3`, `x^3/x → x^2`); signs move outwards (`a + -b → a - b`,
//! `-(a - b) → b - a`) and into constant factors; constants go first in products and last
//! in sums; `x/2 → 0.5*x` (a power of two: exact); `e^x → exp(x)`, `recip(x) → 1/x`.
//!
//! Values do not change where the original is defined (to rounding: `(p/q)/r → p/(q*r)`
//! reassociates), but these rules **extend the domain**: `x - x → 0` and `0*x → 0` (NaN
//! before for infinite `x`), `x/x → 1`, `0/x → 0`, `x*(1/x) → 1`, `x^n/x^n → 1` (NaN before
//! at `x = 0`); and `p/q/r → p/(q*r)` can overflow where the original did not (the
//! derivative of `atan2` prints as `y/hypot(y, x)^2`).

mod compile;
mod define;
mod diff;
mod display;
mod error;
mod eval;
mod expr;
mod functions;
mod kernels;
mod latex;
mod lexer;
mod parse;
mod simplify;
mod store;

pub use compile::{BLOCK, Program};
pub use define::{DefineError, define};
pub use diff::{derivative, gradient, hessian, jacobian, nth_derivative};
pub use display::{Cse, cse};
pub use error::{EvalError, ParseError, ParseErrorKind};
pub use eval::Formula;
pub use expr::{Expr, ExprKind};
pub use parse::MAX_DEPTH;
pub use store::store_len;
