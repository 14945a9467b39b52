//! Finite-difference benchmarks: the time of one derivative by each scheme, on a cheap
//! function (`sin`) and a realistic one (a damped oscillator response, a few transcendental
//! calls), so that the cost of the function shows against the overhead of the method.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use weifen::Scalar;
use weifen::numeric::{self, Complex, Params, Scheme};

/// The displacement of a damped oscillator at time t: e^{−ζt}·cos(ωt) + 0.3·sin(2ωt)/(1 + t²).
fn oscillator<S: Scalar>(t: S) -> S {
    let damp = (t.clone() * -0.3).exp() * (t.clone() * 2.1).cos();
    damp + (t.clone() * 4.2).sin() * 0.3 / (t.clone() * t + 1.0)
}

fn schemes(c: &mut Criterion) {
    for (name, f) in [
        ("sin", (|x: f64| x.sin()) as fn(f64) -> f64),
        ("oscillator", oscillator::<f64>),
    ] {
        let mut group = c.benchmark_group(format!("derivative/{name}"));
        let x = 0.7;
        group.bench_function("richardson", |b| {
            b.iter(|| numeric::derivative(f, black_box(x)).unwrap())
        });
        for scheme in Scheme::NAMED {
            let params = Params {
                scheme: scheme.clone(),
                extrapolate: false,
                ..Params::default()
            };
            group.bench_function(scheme.name(), |b| {
                b.iter(|| numeric::derivative_with(f, black_box(x), &params).unwrap())
            });
        }
        let fc: fn(Complex) -> Complex = if name == "sin" {
            |z| Scalar::sin(z)
        } else {
            oscillator::<Complex>
        };
        group.bench_function("complex-step", |b| {
            b.iter(|| numeric::complex_step::derivative(fc, black_box(x)).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, schemes);
criterion_main!(benches);
