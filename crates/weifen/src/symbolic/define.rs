//! Ops defined by a formula: `softplus(x) = ln_1p(exp(x))` becomes an op that every method
//! differentiates, through its symbolic derivative.

use super::Expr;
use crate::ops::{CustomUnary, Unary, custom};
use std::fmt;

/// Why a formula cannot become an op.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DefineError {
    /// The name is not an identifier (letters, digits, `_`, not starting with a digit).
    InvalidName(String),
    /// The body uses a variable other than the parameter.
    OtherVariable {
        /// The op's name.
        name: String,
        /// The parameter.
        parameter: String,
        /// The variable the body uses besides it.
        found: String,
    },
    /// The name is a built-in op's, or another op's already.
    Taken(String),
}

impl fmt::Display for DefineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefineError::InvalidName(n) => write!(
                f,
                "`{n}` cannot name a function: use letters, digits and _, starting with a letter"
            ),
            DefineError::OtherVariable {
                name,
                parameter,
                found,
            } => write!(
                f,
                "the body of {name}({parameter}) uses `{found}`; it may use only `{parameter}`"
            ),
            DefineError::Taken(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for DefineError {}

/// Declares the op `name(parameter) = body` and registers its name with the parser, so that
/// later formulas can call it. Its kernel is `body` and its rule `body`'s derivative, each
/// recorded once as a list of table ops: every method differentiates it, and the symbolic
/// method prints it by its name.
///
/// # Errors
/// [`DefineError`] if the name is not an identifier or is taken, or if `body` uses another
/// variable than `parameter`.
///
/// ```
/// use weifen::symbolic::{Expr, define};
///
/// let body: Expr = "ln_1p(exp(t))".parse().unwrap();
/// define("softplus_example", "t", &body).unwrap();
/// let f: Expr = "softplus_example(2*x)".parse().unwrap();
/// assert_eq!(f.diff("x").eval(&[("x", 0.0)]).unwrap(), 1.0); // 2·σ(0)
/// ```
pub fn define(name: &str, parameter: &str, body: &Expr) -> Result<Unary, DefineError> {
    let identifier = |s: &str| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !identifier(name) {
        return Err(DefineError::InvalidName(name.to_string()));
    }
    if let Some(found) = body.variables().into_iter().find(|v| v != parameter) {
        return Err(DefineError::OtherVariable {
            name: name.to_string(),
            parameter: parameter.to_string(),
            found,
        });
    }
    if let Some(existing) = custom::lookup(name) {
        return Err(DefineError::Taken(format!(
            "`{}` is already defined",
            existing.spec().name
        )));
    }
    let derivative = body.diff(parameter);
    // The body uses only the parameter, so evaluation cannot fail; NaN would show if it did.
    let at = |e: &Expr, x: crate::ops::Recorder| {
        e.eval(&[(parameter, x.clone())])
            .unwrap_or_else(|_| x * f64::NAN)
    };
    let op = CustomUnary::declare(name, |x| at(body, x), |x, _y| at(&derivative, x));
    custom::register(Unary::Custom(op)).map_err(DefineError::Taken)?;
    Ok(Unary::Custom(op))
}
