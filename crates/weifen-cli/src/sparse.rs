//! `--sparse`: a sparse Jacobian or Hessian printed as its pattern, its colouring and its
//! values, shared by `grad --hessian --sparse` and `jacobian --sparse`.

use crate::args::num;
use crate::error::{CliError, Result};
use crate::json;
use serde_json::{Value, json};
use std::io::Write;
use weifen::method::{Method, MethodError};
use weifen::sparse::{self, Coloring, CsMat, HessianSparsity, JacobianSparsity, Mode};
use weifen::symbolic::{Expr, Formula};

/// A sparse matrix with the pattern and colouring it was computed with.
pub struct Sparse {
    /// The values, CSR, with the pattern's structure.
    pub matrix: CsMat<f64>,
    /// `"star"` (Hessian), `"column"` (forward Jacobian) or `"row"` (reverse Jacobian).
    pub coloring: &'static str,
    /// The colour of each variable (column or star colouring) or each output (rows).
    pub colors: Coloring,
    /// How the sweeps were made.
    pub method: &'static str,
}

/// The formula as a function of `vars`.
fn formula(exprs: &[Expr], vars: &[&str]) -> Result<Formula> {
    Formula::new(exprs, vars).map_err(|e| CliError::from(MethodError::from(e)))
}

/// The outputs' values at `x`.
pub fn values(fs: &[Expr], vars: &[&str], x: &[f64]) -> Result<Vec<f64>> {
    let program = formula(fs, vars)?;
    program
        .program()
        .eval(x)
        .map_err(|e| CliError::from(MethodError::from(e)))
}

/// `--method` with `--sparse`: only the AD modes the sparse operators use.
fn unsupported(method: Method, what: &str, accepted: &str) -> CliError {
    CliError::Input(format!(
        "--sparse computes the {what} by automatic differentiation; --method {} is not \
         available with it (use {accepted}, or drop --sparse)",
        method.name()
    ))
}

/// The sparse Hessian of `f` at `x` (reverse over forward, star colouring).
pub fn hessian(f: &Expr, vars: &[&str], x: &[f64], method: Method) -> Result<Sparse> {
    if !matches!(method, Method::Auto | Method::Reverse) {
        return Err(unsupported(method, "Hessian", "auto or reverse"));
    }
    let f = formula(std::slice::from_ref(f), vars)?;
    let (matrix, s): (_, HessianSparsity) = sparse::sparse_hessian(&f, x);
    Ok(Sparse {
        matrix,
        coloring: "star",
        colors: s.coloring().clone(),
        method: "reverse over forward",
    })
}

/// The sparse Jacobian of `fs` at `x`: forward or reverse as `method` says, or as the
/// colourings make cheaper for `auto`.
pub fn jacobian(fs: &[Expr], vars: &[&str], x: &[f64], method: Method) -> Result<Sparse> {
    let f = formula(fs, vars)?;
    let s = JacobianSparsity::detect(|x| weifen::VectorFn::eval(&f, x), x);
    let s = match method {
        Method::Auto => s,
        Method::Forward => s.with_mode(Mode::Forward),
        Method::Reverse => s.with_mode(Mode::Reverse),
        other => return Err(unsupported(other, "Jacobian", "auto, forward or reverse")),
    };
    let matrix = sparse::sparse_jacobian_with(&s, &f, x)
        .map_err(|e| CliError::Failure(format!("sparse Jacobian: {e}")))?;
    let (coloring, method) = match s.mode() {
        Mode::Forward => ("column", "forward"),
        Mode::Reverse => ("row", "reverse"),
    };
    Ok(Sparse {
        matrix,
        coloring,
        colors: s.coloring().clone(),
        method,
    })
}

impl Sparse {
    /// The nonzero positions `(i, j)` with their values, row by row.
    fn entries(&self) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::with_capacity(self.matrix.nnz());
        for (i, row) in self.matrix.outer_iterator().enumerate() {
            out.extend(row.iter().map(|(j, &v)| (i, j, v)));
        }
        out
    }

    /// `{"shape", "nonzeros": [[i, j]…], "values", "coloring", "colors", "color_count",
    /// "method"}`
    pub fn json(&self) -> Value {
        let entries = self.entries();
        json!({
            "shape": [self.matrix.rows(), self.matrix.cols()],
            "nonzeros": entries.iter().map(|&(i, j, _)| json!([i, j])).collect::<Vec<_>>(),
            "values": entries.iter().map(|&(_, _, v)| json::num(v)).collect::<Vec<_>>(),
            "coloring": self.coloring,
            "colors": self.colors.colors(),
            "color_count": self.colors.count(),
            "method": self.method,
        })
    }

    /// Writes the header, the colours by name and one line per nonzero: `  {symbol}[row,
    /// col] = value`, rows and columns named by `row_name` and `col_name`.
    pub fn write(
        &self,
        out: &mut impl Write,
        symbol: &str,
        row_name: impl Fn(usize) -> String,
        col_name: impl Fn(usize) -> String,
    ) -> Result<()> {
        let (m, n) = (self.matrix.rows(), self.matrix.cols());
        writeln!(
            out,
            "  {symbol}, sparse ({m} × {n}, {} nonzeros), by {}: {} colour{} ({} colouring)",
            self.matrix.nnz(),
            self.method,
            self.colors.count(),
            if self.colors.count() == 1 { "" } else { "s" },
            self.coloring,
        )?;
        let named = |k: usize| match self.coloring {
            "row" => row_name(k),
            _ => col_name(k),
        };
        let colours: Vec<String> = self
            .colors
            .colors()
            .iter()
            .enumerate()
            .map(|(k, c)| format!("{} → {c}", named(k)))
            .collect();
        writeln!(out, "    colours: {}", colours.join(", "))?;
        for (i, j, v) in self.entries() {
            writeln!(
                out,
                "    {symbol}[{}, {}] = {}",
                row_name(i),
                col_name(j),
                num(v)
            )?;
        }
        Ok(())
    }
}
