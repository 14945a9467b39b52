//! Accuracy of the finite-difference methods on a suite of 25 smooth functions with known
//! derivatives: the median relative error of each method against its target, the honesty of
//! the reported error bounds, and the observed order of accuracy of every scheme.

use crate::common::suite::{Case, suite};
use weifen::numeric::{self, Estimate, Params, Scheme, Status};

fn relative_error(d: f64, c: &Case) -> f64 {
    let exact = (c.df)(c.x);
    ((d - exact) / exact).abs()
}

/// The median relative error of `method` over the suite, the largest evaluation count, and
/// the name of the worst case (for the failure message).
fn run(method: impl Fn(&Case) -> Estimate) -> (f64, usize, &'static str) {
    let mut errors = Vec::new();
    let mut evaluations = 0;
    let mut worst = (0.0, "");
    for c in suite() {
        let d = method(&c);
        let e = relative_error(d.value, &c);
        if e >= worst.0 {
            worst = (e, c.name);
        }
        errors.push(e);
        evaluations = evaluations.max(d.evaluations);
    }
    (median(&mut errors), evaluations, worst.1)
}

/// The median of `values` (sorted in place).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        0.5 * (values[n / 2 - 1] + values[n / 2])
    }
}

fn fixed(scheme: Scheme) -> Params {
    Params {
        scheme,
        extrapolate: false,
        ..Params::default()
    }
}

#[test]
fn the_suite_has_at_least_twenty_functions() {
    assert!(suite().len() >= 20);
}

#[test]
fn richardson_median_error_is_below_1e_13_within_the_default_cap_of_48_evaluations() {
    let (median, evaluations, worst) = run(|c| numeric::derivative(c.f, c.x).unwrap());
    assert!(median <= 1e-13, "median {median:e} (worst: {worst})");
    assert!(evaluations <= 48, "{evaluations} evaluations");
}

#[test]
fn central_differences_at_the_default_step_have_median_error_below_1e_10() {
    let p = fixed(Scheme::Central);
    let (median, evaluations, worst) = run(|c| numeric::derivative_with(c.f, c.x, &p).unwrap());
    assert!(median <= 1e-10, "median {median:e} (worst: {worst})");
    // 2 for the value, 8 for its error estimate (the stencil at 2h, 4h, 8h and 1.38h), more
    // where the step had to shrink.
    assert!(evaluations >= 10, "{evaluations}");
}

#[test]
fn five_point_differences_at_the_default_step_have_median_error_below_1e_12() {
    let p = fixed(Scheme::FivePoint);
    let (median, evaluations, worst) = run(|c| numeric::derivative_with(c.f, c.x, &p).unwrap());
    assert!(median <= 1e-12, "median {median:e} (worst: {worst})");
    assert!(evaluations >= 20, "{evaluations}");
}

#[test]
fn complex_step_median_error_is_below_1e_15_in_one_evaluation() {
    let (median, evaluations, worst) =
        run(|c| numeric::complex_step::derivative(c.fc, c.x).unwrap());
    assert!(median <= 1e-15, "median {median:e} (worst: {worst})");
    assert_eq!(evaluations, 1);
}

/// The fraction of the suite where the true error is within the reported bound.
fn honest_fraction(method: impl Fn(&Case) -> Estimate) -> f64 {
    let cases = suite();
    let honest = cases
        .iter()
        .filter(|c| {
            let d = method(c);
            d.status == Status::Ok && (d.value - (c.df)(c.x)).abs() <= d.error
        })
        .count();
    honest as f64 / cases.len() as f64
}

#[test]
fn richardson_error_bounds_hold_on_95_percent_of_the_suite() {
    let fraction = honest_fraction(|c| numeric::derivative(c.f, c.x).unwrap());
    assert!(fraction >= 0.95, "{fraction}");
}

#[test]
fn complex_step_error_bounds_hold_on_95_percent_of_the_suite() {
    let fraction = honest_fraction(|c| numeric::complex_step::derivative(c.fc, c.x).unwrap());
    assert!(fraction >= 0.95, "{fraction}");
}

#[test]
fn higher_derivatives_by_richardson_are_honest_too() {
    // exp at 0.3: every derivative is e^0.3.
    for n in 1..=4 {
        let d = numeric::nth_derivative(f64::exp, 0.3, n).unwrap();
        let exact = 0.3f64.exp();
        assert!((d.value - exact).abs() <= d.error, "order {n}: {d:?}");
        assert!(((d.value - exact) / exact).abs() < 1e-5, "order {n}: {d:?}");
        assert!(d.evaluations <= 30);
        assert!(d.is_ok(), "order {n}: {d:?}");
    }
}

/// The least-squares slope of `log(error)` against `log(h)` over four steps `h₀·2ᵏ`, with
/// `h₀` where truncation outweighs rounding a thousandfold (from the scheme's error model).
fn observed_order(f: fn(f64) -> f64, exact: f64, x: f64, scheme: &Scheme, n: usize) -> f64 {
    let stencil = scheme.stencil(n).unwrap();
    let order = (stencil.accuracy() + n) as f64;
    let h0 = stencil.optimal_step() * 1e3f64.powf(1.0 / order);
    let points: Vec<(f64, f64)> = (0..4)
        .map(|k| {
            let h = h0 * 2f64.powi(k);
            let p = Params {
                scheme: scheme.clone(),
                step: numeric::Step::Fixed(h),
                extrapolate: false,
                ..Params::default()
            };
            let d = numeric::nth_derivative_with(f, x, n, &p).unwrap();
            (h.ln(), (d.value - exact).abs().ln())
        })
        .collect();
    let m = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / m, sy / m);
    let num: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    num / den
}

/// A test function and its n-th derivative at 0.3, by hand.
type Smooth = (fn(f64) -> f64, fn(usize) -> f64);

#[test]
fn every_scheme_shows_its_theoretical_order_of_accuracy() {
    let one_sided_fourth = Scheme::Custom(vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    let mut schemes = Scheme::NAMED.to_vec();
    schemes.push(one_sided_fourth);
    schemes.push(Scheme::Custom(vec![-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]));
    // exp at 0.3 and 1/(5 − x) at 0.3: no derivative vanishes, so the leading term shows.
    let functions: [Smooth; 2] = [
        (f64::exp, |_| 0.3f64.exp()),
        (
            |x| 1.0 / (5.0 - x),
            |n| (1..=n).map(|k| k as f64).product::<f64>() / 4.7f64.powi(n as i32 + 1),
        ),
    ];
    let mut failures = Vec::new();
    for scheme in &schemes {
        for n in 1..=4 {
            let Ok(stencil) = scheme.stencil(n) else {
                continue;
            };
            let p = stencil.accuracy() as f64;
            for (i, (f, df)) in functions.iter().enumerate() {
                let slope = observed_order(*f, df(n), 0.3, scheme, n);
                if (slope - p).abs() > 0.3 {
                    failures.push(format!(
                        "{} order {n} f{i}: {slope:.2} vs {p}",
                        scheme.name()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
