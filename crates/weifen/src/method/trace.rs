//! The evaluation trace of a formula: the tape's rows, with forward tangents and reverse
//! adjoints computed by the library's own arithmetic.

use super::MethodError;
use crate::error::check_length;
use crate::forward::Dual;
use crate::reverse::Tape;
use crate::symbolic::{EvalError, Expr, Formula};
use crate::{MultivariateFn, Real};

/// One recorded operation of a [`trace`].
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    /// The node's name, `v1`, `v2`…
    pub name: String,
    /// The operation in terms of earlier nodes (`v1 + v2`), or the variable's name for an
    /// input.
    pub operation: String,
    /// The value.
    pub value: f64,
    /// The forward-mode tangent `v̇ = ∂v/∂x` along the seeded variable (0 without a seed).
    pub tangent: f64,
    /// The reverse-mode adjoint `v̄ = ∂y/∂v` from a backward sweep seeded with `ȳ = 1`.
    pub adjoint: f64,
}

/// Returns the evaluation trace of `f` at `x` (variables in the order of `vars`), one row
/// per recorded operation, inputs first.
///
/// The formula is evaluated once on a [`Tape::replayable`] of dual numbers, the input `wrt`
/// seeded with tangent 1: each row's value and tangent are the dual number recorded there
/// (forward mode), and its adjoint is the primal part of the backward sweep (reverse mode).
///
/// # Errors
/// [`MethodError::Eval`] if `f` uses a variable not in `vars`, `x` has another length, or
/// `wrt` is not one of `vars`.
///
/// ```
/// use weifen::method;
///
/// let f = "(x1 + x2)*x3".parse().unwrap();
/// let rows = method::trace(&f, &["x1", "x2", "x3"], &[1.0, 2.0, 3.0], Some("x1")).unwrap();
/// let last = rows.last().unwrap();
/// assert_eq!((last.value, last.tangent, last.adjoint), (9.0, 3.0, 1.0));
/// let adjoints: Vec<f64> = rows[..3].iter().map(|r| r.adjoint).collect();
/// assert_eq!(adjoints, vec![3.0, 3.0, 3.0]);
/// ```
pub fn trace(
    f: &Expr,
    vars: &[&str],
    x: &[f64],
    wrt: Option<&str>,
) -> Result<Vec<TraceRow>, MethodError> {
    let formula = Formula::new(std::slice::from_ref(f), vars)?;
    trace_fn(&formula, vars, x, wrt)
}

/// [`trace`] of a function written once, its inputs named by `names` (the rows of the
/// inputs show their names; the operations are recorded in the order `f` performs them).
///
/// # Errors
/// [`MethodError::Length`] if `names`, `x` and `f`'s inputs differ in number;
/// [`MethodError::Eval`] if `wrt` is not one of `names`.
///
/// ```
/// use weifen::method;
/// use weifen::{MultivariateFn, Scalar};
///
/// struct F;
/// impl MultivariateFn for F {
///     fn eval<S: Scalar>(&self, x: &[S]) -> S {
///         (x[0].clone() + x[1].clone()) * x[2].clone()
///     }
/// }
/// let rows = method::trace_fn(&F, &["a", "b", "c"], &[1.0, 2.0, 3.0], Some("a")).unwrap();
/// let ops: Vec<&str> = rows.iter().map(|r| r.operation.as_str()).collect();
/// assert_eq!(ops, ["a", "b", "c", "v1 + v2", "v4 · v3"]);
/// assert_eq!((rows[4].value, rows[4].tangent), (9.0, 3.0)); // ∂/∂a = c
/// ```
pub fn trace_fn(
    f: &impl MultivariateFn,
    names: &[&str],
    x: &[f64],
    wrt: Option<&str>,
) -> Result<Vec<TraceRow>, MethodError> {
    check_length("the point x", "the list of variables", names.len(), x.len())?;
    f.check_arity(x.len())?;
    let seed = match wrt {
        Some(name) => Some(names.iter().position(|v| *v == name).ok_or_else(|| {
            EvalError::UnknownVariable {
                name: name.to_string(),
            }
        })?),
        None => None,
    };
    let tape = Tape::replayable();
    let inputs: Vec<_> = x
        .iter()
        .enumerate()
        .map(|(i, &xi)| tape.var(Dual::new(xi, if seed == Some(i) { 1.0 } else { 0.0 })))
        .collect();
    let y = f.eval(&inputs);
    let adjoints = y.backward();
    Ok(tape
        .rows(&adjoints)
        .expect("the trace records on a replayable tape")
        .into_iter()
        .map(|row| {
            let i = row.index as usize;
            TraceRow {
                name: format!("v{i}"),
                operation: match names.get(i.wrapping_sub(1)) {
                    Some(name) if i <= names.len() => name.to_string(),
                    _ => row.operation,
                },
                value: row.value.value,
                tangent: row.value.tangent,
                adjoint: row.adjoint.value(),
            }
        })
        .collect())
}
