//! Reverse-mode benchmarks: the gradient of extended Rosenbrock against the plain `f64`
//! evaluation of the same generic function, recording + sweeping and replaying a recorded
//! tape, and forward mode beside it.
//!
//! Run with `cargo bench -p weifen --bench reverse -- --warm-up-time 1 --measurement-time 3`
//! on a shared machine; read the ratios within one run.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use weifen::{Scalar, forward, reverse};

/// Extended Rosenbrock: Σ_{i<n−1} 100(x_{i+1} − x_i²)² + (1 − x_i)², for n ≥ 2.
fn rosenbrock<S: Scalar>(x: &[S]) -> S {
    let term = |i: usize| {
        let (a, b) = (x[i].clone(), x[i + 1].clone());
        (b - a.clone().powi(2)).powi(2) * 100.0 + (-a + 1.0).powi(2)
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

fn start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

fn rosenbrock_gradient(c: &mut Criterion) {
    let mut group = c.benchmark_group("reverse_rosenbrock_gradient");
    for n in [10usize, 100, 10_000, 1_000_000] {
        let x = start(n);
        // Correctness before timing: replay and recording agree with forward mode.
        let g = reverse::gradient(|x| rosenbrock(x), &x);
        let mut rec = reverse::record(|x| rosenbrock(x), &x);
        assert_eq!(rec.gradient(&x).unwrap(), g);
        if n <= 1000 {
            let gf = forward::gradient(rosenbrock, &x);
            for (a, b) in g.iter().zip(&gf) {
                assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0));
            }
        }
        if n >= 10_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("f64", n), &x, |b, x| {
            b.iter(|| rosenbrock(black_box(x.as_slice())))
        });
        group.bench_with_input(BenchmarkId::new("record_and_sweep", n), &x, |b, x| {
            b.iter(|| reverse::gradient(|x| rosenbrock(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("replay", n), &x, |b, x| {
            b.iter(|| rec.gradient(black_box(x)).unwrap())
        });
        if n <= 1000 {
            group.bench_with_input(BenchmarkId::new("forward_chunked", n), &x, |b, x| {
                b.iter(|| forward::gradient(rosenbrock, black_box(x)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, rosenbrock_gradient);
criterion_main!(benches);
