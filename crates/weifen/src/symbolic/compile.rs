//! Compiled evaluation: the DAG flattened into a list of instructions over registers.
//!
//! Nodes are lowered in ascending id order (operands first) to unary and binary ops, one
//! value each (a sum of `n` terms is `n − 1` additions, a coefficient other than ±1 a
//! multiplication, a product's negative powers one division), so one pass computes every
//! output and each node is evaluated once however often it is used. Registers are reused once their last reader has run (a linear scan over the
//! instruction list), and constants get registers of their own, filled once. A
//! destination never aliases its operands, so each instruction is a plain loop.
//!
//! [`Program::eval_batch`] evaluates blocks of [`BLOCK`] points per instruction: the
//! dispatch on the instruction is paid once per block, and the inner loops over contiguous
//! registers are what the compiler vectorises. [`Program::eval_scalar`] runs the same list
//! on any [`Scalar`], which is how every method differentiates a parsed formula.

use super::error::EvalError;
use super::expr::Expr;
use super::lower::{Op, lower};
use super::owned::Store;
use super::wide::Wide;
use crate::ops::{Binary, Unary};
use crate::{LengthError, Scalar};

/// The number of points [`Program::eval_batch`] evaluates per instruction.
pub const BLOCK: usize = 256;

#[derive(Clone, Copy, Debug)]
enum Code {
    Input(usize),
    Unary(Unary),
    Binary(Binary),
}

#[derive(Clone, Copy, Debug)]
struct Instruction {
    code: Code,
    dst: usize,
    a: usize,
    b: usize,
}

/// Expressions compiled for fast repeated evaluation, with an ordered list of variables.
///
/// ```
/// use weifen::symbolic::{Expr, Program};
///
/// let f: Expr = "x*y + sin(x)".parse().unwrap();
/// let df = f.diff("x");
/// let program = Program::new(&[f, df], &["x", "y"]).unwrap();
/// assert_eq!(program.eval(&[0.0, 2.0]).unwrap(), vec![0.0, 3.0]);
/// ```
#[derive(Clone, Debug)]
pub struct Program {
    variables: Vec<String>,
    constants: Vec<(usize, f64)>,
    instructions: Vec<Instruction>,
    outputs: Vec<usize>,
    registers: usize,
}

impl Program {
    /// Compiles `outputs`, whose variables are bound by position to `variables`.
    ///
    /// # Errors
    /// [`EvalError::UnknownVariable`] if an output uses a variable not in `variables`.
    pub fn new(outputs: &[Expr], variables: &[&str]) -> Result<Program, EvalError> {
        let (store, roots) = Store::common(outputs);
        let (ops, root_ops) = lower(&store.lock(), &roots, variables)?;
        // The last instruction that reads each value; outputs are read at the end.
        let mut last_read = vec![0; ops.len()];
        for (k, op) in ops.iter().enumerate() {
            match *op {
                Op::Unary(_, x) => last_read[x] = k,
                Op::Binary(_, a, b) => {
                    last_read[a] = k;
                    last_read[b] = k;
                }
                _ => {}
            }
        }
        for &r in &root_ops {
            last_read[r] = usize::MAX;
        }
        let mut program = Program {
            variables: variables.iter().map(|v| v.to_string()).collect(),
            constants: Vec::new(),
            instructions: Vec::new(),
            outputs: Vec::new(),
            registers: 0,
        };
        let mut register = vec![0; ops.len()];
        let mut free: Vec<usize> = Vec::new();
        for (k, op) in ops.iter().enumerate() {
            if let Op::Const(v) = *op {
                register[k] = program.registers;
                program.registers += 1;
                program.constants.push((register[k], v));
                continue;
            }
            let dst = free.pop().unwrap_or_else(|| {
                program.registers += 1;
                program.registers - 1
            });
            register[k] = dst;
            let (code, operands) = match *op {
                Op::Input(i) => (Code::Input(i), vec![]),
                Op::Unary(op, x) => (Code::Unary(op), vec![x]),
                Op::Binary(op, a, b) => (Code::Binary(op), vec![a, b]),
                Op::Const(_) => unreachable!("constants are handled above"),
            };
            let a = operands.first().map_or(0, |&p| register[p]);
            let b = operands.get(1).map_or(a, |&p| register[p]);
            program.instructions.push(Instruction { code, dst, a, b });
            let mut done = operands;
            done.dedup();
            for p in done {
                let is_constant = matches!(ops[p], Op::Const(_));
                if last_read[p] == k && !is_constant {
                    free.push(register[p]);
                }
            }
        }
        program.outputs = root_ops.iter().map(|&r| register[r]).collect();
        Ok(program)
    }

    /// The variables, in the order their values are given.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// The number of instructions (constants excluded).
    pub fn len(&self) -> usize {
        self.instructions.len()
    }

    /// Whether the program has no instructions (its outputs are constants).
    pub fn is_empty(&self) -> bool {
        self.instructions.is_empty()
    }

    /// The number of registers one evaluation uses.
    pub fn registers(&self) -> usize {
        self.registers
    }

    fn check(&self, found: usize) -> Result<(), EvalError> {
        if found == self.variables.len() {
            Ok(())
        } else {
            Err(EvalError::WrongLength(LengthError {
                what: "the point x",
                other: "the list of variables",
                expected: self.variables.len(),
                found,
            }))
        }
    }

    /// The outputs at `x` (one value per variable), evaluated on any [`Scalar`]: dual
    /// numbers, tape variables, expressions.
    ///
    /// # Errors
    /// [`EvalError::WrongLength`] if `x` has not one value per variable.
    pub fn eval_scalar<S: Scalar>(&self, x: &[S]) -> Result<Vec<S>, EvalError> {
        self.check(x.len())?;
        let mut r = vec![S::constant(0.0); self.registers];
        for &(i, v) in &self.constants {
            r[i] = S::constant(v);
        }
        for ins in &self.instructions {
            r[ins.dst] = match ins.code {
                Code::Input(i) => x[i].clone(),
                Code::Unary(op) => r[ins.a].clone().unary(op),
                Code::Binary(op) => r[ins.a].clone().binary(op, r[ins.b].clone()),
            };
        }
        Ok(self.outputs.iter().map(|&o| r[o].clone()).collect())
    }

    /// The outputs at the point `x` (one value per variable). Where a power or quotient on
    /// the way comes out 0 or ±∞, or an output is not finite (high derivatives at extreme
    /// arguments), the point is evaluated again with a wide exponent,
    /// so that a representable result is not turned into 0, ±∞, NaN or a wrong sign;
    /// [`eval_batch`](Program::eval_batch) does the same point by point.
    ///
    /// # Errors
    /// [`EvalError::WrongLength`] if `x` has not one value per variable.
    pub fn eval(&self, x: &[f64]) -> Result<Vec<f64>, EvalError> {
        self.check(x.len())?;
        let mut r = vec![0.0; self.registers];
        for &(i, v) in &self.constants {
            r[i] = v;
        }
        let mut escaped = false;
        for ins in &self.instructions {
            let y = match ins.code {
                Code::Input(i) => x[i],
                Code::Unary(op) => op.eval(r[ins.a]),
                Code::Binary(op) => op.eval(r[ins.a], r[ins.b]),
            };
            escaped |= scales(ins.code) && out_of_range(y);
            r[ins.dst] = y;
        }
        let mut out: Vec<f64> = self.outputs.iter().map(|&o| r[o]).collect();
        if escaped || out.iter().any(|v| !v.is_finite()) {
            self.widen(x, out.iter_mut().collect());
        }
        Ok(out)
    }

    /// Evaluates again with a wide exponent ([`Wide`]), where a power or quotient on the way
    /// came out 0 or ±∞ or an output is not finite, and replaces the outputs.
    fn widen(&self, x: &[f64], out: Vec<&mut f64>) {
        let point: Vec<Wide> = x.iter().map(|&v| Wide::constant(v)).collect();
        if let Ok(wide) = self.eval_scalar(&point) {
            for (o, w) in out.into_iter().zip(wide) {
                *o = w.to_f64();
            }
        }
    }

    /// The outputs at many points: `inputs[v][p]` is variable `v` at point `p`, and
    /// `outputs[k][p]` receives output `k` at point `p` (the vectors are resized).
    ///
    /// # Errors
    /// [`EvalError::WrongLength`] if `inputs` has not one column per variable, or the
    /// columns differ in length, or `outputs` has not one vector per output.
    ///
    /// ```
    /// use weifen::symbolic::{Expr, Program};
    ///
    /// let f: Expr = "x^2".parse().unwrap();
    /// let program = Program::new(&[f], &["x"]).unwrap();
    /// let mut out = vec![Vec::new()];
    /// program.eval_batch(&[&[1.0, 2.0, 3.0]], &mut out).unwrap();
    /// assert_eq!(out[0], vec![1.0, 4.0, 9.0]);
    /// ```
    pub fn eval_batch(&self, inputs: &[&[f64]], outputs: &mut [Vec<f64>]) -> Result<(), EvalError> {
        self.check(inputs.len())?;
        let n = inputs.first().map_or(0, |c| c.len());
        if let Some(bad) = inputs.iter().find(|c| c.len() != n) {
            return Err(EvalError::WrongLength(LengthError {
                what: "an input column",
                other: "the first column",
                expected: n,
                found: bad.len(),
            }));
        }
        if outputs.len() != self.outputs.len() {
            return Err(EvalError::WrongLength(LengthError {
                what: "the list of output vectors",
                other: "the list of outputs",
                expected: self.outputs.len(),
                found: outputs.len(),
            }));
        }
        for out in outputs.iter_mut() {
            out.resize(n, 0.0);
        }
        let mut r = vec![0.0; self.registers * BLOCK];
        for &(i, v) in &self.constants {
            r[i * BLOCK..(i + 1) * BLOCK].fill(v);
        }
        let mut escaped = [false; BLOCK];
        for start in (0..n).step_by(BLOCK) {
            let len = BLOCK.min(n - start);
            for ins in &self.instructions {
                match ins.code {
                    Code::Input(i) => {
                        let d = &mut r[ins.dst * BLOCK..][..len];
                        d.copy_from_slice(&inputs[i][start..start + len]);
                    }
                    Code::Unary(op) => {
                        let (d, a) = split2(&mut r, ins.dst, ins.a);
                        super::kernels::unary(op, &a[..len], &mut d[..len]);
                        if scales(ins.code) {
                            mark(&mut escaped, &d[..len]);
                        }
                    }
                    Code::Binary(op) => {
                        let (d, a, b) = split3(&mut r, ins.dst, ins.a, ins.b);
                        super::kernels::binary(op, &a[..len], &b[..len], &mut d[..len]);
                        if scales(ins.code) {
                            mark(&mut escaped, &d[..len]);
                        }
                    }
                }
            }
            for (out, &o) in outputs.iter_mut().zip(&self.outputs) {
                out[start..start + len].copy_from_slice(&r[o * BLOCK..][..len]);
            }
            for out in outputs.iter() {
                for (e, v) in escaped.iter_mut().zip(&out[start..start + len]) {
                    *e |= !v.is_finite();
                }
            }
            for p in (0..len).filter(|&p| escaped[p]) {
                let point: Vec<f64> = inputs.iter().map(|c| c[start + p]).collect();
                self.widen(
                    &point,
                    outputs.iter_mut().map(|out| &mut out[start + p]).collect(),
                );
            }
            escaped.fill(false);
        }
        Ok(())
    }
}

/// The block of register `d` (mutable) and of register `a`, which differs.
fn split2(r: &mut [f64], d: usize, a: usize) -> (&mut [f64], &[f64]) {
    if d < a {
        let (lo, hi) = r.split_at_mut(a * BLOCK);
        (&mut lo[d * BLOCK..(d + 1) * BLOCK], &hi[..BLOCK])
    } else {
        let (lo, hi) = r.split_at_mut(d * BLOCK);
        (&mut hi[..BLOCK], &lo[a * BLOCK..(a + 1) * BLOCK])
    }
}

/// The block of register `d` (mutable) and of registers `a` and `b`, which differ from it.
fn split3(r: &mut [f64], d: usize, a: usize, b: usize) -> (&mut [f64], &[f64], &[f64]) {
    let (lo, hi) = r.split_at_mut(d * BLOCK);
    let (dst, rest) = hi.split_at_mut(BLOCK);
    let (lo, rest): (&[f64], &[f64]) = (lo, rest);
    let block = |i: usize| {
        if i < d {
            &lo[i * BLOCK..(i + 1) * BLOCK]
        } else {
            &rest[(i - d - 1) * BLOCK..(i - d) * BLOCK]
        }
    };
    (dst, block(a), block(b))
}

/// Whether an instruction's result can leave the range of `f64` where the program's own
/// result does not: the powers and quotients a canonical product is computed with (its
/// numerator over its denominator). A product that overflows in its numerator reaches the
/// quotient as ±∞ (or is an output, which [`Program::eval`] and
/// [`eval_batch`](Program::eval_batch) also look at), so the multiplications need no look.
fn scales(code: Code) -> bool {
    matches!(
        code,
        Code::Unary(Unary::Powi(_) | Unary::Recip | Unary::ConstDiv(_)) | Code::Binary(Binary::Div)
    )
}

/// A result 0 or ±∞: perhaps out of range on the way (a zero input, an `exp` that
/// overflowed, is evaluated again for nothing; the wide evaluation gives the same).
#[inline]
fn out_of_range(y: f64) -> bool {
    (y == 0.0) | (y.abs() == f64::INFINITY)
}

/// Marks the points of a block whose result may have left the range of `f64`: one
/// branch-free pass over the results (it vectorises), a second only for a block with one.
fn mark(escaped: &mut [bool; BLOCK], y: &[f64]) {
    if y.iter().fold(false, |any, &v| any | out_of_range(v)) {
        for (e, &v) in escaped.iter_mut().zip(y) {
            *e |= out_of_range(v);
        }
    }
}
