//! Forward-mode benchmarks: weifen against plain `f64`, num-dual and echidna.
//!
//! Measured in the **default release profile** — what a user's `cargo build --release`
//! gives: `opt-level = 3`, no LTO (crate-local thin LTO only), 16 codegen units, the baseline
//! x86-64 target (SSE2, no `target-cpu`). The workspace's `[profile.bench]` only sets
//! `debug = false`, which does not change the generated code. So the figures show what the
//! dispatch from `x.sin()` to the op's kernel and rule costs when inlining is left to LLVM's
//! default heuristics.
//!
//! Every test function is written once per library, with the same operations in the same
//! order: `f<S: weifen::Scalar>`, `f_nd<D: num_dual::DualNum>`, `f_ec<T: echidna::Scalar>`
//! (and a hand-written `f64` baseline where one is timed). Each comes in two variants chosen
//! by the const parameter `POWI`: squares written `x*x` (`false`) or `x.powi(2)` (`true`);
//! the `if` on a const folds at compile time. Each workload is one criterion group per
//! variant whose members are the libraries, so the report puts them side by side. Before
//! timing, each group checks that the libraries agree (a correctness check, never a timing
//! assertion).
//!
//! echidna's `hessian` records its tape on every call, as a user calls it; that is timed too.
//!
//! Run with `cargo bench -p weifen --bench forward -- --warm-up-time 1 --measurement-time 3`
//! on a shared machine. There, compare members of one group only, run close together: on a
//! loaded machine two members with identical machine code can differ by a third.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use echidna::{BReverse, Dual as EcDual};
use nalgebra::{DVector, SVector};
use num_dual::{
    Dual2DVec64, Dual2SVec64, Dual64, DualDVec64, DualNum, DualSVec64, first_derivative,
};
use std::hint::black_box;
use std::ops::{Add, Mul};
use weifen::{Scalar, forward};

// The test functions, once per library; `POWI` picks how squares are written.

/// The seed: f(x) = (−2x² + 4x + 1)·exp(−x²/2), in plain `f64`.
fn seed_f64<const POWI: bool>(x: f64) -> f64 {
    let x2 = if POWI { x.powi(2) } else { x * x };
    (x2 * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// The seed, for weifen.
fn seed<S: Scalar, const POWI: bool>(x: S) -> S {
    let x2 = if POWI {
        x.clone().powi(2)
    } else {
        x.clone() * x.clone()
    };
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// The seed, for num-dual.
fn seed_nd<D: DualNum<Primitive = f64>, const POWI: bool>(x: D) -> D {
    let x2 = if POWI {
        x.clone().powi(2)
    } else {
        x.clone() * x.clone()
    };
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// echidna's scalars with `f64` constants on the right, as the functions use them.
trait EcScalar: echidna::Scalar + Mul<f64, Output = Self> + Add<f64, Output = Self> {}
impl<T: echidna::Scalar + Mul<f64, Output = T> + Add<f64, Output = T>> EcScalar for T {}

/// The seed, for echidna.
fn seed_ec<T: EcScalar, const POWI: bool>(x: T) -> T {
    let x2 = if POWI { x.powi(2) } else { x * x };
    (x2 * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// Extended Rosenbrock: Σ_{i<n−1} 100(x_{i+1} − x_i²)² + (1 − x_i)², for n ≥ 2.
fn rosenbrock<S: Scalar, const POWI: bool>(x: &[S]) -> S {
    let sq = |v: S| if POWI { v.powi(2) } else { v.clone() * v };
    let term = |i: usize| {
        let (a, b) = (x[i].clone(), x[i + 1].clone());
        sq(b - sq(a.clone())) * 100.0 + sq(-a + 1.0)
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

/// Extended Rosenbrock, for num-dual.
fn rosenbrock_nd<D: DualNum<Primitive = f64>, const POWI: bool>(x: &[D]) -> D {
    let sq = |v: D| if POWI { v.powi(2) } else { v.clone() * v };
    let term = |i: usize| {
        let (a, b) = (x[i].clone(), x[i + 1].clone());
        sq(b - sq(a.clone())) * 100.0 + sq(-a + 1.0)
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

/// Extended Rosenbrock, for echidna.
fn rosenbrock_ec<T: EcScalar, const POWI: bool>(x: &[T]) -> T {
    let sq = |v: T| if POWI { v.powi(2) } else { v * v };
    let term = |i: usize| {
        let (a, b) = (x[i], x[i + 1]);
        sq(b - sq(a)) * 100.0 + sq(-a + 1.0)
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

/// The seed map ℝ³ → ℝ²: [x0² + x1, x1·x2].
fn seed_map<S: Scalar, const POWI: bool>(x: &[S]) -> Vec<S> {
    let x0 = x[0].clone();
    let x0sq = if POWI { x0.powi(2) } else { x0.clone() * x0 };
    vec![x0sq + x[1].clone(), x[1].clone() * x[2].clone()]
}

/// The seed map, for num-dual.
fn seed_map_nd<D: DualNum<Primitive = f64>, const POWI: bool>(x: &[D]) -> Vec<D> {
    let x0 = x[0].clone();
    let x0sq = if POWI { x0.powi(2) } else { x0.clone() * x0 };
    vec![x0sq + x[1].clone(), x[1].clone() * x[2].clone()]
}

// Helpers.

/// The variant's name in the report.
fn variant(powi: bool) -> &'static str {
    if powi { "powi(2)" } else { "x*x" }
}

/// The classic starting point (−1.2, 1, −1.2, 1, …).
fn rosenbrock_start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

#[track_caller]
fn assert_close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{x} != {y}");
    }
}

/// Sums `f` over the points: the measured loop of the seed workload.
#[inline(always)]
fn sum_over(points: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut sum = 0.0;
    for &x in points {
        sum += f(x);
    }
    sum
}

// Workloads.

fn seed_derivative<const POWI: bool>(c: &mut Criterion) {
    const POINTS: usize = 1_000_000;
    let points: Vec<f64> = (0..POINTS)
        .map(|i| 5.0 * i as f64 / (POINTS - 1) as f64)
        .collect();
    // f and f′ at a few points agree between the libraries.
    for &x in points.iter().step_by(99_999) {
        let ours = forward::value_and_derivative(seed::<_, POWI>, x);
        let nd = first_derivative(seed_nd::<Dual64, POWI>, x);
        let ec = seed_ec::<_, POWI>(EcDual::variable(x));
        assert_close(
            &[ours.0, ours.1, ours.1],
            &[seed_f64::<POWI>(x), nd.1, ec.eps],
        );
    }

    let mut group = c.benchmark_group(format!("seed_derivative_1e6 {}", variant(POWI)));
    group.sample_size(20);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function("f64 (f only)", |b| {
        b.iter(|| sum_over(black_box(&points), seed_f64::<POWI>))
    });
    group.bench_function("weifen", |b| {
        b.iter(|| {
            sum_over(black_box(&points), |x| {
                forward::derivative(seed::<_, POWI>, x)
            })
        })
    });
    group.bench_function("num-dual Dual64", |b| {
        b.iter(|| {
            sum_over(black_box(&points), |x| {
                first_derivative(seed_nd::<Dual64, POWI>, x).1
            })
        })
    });
    group.bench_function("echidna Dual", |b| {
        b.iter(|| {
            sum_over(black_box(&points), |x| {
                seed_ec::<_, POWI>(EcDual::variable(x)).eps
            })
        })
    });
    group.finish();
}

fn rosenbrock_gradient<const POWI: bool>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("rosenbrock_gradient {}", variant(POWI)));
    for n in [10, 100] {
        let x = rosenbrock_start(n);
        let xd = DVector::from_vec(x.clone());
        let ours = forward::gradient(rosenbrock::<_, POWI>, &x);
        let nd = |x: DVector<DualDVec64>| rosenbrock_nd::<_, POWI>(x.as_slice());
        assert_close(&ours, num_dual::gradient(nd, &xd).1.as_slice());

        group.bench_with_input(BenchmarkId::new("f64 (f only)", n), &x, |b, x| {
            b.iter(|| rosenbrock::<f64, POWI>(black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("weifen", n), &x, |b, x| {
            b.iter(|| forward::gradient(rosenbrock::<_, POWI>, black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("num-dual DualDVec64", n), &xd, |b, xd| {
            b.iter(|| num_dual::gradient(nd, black_box(xd)))
        });
        // The static type is num-dual's fastest path, but its size is a compile-time constant.
        if n == 10 {
            let xs = SVector::<f64, 10>::from_column_slice(&x);
            let nds = |x: SVector<DualSVec64<10>, 10>| rosenbrock_nd::<_, POWI>(x.as_slice());
            assert_close(&ours, num_dual::gradient(nds, &xs).1.as_slice());
            group.bench_with_input(BenchmarkId::new("num-dual DualSVec64", n), &xs, |b, xs| {
                b.iter(|| num_dual::gradient(nds, black_box(xs)))
            });
        }
    }
    group.finish();
}

fn seed_jacobian<const POWI: bool>(c: &mut Criterion) {
    let x = [1.0, 2.0, 3.0];
    let xs = SVector::from(x);
    let xd = DVector::from_column_slice(&x);
    let nds = |x: SVector<DualSVec64<3>, 3>| {
        SVector::<_, 2>::from_iterator(seed_map_nd::<_, POWI>(x.as_slice()))
    };
    let ndd = |x: DVector<DualDVec64>| DVector::from_vec(seed_map_nd::<_, POWI>(x.as_slice()));
    let ours = forward::jacobian(seed_map::<_, POWI>, &x);
    let (_, theirs) = num_dual::jacobian(nds, &xs);
    let (_, dynamic) = num_dual::jacobian(ndd, &xd);
    for i in 0..2 {
        for j in 0..3 {
            assert_close(&[ours[[i, j]]; 2], &[theirs[(i, j)], dynamic[(i, j)]]);
        }
    }

    let mut group = c.benchmark_group(format!("seed_jacobian {}", variant(POWI)));
    group.bench_function("weifen", |b| {
        b.iter(|| forward::jacobian(seed_map::<_, POWI>, black_box(&x)))
    });
    group.bench_function("num-dual DualSVec64", |b| {
        b.iter(|| num_dual::jacobian(nds, black_box(&xs)))
    });
    group.bench_function("num-dual DualDVec64", |b| {
        b.iter(|| num_dual::jacobian(ndd, black_box(&xd)))
    });
    group.finish();
}

fn rosenbrock_hessian<const POWI: bool>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("rosenbrock_hessian {}", variant(POWI)));
    group.sample_size(10);
    for n in [10, 100] {
        let x = rosenbrock_start(n);
        let xd = DVector::from_vec(x.clone());
        let ec = |x: &[BReverse<f64>]| rosenbrock_ec::<_, POWI>(x);
        let ndd = |x: DVector<Dual2DVec64>| rosenbrock_nd::<_, POWI>(x.as_slice());
        let ours = forward::hessian(rosenbrock::<_, POWI>, &x);
        let (_, _, theirs) = echidna::hessian(ec, &x);
        let (_, _, dynamic) = num_dual::hessian(ndd, &xd);
        for i in 0..n {
            for j in 0..n {
                assert_close(&[ours[[i, j]]; 2], &[theirs[i][j], dynamic[(i, j)]]);
            }
        }

        group.bench_with_input(BenchmarkId::new("weifen", n), &x, |b, x| {
            b.iter(|| forward::hessian(rosenbrock::<_, POWI>, black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("echidna hessian", n), &x, |b, x| {
            b.iter(|| echidna::hessian(ec, black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("num-dual Dual2DVec64", n), &xd, |b, xd| {
            b.iter(|| num_dual::hessian(ndd, black_box(xd)))
        });
        // num-dual's static Hessian type holds an n×n matrix per value: on the stack only
        // for small n.
        if n == 10 {
            let xs = SVector::<f64, 10>::from_column_slice(&x);
            let nds = |x: SVector<Dual2SVec64<10>, 10>| rosenbrock_nd::<_, POWI>(x.as_slice());
            let (_, _, fixed) = num_dual::hessian(nds, &xs);
            assert_close(ours.as_slice().unwrap(), fixed.transpose().as_slice());
            group.bench_with_input(BenchmarkId::new("num-dual Dual2SVec64", n), &xs, |b, xs| {
                b.iter(|| num_dual::hessian(nds, black_box(xs)))
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    seed_derivative::<false>,
    seed_derivative::<true>,
    rosenbrock_gradient::<false>,
    rosenbrock_gradient::<true>,
    seed_jacobian::<false>,
    seed_jacobian::<true>,
    rosenbrock_hessian::<false>,
    rosenbrock_hessian::<true>,
);
criterion_main!(benches);
