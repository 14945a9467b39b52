//! Every finite-difference answer is right within its own error estimate, or says it is not:
//! over functions with closed-form derivatives at ordinary and awkward points (large and tiny
//! arguments, next to poles and domain edges, fast oscillation), for every scheme, with and
//! without Richardson extrapolation, the result is an error, or a NaN or finite value with an
//! infinite estimate and a status other than `Ok`, or `|value − exact| ≤ error`.

use weifen::numeric::{self, Estimate, Params, Scheme, Status};

/// A real function.
type Real = fn(f64) -> f64;

/// A function, its derivatives of order 1 to 4 where they are listed, and where to test it.
struct Case {
    name: &'static str,
    f: fn(f64) -> f64,
    /// `d(n, x)`: the n-th derivative at x, for the orders in `orders`.
    d: fn(usize, f64) -> f64,
    orders: usize,
    points: &'static [f64],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "sin",
            f: f64::sin,
            d: |n, x| [x.cos(), -x.sin(), -x.cos(), x.sin()][n - 1],
            orders: 4,
            points: &[0.0, 1.0, -3.0, 1e-8, 1000.0, 5e4, 1e5, 1e8, 1e15],
        },
        Case {
            name: "exp",
            f: f64::exp,
            d: |_, x| x.exp(),
            orders: 4,
            points: &[0.0, 0.3, -20.0, 1e-8, 300.0, -700.0, 700.0],
        },
        Case {
            name: "ln",
            f: f64::ln,
            d: |n, x| {
                let s = if n % 2 == 1 { 1.0 } else { -1.0 };
                s * (1..n).map(|k| k as f64).product::<f64>() / x.powi(n as i32)
            },
            orders: 3,
            points: &[1e-8, 1e-3, 1.0, 3.0, 1e8, 1e300],
        },
        Case {
            name: "sqrt",
            f: f64::sqrt,
            d: |_, x| 0.5 / x.sqrt(),
            orders: 1,
            points: &[1e-300, 1e-8, 0.25, 2.0, 1e12],
        },
        Case {
            name: "recip",
            f: |x| 1.0 / x,
            d: |n, x| {
                let s = if n % 2 == 1 { -1.0 } else { 1.0 };
                s * (1..=n).map(|k| k as f64).product::<f64>() / x.powi(n as i32 + 1)
            },
            orders: 3,
            points: &[1e-8, -1e-8, 1e-3, 0.05, 1e8],
        },
        Case {
            name: "pole_at_1",
            f: |x| 1.0 / (x - 1.0),
            d: |_, x| -1.0 / ((x - 1.0) * (x - 1.0)),
            orders: 1,
            points: &[1.00000001, 0.99999999, 1.000001, 1.5],
        },
        Case {
            name: "tan_x10",
            f: |x| (x * x).powi(5).tan(),
            d: |_, x| {
                let u = (x * x).powi(5);
                10.0 * x.powi(9) / u.cos().powi(2)
            },
            orders: 1,
            points: &[2.7, 1.3, 0.5],
        },
        Case {
            name: "tan_near_pole",
            f: f64::tan,
            d: |_, x| 1.0 / x.cos().powi(2),
            orders: 1,
            points: &[std::f64::consts::FRAC_PI_2 - 1e-6, 1.5],
        },
        Case {
            name: "log1p_edge",
            f: |x| (1.0 + x).ln(),
            d: |_, x| 1.0 / (1.0 + x),
            orders: 1,
            points: &[-1.0 + 1e-8, -0.5, 1e-10],
        },
        Case {
            name: "circle_edge",
            // (1 − x)(1 + x), not 1 − x²: the rounding of x² near 1 would make the
            // function itself (and the closed form) wrong in the ninth digit.
            f: |x| ((1.0 - x) * (1.0 + x)).sqrt(),
            d: |_, x| -x / ((1.0 - x) * (1.0 + x)).sqrt(),
            orders: 1,
            points: &[1.0 - 1e-8, 0.5, -1.0 + 1e-6],
        },
        Case {
            name: "x_sin_inv_x",
            f: |x| x * (1.0 / x).sin(),
            d: |_, x| (1.0 / x).sin() - (1.0 / x).cos() / x,
            orders: 1,
            points: &[0.01, 0.001, 0.3],
        },
        Case {
            name: "runge",
            f: |x| 1.0 / (1.0 + 25.0 * x * x),
            d: |_, x| -50.0 * x / (1.0 + 25.0 * x * x).powi(2),
            orders: 1,
            points: &[0.0, 0.2, 1.0, 30.0],
        },
        Case {
            name: "exp_sin",
            f: |x| x.sin().exp(),
            d: |_, x| x.cos() * x.sin().exp(),
            orders: 1,
            points: &[0.7, 100.0, 1e4],
        },
        Case {
            name: "cube",
            f: |x| x * x * x,
            d: |n, x| [3.0 * x * x, 6.0 * x, 6.0, 0.0][n - 1],
            orders: 4,
            points: &[0.0, 2.0, 1e100, -1e-100],
        },
        Case {
            name: "tanh",
            f: f64::tanh,
            d: |_, x| 1.0 / x.cosh().powi(2),
            orders: 1,
            points: &[0.8, 20.0, 100.0],
        },
    ]
}

/// The methods: Richardson over each scheme, and each scheme applied once.
fn methods() -> Vec<(String, Params)> {
    let mut out = Vec::new();
    for scheme in Scheme::NAMED {
        for extrapolate in [true, false] {
            let name = format!(
                "{}{}",
                scheme.name(),
                if extrapolate { " + richardson" } else { "" }
            );
            let params = Params {
                scheme: scheme.clone(),
                extrapolate,
                ..Params::default()
            };
            out.push((name, params));
        }
    }
    out
}

/// Why `d` is not honest about `exact`, if it is not.
fn dishonesty(d: &Estimate, exact: f64) -> Option<String> {
    if d.error == f64::INFINITY && d.status != Status::Ok {
        return None;
    }
    let actual = (d.value - exact).abs();
    // The closed form itself is rounded: a few ulps of it are no lie.
    if actual <= d.error + 8.0 * f64::EPSILON * exact.abs() {
        return None;
    }
    Some(format!(
        "value {:e}, exact {exact:e}, actual error {actual:.2e} > estimate {:.2e} ({:?})",
        d.value, d.error, d.status
    ))
}

#[test]
fn every_finite_difference_answer_is_within_its_estimate_or_flagged() {
    let mut lies = Vec::new();
    let mut vouched = 0;
    let mut total = 0;
    for c in cases() {
        for &x in c.points {
            for (method, params) in methods() {
                for n in 1..=c.orders {
                    let Ok(d) = numeric::nth_derivative_with(c.f, x, n, &params) else {
                        continue;
                    };
                    total += 1;
                    if d.error.is_finite() {
                        vouched += 1;
                    }
                    if let Some(why) = dishonesty(&d, (c.d)(n, x)) {
                        lies.push(format!("{} at {x:e}, order {n}, {method}: {why}", c.name));
                    }
                }
            }
        }
    }
    assert!(
        lies.is_empty(),
        "{} of {total}:\n{}",
        lies.len(),
        lies.join("\n")
    );
    // Honesty by refusing everything would be useless: most answers are vouched for.
    assert!(
        vouched * 10 >= total * 7,
        "{vouched} of {total} vouched for"
    );
}

#[test]
fn richardson_answers_the_awkward_cases_of_the_issue() {
    // (f, x, exact f′): each is answered to 1e-6 relative, within its estimate.
    let cases: [(Real, f64, f64); 5] = [
        (f64::sin, 1e5, 1e5f64.cos()),
        (f64::sin, 5e4, 5e4f64.cos()),
        (|x| 1.0 / x, 1e-8, -1e16),
        (f64::ln, 1e-8, 1e8),
        (|x| (x * x).powi(5).tan(), 2.7, {
            let u = (2.7f64 * 2.7).powi(5);
            10.0 * 2.7f64.powi(9) / u.cos().powi(2)
        }),
    ];
    for (f, x, exact) in cases {
        let d = numeric::derivative(f, x).unwrap();
        assert_eq!(d.status, Status::Ok, "at {x}: {d:?}");
        assert!(
            (d.value - exact).abs() <= d.error,
            "at {x}: {d:?} vs {exact}"
        );
        assert!(((d.value - exact) / exact).abs() < 1e-6, "at {x}: {d:?}");
    }
}

#[test]
fn a_single_difference_whose_step_is_too_large_says_so() {
    // The five-point optimal step at x = 1000 is about 1: sin varies on that scale.
    let p = Params {
        scheme: Scheme::FivePoint,
        extrapolate: false,
        ..Params::default()
    };
    let d = numeric::derivative_with(f64::sin, 1000.0, &p).unwrap();
    let actual = (d.value - 1000f64.cos()).abs();
    assert!(actual <= d.error, "{d:?}");
}

/// The complex step on the same kind of points: exact to rounding where `f` is analytic, so
/// its bound (16 ε of the terms) must hold next to poles and domain edges too. (Exactly at a
/// pole or a branch point, or within the smallest step, 10⁻²⁹⁰, of one, it cannot tell:
/// `weifen::check` takes it at two steps.)
#[test]
fn complex_step_answers_are_within_their_estimate_next_to_singularities() {
    use weifen::Scalar;
    use weifen::numeric::{Complex, complex_step};

    macro_rules! honest {
        ($name:expr, |$x:ident| $f:expr, |$y:ident| $d:expr, $points:expr) => {{
            fn f<S: Scalar>($x: S) -> S {
                $f
            }
            for &at in $points.iter() {
                let d = complex_step::derivative(f::<Complex>, at).unwrap();
                let exact = (|$y: f64| $d)(at);
                assert!(
                    dishonesty(&d, exact).is_none(),
                    "{} at {at:e}: {:?}",
                    $name,
                    dishonesty(&d, exact)
                );
            }
        }};
    }
    honest!("sin", |x| x.sin(), |x| x.cos(), [0.0, 1e-8, 1e5, 1e15]);
    honest!(
        "recip",
        |x| x.recip(),
        |x| -1.0 / (x * x),
        [1e-8, -1e-8, 1e8]
    );
    honest!("ln", |x| x.ln(), |x| 1.0 / x, [1e-8, 1e-30, 1e-250, 1e300]);
    honest!("sqrt", |x| x.sqrt(), |x| 0.5 / x.sqrt(), [1e-8, 1e-200]);
    honest!(
        "tan_x10",
        |x| x.powi(10).tan(),
        |x| 10.0 * x.powi(9) / x.powi(10).cos().powi(2),
        [2.7, 1.3]
    );
    honest!("exp", |x| x.exp(), |x| x.exp(), [-700.0, 700.0]);
}

/// Gradients, Jacobians and Hessians share the extrapolation and its tests: each entry is
/// within its estimate or flagged.
#[test]
fn multivariate_answers_are_within_their_estimates_or_flagged() {
    // f(x, y) = sin(x)·y + 1/(x − y), ∇f = (cos(x)·y − 1/(x − y)², sin x + 1/(x − y)²),
    // ∇²f = [[−sin(x)·y + c, cos x − c], [cos x − c, c]] with c = 2/(x − y)³.
    let f = |p: &[f64]| p[0].sin() * p[1] + 1.0 / (p[0] - p[1]);
    let grad = |x: f64, y: f64| {
        let q = 1.0 / ((x - y) * (x - y));
        [x.cos() * y - q, x.sin() + q]
    };
    let hess = |x: f64, y: f64| {
        let c = 2.0 / (x - y).powi(3);
        [[-x.sin() * y + c, x.cos() - c], [x.cos() - c, c]]
    };
    let points = [
        [0.3, 2.0],
        [1e5, -1.0],
        [1.0 + 1e-7, 1.0],
        [-40.0, 1e-8],
        [1e8, 3.0],
    ];
    let mut lies = Vec::new();
    for p in points {
        let exact = grad(p[0], p[1]);
        let g = numeric::gradient(f, &p).unwrap();
        let j = numeric::jacobian(|q: &[f64]| vec![f(q)], &p).unwrap();
        let h = numeric::hessian(f, &p).unwrap();
        let exact_h = hess(p[0], p[1]);
        for (k, row) in exact_h.iter().enumerate() {
            for (l, &exact) in row.iter().enumerate() {
                let (value, error) = (h.value[[k, l]], h.error[[k, l]]);
                let d = Estimate {
                    value,
                    error,
                    evaluations: 0,
                    status: if error.is_finite() {
                        Status::Ok
                    } else {
                        Status::NoConvergence
                    },
                };
                if let Some(why) = dishonesty(&d, exact) {
                    lies.push(format!("hessian at {p:?}, entry {k}{l}: {why}"));
                }
            }
        }
        for (k, &exact) in exact.iter().enumerate() {
            for (what, value, error) in [
                ("gradient", g.value[k], g.error[k]),
                ("jacobian", j.value[[0, k]], j.error[[0, k]]),
            ] {
                let d = Estimate {
                    value,
                    error,
                    evaluations: 0,
                    status: if error.is_finite() {
                        Status::Ok
                    } else {
                        Status::NoConvergence
                    },
                };
                if let Some(why) = dishonesty(&d, exact) {
                    lies.push(format!("{what} at {p:?}, entry {k}: {why}"));
                }
            }
        }
    }
    assert!(lies.is_empty(), "{}", lies.join("\n"));
}

/// Given f(x), the complex step tells a pole or a branch point at x itself, where its
/// quotient is finite but no derivative.
#[test]
fn complex_step_given_the_value_flags_singular_points() {
    use weifen::Scalar;
    use weifen::numeric::complex_step;

    let sqrt = |z: weifen::numeric::Complex| z.sqrt();
    let d = complex_step::derivative_given_value(sqrt, 0.0, 0.0).unwrap();
    assert_eq!(d.status, Status::Singular { at: 0.0 });
    let ln = |z: weifen::numeric::Complex| z.ln();
    let d = complex_step::derivative_given_value(ln, 0.0, f64::NEG_INFINITY).unwrap();
    assert!(!d.is_ok() && d.error == f64::INFINITY, "{d:?}");
    let recip = |z: weifen::numeric::Complex| z.recip();
    let d = complex_step::derivative_given_value(recip, 0.0, f64::INFINITY).unwrap();
    assert!(!d.is_ok() && d.error == f64::INFINITY, "{d:?}");
    // Regular points, also next to the singularity and where f″ is large, stay vouched for.
    for (x, fx, exact) in [
        (1e-8, 1e-4, 5e3),
        (4.0, 2.0, 0.25),
        (1e-200, 1e-100, 0.5e100),
    ] {
        let d = complex_step::derivative_given_value(sqrt, x, fx).unwrap();
        assert!(
            d.is_ok() && (d.value - exact).abs() <= d.error,
            "at {x}: {d:?}"
        );
    }
    let square = |z: weifen::numeric::Complex| z * z;
    let d = complex_step::derivative_given_value(square, 0.0, 0.0).unwrap();
    assert!(d.is_ok() && d.value == 0.0, "{d:?}");
}
