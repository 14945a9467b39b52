//! Sparse-derivative benchmarks: the Rosenbrock Hessian (tridiagonal) sparse against dense,
//! and the Jacobian of a discretised 1-D PDE residual (tridiagonal) sparse against dense.
//! The colour counts are printed once per size.
//!
//! Run with `cargo bench -p weifen --bench sparse` on a quiet machine; read ratios within one
//! run. The dense Jacobian is measured up to n = 1000 only: at n = 10⁴ it is a 10⁸-entry
//! (800 MB) matrix from 1250 evaluations.

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use weifen::sparse::{self, HessianSparsity, JacobianSparsity, Mode};
use weifen::{MultivariateFn, Scalar, VectorFn, forward, reverse};

/// Extended Rosenbrock: Σ_{i<n−1} 100(x_{i+1} − x_i²)² + (1 − x_i)², as in the reverse
/// benchmark.
struct Rosenbrock;
impl MultivariateFn for Rosenbrock {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        let term = |i: usize| {
            let (a, b) = (x[i].clone(), x[i + 1].clone());
            (b - a.clone().powi(2)).powi(2) * 100.0 + (-a + 1.0).powi(2)
        };
        (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
    }
}

/// Residual of the Bratu problem `u″ + 2eᵘ = 0` on `(0, 1)`, central differences on `n`
/// interior points, zero boundary values.
struct Bratu;
impl VectorFn for Bratu {
    fn eval<S: Scalar>(&self, u: &[S]) -> Vec<S> {
        let n = u.len();
        let inv_h2 = ((n + 1) as f64).powi(2);
        let at = |i: usize| u.get(i).cloned().unwrap_or(S::constant(0.0));
        (0..n)
            .map(|i| {
                (at(i.wrapping_sub(1)) - at(i) * 2.0 + at(i + 1)) * inv_h2
                    + u[i].clone().exp() * 2.0
            })
            .collect()
    }
}

fn start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

fn rosenbrock_hessian(c: &mut Criterion) {
    let mut group = c.benchmark_group("sparse_rosenbrock_hessian");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for n in [10usize, 100, 1000] {
        let x = start(n);
        let s = HessianSparsity::detect(|x| Rosenbrock.eval(x), &x);
        eprintln!(
            "rosenbrock n = {n}: {} nonzeros, {} colours",
            s.pattern().nnz(),
            s.coloring().count()
        );
        // Correctness before timing.
        let h = sparse::sparse_hessian_with(&s, &Rosenbrock, &x).unwrap();
        let dense = reverse::hessian(|x| Rosenbrock.eval(x), &x);
        for ((i, j), v) in dense.indexed_iter() {
            let got = h.get(i, j).copied().unwrap_or(0.0);
            assert!((got - v).abs() <= 1e-10 * v.abs().max(1.0));
        }
        if n >= 1000 {
            // The dense Hessians take about a second here: ten timed runs, not 55.
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        }
        group.bench_with_input(BenchmarkId::new("gradient_reverse", n), &x, |b, x| {
            b.iter(|| reverse::gradient(|x| Rosenbrock.eval(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("sparse_with_pattern", n), &x, |b, x| {
            b.iter(|| sparse::sparse_hessian_with(&s, &Rosenbrock, black_box(x)).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new("sparse_detect_and_colour", n),
            &x,
            |b, x| b.iter(|| sparse::sparse_hessian(&Rosenbrock, black_box(x))),
        );
        group.bench_with_input(BenchmarkId::new("dense_reverse", n), &x, |b, x| {
            b.iter(|| reverse::hessian(|x| Rosenbrock.eval(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("dense_forward", n), &x, |b, x| {
            b.iter(|| forward::hessian(|x| Rosenbrock.eval(x), black_box(x)))
        });
    }
    group.finish();
}

fn pde_jacobian(c: &mut Criterion) {
    let mut group = c.benchmark_group("sparse_pde_jacobian");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for n in [1000usize, 10_000] {
        let u: Vec<f64> = (0..n).map(|i| 0.1 + 1e-4 * i as f64).collect();
        let s = JacobianSparsity::detect(|x| Bratu.eval(x), &u);
        let reverse = s.clone().with_mode(Mode::Reverse);
        eprintln!(
            "bratu n = {n}: {} nonzeros, {} column colours, {} row colours",
            s.pattern().nnz(),
            s.column_coloring().count(),
            s.row_coloring().count()
        );
        let j = sparse::sparse_jacobian_with(&s, &Bratu, &u).unwrap();
        assert_eq!(j.nnz(), 3 * n - 2);
        if n <= 1000 {
            let dense = forward::jacobian(|x| Bratu.eval(x), &u);
            for ((i, k), v) in dense.indexed_iter() {
                assert_eq!(j.get(i, k).copied().unwrap_or(0.0), *v);
            }
        }
        group.bench_with_input(BenchmarkId::new("f64", n), &u, |b, u| {
            b.iter(|| Bratu.eval(black_box(u.as_slice())))
        });
        group.bench_with_input(BenchmarkId::new("sparse_forward", n), &u, |b, u| {
            b.iter(|| sparse::sparse_jacobian_with(&s, &Bratu, black_box(u)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("sparse_reverse", n), &u, |b, u| {
            b.iter(|| sparse::sparse_jacobian_with(&reverse, &Bratu, black_box(u)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("detect_and_colour", n), &u, |b, u| {
            b.iter(|| JacobianSparsity::detect(|x| Bratu.eval(x), black_box(u)))
        });
        if n <= 1000 {
            group.bench_with_input(BenchmarkId::new("dense_forward", n), &u, |b, u| {
                b.iter(|| forward::jacobian(|x| Bratu.eval(x), black_box(u)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, rosenbrock_hessian, pde_jacobian);
criterion_main!(benches);
