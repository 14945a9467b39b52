//! Symbolic benchmarks: n-th derivatives of exp(sin x) and tan x (nodes built from an empty
//! store: a fresh thread's default store, or an owned store),
//! the logistic map's derivative, and the seed f and f′ compiled and evaluated over 10⁶
//! points against the same formulas written by hand in Rust.
//!
//! `cargo bench --bench symbolic`; `bench/symbolic_sympy.py` measures SymPy on the same cases.

use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use weifen::symbolic::{Expr, Program, Store};

/// Runs `f` on a fresh thread, whose node store starts empty: the time includes building
/// (interning) every node, not only finding nodes an earlier iteration built.
fn on_fresh_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().expect("benchmark thread")
}

fn differentiation(c: &mut Criterion) {
    let mut group = c.benchmark_group("symbolic_diff");
    for k in [1, 5, 10, 20] {
        group.bench_with_input(BenchmarkId::new("exp_sin_nth", k), &k, |b, &k| {
            b.iter(|| {
                on_fresh_thread(move || {
                    let f: Expr = "exp(sin(x))".parse().expect("formula");
                    f.nth_diff("x", k).dag_size()
                })
            })
        });
    }
    // The same from an owned store, created and dropped per iteration (no thread).
    for k in [10, 20] {
        group.bench_with_input(
            BenchmarkId::new("exp_sin_nth_owned_store", k),
            &k,
            |b, &k| {
                b.iter(|| {
                    let store = Store::new();
                    let f = store.parse("exp(sin(x))").expect("formula");
                    f.nth_diff("x", k).dag_size()
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("tan_nth_owned_store", k), &k, |b, &k| {
            b.iter(|| {
                let store = Store::new();
                let f = store.parse("tan(x)").expect("formula");
                f.nth_diff("x", k).dag_size()
            })
        });
    }
    group.bench_function("logistic_10_first", |b| {
        b.iter(|| {
            on_fresh_thread(|| {
                let (x, r) = (Expr::var("x"), Expr::var("r"));
                let f = (0..10).fold(x, |f, _| r.clone() * f.clone() * (-f + 1.0));
                f.diff("x").dag_size()
            })
        })
    });
    group.finish();
}

/// f and f′ of the seed, written by hand: one exp per point, shared.
fn hand_written(xs: &[f64], f: &mut [f64], df: &mut [f64]) {
    for ((&x, f), df) in xs.iter().zip(f.iter_mut()).zip(df.iter_mut()) {
        let x2 = x * x;
        let e = (-0.5 * x2).exp();
        *f = (-2.0 * x2 + 4.0 * x + 1.0) * e;
        *df = (2.0 * x2 * x - 4.0 * x2 - 5.0 * x + 4.0) * e;
    }
}

fn compiled_evaluation(c: &mut Criterion) {
    let n = 1_000_000;
    let xs: Vec<f64> = (0..n).map(|i| -4.0 + 8.0 * i as f64 / n as f64).collect();
    let f: Expr = "(-2*x^2 + 4*x + 1)*exp(-x^2/2)".parse().expect("seed");
    let program = Program::new(&[f.clone(), f.diff("x")], &["x"]).expect("compiles");
    let mut group = c.benchmark_group("symbolic_eval_seed_f_and_df");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(20);
    let mut out = vec![vec![0.0; n], vec![0.0; n]];
    group.bench_function("compiled_batch", |b| {
        b.iter(|| {
            program
                .eval_batch(&[black_box(&xs)], &mut out)
                .expect("evaluates")
        })
    });
    let (mut f_out, mut df_out) = (vec![0.0; n], vec![0.0; n]);
    group.bench_function("hand_written", |b| {
        b.iter(|| hand_written(black_box(&xs), &mut f_out, &mut df_out))
    });
    group.bench_function("compiled_pointwise", |b| {
        b.iter(|| {
            xs.iter()
                .map(|&x| program.eval(&[x]).expect("evaluates")[1])
                .sum::<f64>()
        })
    });
    group.finish();
    for i in (0..n).step_by(9973) {
        assert!((out[1][i] - df_out[i]).abs() <= 1e-12 * df_out[i].abs().max(1.0));
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    differentiation(&mut c);
    compiled_evaluation(&mut c);
    c.final_summary();
}
