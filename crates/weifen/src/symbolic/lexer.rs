//! The lexer: bytes to tokens with their spans, in one pass.

use super::error::{ParseError, ParseErrorKind};
use std::ops::Range;

/// A token of the expression language.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Token {
    Number(f64),
    Ident,
    Plus,
    Minus,
    Star,
    Slash,
    /// `^` or its alias `**`.
    Caret,
    LParen,
    RParen,
    Comma,
    End,
}

/// A token and the bytes it was read from.
#[derive(Clone, Debug)]
pub(crate) struct Lexed {
    pub token: Token,
    pub span: Range<usize>,
}

fn error(span: Range<usize>, kind: ParseErrorKind) -> ParseError {
    ParseError { span, kind }
}

/// Splits `src` into tokens, ending with [`Token::End`] (whose span is empty, at the end).
pub(crate) fn tokens(src: &str) -> Result<Vec<Lexed>, ParseError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let token = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'0'..=b'9' | b'.' => {
                i = number_end(bytes, i);
                let text = &src[start..i];
                if matches!(bytes.get(i), Some(b'.' | b'0'..=b'9')) {
                    return Err(error(start..i + 1, ParseErrorKind::InvalidNumber));
                }
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => Token::Number(v),
                    _ => return Err(error(start..i, ParseErrorKind::InvalidNumber)),
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Token::Ident
            }
            b'*' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                Token::Caret
            }
            _ => {
                i += 1;
                match b {
                    b'+' => Token::Plus,
                    b'-' => Token::Minus,
                    b'*' => Token::Star,
                    b'/' => Token::Slash,
                    b'^' => Token::Caret,
                    b'(' => Token::LParen,
                    b')' => Token::RParen,
                    b',' => Token::Comma,
                    _ => {
                        let c = src[start..].chars().next().unwrap_or('\u{fffd}');
                        let end = start + c.len_utf8();
                        return Err(error(start..end, ParseErrorKind::UnexpectedCharacter(c)));
                    }
                }
            }
        };
        out.push(Lexed {
            token,
            span: start..i,
        });
    }
    out.push(Lexed {
        token: Token::End,
        span: bytes.len()..bytes.len(),
    });
    Ok(out)
}

/// The end of the number starting at `i`: digits, an optional fraction, and an exponent only
/// when digits follow it (so `2e` is `2` then the constant `e`, and `2ex` reads as implicit
/// multiplication rather than a malformed number).
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    i = digits(i);
    if bytes.get(i) == Some(&b'.') {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i = digits(i + 1 + sign);
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Token> {
        tokens(src).unwrap().into_iter().map(|t| t.token).collect()
    }

    #[test]
    fn numbers_read_with_fractions_and_exponents() {
        use Token::*;
        assert_eq!(
            kinds("2 0.5 1.5e-3 2.5E2 .5"),
            vec![
                Number(2.0),
                Number(0.5),
                Number(1.5e-3),
                Number(250.0),
                Number(0.5),
                End
            ]
        );
    }

    #[test]
    fn double_star_is_a_power() {
        use Token::*;
        assert_eq!(kinds("x**2"), vec![Ident, Caret, Number(2.0), End]);
    }

    #[test]
    fn an_exponent_without_digits_is_not_part_of_the_number() {
        use Token::*;
        assert_eq!(kinds("2e"), vec![Number(2.0), Ident, End]);
    }
}
