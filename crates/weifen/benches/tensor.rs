//! Tensor benchmarks: the seed task (f and f′ on N points, up to 10⁷: the targets
//! are set there) by the graph path with and without
//! `create_graph`, by the fused dual-number path, by the graph path with `f` as one
//! `map_fn` node, and plain `f64` f; Rosenbrock with tensor
//! ops (evaluation vs gradient); the seed Jacobian. `bench/tensor_compare.py` runs the same
//! cases in PyTorch and JAX.
//!
//! Run narrowly on a shared machine, e.g.
//! `cargo bench -p weifen --bench tensor -- --warm-up-time 1 --measurement-time 3`;
//! read the ratios within one run.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use weifen::Scalar;
use weifen::tensor::elementwise::{self, Derivative, ElementwiseFn, value_and_derivative};
use weifen::tensor::functional::jacobian;
use weifen::tensor::{Element, GradOptions, Tensor, grad, no_grad};

/// f(x) = (−2x² + 4x + 1)·exp(−x²/2) (inlined into `Seed::eval`, see there)
#[inline(always)]
fn f<S: Scalar>(x: S) -> S {
    let x2 = x.clone().powi(2);
    (x2.clone() * -2.0 + x * 4.0 + 1.0) * (x2 * -0.5).exp()
}

/// As `ElementwiseFn`'s documentation advises, `eval` (and `f`, which it calls) is
/// `#[inline(always)]`, so that the fused kernels can run it on AVX2 or AVX-512 lanes;
/// `SeedOutOfLine` is the same through a function the compiler keeps out of line.
#[derive(Clone, Copy)]
struct Seed;
impl ElementwiseFn for Seed {
    #[inline(always)]
    fn eval<S: Scalar>(&self, x: S) -> S {
        f(x)
    }
}

#[derive(Clone, Copy)]
struct SeedOutOfLine;
impl ElementwiseFn for SeedOutOfLine {
    fn eval<S: Scalar>(&self, x: S) -> S {
        out_of_line(x)
    }
}

#[inline(never)]
fn out_of_line<S: Scalar>(x: S) -> S {
    f(x)
}

fn graph_derivative<T: Element>(x: &Tensor<T>, create_graph: bool) -> Tensor<T> {
    derivative_by(x, create_graph, f)
}

/// f′ by `grad` of `y = build(x)`, with or without `create_graph`, and f's values read (as
/// a user plotting both does, and as PyTorch computes them: an element-wise result is
/// pending until read).
fn derivative_by<T: Element>(
    x: &Tensor<T>,
    create_graph: bool,
    build: impl Fn(Tensor<T>) -> Tensor<T>,
) -> Tensor<T> {
    let x = x.clone().requires_grad_(true);
    let y = build(x.clone());
    let options = GradOptions {
        create_graph,
        ..Default::default()
    };
    let d = grad(&[&y], &[&x], &[&Tensor::ones_like(&y)], options)
        .unwrap()
        .remove(0);
    black_box(y.array());
    black_box(d.array());
    d
}

fn seed(c: &mut Criterion) {
    let mut group = c.benchmark_group("tensor_seed");
    for n in [1_000usize, 100_000, 1_000_000, 10_000_000] {
        let x = Tensor::linspace(0.0, 5.0, n);
        let xs = x.to_vec();
        // Correctness before timing: the two paths agree.
        let (_, d) = value_and_derivative(&Seed, &x);
        assert_agree(&d, &graph_derivative(&x, false));
        if n >= 100_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("f64_f", n), &xs, |b, xs| {
            b.iter(|| black_box(xs).iter().map(|&x| f(x)).collect::<Vec<_>>())
        });
        group.bench_with_input(BenchmarkId::new("tensor_f", n), &x, |b, x| {
            b.iter(|| {
                let _guard = no_grad();
                let y = f(black_box(x).clone());
                black_box(y.array());
                y
            })
        });
        group.bench_with_input(BenchmarkId::new("fused_f_and_df", n), &x, |b, x| {
            b.iter(|| value_and_derivative(&Seed, black_box(x)))
        });
        group.bench_with_input(
            BenchmarkId::new("fused_f_and_df_out_of_line", n),
            &x,
            |b, x| b.iter(|| value_and_derivative(&SeedOutOfLine, black_box(x))),
        );
        group.bench_with_input(BenchmarkId::new("graph_grad", n), &x, |b, x| {
            b.iter(|| graph_derivative(black_box(x), false))
        });
        group.bench_with_input(
            BenchmarkId::new("graph_grad_create_graph", n),
            &x,
            |b, x| b.iter(|| graph_derivative(black_box(x), true)),
        );
        let x32 = x.cast::<f32>();
        group.bench_with_input(BenchmarkId::new("fused_f_and_df_f32", n), &x32, |b, x| {
            b.iter(|| value_and_derivative(&Seed, black_box(x)))
        });
        group.bench_with_input(BenchmarkId::new("graph_grad_f32", n), &x32, |b, x| {
            b.iter(|| graph_derivative(black_box(x), false))
        });
    }
    group.finish();
}

/// f′ by `grad` through one `map_fn` node.
fn map_fn_derivative<T: Element>(x: &Tensor<T>, create_graph: bool) -> Tensor<T> {
    derivative_by(x, create_graph, |x| x.map_fn(&Seed))
}

/// Asserts that two derivatives agree within 1e-14 at every point.
fn assert_agree(a: &Tensor, b: &Tensor) {
    let close = a
        .to_vec()
        .iter()
        .zip(b.to_vec())
        .all(|(a, b)| (a - b).abs() < 1e-14);
    assert!(close, "the two paths disagree");
}

/// The seed by the fused kernels (SIMD lanes): `map_fn` in the graph and
/// `value_and_derivative`, against plain `f64` f, in `f64` and `f32`, up to 10⁷ points.
fn seed_fused(c: &mut Criterion) {
    let mut group = c.benchmark_group("tensor_map_fn");
    for n in [1_000usize, 1_000_000, 10_000_000] {
        let x = Tensor::linspace(0.0, 5.0, n);
        let xs = x.to_vec();
        let (_, d) = value_and_derivative(&Seed, &x);
        assert_agree(&d, &map_fn_derivative(&x, true));
        assert_agree(&d, &elementwise::map(&Derivative(Seed), &x));
        group.sample_size(if n >= 10_000_000 { 10 } else { 20 });
        group.bench_with_input(BenchmarkId::new("f64_f", n), &xs, |b, xs| {
            b.iter(|| black_box(xs).iter().map(|&x| f(x)).collect::<Vec<_>>())
        });
        let x32 = x.cast::<f32>();
        let xs32 = x32.to_vec();
        group.bench_with_input(BenchmarkId::new("f32_f", n), &xs32, |b, xs| {
            b.iter(|| {
                black_box(xs)
                    .iter()
                    .map(|&x| f(f64::from(x)) as f32)
                    .collect::<Vec<_>>()
            })
        });
        macro_rules! rows {
            ($suffix:literal, $x:expr) => {
                group.bench_with_input(
                    BenchmarkId::new(concat!("fused_f_and_df", $suffix), n),
                    $x,
                    |b, x| b.iter(|| value_and_derivative(&Seed, black_box(x))),
                );
                // f′ alone (what JAX's `jit(vmap(grad(f)))` returns): one output array.
                group.bench_with_input(
                    BenchmarkId::new(concat!("fused_df", $suffix), n),
                    $x,
                    |b, x| b.iter(|| elementwise::map(&Derivative(Seed), black_box(x))),
                );
                group.bench_with_input(
                    BenchmarkId::new(concat!("map_fn_grad", $suffix), n),
                    $x,
                    |b, x| b.iter(|| map_fn_derivative(black_box(x), false)),
                );
                group.bench_with_input(
                    BenchmarkId::new(concat!("map_fn_grad_create_graph", $suffix), n),
                    $x,
                    |b, x| b.iter(|| map_fn_derivative(black_box(x), true)),
                );
            };
        }
        rows!("", &x);
        rows!("_f32", &x32);
    }
    group.finish();
}

/// Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² with tensor ops.
fn rosenbrock(x: &Tensor) -> Tensor {
    let n = x.len();
    let (head, tail) = (x.slice(0, 0, n - 1), x.slice(0, 1, n));
    ((tail - head.clone().powi(2)).powi(2) * 100.0 + (1.0 - head).powi(2)).sum()
}

fn rosenbrock_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tensor_rosenbrock");
    group.sample_size(10);
    let n = 1_000_000;
    let x = Tensor::from(
        (0..n)
            .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
            .collect::<Vec<_>>(),
    );
    // The value is read: a sum of element-wise ops is pending until then.
    group.bench_with_input(BenchmarkId::new("eval", n), &x, |b, x| {
        b.iter(|| {
            let _guard = no_grad();
            rosenbrock(black_box(x)).item()
        })
    });
    // The gradient alone (`torch.autograd.grad(rosen(x), x)`): the value is not read, so
    // it is not computed.
    group.bench_with_input(BenchmarkId::new("gradient", n), &x, |b, x| {
        b.iter(|| {
            let x = black_box(x).clone().requires_grad_(true);
            let y = rosenbrock(&x);
            grad(&[&y], &[&x], &[], GradOptions::default())
                .unwrap()
                .remove(0)
        })
    });
    // Both, the value read after the gradient.
    group.bench_with_input(BenchmarkId::new("value_and_gradient", n), &x, |b, x| {
        b.iter(|| {
            let x = black_box(x).clone().requires_grad_(true);
            let y = rosenbrock(&x);
            let d = grad(&[&y], &[&x], &[], GradOptions::default())
                .unwrap()
                .remove(0);
            (y.item(), d)
        })
    });
    group.finish();
}

fn seed_jacobian(c: &mut Criterion) {
    let g =
        |x: &Tensor| Tensor::stack(&[&(x.get(0).powi(2) + x.get(1)), &(x.get(1) * x.get(2))], 0);
    let x = Tensor::from(vec![1.0, 2.0, 3.0]);
    assert_eq!(
        jacobian(g, &x).unwrap().to_vec(),
        vec![2.0, 1.0, 0.0, 0.0, 3.0, 2.0]
    );
    c.bench_function("tensor_seed_jacobian", |b| {
        b.iter(|| jacobian(g, black_box(&x)).unwrap())
    });
}

criterion_group!(benches, seed, seed_fused, rosenbrock_bench, seed_jacobian);
criterion_main!(benches);
