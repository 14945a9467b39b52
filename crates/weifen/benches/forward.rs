//! Forward-mode benchmarks: weifen against plain `f64` evaluation and against num-dual.
//!
//! Each workload is one criterion group whose members are the methods, so the report puts
//! them side by side. Every test function is written once per library, generically, with
//! the same body: `f<S: weifen::Scalar>` beside `f_nd<D: num_dual::DualNum>`; the only
//! difference is the bound. Before timing, each group checks that the methods agree (a
//! correctness check, never a timing assertion).
//!
//! Run with `cargo bench -p weifen --bench forward -- --warm-up-time 1 --measurement-time 3`
//! on a shared machine.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nalgebra::{DVector, SVector};
use num_dual::{
    Dual2DVec64, Dual2SVec64, Dual64, DualDVec64, DualNum, DualSVec64, first_derivative,
};
use std::hint::black_box;
use weifen::{Scalar, forward};

// The test functions, once for weifen's `Scalar` and once for num-dual's `DualNum`.

/// The seed: f(x) = (−2x² + 4x + 1)·exp(−x²/2).
fn seed<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// The seed, for num-dual.
fn seed_nd<D: DualNum<Primitive = f64>>(x: D) -> D {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// Extended Rosenbrock: Σ_{i<n−1} 100(x_{i+1} − x_i²)² + (1 − x_i)², for n ≥ 2.
fn rosenbrock<S: Scalar>(x: &[S]) -> S {
    let term = |i: usize| {
        let (a, b) = (x[i].clone(), x[i + 1].clone());
        (b - a.clone().powi(2)).powi(2) * 100.0 + (-a + 1.0).powi(2)
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

/// Extended Rosenbrock, for num-dual.
fn rosenbrock_nd<D: DualNum<Primitive = f64>>(x: &[D]) -> D {
    let term = |i: usize| {
        let (a, b) = (x[i].clone(), x[i + 1].clone());
        (b - a.clone().powi(2)).powi(2) * 100.0 + (-a + 1.0).powi(2)
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

/// The seed map ℝ³ → ℝ²: [x0² + x1, x1·x2].
fn seed_map<S: Scalar>(x: &[S]) -> Vec<S> {
    vec![
        x[0].clone().powi(2) + x[1].clone(),
        x[1].clone() * x[2].clone(),
    ]
}

/// The seed map, for num-dual.
fn seed_map_nd<D: DualNum<Primitive = f64>>(x: &[D]) -> Vec<D> {
    vec![
        x[0].clone().powi(2) + x[1].clone(),
        x[1].clone() * x[2].clone(),
    ]
}

// Helpers.

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

// Workloads.

fn seed_derivative(c: &mut Criterion) {
    const POINTS: usize = 1_000_000;
    let points: Vec<f64> = (0..POINTS)
        .map(|i| 5.0 * i as f64 / (POINTS - 1) as f64)
        .collect();
    // f′ at a few points agrees between the libraries.
    for &x in points.iter().step_by(99_999) {
        let ours = forward::derivative(seed, x);
        let theirs = first_derivative(seed_nd::<Dual64>, x).1;
        assert_close(&[ours], &[theirs]);
    }

    let mut group = c.benchmark_group("seed_derivative_1e6");
    group.sample_size(20);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function("f64", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &x in black_box(&points) {
                sum += seed(x);
            }
            sum
        })
    });
    group.bench_function("weifen", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &x in black_box(&points) {
                sum += forward::derivative(seed, x);
            }
            sum
        })
    });
    group.bench_function("num-dual", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &x in black_box(&points) {
                sum += first_derivative(seed_nd::<Dual64>, x).1;
            }
            sum
        })
    });
    group.finish();
}

fn rosenbrock_gradient(c: &mut Criterion) {
    let mut group = c.benchmark_group("rosenbrock_gradient");
    for n in [10, 100, 1000] {
        let x = rosenbrock_start(n);
        let xd = DVector::from_vec(x.clone());
        let ours = forward::gradient(rosenbrock, &x);
        let (_, theirs) =
            num_dual::gradient(|x: DVector<DualDVec64>| rosenbrock_nd(x.as_slice()), &xd);
        assert_close(&ours, theirs.as_slice());

        group.bench_with_input(BenchmarkId::new("f64", n), &x, |b, x| {
            b.iter(|| rosenbrock(black_box(x.as_slice())))
        });
        group.bench_with_input(BenchmarkId::new("weifen", n), &x, |b, x| {
            b.iter(|| forward::gradient(rosenbrock, black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("num-dual DualDVec64", n), &xd, |b, xd| {
            b.iter(|| {
                num_dual::gradient(
                    |x: DVector<DualDVec64>| rosenbrock_nd(x.as_slice()),
                    black_box(xd),
                )
            })
        });
        // The static type is num-dual's fastest path, but its size is a compile-time constant.
        if n == 10 {
            let xs = SVector::<f64, 10>::from_column_slice(&x);
            group.bench_with_input(BenchmarkId::new("num-dual DualSVec64", n), &xs, |b, xs| {
                b.iter(|| {
                    num_dual::gradient(
                        |x: SVector<DualSVec64<10>, 10>| rosenbrock_nd(x.as_slice()),
                        black_box(xs),
                    )
                })
            });
        }
    }
    group.finish();
}

fn seed_jacobian(c: &mut Criterion) {
    let x = [1.0, 2.0, 3.0];
    let xs = SVector::from(x);
    let xd = DVector::from_column_slice(&x);
    let ours = forward::jacobian(seed_map, &x);
    let (_, theirs) = num_dual::jacobian(
        |x: SVector<DualSVec64<3>, 3>| SVector::<_, 2>::from_iterator(seed_map_nd(x.as_slice())),
        &xs,
    );
    for i in 0..2 {
        for j in 0..3 {
            assert_close(&[ours[[i, j]]], &[theirs[(i, j)]]);
        }
    }

    let mut group = c.benchmark_group("seed_jacobian");
    group.bench_function("weifen", |b| {
        b.iter(|| forward::jacobian(seed_map, black_box(&x)))
    });
    group.bench_function("num-dual DualSVec64", |b| {
        b.iter(|| {
            num_dual::jacobian(
                |x: SVector<DualSVec64<3>, 3>| {
                    SVector::<_, 2>::from_iterator(seed_map_nd(x.as_slice()))
                },
                black_box(&xs),
            )
        })
    });
    group.bench_function("num-dual DualDVec64", |b| {
        b.iter(|| {
            num_dual::jacobian(
                |x: DVector<DualDVec64>| DVector::from_vec(seed_map_nd(x.as_slice())),
                black_box(&xd),
            )
        })
    });
    group.finish();
}

fn rosenbrock_hessian_10(c: &mut Criterion) {
    const N: usize = 10;
    let x = rosenbrock_start(N);
    let xs = SVector::<f64, N>::from_column_slice(&x);
    let xd = DVector::from_vec(x.clone());
    let ours = forward::hessian(rosenbrock, &x);
    let (_, _, theirs) = num_dual::hessian(
        |x: SVector<Dual2SVec64<N>, N>| rosenbrock_nd(x.as_slice()),
        &xs,
    );
    for i in 0..N {
        for j in 0..N {
            assert_close(&[ours[[i, j]]], &[theirs[(i, j)]]);
        }
    }

    let mut group = c.benchmark_group("rosenbrock_hessian_10");
    group.bench_function("weifen", |b| {
        b.iter(|| forward::hessian(rosenbrock, black_box(&x)))
    });
    group.bench_function("num-dual Dual2SVec64", |b| {
        b.iter(|| {
            num_dual::hessian(
                |x: SVector<Dual2SVec64<N>, N>| rosenbrock_nd(x.as_slice()),
                black_box(&xs),
            )
        })
    });
    group.bench_function("num-dual Dual2DVec64", |b| {
        b.iter(|| {
            num_dual::hessian(
                |x: DVector<Dual2DVec64>| rosenbrock_nd(x.as_slice()),
                black_box(&xd),
            )
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    seed_derivative,
    rosenbrock_gradient,
    seed_jacobian,
    rosenbrock_hessian_10
);
criterion_main!(benches);
