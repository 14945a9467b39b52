//! The fused backward pass over element-wise regions against the op-by-op pass.
//!
//! A pass without `create_graph` runs a region of element-wise nodes in one blocked pass; with
//! `create_graph` the same graph runs each node's rule as tensor ops. The two must agree on
//! every function (the op-by-op pass is the oracle, itself checked against closed forms and
//! central differences in `tensor_gradcheck.rs`), across region boundaries, with captured
//! intermediates, shared nodes, constants, `f32`, and the parallel blocks; and so must a
//! region that reads slices of its inputs in place (windows) and one that starts from a sum's
//! gradient without expanding it. Regions are fused from 2¹⁴ = 16 384 elements, so every
//! tensor here is at least that long.

use crate::common::SPECIAL_VALUES;
use weifen::Scalar;
use weifen::ops::Unary;
use weifen::tensor::{Element, GradOptions, Tensor, TensorError, grad};

fn plain() -> GradOptions {
    GradOptions::default()
}

fn recorded() -> GradOptions {
    GradOptions {
        create_graph: true,
        ..Default::default()
    }
}

/// ∂(Σ g·y)/∂xs, fused and op by op, for `y = build(xs)` and `g` a fixed weighting.
fn both<T: Element>(
    xs: &[Tensor<T>],
    build: impl Fn(&[Tensor<T>]) -> Tensor<T>,
) -> (Vec<Vec<T>>, Vec<Vec<T>>) {
    let run = |options| {
        let xs: Vec<Tensor<T>> = xs.iter().map(|x| x.detach().requires_grad_(true)).collect();
        let y = build(&xs);
        let g = Tensor::linspace(0.5, 1.5, y.len())
            .reshape(y.shape())
            .cast::<T>();
        let refs: Vec<&Tensor<T>> = xs.iter().collect();
        grad(&[&y], &refs, &[&g], options)
            .unwrap()
            .iter()
            .map(Tensor::to_vec)
            .collect::<Vec<_>>()
    };
    (run(plain()), run(recorded()))
}

/// Asserts that the two gradients agree: equal (infinities included), both NaN, or within
/// `rel` relative to the largest finite magnitude.
fn assert_close<T: Element>(fused: &[Vec<T>], by_ops: &[Vec<T>], rel: f64, what: &str) {
    assert_eq!(fused.len(), by_ops.len());
    for (k, (a, b)) in fused.iter().zip(by_ops).enumerate() {
        let finite = b.iter().map(|v| v.to_f64()).filter(|v| v.is_finite());
        let scale = finite.map(f64::abs).fold(1e-300, f64::max);
        for (i, (a, b)) in a.iter().zip(b).enumerate() {
            let (a, b) = (a.to_f64(), b.to_f64());
            let same = a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= rel * scale;
            assert!(
                same,
                "{what}: input {k}, element {i}: fused {a} vs op by op {b}"
            );
        }
    }
}

fn seed<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

#[test]
fn the_seed_gradient_is_the_op_by_op_gradient_and_the_closed_form() {
    // 10⁵ points: the parallel blocks, and a tail that is not a multiple of four.
    for n in [16_389, 100_003] {
        let x = Tensor::linspace(0.0, 5.0, n);
        let (fused, by_ops) = both(std::slice::from_ref(&x), |x| seed(x[0].clone()));
        assert_close(&fused, &by_ops, 1e-15, "seed");
        let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
        let w = Tensor::linspace(0.5, 1.5, n).to_vec();
        for ((d, x), w) in fused[0].iter().zip(x.to_vec()).zip(w) {
            assert!((d - w * exact(x)).abs() < 1e-14, "x = {x}");
        }
    }
}

#[test]
fn every_unary_op_fuses_like_its_rule() {
    let x = Tensor::linspace(0.05, 0.95, 16_387);
    for op in Unary::all() {
        // Inside the region on both sides: an affine map before, a product after.
        let (fused, by_ops) = both(std::slice::from_ref(&x), |x| {
            let u = x[0].clone() * 0.9 + 0.02;
            u.clone().unary(op) * u
        });
        assert_close(&fused, &by_ops, 1e-14, &format!("{op:?}"));
    }
}

#[test]
fn binary_ops_shared_operands_and_constants_fuse() {
    let a = Tensor::linspace(0.2, 2.0, 16_385);
    let b = Tensor::linspace(1.5, -0.7, 16_385);
    let c = Tensor::linspace(3.0, 4.0, 16_385); // a constant: does not require grad
    let (fused, by_ops) = both(&[a.clone(), b.clone()], |v| {
        let (a, b) = (v[0].clone(), v[1].clone());
        let p = a.clone() * a.clone(); // the same operand twice
        let q = (a.clone() / (b.clone() * b.clone() + 1.0)).pow(c.clone() * 0.1);
        (p - q.clone() + b.clone().max(a.clone())) * c.clone() + q.atan2(b.clone())
    });
    assert_close(&fused, &by_ops, 1e-14, "binary");
}

#[test]
fn chains_longer_than_one_region_and_nodes_used_outside_it() {
    let x = Tensor::linspace(-1.0, 1.0, 16_384);
    // 100 ops in a chain: several regions, each handing its input a gradient.
    let (fused, by_ops) = both(std::slice::from_ref(&x), |x| {
        (0..100).fold(x[0].clone(), |h, k| (h * 0.99 + 0.001 * f64::from(k)).sin())
    });
    assert_close(&fused, &by_ops, 1e-14, "chain");
    // `h` feeds the region of `y` and a reduction outside it (broadcast back), and `y` goes
    // through a reshape before its last product: none of these joins a region.
    let (fused, by_ops) = both(std::slice::from_ref(&x), |x| {
        let h = x[0].clone().exp() * 0.5;
        let y = h.clone().tanh() * h.clone() + h.clone().sum();
        y.reshape(&[1, 16_384]) * Tensor::linspace(1.0, 2.0, 16_384).reshape(&[1, 16_384])
    });
    assert_close(&fused, &by_ops, 1e-14, "outside");
}

#[test]
fn an_intermediate_asked_for_gets_its_own_gradient() {
    let x = Tensor::linspace(0.1, 2.0, 20_000).requires_grad_(true);
    let h = x.clone().sin() * 2.0;
    let y = (h.clone().exp() * h.clone()).sum();
    let g = grad(&[&y], &[&x, &h], &[&Tensor::scalar(1.0)], plain()).unwrap();
    for ((dx, dh), x) in g[0].to_vec().iter().zip(g[1].to_vec()).zip(x.to_vec()) {
        let h = 2.0 * x.sin();
        let exact_dh = h.exp() * (1.0 + h);
        assert!((dh - exact_dh).abs() < 1e-13 * exact_dh.abs());
        assert!((dx - exact_dh * 2.0 * x.cos()).abs() < 1e-12);
    }
}

#[test]
fn a_fused_pass_frees_the_buffers_unless_retained() {
    let x = Tensor::linspace(0.0, 1.0, 20_000).requires_grad_(true);
    let y = (x.clone().exp() * x.clone()).sin();
    let ones = Tensor::ones_like(&y);
    let keep = GradOptions {
        retain_graph: true,
        ..Default::default()
    };
    let first = grad(&[&y], &[&x], &[&ones], keep).unwrap().remove(0);
    let second = grad(&[&y], &[&x], &[&ones], plain()).unwrap().remove(0);
    assert_eq!(first.to_vec(), second.to_vec());
    let err = grad(&[&y], &[&x], &[&ones], plain()).unwrap_err();
    assert!(matches!(err, TensorError::BuffersFreed { .. }), "{err}");
}

#[test]
fn f32_regions_agree_with_the_op_by_op_pass() {
    let x = Tensor::linspace(0.0, 5.0, 70_001).cast::<f32>();
    let (fused, by_ops) = both(&[x], |x| seed(x[0].clone()));
    // Both passes compute in f32, the fused one in another order (the region sweeps the
    // adjoint through its nodes, op by op adds whole arrays): a few f32 ulp apart.
    assert_close(&fused, &by_ops, 4.0 * f64::from(f32::EPSILON), "f32 seed");
}

#[test]
fn special_values_give_what_the_op_by_op_pass_gives() {
    // Zeros, infinities, NaN, subnormals and huge values at every position of a long tensor:
    // the fused pass must agree with the op-by-op pass element by element, NaN for NaN.
    let specials = SPECIAL_VALUES;
    let n = 16_384 + 13;
    let values: Vec<f64> = (0..n)
        .map(|i| specials[i % specials.len()] * (1.0 + (i / 13) as f64 * 1e-3))
        .collect();
    let x = Tensor::from(values);
    for op in Unary::all() {
        let (fused, by_ops) = both(std::slice::from_ref(&x), |x| {
            let u = x[0].clone().unary(op);
            u.clone() * x[0].clone() + u
        });
        // Element by element, relative to the element itself (the values span 600 decades).
        for (i, (a, b)) in fused[0].iter().zip(&by_ops[0]).enumerate() {
            let close = (a - b).abs() <= 1e-14 * a.abs().max(b.abs());
            let same = a == b || (a.is_nan() && b.is_nan()) || close;
            assert!(
                same,
                "{op:?}, x = {:e}: fused {a} vs op by op {b}",
                x.to_vec()[i]
            );
        }
    }
}

/// The Rosenbrock function as a sum over neighbours: two windows of `x` (offsets 0 and 1)
/// under a sum.
fn rosenbrock<T: Element>(x: &Tensor<T>) -> Tensor<T> {
    let n = x.len();
    let (head, tail) = (x.slice(0, 0, n - 1), x.slice(0, 1, n));
    ((tail - head.clone().powi(2)).powi(2) * 100.0 + (1.0 - head).powi(2)).sum()
}

#[test]
fn windows_under_a_sum_give_the_op_by_op_gradient_and_the_closed_form() {
    // One block, one span, and several spans of the parallel pass with a ragged end.
    for n in [16_390, 70_001, 200_003] {
        let x = Tensor::linspace(-1.5, 1.7, n);
        let (fused, by_ops) = both(std::slice::from_ref(&x), |x| rosenbrock(&x[0]));
        assert_close(&fused, &by_ops, 1e-15, "rosenbrock");
        let w = Tensor::linspace(0.5, 1.5, 1).to_vec()[0];
        let v = x.to_vec();
        for (i, d) in fused[0].iter().enumerate() {
            let mut exact = 0.0;
            if i + 1 < n {
                exact += -400.0 * v[i] * (v[i + 1] - v[i] * v[i]) - 2.0 * (1.0 - v[i]);
            }
            if i > 0 {
                exact += 200.0 * (v[i] - v[i - 1] * v[i - 1]);
            }
            let err = (d - w * exact).abs();
            assert!(err <= 1e-12 * exact.abs().max(1.0), "n = {n}, element {i}");
        }
    }
}

/// A function of the test's inputs.
type Builder<'a> = Box<dyn Fn(&[Tensor]) -> Tensor + 'a>;

#[test]
fn windows_with_gaps_several_offsets_and_other_layouts() {
    let n = 70_003;
    let x = Tensor::linspace(-1.0, 2.0, n);
    let z = Tensor::linspace(0.3, 0.9, n - 5);
    let cases: Vec<(&str, Builder)> = vec![
        // One window: zeros before and after it.
        (
            "one window",
            Box::new(|x| x[0].slice(0, 3, n - 2).sin() * 2.0),
        ),
        // Three windows into x, and a second input read whole.
        (
            "three windows",
            Box::new(|x| {
                let a = x[0].slice(0, 5, n) * x[0].slice(0, 0, n - 5);
                a + x[0].slice(0, 2, n - 3).exp() * x[1].clone()
            }),
        ),
        // x whole and as a window of itself (offset 0).
        (
            "whole",
            Box::new(|x| x[0].slice(0, 0, n) * x[0].clone().cos()),
        ),
        // Windows far apart: not fused as windows, still right.
        (
            "far apart",
            Box::new(|x| x[0].slice(0, 0, n / 2) * x[0].slice(0, n - n / 2, n).exp()),
        ),
        // A window of an intermediate, which then gets its gradient as a whole.
        (
            "of a node",
            Box::new(|x| {
                let y = x[0].clone().sin() * 3.0;
                (y.slice(0, 1, n) * y.slice(0, 0, n - 1)).tanh()
            }),
        ),
        // A window also used outside the region.
        (
            "shared",
            Box::new(|x| {
                let a = x[0].slice(0, 1, n);
                a.clone().exp() * a.clone() + a.sum()
            }),
        ),
    ];
    for (what, build) in &cases {
        let (fused, by_ops) = both(&[x.clone(), z.clone()], |v| {
            let y = build(v);
            // The same gradient for z whatever the case uses: add z's contribution to the end.
            let m = y.len();
            y + v[1].slice(0, 0, m.min(n - 5)).sum() * 0.0
        });
        assert_close(&fused, &by_ops, 1e-14, what);
    }
}

#[test]
fn windows_along_the_first_dimension_of_a_matrix() {
    // Rows 1.. and ..m−1 of an m×k matrix are windows k apart; within `MAX_SPREAD` (k = 7)
    // they are fused as windows, beyond it (k = 300) as whole inputs. Slices along the
    // second dimension are never windows.
    for k in [7, 300] {
        let m = 20_000 / k + 3;
        let x = Tensor::linspace(-1.0, 1.0, m * k).reshape(&[m, k]);
        let (fused, by_ops) = both(std::slice::from_ref(&x), |x| {
            let x = &x[0];
            let rows = x.slice(0, 1, m) * x.slice(0, 0, m - 1).sin();
            let cols = x.slice(1, 1, k).exp() * x.slice(1, 0, k - 1);
            rows.sum() + cols.sum()
        });
        assert_close(&fused, &by_ops, 1e-14, &format!("k = {k}"));
    }
}

#[test]
fn f32_windows_agree_with_the_op_by_op_pass() {
    let x = Tensor::linspace(-1.5, 1.7, 70_001).cast::<f32>();
    let (fused, by_ops) = both(&[x], |x| rosenbrock(&x[0]));
    assert_close(
        &fused,
        &by_ops,
        4.0 * f64::from(f32::EPSILON),
        "f32 rosenbrock",
    );
}

#[test]
fn a_broadcast_sum_gradient_frees_buffers_unless_retained_and_means_fuse_too() {
    let x = Tensor::linspace(0.0, 1.0, 20_000).requires_grad_(true);
    // A region of one node under the sum, and a mean (a sum, then a division).
    for (y, scale) in [(x.clone().sin().sum(), 1.0), (x.clone().sin().mean(), 2e4)] {
        let keep = GradOptions {
            retain_graph: true,
            ..Default::default()
        };
        let first = grad(&[&y], &[&x], &[], keep).unwrap().remove(0);
        for (d, x) in first.to_vec().iter().zip(x.to_vec()) {
            assert!((d * scale - x.cos()).abs() < 1e-15, "x = {x}");
        }
        let second = grad(&[&y], &[&x], &[], plain()).unwrap().remove(0);
        assert_eq!(first.to_vec(), second.to_vec());
        let err = grad(&[&y], &[&x], &[], plain()).unwrap_err();
        assert!(matches!(err, TensorError::BuffersFreed { .. }), "{err}");
    }
}
