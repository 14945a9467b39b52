//! Element-wise loops for [`Program::eval_batch`](super::Program::eval_batch): the common ops
//! get a loop of their own (which the compiler vectorises), the others call the op table's
//! `f64` kernel per element.

use crate::ops::{Binary, Unary};

/// `d[i] = op(a[i])`.
pub(crate) fn unary(op: Unary, a: &[f64], d: &mut [f64]) {
    match op {
        Unary::Neg => d.iter_mut().zip(a).for_each(|(d, &a)| *d = -a),
        Unary::Powi(2) => d.iter_mut().zip(a).for_each(|(d, &a)| *d = a * a),
        Unary::Sqrt => d.iter_mut().zip(a).for_each(|(d, &a)| *d = a.sqrt()),
        Unary::Exp => d.iter_mut().zip(a).for_each(|(d, &a)| *d = a.exp()),
        Unary::Sin => d.iter_mut().zip(a).for_each(|(d, &a)| *d = a.sin()),
        Unary::Cos => d.iter_mut().zip(a).for_each(|(d, &a)| *d = a.cos()),
        // A closure, not a `dyn Fn`: the kernel inlines, and its match on `op` can be
        // hoisted out of the loop.
        _ => d.iter_mut().zip(a).for_each(|(d, &a)| *d = op.eval(a)),
    }
}

/// `d[i] = op(a[i], b[i])`.
pub(crate) fn binary(op: Binary, a: &[f64], b: &[f64], d: &mut [f64]) {
    let zip = d.iter_mut().zip(a.iter().zip(b));
    match op {
        Binary::Add => zip.for_each(|(d, (&a, &b))| *d = a + b),
        Binary::Sub => zip.for_each(|(d, (&a, &b))| *d = a - b),
        Binary::Mul => zip.for_each(|(d, (&a, &b))| *d = a * b),
        Binary::Div => zip.for_each(|(d, (&a, &b))| *d = a / b),
        _ => zip.for_each(|(d, (&a, &b))| *d = op.eval(a, b)),
    }
}
