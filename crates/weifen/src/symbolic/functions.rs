//! The functions a formula can call: the op table's names, a few aliases, and the closest
//! known name for a misspelt one.

use crate::ops::{Binary, Unary, custom};

/// A function the parser can call, by the number and kind of its arguments.
#[derive(Clone, Copy)]
pub(crate) enum Function {
    Unary(Unary),
    Binary(Binary),
}

impl Function {
    pub(crate) fn arity(self) -> usize {
        match self {
            Function::Unary(_) => 1,
            Function::Binary(_) => 2,
        }
    }
}

/// The ops callable by name: the table's ops without a constant parameter (`powi` and the
/// constant operands are written as powers and operators), by their names and aliases.
fn callable() -> impl Iterator<Item = (&'static str, Function)> {
    let unary = Unary::all()
        .into_iter()
        .filter(|op| !op.has_parameter())
        .flat_map(|op| {
            let spec = op.spec();
            std::iter::once(spec.name)
                .chain(spec.aliases.iter().copied())
                .map(move |n| (n, Function::Unary(op)))
        });
    let binary = Binary::all().into_iter().flat_map(|op| {
        let spec = op.spec();
        std::iter::once(spec.name)
            .chain(spec.aliases.iter().copied())
            .map(move |n| (n, Function::Binary(op)))
    });
    unary.chain(binary)
}

/// The op called `name`: one of the table's, or one a user registered
/// ([`ops::custom::register`](crate::ops::custom::register)).
pub(crate) fn lookup(name: &str) -> Option<Function> {
    callable()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| f)
        .or_else(|| custom::lookup(name).map(|c| Function::Unary(Unary::Custom(c))))
}

/// Every name [`lookup`] knows, for suggestions.
fn known_names() -> impl Iterator<Item = &'static str> {
    callable().map(|(n, _)| n).chain(custom::registered())
}

/// The known name closest to `name` in edit distance, if it is close (at most 2 edits, and
/// fewer than half of the name's letters); ties go to the longest common prefix.
pub(crate) fn closest(name: &str) -> Option<String> {
    let prefix = |k: &str| {
        name.bytes()
            .zip(k.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    known_names()
        .map(|k| (edit_distance(name, k), usize::MAX - prefix(k), k))
        .filter(|&(d, _, _)| d <= 2 && 2 * d < name.len().max(2))
        .min()
        .map(|(_, _, k)| k.to_string())
}

/// The optimal string alignment distance: insertions, deletions, substitutions and swaps
/// of adjacent letters (`cso` is one edit from `cos`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("sin", "sin"), 0);
        assert_eq!(edit_distance("sinn", "sin"), 1);
        assert_eq!(edit_distance("cso", "cos"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn every_op_table_name_can_be_called() {
        for (name, _) in callable() {
            assert!(lookup(name).is_some(), "{name}");
        }
        for op in Unary::all() {
            let parametrised =
                op.spec().name.starts_with("pow") || op.spec().name.contains("const");
            assert!(
                parametrised || lookup(op.spec().name).is_some(),
                "{}",
                op.spec().name
            );
        }
        for op in Binary::all() {
            assert!(lookup(op.spec().name).is_some(), "{}", op.spec().name);
        }
    }
}
