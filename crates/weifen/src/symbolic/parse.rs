//! The parser: a Pratt parser over the lexer's tokens.
//!
//! Binding powers, loosest first: `+ -` (left), `* /` (left), prefix `-` and `+`, `^` and
//! `**` (right; its right operand may start with a sign: `2^-x`). So `-x^2` is `-(x^2)`,
//! `x^2^3` is `x^(2^3)` and `-x*y` is `(-x)*y`.
//!
//! Left-associative chains are parsed by a loop, so `x+x+…+x` of any length uses no stack;
//! recursion happens only for nesting (parentheses, signs, right operands of `^`, call
//! arguments) and is cut at [`MAX_DEPTH`] with an error, so 100 000 nested parentheses
//! give [`ParseErrorKind::TooDeep`], not a stack overflow. The whole parse is linear in the
//! input.

use super::error::{ParseError, ParseErrorKind};
use super::expr::Expr;
use super::functions::{Function, closest, lookup};
use super::lexer::{Lexed, Token, tokens};
use super::owned::Store;
use crate::Scalar;
use crate::ops::Binary;
use std::ops::Range;
use std::str::FromStr;

/// The deepest nesting of parentheses, signs and powers the parser accepts.
pub const MAX_DEPTH: usize = 200;

struct Parser<'a> {
    store: &'a Store,
    src: &'a str,
    tokens: Vec<Lexed>,
    pos: usize,
    depth: usize,
}

fn error<T>(span: Range<usize>, kind: ParseErrorKind) -> Result<T, ParseError> {
    Err(ParseError { span, kind })
}

impl Parser<'_> {
    fn peek(&self) -> &Lexed {
        &self.tokens[self.pos]
    }

    fn next(&mut self) -> Lexed {
        let t = self.tokens[self.pos].clone();
        if t.token != Token::End {
            self.pos += 1;
        }
        t
    }

    fn text(&self, span: &Range<usize>) -> &str {
        &self.src[span.clone()]
    }

    /// An error for the token at hand, which does not fit after an operand.
    fn unexpected(&self, expected: &'static str) -> ParseError {
        let t = self.peek();
        let kind = match t.token {
            Token::End => ParseErrorKind::UnexpectedEnd { expected },
            _ => ParseErrorKind::UnexpectedToken {
                found: format!("`{}`", self.text(&t.span)),
                expected,
            },
        };
        ParseError {
            span: t.span.clone(),
            kind,
        }
    }

    /// An expression whose operators bind at least as tightly as `min_power`.
    fn expr(&mut self, min_power: u8) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return error(self.peek().span.clone(), ParseErrorKind::TooDeep);
        }
        let start = self.peek().span.start;
        let mut lhs = self.prefix()?;
        loop {
            let t = self.peek().clone();
            let (op, left, right) = match t.token {
                Token::Plus => (Binary::Add, 10, 11),
                Token::Minus => (Binary::Sub, 10, 11),
                Token::Star => (Binary::Mul, 20, 21),
                Token::Slash => (Binary::Div, 20, 21),
                Token::Caret => (Binary::Pow, 40, 39),
                Token::Number(_) | Token::Ident | Token::LParen => {
                    let before = &self.src[start..self.tokens[self.pos - 1].span.end];
                    let suggestion = format!("{before}*{}", self.text(&t.span));
                    return error(
                        start..t.span.end,
                        ParseErrorKind::ImplicitMultiplication { suggestion },
                    );
                }
                Token::RParen | Token::Comma | Token::End => break,
            };
            if left < min_power {
                break;
            }
            self.next();
            let rhs = self.expr(right)?;
            lhs = lhs.binary(op, rhs);
        }
        self.depth -= 1;
        Ok(lhs)
    }

    /// An operand: a number, a name, a call, a parenthesised expression or a signed operand.
    fn prefix(&mut self) -> Result<Expr, ParseError> {
        // Prefix signs bind tighter than `*` and looser than `^`.
        const SIGN: u8 = 30;
        match self.peek().token {
            Token::Number(v) => {
                self.next();
                Ok(self.store.constant(v))
            }
            Token::Minus => {
                self.next();
                Ok(-self.expr(SIGN)?)
            }
            Token::Plus => {
                self.next();
                self.expr(SIGN)
            }
            Token::LParen => {
                let open = self.next().span;
                let e = self.expr(0)?;
                self.close(open)?;
                Ok(e)
            }
            Token::Ident => self.name(),
            _ => Err(self.unexpected("an operand")),
        }
    }

    /// Consumes the `)` matching the `(` at `open`.
    fn close(&mut self, open: Range<usize>) -> Result<(), ParseError> {
        match self.peek().token {
            Token::RParen => {
                self.next();
                Ok(())
            }
            Token::End => error(open, ParseErrorKind::UnclosedParenthesis),
            _ => Err(self.unexpected("`)`")),
        }
    }

    /// A constant, a variable or a call.
    fn name(&mut self) -> Result<Expr, ParseError> {
        let span = self.next().span;
        let name = self.text(&span).to_string();
        if self.peek().token != Token::LParen {
            return match (name.as_str(), lookup(&name)) {
                ("pi", _) => Ok(self.store.constant(std::f64::consts::PI)),
                ("e", _) => Ok(self.store.constant(std::f64::consts::E)),
                (_, Some(_)) => error(span, ParseErrorKind::MissingArguments { name }),
                _ => Ok(self.store.var(&name)),
            };
        }
        let open = self.next().span;
        let Some(function) = lookup(&name) else {
            let suggestion = closest(&name);
            return error(span, ParseErrorKind::UnknownFunction { name, suggestion });
        };
        let mut args = Vec::new();
        if self.peek().token != Token::RParen {
            loop {
                args.push(self.expr(0)?);
                if self.peek().token != Token::Comma {
                    break;
                }
                self.next();
            }
        }
        let end = self.peek().span.end;
        self.close(open)?;
        if args.len() != function.arity() {
            let kind = ParseErrorKind::WrongArity {
                name,
                expected: function.arity(),
                found: args.len(),
            };
            return error(span.start..end, kind);
        }
        let mut args = args.into_iter();
        let (Some(a), b) = (args.next(), args.next()) else {
            unreachable!("the arity was checked")
        };
        Ok(match (function, b) {
            (Function::Unary(op), _) => a.unary(op),
            (Function::Binary(op), Some(b)) => a.binary(op, b),
            (Function::Binary(_), None) => unreachable!("the arity was checked"),
        })
    }
}

/// Parses a formula of the expression language (see [`symbolic`](super)) into the thread's
/// default store ([`Store::default_for_thread`]; [`Store::parse`] parses into another).
///
/// ```
/// use weifen::symbolic::Expr;
///
/// let f: Expr = "-x^2 + 2**-y".parse().unwrap();
/// assert_eq!(f.to_string(), "-x^2 + 2^-y"); // simplified: signs move outwards
/// ```
impl FromStr for Expr {
    type Err = ParseError;

    fn from_str(src: &str) -> Result<Expr, ParseError> {
        Store::default_for_thread().parse(src)
    }
}

impl Store {
    /// Parses a formula of the expression language (see [`symbolic`](super)) into this
    /// store.
    ///
    /// # Errors
    /// A [`ParseError`] with the byte span at fault.
    pub fn parse(&self, src: &str) -> Result<Expr, ParseError> {
        let mut parser = Parser {
            store: self,
            src,
            tokens: tokens(src)?,
            pos: 0,
            depth: 0,
        };
        let e = parser.expr(0)?;
        match parser.peek().token {
            Token::End => Ok(e),
            Token::RParen => Err(ParseError {
                span: parser.peek().span.clone(),
                kind: ParseErrorKind::UnmatchedParenthesis,
            }),
            _ => Err(parser.unexpected("an operator or the end")),
        }
    }
}
