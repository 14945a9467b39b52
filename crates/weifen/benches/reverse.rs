//! Reverse-mode benchmarks: the gradient and the Hessian of extended Rosenbrock, written once per library with
//! the same operations (`t1·t1 + 100·t2·t2` with `t1 = 1 − a`, `t2 = b − a²`), beside the plain
//! `f64` function: weifen recording + sweep (`reverse::gradient`, whose `f64` tape memory is
//! pooled per thread, or a caller-held `Workspace`) and replay of a recording, echidna 0.15's reverse
//! mode (`echidna::grad`, a pooled thread-local tape) and its bytecode tape replayed
//! (`BytecodeTape::gradient`), and weifen's forward mode.
//!
//! Measured in the **default release profile** (what a user's `cargo build --release` gets:
//! no LTO, 16 codegen units). Before timing, each n checks that the methods agree.
//! The Hessian group is described at [`rosenbrock_hessian`].
//! Run with `cargo bench -p weifen --bench reverse -- --warm-up-time 1 --measurement-time 3`
//! on a shared machine; read the ratios within one run.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use echidna::{BReverse, Reverse};
use std::hint::black_box;
use std::ops::{Add, Mul};
use weifen::reverse::HessianStrategy;
use weifen::sparse::{self, HessianSparsity};
use weifen::{MultivariateFn, Scalar, forward, reverse};

/// Extended Rosenbrock: Σ_{i<n−1} (1 − x_i)² + 100(x_{i+1} − x_i²)², for n ≥ 2.
fn rosenbrock<S: Scalar>(x: &[S]) -> S {
    let term = |i: usize| {
        let (a, b) = (x[i].clone(), x[i + 1].clone());
        let t1 = -a.clone() + 1.0;
        let t2 = b - a.clone() * a;
        t1.clone() * t1 + t2.clone() * t2 * 100.0
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

/// The same function as a [`MultivariateFn`], for the sparse Hessian.
struct Rosenbrock;
impl MultivariateFn for Rosenbrock {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        rosenbrock(x)
    }
}

/// The same function for echidna's scalars.
trait EcScalar: echidna::Scalar + Mul<f64, Output = Self> + Add<f64, Output = Self> {}
impl<T: echidna::Scalar + Mul<f64, Output = T> + Add<f64, Output = T>> EcScalar for T {}

fn rosenbrock_ec<T: EcScalar>(x: &[T]) -> T {
    let term = |i: usize| {
        let (a, b) = (x[i], x[i + 1]);
        let t1 = -a + 1.0;
        let t2 = b - a * a;
        t1 * t1 + t2 * t2 * 100.0
    };
    (1..x.len() - 1).fold(term(0), |sum, i| sum + term(i))
}

fn start(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

#[track_caller]
fn assert_close(a: &[f64], b: &[f64]) {
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{x} vs {y}");
    }
}

fn rosenbrock_gradient(c: &mut Criterion) {
    let mut group = c.benchmark_group("reverse_rosenbrock_gradient");
    for n in [10usize, 100, 10_000, 1_000_000] {
        let x = start(n);
        // Correctness before timing: every method agrees with weifen's record + sweep.
        let g = reverse::gradient(|x| rosenbrock(x), &x);
        let mut rec = reverse::record(|x| rosenbrock(x), &x);
        assert_close(&rec.gradient(&x).unwrap(), &g);
        assert_close(
            &echidna::grad(|x: &[Reverse<f64>]| rosenbrock_ec(x), &x),
            &g,
        );
        let (mut tape, _) = echidna::record(|x: &[BReverse<f64>]| rosenbrock_ec(x), &x);
        assert_close(&tape.gradient(&x), &g);
        if n <= 1000 {
            assert_close(&forward::gradient(rosenbrock, &x), &g);
        }
        if n >= 10_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("f64", n), &x, |b, x| {
            b.iter(|| rosenbrock(black_box(x.as_slice())))
        });
        group.bench_with_input(
            BenchmarkId::new("weifen record_and_sweep", n),
            &x,
            |b, x| b.iter(|| reverse::gradient(|x| rosenbrock(x), black_box(x))),
        );
        let mut ws = reverse::Workspace::new();
        assert_close(&ws.gradient(|x| rosenbrock(x), &x), &g);
        group.bench_with_input(BenchmarkId::new("weifen workspace", n), &x, |b, x| {
            b.iter(|| ws.gradient(|x| rosenbrock(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("weifen replay", n), &x, |b, x| {
            b.iter(|| rec.gradient(black_box(x)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("echidna reverse", n), &x, |b, x| {
            b.iter(|| echidna::grad(|x: &[Reverse<f64>]| rosenbrock_ec(x), black_box(x)))
        });
        group.bench_with_input(
            BenchmarkId::new("echidna bytecode replay", n),
            &x,
            |b, x| b.iter(|| tape.gradient(black_box(x))),
        );
        if n <= 1000 {
            group.bench_with_input(BenchmarkId::new("weifen forward_chunked", n), &x, |b, x| {
                b.iter(|| forward::gradient(rosenbrock, black_box(x)))
            });
        }
    }
    group.finish();
}

/// echidna's `hessian_vec::<_, 8>` (its const parameter cannot be named at the free function,
/// which takes an `impl FnOnce`): record, then batches of 8 directions.
fn echidna_hessian_vec8(x: &[f64]) -> Vec<Vec<f64>> {
    let (tape, _) = echidna::record(|x: &[BReverse<f64>]| rosenbrock_ec(x), x);
    tape.hessian_vec::<8>(x).2
}

/// The Rosenbrock Hessian (tridiagonal): weifen's forward over reverse on one recording,
/// dense (`⌈n/8⌉` batches of 8 Hessian–vector products), sparse (the pattern read off the
/// recording, star-coloured: 3 colours) and automatic, beside echidna 0.15's `hessian` (n
/// single-direction products on its bytecode tape) and `hessian_vec::<8>` (batches of 8), the
/// reverse-over-forward Hessian weifen had before, and one gradient for scale.
fn rosenbrock_hessian(c: &mut Criterion) {
    let mut group = c.benchmark_group("reverse_rosenbrock_hessian");
    for n in [10usize, 100, 1000] {
        let x = start(n);
        let h = forward::hessian(rosenbrock, &x);
        let check = |got: &ndarray::Array2<f64>| {
            assert_close(got.as_slice().unwrap(), h.as_slice().unwrap());
        };
        let check_ec = |got: &[Vec<f64>]| assert_close(&got.concat(), h.as_slice().unwrap());
        check(&reverse::hessian_with(
            |x| rosenbrock(x),
            &x,
            HessianStrategy::Dense,
        ));
        check(&reverse::hessian_with(
            |x| rosenbrock(x),
            &x,
            HessianStrategy::Sparse,
        ));
        check(&reverse::hessian(|x| rosenbrock(x), &x));
        check_ec(&echidna::hessian(|x: &[BReverse<f64>]| rosenbrock_ec(x), &x).2);
        check_ec(&echidna_hessian_vec8(&x));
        if n >= 1000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("weifen gradient", n), &x, |b, x| {
            b.iter(|| reverse::gradient(|x| rosenbrock(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("weifen dense", n), &x, |b, x| {
            b.iter(|| {
                reverse::hessian_with(|x| rosenbrock(x), black_box(x), HessianStrategy::Dense)
            })
        });
        group.bench_with_input(BenchmarkId::new("weifen sparse", n), &x, |b, x| {
            b.iter(|| {
                reverse::hessian_with(|x| rosenbrock(x), black_box(x), HessianStrategy::Sparse)
            })
        });
        // The sparse Hessian with its pattern and colouring given (CSR out, no dense matrix).
        let s = HessianSparsity::detect(rosenbrock, &x);
        let csr = sparse::sparse_hessian_with(&s, &Rosenbrock, &x).unwrap();
        check(&csr.to_dense());
        group.bench_with_input(
            BenchmarkId::new("weifen sparse_with_pattern", n),
            &x,
            |b, x| b.iter(|| sparse::sparse_hessian_with(&s, &Rosenbrock, black_box(x)).unwrap()),
        );
        group.bench_with_input(BenchmarkId::new("weifen auto", n), &x, |b, x| {
            b.iter(|| reverse::hessian(|x| rosenbrock(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("echidna hessian", n), &x, |b, x| {
            b.iter(|| echidna::hessian(|x: &[BReverse<f64>]| rosenbrock_ec(x), black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("echidna hessian_vec8", n), &x, |b, x| {
            b.iter(|| echidna_hessian_vec8(black_box(x)))
        });
        if n <= 100 {
            group.bench_with_input(
                BenchmarkId::new("weifen reverse_over_forward", n),
                &x,
                |b, x| {
                    b.iter(|| {
                        reverse::hessian_reverse_over_forward(|x| rosenbrock(x), black_box(x))
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, rosenbrock_gradient, rosenbrock_hessian);
criterion_main!(benches);
