//! Errors of the expression language: parsing (with the byte span at fault) and evaluation.

use crate::LengthError;
use std::fmt;
use std::ops::Range;

/// A malformed formula: what went wrong, and where (a byte range of the input).
///
/// ```
/// use weifen::symbolic::{Expr, ParseErrorKind};
///
/// let err = "2x + 1".parse::<Expr>().unwrap_err();
/// assert_eq!(err.span, 0..2);
/// assert!(matches!(err.kind, ParseErrorKind::ImplicitMultiplication { .. }));
/// assert_eq!(
///     err.to_string(),
///     "implicit multiplication is not supported; write 2*x (at 0..2)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// The bytes of the input at fault.
    pub span: Range<usize>,
    /// What is wrong there.
    pub kind: ParseErrorKind,
}

/// The ways a formula can be malformed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// A character that starts no token.
    UnexpectedCharacter(char),
    /// A number that does not read (`1e`, `1e999`).
    InvalidNumber,
    /// A token where another was expected (`expected` describes what fits there).
    UnexpectedToken {
        /// The token found.
        found: String,
        /// What fits there, e.g. `"an operand"`.
        expected: &'static str,
    },
    /// The input ended where something was expected.
    UnexpectedEnd {
        /// What was expected.
        expected: &'static str,
    },
    /// A `(` that is never closed (the span is the parenthesis).
    UnclosedParenthesis,
    /// A `)` without its `(`.
    UnmatchedParenthesis,
    /// Two operands side by side (`2x`, `(a)(b)`).
    ImplicitMultiplication {
        /// The formula fragment written with the `*` inserted.
        suggestion: String,
    },
    /// A call of a function the op table does not have.
    UnknownFunction {
        /// The name called.
        name: String,
        /// The closest known function name, if one is close.
        suggestion: Option<String>,
    },
    /// A function name used without arguments (`sin + 1`).
    MissingArguments {
        /// The function name.
        name: String,
    },
    /// A call with the wrong number of arguments.
    WrongArity {
        /// The function called.
        name: String,
        /// How many arguments it takes.
        expected: usize,
        /// How many it was given.
        found: usize,
    },
    /// Parentheses, signs or powers nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    TooDeep,
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParseErrorKind::*;
        match self {
            UnexpectedCharacter(c) => write!(f, "unexpected character {c:?}"),
            InvalidNumber => write!(f, "invalid number"),
            UnexpectedToken { found, expected } => write!(f, "expected {expected}, found {found}"),
            UnexpectedEnd { expected } => write!(f, "expected {expected}, found the end"),
            UnclosedParenthesis => write!(f, "this parenthesis is never closed"),
            UnmatchedParenthesis => write!(f, "this parenthesis closes nothing"),
            ImplicitMultiplication { suggestion } => write!(
                f,
                "implicit multiplication is not supported; write {suggestion}"
            ),
            UnknownFunction { name, suggestion } => {
                write!(f, "unknown function {name:?}")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean {s:?}?"),
                    None => Ok(()),
                }
            }
            MissingArguments { name } => write!(f, "{name} is a function; write {name}(…)"),
            WrongArity {
                name,
                expected,
                found,
            } => write!(f, "{name} takes {expected} argument(s), found {found}"),
            TooDeep => write!(f, "nested more than {} levels deep", super::MAX_DEPTH),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at {}..{})",
            self.kind, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for ParseError {}

/// An expression that cannot be evaluated with the variables given.
///
/// Division by zero and domain errors are not errors: evaluation follows IEEE (`1/0 = inf`,
/// `ln(-1) = NaN`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalError {
    /// The expression uses a variable that has no value.
    UnknownVariable {
        /// Its name.
        name: String,
    },
    /// The number of values differs from the number of variables (or, for
    /// [`Program::eval_batch`](super::Program::eval_batch), columns differ in length or the
    /// outputs in number): the crate's one wrong-length error.
    WrongLength(LengthError),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::UnknownVariable { name } => {
                write!(f, "the variable {name:?} has no value")
            }
            EvalError::WrongLength(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for EvalError {}
