//! `--define 'NAME(X) = BODY'`: an op of the user's, usable by name in every formula after it.

use crate::error::{CliError, Result};
use crate::formula;

/// Declares each definition in order (a later one may call an earlier one).
pub fn declare_all(definitions: &[String]) -> Result<()> {
    definitions.iter().try_for_each(|d| declare(d))
}

fn declare(definition: &str) -> Result<()> {
    let bad = |why: &str| {
        CliError::Input(format!(
            "--define '{definition}': {why}; write it as NAME(X) = BODY, e.g. \
             --define 'softplus(x) = ln_1p(exp(x))'"
        ))
    };
    let (head, _) = definition
        .split_once('=')
        .ok_or_else(|| bad("there is no `=`"))?;
    let body_start = head.len() + 1;
    let (name, rest) = head
        .split_once('(')
        .ok_or_else(|| bad("the name is not followed by (X)"))?;
    let parameter = rest
        .trim_end()
        .strip_suffix(')')
        .ok_or_else(|| bad("the parameter list is not closed by )"))?;
    let (name, parameter) = (name.trim(), parameter.trim());
    let body = formula::parse_in(definition, body_start..definition.len())?;
    weifen::symbolic::define(name, parameter, &body)
        .map(|_| ())
        .map_err(|e| CliError::Input(format!("--define '{definition}': {e}")))
}
