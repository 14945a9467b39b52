//! `f32` tensors against the same computation in `f64` (the oracle: the op table's kernels and
//! rules are the same, only the rounding of each stored result differs).
//!
//! Tolerances: every op's result is rounded to `f32` (unit roundoff u = 2⁻²⁴ ≈ 6·10⁻⁸), and the
//! derivative rules read those rounded values, so a single op's gradient carries a few u of
//! relative error times the rule's condition number, which is below 10 at the points used (kept
//! 10% inside each domain). A relative tolerance of 10⁻⁵ ≈ 170u leaves room for that and for
//! the handful of ops in the composite checks, and is still four orders of magnitude tighter
//! than a wrong rule would give.

use weifen::Scalar;
use weifen::ops::{Binary, Domain, Unary};
use weifen::tensor::elementwise::{self, ElementwiseFn, value_and_derivative};
use weifen::tensor::functional::jacobian;
use weifen::tensor::{GradOptions, Tensor, grad};

const TOL: f64 = 1e-5;

/// Points of `d` (kept 10% inside it and away from its kink), exactly representable in f32.
fn points(d: Domain, n: usize, seed: u64) -> Tensor {
    let lo = if d.lo.is_finite() { d.lo } else { -2.0 };
    let hi = if d.hi.is_finite() {
        d.hi
    } else {
        lo.max(-2.0) + 4.0
    };
    let (lo, hi) = (lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo));
    let v = Tensor::rand(&[n], seed)
        .to_vec()
        .into_iter()
        .map(|u| {
            let x = lo + u * (hi - lo);
            let x = match d.kink {
                Some(k) if (x - k).abs() < 0.1 => k + 0.1f64.copysign(x - k),
                _ => x,
            };
            f64::from(x as f32)
        })
        .collect::<Vec<_>>();
    Tensor::from(v)
}

/// ∂(Σ w⊙f(x))/∂x in f64 and in f32, compared elementwise.
fn agree(
    what: &str,
    f: &dyn Fn(&[Tensor<f32>]) -> Tensor<f32>,
    g: &dyn Fn(&[Tensor]) -> Tensor,
    inputs: &[Tensor],
) {
    let x64: Vec<Tensor> = inputs
        .iter()
        .map(|x| x.clone().requires_grad_(true))
        .collect();
    let x32: Vec<Tensor<f32>> = inputs
        .iter()
        .map(|x| x.cast::<f32>().requires_grad_(true))
        .collect();
    let y64 = g(&x64);
    let y32 = f(&x32);
    for (a, b) in y32.to_vec().iter().zip(y64.to_vec()) {
        assert!(
            (f64::from(*a) - b).abs() <= TOL * b.abs().max(1.0),
            "{what}: value {a} vs {b}"
        );
    }
    let refs64: Vec<&Tensor> = x64.iter().collect();
    let refs32: Vec<&Tensor<f32>> = x32.iter().collect();
    let g64 = grad(
        &[&y64],
        &refs64,
        &[&Tensor::ones_like(&y64)],
        GradOptions::default(),
    )
    .unwrap();
    let g32 = grad(
        &[&y32],
        &refs32,
        &[&Tensor::ones_like(&y32)],
        GradOptions::default(),
    )
    .unwrap();
    for (i, (a, b)) in g32.iter().zip(&g64).enumerate() {
        for (a, b) in a.to_vec().iter().zip(b.to_vec()) {
            let a = f64::from(*a);
            assert!(
                (a - b).abs() <= TOL * b.abs().max(1.0),
                "{what}: input {i}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn every_unary_op_in_f32_agrees_with_f64() {
    for (k, op) in Unary::all().into_iter().enumerate() {
        let x = points(op.spec().domain, 8, k as u64);
        agree(
            op.spec().name,
            &move |xs| xs[0].clone().unary(op),
            &move |xs| xs[0].clone().unary(op),
            &[x],
        );
    }
}

#[test]
fn every_binary_op_in_f32_agrees_with_f64_with_broadcasting() {
    for (k, op) in Binary::all().into_iter().enumerate() {
        let spec = op.spec();
        let a = points(spec.a, 6, 50 + k as u64).reshape(&[2, 3]);
        let b = points(spec.b, 3, 80 + k as u64);
        agree(
            spec.name,
            &move |xs| xs[0].clone().binary(op, xs[1].clone()),
            &move |xs| xs[0].clone().binary(op, xs[1].clone()),
            &[a, b],
        );
    }
}

#[test]
fn reductions_and_matmul_in_f32_agree_with_f64() {
    let x = points(Domain::open(0.5, 2.0), 24, 3).reshape(&[2, 3, 4]);
    for dim in 0..3 {
        agree(
            "sum",
            &|xs| xs[0].sum_dim(dim, false),
            &|xs| xs[0].sum_dim(dim, false),
            std::slice::from_ref(&x),
        );
        agree(
            "prod",
            &|xs| xs[0].prod_dim(dim, true),
            &|xs| xs[0].prod_dim(dim, true),
            std::slice::from_ref(&x),
        );
        agree(
            "max",
            &|xs| xs[0].max_dim(dim, false),
            &|xs| xs[0].max_dim(dim, false),
            std::slice::from_ref(&x),
        );
        agree(
            "logsumexp",
            &|xs| xs[0].logsumexp_dim(dim, false),
            &|xs| xs[0].logsumexp_dim(dim, false),
            std::slice::from_ref(&x),
        );
    }
    let b = points(Domain::REAL, 8, 4).reshape(&[4, 2]);
    agree(
        "matmul",
        &|xs| xs[0].matmul(&xs[1]),
        &|xs| xs[0].matmul(&xs[1]),
        &[x, b],
    );
}

/// The seed function.
fn f<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

struct Seed;
impl ElementwiseFn for Seed {
    fn eval<S: Scalar>(&self, x: S) -> S {
        f(x)
    }
}

#[test]
fn seed_derivatives_in_f32_are_close_to_the_exact_ones() {
    let exact1 = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
    let exact2 = |x: f64| {
        (-2.0 * x.powi(4) + 4.0 * x.powi(3) + 11.0 * x * x - 12.0 * x - 5.0) * (-x * x / 2.0).exp()
    };
    let x = Tensor::linspace(0.0, 5.0, 1000)
        .cast::<f32>()
        .requires_grad_(true);
    let y = f(x.clone());
    let options = GradOptions {
        create_graph: true,
        ..Default::default()
    };
    let d1 = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], options)
        .unwrap()
        .remove(0);
    let d2 = grad(
        &[&d1],
        &[&x],
        &[&Tensor::ones_like(&d1)],
        GradOptions::default(),
    )
    .unwrap()
    .remove(0);
    let (_, fused) = value_and_derivative(&Seed, &x.detach());
    for (i, &xi) in x.to_vec().iter().enumerate() {
        let xv = f64::from(xi);
        // |f′|, |f″| ≤ 6 on [0, 5]; a few roundings of terms of that size.
        assert!(
            (f64::from(d1.to_vec()[i]) - exact1(xv)).abs() < 6.0 * TOL,
            "f′ at {xv}"
        );
        assert!(
            (f64::from(d2.to_vec()[i]) - exact2(xv)).abs() < 6.0 * TOL,
            "f″ at {xv}"
        );
        // The fused path computes each op in f32 as the graph does (its exp within 1 ulp):
        // a few roundings of terms of size ≤ 6, as above.
        assert!(
            (f64::from(fused.to_vec()[i]) - exact1(xv)).abs() < 6.0 * TOL,
            "fused at {xv}"
        );
    }
}

#[test]
fn f32_jacobian_and_cast() {
    let g = |x: &Tensor<f32>| {
        Tensor::stack(&[&(x.get(0).powi(2) + x.get(1)), &(x.get(1) * x.get(2))], 0)
    };
    let j = jacobian(g, &Tensor::from(vec![1.0f32, 2.0, 3.0])).unwrap();
    assert_eq!(j.to_vec(), vec![2.0f32, 1.0, 0.0, 0.0, 3.0, 2.0]);
    let x = Tensor::from(vec![0.1]).requires_grad_(true);
    let c = x.cast::<f32>();
    assert!(!c.requires_grad(), "a cast is cut from the graph");
    assert_eq!(c.to_vec(), vec![0.1f32]);
    assert_eq!(format!("{c:?}"), "tensor([0.1], dtype=f32)");
}

/// An arithmetic function with a constant `f32` cannot hold (`0.1`, applied in `f64` by
/// both paths).
struct Rational;
impl ElementwiseFn for Rational {
    fn eval<S: Scalar>(&self, x: S) -> S {
        let x2 = x.clone() * x.clone();
        (x2.clone() * -2.0 + x * 4.0 + 1.0) / (x2.sqrt() + 0.1) - 3.0
    }
}

#[test]
fn fused_f32_values_are_the_graphs_op_for_op() {
    // Past the fused path's trial size, and a tail that is not a multiple of sixteen.
    let x = Tensor::linspace(-7.0, 7.0, 70_013).cast::<f32>();
    let fused = elementwise::map(&Rational, &x).to_vec();
    let graph = Rational.eval(x.clone()).to_vec();
    for ((a, b), x) in fused.iter().zip(&graph).zip(x.to_vec()) {
        assert_eq!(a.to_bits(), b.to_bits(), "at {x}: fused {a:e}, graph {b:e}");
    }
    // With exp, whose f32 kernel is within 1 ulp of the graph's (the f64 kernel, rounded):
    // the seed's values, exp times a polynomial with the same bits, within that ulp and the
    // product's rounding, relative.
    let fused = elementwise::map(&Seed, &x).to_vec();
    let graph = f(x.clone()).to_vec();
    for ((a, b), x) in fused.iter().zip(&graph).zip(x.to_vec()) {
        let d = f64::from(*a) - f64::from(*b);
        let tol = 3.0 * f64::from(f32::EPSILON) * f64::from(*b).abs();
        assert!(d.abs() <= tol, "at {x}: fused {a:e}, graph {b:e}");
    }
}
