//! Runs the finite-difference methods on the shared suite of 25 smooth functions and prints
//! one JSON object per (function, method): the estimate, its relative error, the evaluations
//! and the time per derivative. `bench/numeric_compare.py` reads these lines and sets them
//! beside numdifftools and SciPy on the same functions.
//!
//! ```text
//! cargo run --release -p weifen --example numeric_suite > /tmp/weifen.jsonl
//! ```

#[path = "../tests/integration/common/suite.rs"]
mod suite;

use std::hint::black_box;
use std::time::Instant;
use suite::{Case, suite};
use weifen::numeric::{self, Estimate, Params, Scheme};

/// A derivative method run on one case of the suite.
type Method = dyn Fn(&Case) -> Estimate;

/// Times `method` on `case` over enough repetitions for a stable mean (about 10 ms).
fn timed(case: &Case, method: &Method) -> (Estimate, f64) {
    let d = method(case);
    let start = Instant::now();
    let mut reps = 0u32;
    while start.elapsed().as_secs_f64() < 0.01 {
        black_box(method(black_box(case)));
        reps += 1;
    }
    (d, start.elapsed().as_secs_f64() / f64::from(reps))
}

fn main() {
    let fixed = |scheme| Params {
        scheme,
        extrapolate: false,
        ..Params::default()
    };
    let (central, five, forward) = (
        fixed(Scheme::Central),
        fixed(Scheme::FivePoint),
        fixed(Scheme::Forward),
    );
    let methods: Vec<(&str, Box<Method>)> = vec![
        (
            "richardson",
            Box::new(|c| numeric::derivative(c.f, c.x).unwrap()),
        ),
        (
            "central",
            Box::new(move |c| numeric::derivative_with(c.f, c.x, &central).unwrap()),
        ),
        (
            "five-point",
            Box::new(move |c| numeric::derivative_with(c.f, c.x, &five).unwrap()),
        ),
        (
            "forward",
            Box::new(move |c| numeric::derivative_with(c.f, c.x, &forward).unwrap()),
        ),
        (
            "complex-step",
            Box::new(|c| numeric::complex_step::derivative(c.fc, c.x).unwrap()),
        ),
    ];
    for case in suite() {
        let exact = (case.df)(case.x);
        for (name, method) in &methods {
            let (d, seconds) = timed(&case, method.as_ref());
            let rel = ((d.value - exact) / exact).abs();
            println!(
                "{{\"library\": \"weifen\", \"function\": \"{}\", \"x\": {:e}, \"method\": \"{name}\", \
                 \"value\": {:e}, \"exact\": {:e}, \"rel_error\": {:e}, \"error_bound\": {:e}, \
                 \"evaluations\": {}, \"seconds\": {:e}}}",
                case.name, case.x, d.value, exact, rel, d.error, d.evaluations, seconds
            );
        }
    }
}
