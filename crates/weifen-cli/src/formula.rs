//! Reading formulas: from the argument or standard input, parsed, with errors shown as the
//! formula with the fault underlined.

use crate::error::{CliError, Result};
use std::io::Read;
use std::ops::Range;
use weifen::symbolic::{Expr, ParseError};

/// The formula text: the argument itself, or standard input for `-`.
pub fn source(arg: &str) -> Result<String> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).map_err(|e| {
        CliError::Input(format!("cannot read the formula from standard input: {e}"))
    })?;
    Ok(text.trim_end().to_string())
}

/// Parses one formula, the error rendered against `source` (the formula is `source[at..]`).
pub fn parse_in(source: &str, at: Range<usize>) -> Result<Expr> {
    source[at.clone()].parse::<Expr>().map_err(|e| {
        let span = e.span.start + at.start..e.span.end + at.start;
        CliError::Input(render(source, &ParseError { span, ..e }))
    })
}

/// Parses a whole formula.
pub fn parse(source: &str) -> Result<Expr> {
    parse_in(source, 0..source.len())
}

/// Parses `[EXPR, EXPR, ...]` (the brackets optional): the outputs of a map.
pub fn parse_list(source: &str) -> Result<Vec<Expr>> {
    let trimmed = source.trim();
    let offset = source.len() - source.trim_start().len();
    let (start, end) = match (trimmed.starts_with('['), trimmed.ends_with(']')) {
        (true, true) => (offset + 1, offset + trimmed.len() - 1),
        (true, false) => {
            let at = offset + trimmed.len();
            return Err(CliError::Input(render(
                source,
                &ParseError {
                    span: at..at,
                    kind: weifen::symbolic::ParseErrorKind::UnexpectedEnd {
                        expected: "] closing the list of outputs",
                    },
                },
            )));
        }
        _ => (offset, offset + trimmed.len()),
    };
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0i64, start);
    for (i, c) in source[start..end].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(from..start + i);
                from = start + i + 1;
            }
            _ => {}
        }
    }
    parts.push(from..end);
    parts.into_iter().map(|r| parse_in(source, r)).collect()
}

/// The most characters of the formula shown on each side of the fault.
const CONTEXT: usize = 40;

/// `invalid formula: <what>` then the formula (a window of it, for a long one) with the span
/// underlined by `^`.
pub fn render(source: &str, err: &ParseError) -> String {
    let start = floor_char(source, err.span.start.min(source.len()));
    let end = floor_char(source, err.span.end.min(source.len())).max(start);
    let from = floor_char(source, start.saturating_sub(CONTEXT));
    let to = floor_char(source, (end + CONTEXT).min(source.len()));
    let prefix = if from > 0 { "…" } else { "" };
    let suffix = if to < source.len() { "…" } else { "" };
    // Newlines and tabs would break the alignment of the underline.
    let clean = |s: &str| s.replace(['\n', '\t', '\r'], " ");
    let pad = prefix.chars().count() + source[from..start].chars().count();
    let width = source[start..end].chars().count().max(1);
    format!(
        "invalid formula: {}\n  {prefix}{}{suffix}\n  {}{}",
        err.kind,
        clean(&source[from..to]),
        " ".repeat(pad),
        "^".repeat(width)
    )
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
