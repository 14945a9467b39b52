//! The op-by-op rules on plain arrays against the same rules recorded as tensors.
//!
//! Without `create_graph`, a node's gradient is computed on plain arrays: a linear op's
//! constant derivative from the table's rule evaluated once, any other element-wise op by
//! one pass of the kernel a fused region runs (`g·∂` from the inputs and the output). With
//! `create_graph` the table's rule runs as tensor ops. The two must agree for every op of
//! the table, on ordinary points and special values (zeros, infinities, NaN, subnormals,
//! huge values), in `f64` and `f32`, for arrays of one element, a ragged length, and one
//! long enough for the parallel blocks. `tensor_gradcheck.rs` holds the plain pass to
//! central differences; this holds it to the recorded rules element by element.

use crate::common::SPECIAL_VALUES;
use weifen::Scalar;
use weifen::ops::{Binary, Unary};
use weifen::tensor::{Element, GradOptions, Tensor, grad};

/// Lengths: one element, a ragged one (lanes, then four, then one by one), and one past
/// the parallel threshold (2¹⁵) that is not a multiple of the parallel block.
const LENGTHS: [usize; 3] = [1, 1_003, 32_768 + 4_099];

/// Ordinary points of both signs and every special value, cycled to length `n`.
fn values(n: usize, shift: f64) -> Vec<f64> {
    let ordinary = [0.3, -0.7, 1.9, -2.4];
    let specials: Vec<f64> = ordinary.into_iter().chain(SPECIAL_VALUES).collect();
    (0..n)
        .map(|i| specials[(i + shift as usize) % specials.len()] * (1.0 + (i / 17) as f64 * 1e-3))
        .map(|v| v + shift * 0.01)
        .collect()
}

/// The gradients of `Σ g·build(xs)` with respect to `xs`, plain and with `create_graph`.
fn both<T: Element>(
    xs: &[Vec<f64>],
    build: impl Fn(&[Tensor<T>]) -> Tensor<T>,
) -> [Vec<Vec<f64>>; 2] {
    [false, true].map(|create_graph| {
        let xs: Vec<Tensor<T>> = xs
            .iter()
            .map(|v| Tensor::from(v.clone()).cast::<T>().requires_grad_(true))
            .collect();
        let y = build(&xs);
        let g = Tensor::linspace(0.5, 1.5, y.len()).cast::<T>();
        let refs: Vec<&Tensor<T>> = xs.iter().collect();
        let options = GradOptions {
            create_graph,
            allow_unused: true,
            ..Default::default()
        };
        grad(&[&y], &refs, &[&g], options)
            .unwrap()
            .iter()
            .map(|d| d.to_vec().into_iter().map(|v| v.to_f64()).collect())
            .collect()
    })
}

/// Element by element, relative to the element itself (the values span 600 decades):
/// equal, both NaN, or within `rel`.
fn assert_agree(plain: &[Vec<f64>], recorded: &[Vec<f64>], rel: f64, what: &str) {
    for (k, (a, b)) in plain.iter().zip(recorded).enumerate() {
        assert_eq!(a.len(), b.len(), "{what}: input {k}");
        for (i, (a, b)) in a.iter().zip(b).enumerate() {
            let close = (a - b).abs() <= rel * a.abs().max(b.abs());
            assert!(
                a == b || (a.is_nan() && b.is_nan()) || close,
                "{what}: input {k}, element {i}: plain {a} vs recorded {b}"
            );
        }
    }
}

/// `f64`: the same table rules in another order of operations, a few ulp apart at most.
const REL_F64: f64 = 1e-14;
/// `f32`: both passes compute in `f32` (the rule's products rounded to `f32` at each step
/// as tensors, in lanes in the kernel): a few `f32` ulp apart.
const REL_F32: f64 = 4.0 * f32::EPSILON as f64;

fn every_unary_op<T: Element>(rel: f64) {
    for n in LENGTHS {
        let x = values(n, 0.0);
        for op in Unary::all() {
            let [plain, recorded] = both::<T>(std::slice::from_ref(&x), |x| x[0].clone().unary(op));
            assert_agree(&plain, &recorded, rel, &format!("{op:?}, n = {n}"));
        }
    }
}

fn every_binary_op<T: Element>(rel: f64) {
    for n in LENGTHS {
        let (a, b) = (values(n, 0.0), values(n, 5.0));
        for op in Binary::all() {
            // Both operands, one of them, and one tensor on both sides.
            let [plain, recorded] = both::<T>(&[a.clone(), b.clone()], |v| {
                v[0].clone().binary(op, v[1].clone())
            });
            assert_agree(&plain, &recorded, rel, &format!("{op:?}, n = {n}"));
            let c = Tensor::from(b.clone()).cast::<T>();
            let [plain, recorded] = both::<T>(std::slice::from_ref(&a), |v| {
                v[0].clone().binary(op, c.clone())
            });
            assert_agree(
                &plain,
                &recorded,
                rel,
                &format!("{op:?} by a constant, n = {n}"),
            );
            let [plain, recorded] = both::<T>(std::slice::from_ref(&a), |v| {
                v[0].clone().binary(op, v[0].clone())
            });
            assert_agree(
                &plain,
                &recorded,
                rel,
                &format!("{op:?} of x and x, n = {n}"),
            );
        }
    }
}

#[test]
fn every_unary_rule_on_arrays_is_the_recorded_rule() {
    every_unary_op::<f64>(REL_F64);
    every_unary_op::<f32>(REL_F32);
}

#[test]
fn every_binary_rule_on_arrays_is_the_recorded_rule() {
    every_binary_op::<f64>(REL_F64);
    every_binary_op::<f32>(REL_F32);
}

#[test]
fn broadcast_operands_and_a_uniform_gradient_keep_the_rules_on_tensors() {
    // Not one shape (broadcast), and an output gradient made as one value: the rule runs
    // as tensors in both passes, and they agree with the closed form.
    let a = Tensor::linspace(0.5, 2.0, 12)
        .reshape(&[3, 4])
        .requires_grad_(true);
    let b = Tensor::linspace(1.0, 3.0, 4).requires_grad_(true);
    let y = (a.clone() / b.clone()).exp();
    let g = grad(
        &[&y],
        &[&a, &b],
        &[&Tensor::ones_like(&y)],
        GradOptions::default(),
    )
    .unwrap();
    let (av, bv) = (a.to_vec(), b.to_vec());
    for i in 0..3 {
        for j in 0..4 {
            let (p, q) = (av[4 * i + j], bv[j]);
            let da = (p / q).exp() / q;
            assert!((g[0].to_vec()[4 * i + j] - da).abs() <= 1e-14 * da.abs());
        }
    }
    for j in 0..4 {
        let q = bv[j];
        let db: f64 = (0..3)
            .map(|i| -(av[4 * i + j] / q).exp() * av[4 * i + j] / (q * q))
            .sum();
        assert!((g[1].to_vec()[j] - db).abs() <= 1e-13 * db.abs());
    }
}
