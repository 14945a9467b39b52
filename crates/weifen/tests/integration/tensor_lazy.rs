//! Pending values (the fused forward pass of element-wise ops) against the same ops computed
//! one at a time.
//!
//! An element-wise op on tensors of at least 2¹⁴ elements returns pending values, computed
//! when read in one blocked pass; below that size each op computes its array at once. So the
//! oracle here is the same function applied to pieces of the input shorter than 2¹⁴ (each
//! starting at a multiple of four, where the vector kernels' groups of four start), whose
//! results must equal the pending ones bit for bit: same kernels, same positions, `f32`
//! rounded after each op.

use crate::common::SPECIAL_VALUES;
use weifen::Scalar;
use weifen::ops::{Binary, Unary};
use weifen::tensor::{Element, Tensor};

/// Pieces shorter than 2¹⁴, a multiple of 4 long.
const PIECE: usize = (1 << 14) - 4;

/// `f` on each input in pieces, the results joined.
fn by_pieces<T: Element>(xs: &[Tensor<T>], f: &dyn Fn(&[Tensor<T>]) -> Tensor<T>) -> Vec<T> {
    let n = xs[0].len();
    let mut out = Vec::with_capacity(n);
    for start in (0..n).step_by(PIECE) {
        let end = (start + PIECE).min(n);
        let pieces: Vec<Tensor<T>> = xs
            .iter()
            .map(|x| Tensor::from(x.to_vec()[start..end].to_vec()))
            .collect();
        out.extend(f(&pieces).to_vec());
    }
    out
}

fn assert_same<T: Element>(pending: &[T], by_pieces: &[T], what: &str) {
    assert_eq!(pending.len(), by_pieces.len(), "{what}");
    for (i, (a, b)) in pending.iter().zip(by_pieces).enumerate() {
        let (a, b) = (a.to_f64(), b.to_f64());
        let same = a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        assert!(same, "{what}, element {i}: pending {a} vs op by op {b}");
    }
}

fn check<T: Element>(xs: &[Tensor<T>], f: &dyn Fn(&[Tensor<T>]) -> Tensor<T>, what: &str) {
    assert_same(&f(xs).to_vec(), &by_pieces(xs, f), what);
}

#[test]
fn every_unary_op_gives_its_values_op_by_op() {
    // One span, and several spans of the parallel pass with a ragged end.
    for n in [16_390, 70_001] {
        let x = Tensor::linspace(-3.0, 3.0, n);
        for op in Unary::all() {
            let f = |x: &[Tensor]| {
                let u = x[0].clone() * 0.9 + 0.02;
                u.clone().unary(op) * u - x[0].clone().exp()
            };
            check(std::slice::from_ref(&x), &f, &format!("{op:?}, n = {n}"));
            let x32 = x.cast::<f32>();
            let f32 = |x: &[Tensor<f32>]| {
                let u = x[0].clone() * 0.9 + 0.02;
                u.clone().unary(op) * u - x[0].clone().exp()
            };
            check(&[x32], &f32, &format!("f32 {op:?}, n = {n}"));
        }
    }
}

#[test]
fn every_binary_op_gives_its_values_op_by_op() {
    let a = Tensor::linspace(-2.0, 3.0, 40_003);
    let b = Tensor::linspace(1.5, -0.7, 40_003);
    for op in Binary::all() {
        let f = |v: &[Tensor]| {
            let (a, b) = (v[0].clone(), v[1].clone());
            a.clone().binary(op, b.clone().exp()) + a.binary(op, b)
        };
        check(&[a.clone(), b.clone()], &f, &format!("{op:?}"));
    }
}

#[test]
fn long_chains_and_special_values() {
    // 100 ops: a recipe takes 32, so three are computed on the way.
    let x = Tensor::linspace(-1.0, 1.0, 33_000);
    let chain =
        |x: &[Tensor]| (0..100).fold(x[0].clone(), |h, k| (h * 0.99 + 0.001 * f64::from(k)).sin());
    check(std::slice::from_ref(&x), &chain, "chain");
    let specials = SPECIAL_VALUES;
    let v: Vec<f64> = (0..20_000).map(|i| specials[i % specials.len()]).collect();
    let x = Tensor::from(v);
    let f = |x: &[Tensor]| (x[0].clone().exp() * x[0].clone()).ln() + x[0].clone().sqrt();
    check(std::slice::from_ref(&x), &f, "specials");
}

#[test]
fn slices_read_in_place_give_the_copied_values() {
    let n = 50_001;
    let x = Tensor::linspace(-1.5, 1.7, n);
    let v = x.to_vec();
    // Rosenbrock's terms, from windows of x, against the same terms on copied vectors.
    let terms = |h: Tensor, t: Tensor| (t - h.clone().powi(2)).powi(2) * 100.0 + (1.0 - h).powi(2);
    let pending = terms(x.slice(0, 0, n - 1), x.slice(0, 1, n));
    let copies = [
        Tensor::from(v[..n - 1].to_vec()),
        Tensor::from(v[1..].to_vec()),
    ];
    let expected = by_pieces(&copies, &|p| terms(p[0].clone(), p[1].clone()));
    assert_same(&pending.to_vec(), &expected, "rosenbrock terms");
    // A window alone, and rows of a matrix.
    assert_eq!(x.slice(0, 7, n).to_vec(), v[7..].to_vec());
    let m = Tensor::linspace(0.0, 1.0, 300 * 100).reshape(&[300, 100]);
    let rows = m.slice(0, 10, 290);
    assert_eq!(rows.shape(), &[280, 100]);
    assert_eq!(rows.to_vec(), m.to_vec()[1000..29_000].to_vec());
}

#[test]
fn pending_values_read_from_several_threads_are_the_same() {
    let x = Tensor::linspace(0.0, 5.0, 100_000);
    let x2 = x.clone().powi(2);
    let y = (x2.clone() * -2.0 + x.clone() * 4.0 + 1.0) * (x2 * -0.5).exp();
    let reads: Vec<Vec<f64>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| y.to_vec())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let exact = |x: f64| (-2.0 * x * x + 4.0 * x + 1.0) * (-x * x / 2.0).exp();
    for r in &reads {
        assert_eq!(r, &reads[0]);
    }
    for (v, x) in reads[0].iter().zip(x.to_vec()) {
        assert!((v - exact(x)).abs() < 1e-14, "x = {x}");
    }
}
