//! Variables and points: the order of the variables (natural, or `--vars`) and the values of
//! `--at` (`x=1,y=2`, or a plain list in that order).

use crate::error::{CliError, Result};
use std::cmp::Ordering;
use weifen::symbolic::Expr;

/// The variables of a problem, in order, with their values if a point was given.
#[derive(Clone, Debug)]
pub struct Point {
    /// The variables, in order (those of the formulas, and any other that `--at` names).
    pub names: Vec<String>,
    /// The variables the formulas use, in natural order.
    pub used: Vec<String>,
    /// One value per variable (`None` without `--at`).
    pub values: Option<Vec<f64>>,
}

impl Point {
    /// Orders the variables of `exprs` (and those `--at` names) and reads `--at`.
    pub fn resolve(exprs: &[Expr], vars: Option<&str>, at: Option<&str>) -> Result<Point> {
        let mut used: Vec<String> = exprs.iter().flat_map(Expr::variables).collect();
        used.sort_by(|a, b| natural_cmp(a, b));
        used.dedup();
        let mut names = match vars {
            Some(list) => listed(list, &used)?,
            None => used.clone(),
        };
        let Some(at) = at else {
            return Ok(Point {
                names,
                used,
                values: None,
            });
        };
        let entries: Vec<&str> = match at.trim() {
            "" => Vec::new(),
            at => at.split(',').map(str::trim).collect(),
        };
        let named = entries.iter().filter(|e| e.contains('=')).count();
        let values = if named == 0 {
            if entries.len() != names.len() {
                return Err(CliError::Input(count_mismatch(entries.len(), &names)));
            }
            entries.iter().map(|v| number(v)).collect::<Result<_>>()?
        } else if named == entries.len() {
            let mut pairs = Vec::new();
            for e in entries {
                let (name, value) = e.split_once('=').expect("named");
                let name = name.trim();
                if pairs.iter().any(|(n, _): &(String, f64)| n == name) {
                    return Err(CliError::Input(format!(
                        "--at gives {name} twice; give each variable once"
                    )));
                }
                pairs.push((name.to_string(), number(value.trim())?));
            }
            for (n, _) in &pairs {
                if !names.contains(n) {
                    if vars.is_some() {
                        return Err(CliError::Input(format!(
                            "--at names {n}, which --vars does not list; add it to --vars"
                        )));
                    }
                    names.push(n.clone());
                }
            }
            if vars.is_none() {
                names.sort_by(|a, b| natural_cmp(a, b));
            }
            names
                .iter()
                .map(|n| match pairs.iter().find(|(p, _)| p == n) {
                    Some((_, v)) => Ok(*v),
                    None => Err(CliError::Input(format!(
                        "the variable {n} has no value; add {n}=VALUE to --at"
                    ))),
                })
                .collect::<Result<_>>()?
        } else {
            return Err(CliError::Input(format!(
                "--at mixes named and plain values; write them all as NAME=VALUE: --at {}",
                example(&names)
            )));
        };
        Ok(Point {
            names,
            used,
            values: Some(values),
        })
    }

    /// The variables as `&str`s.
    pub fn vars(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    /// `(name, value)` pairs (empty without a point).
    pub fn bindings(&self) -> Vec<(&str, f64)> {
        match &self.values {
            Some(v) => self
                .names
                .iter()
                .map(String::as_str)
                .zip(v.clone())
                .collect(),
            None => Vec::new(),
        }
    }
}

/// Why `given` plain values do not fit these variables, and what to write instead.
fn count_mismatch(given: usize, names: &[String]) -> String {
    let values = plural(given, "value", "values");
    match names {
        [] => format!(
            "--at has {values}, but the formula has no variables (it is a constant, so every \
             derivative is 0); to differentiate by a variable anyway, name it: --at x=1"
        ),
        [one] => format!(
            "--at has {values}, but the formula has one variable, {one}; give one value: --at \
             {one}=1"
        ),
        many => format!(
            "--at has {values}, but the formula has {} variables ({}, in this order); give \
             one value per variable, or name them: --at {}",
            many.len(),
            many.join(", "),
            example(many)
        ),
    }
}

/// `1 value`, `2 values`, `no values`.
fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// `x=1,y=1` for these names.
fn example(names: &[String]) -> String {
    let items: Vec<String> = names.iter().map(|n| format!("{n}=1")).collect();
    if items.is_empty() {
        "x=1".to_string()
    } else {
        items.join(",")
    }
}

/// The `--vars` list, checked to contain every variable the formula uses.
fn listed(list: &str, used: &[String]) -> Result<Vec<String>> {
    let names: Vec<String> = list.split(',').map(|s| s.trim().to_string()).collect();
    for n in &names {
        let ok = n
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !ok {
            return Err(CliError::Input(format!(
                "--vars: {n:?} is not a variable name; list names separated by commas: --vars x,y"
            )));
        }
    }
    for u in used {
        if !names.contains(u) {
            return Err(CliError::Input(format!(
                "the formula uses {u}, which --vars does not list; add it: --vars {},{u}",
                names.join(",")
            )));
        }
    }
    Ok(names)
}

/// A value of `--at`: a number, or a constant formula such as `pi/2`.
pub fn number(text: &str) -> Result<f64> {
    let value = match text.parse::<f64>() {
        Ok(v) => Some(v),
        Err(_) => text.parse::<Expr>().ok().and_then(|e| e.as_constant()),
    };
    match value {
        Some(v) if !v.is_finite() => Err(CliError::Input(format!(
            "--at: {text} is not finite; give a finite number"
        ))),
        Some(v) => Ok(v),
        None => Err(CliError::Input(format!(
            "--at: {text:?} is not a number; write a number such as 1.5 or a constant such as pi/2"
        ))),
    }
}

/// Natural order: runs of digits compare as numbers, so `x2` comes before `x10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (
                    a[..da].trim_start_matches('0'),
                    b[..db].trim_start_matches('0'),
                );
                let ord = na.len().cmp(&nb.len()).then(na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                (a, b) = (&a[da..], &b[db..]);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_puts_x2_before_x10() {
        let mut v = vec!["x10", "x2", "y", "x1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, vec!["x1", "x2", "x10", "y"]);
    }
}
