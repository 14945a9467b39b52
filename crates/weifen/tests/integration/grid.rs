//! The grid: every verb on every backend, on the same functions written once, against closed
//! forms (and so against each other). A verb a backend does not offer must be a typed error,
//! and only those listed in `unsupported` may be.

use ndarray::{Array2, array};
use weifen::method::{Backend, Method, MethodError, Outcome, Verb};
use weifen::numeric::{Params, Scheme, Status};
use weifen::{MultivariateFn, Scalar, ScalarFn, VectorFn};

/// f(x) = sin(x)·eˣ: f′ = eˣ(sin x + cos x), f″ = 2eˣ cos x, f‴ = 2eˣ(cos x − sin x).
struct SinExp;

impl ScalarFn for SinExp {
    fn eval<S: Scalar>(&self, x: S) -> S {
        x.clone().sin() * x.exp()
    }
}

fn sin_exp_derivative(x: f64, n: usize) -> f64 {
    let e = x.exp();
    match n {
        1 => e * (x.sin() + x.cos()),
        2 => 2.0 * e * x.cos(),
        3 => 2.0 * e * (x.cos() - x.sin()),
        _ => unreachable!("the test asks for orders 1 to 3"),
    }
}

/// f(x) = x₀²x₁ + x₂·sin x₁ + exp(x₀x₂).
struct Objective;

impl MultivariateFn for Objective {
    fn eval<S: Scalar>(&self, x: &[S]) -> S {
        let [a, b, c] = [x[0].clone(), x[1].clone(), x[2].clone()];
        a.clone().powi(2) * b.clone() + c.clone() * b.sin() + (a * c).exp()
    }
}

fn objective_gradient(x: &[f64]) -> Vec<f64> {
    let e = (x[0] * x[2]).exp();
    vec![
        2.0 * x[0] * x[1] + x[2] * e,
        x[0] * x[0] + x[2] * x[1].cos(),
        x[1].sin() + x[0] * e,
    ]
}

fn objective_hessian(x: &[f64]) -> Array2<f64> {
    let e = (x[0] * x[2]).exp();
    let h02 = e * (1.0 + x[0] * x[2]);
    array![
        [2.0 * x[1] + x[2] * x[2] * e, 2.0 * x[0], h02],
        [2.0 * x[0], -x[2] * x[1].sin(), x[1].cos()],
        [h02, x[1].cos(), x[0] * x[0] * e],
    ]
}

/// g(x) = (x₀x₁ + x₂², sin(x₀)·e^{x₂}): ℝ³ → ℝ².
struct Map;

impl VectorFn for Map {
    fn eval<S: Scalar>(&self, x: &[S]) -> Vec<S> {
        vec![
            x[0].clone() * x[1].clone() + x[2].clone().powi(2),
            x[0].clone().sin() * x[2].clone().exp(),
        ]
    }
}

fn map_jacobian(x: &[f64]) -> Array2<f64> {
    let e = x[2].exp();
    array![
        [x[1], x[0], 2.0 * x[2]],
        [x[0].cos() * e, 0.0, x[0].sin() * e]
    ]
}

const X: [f64; 3] = [0.4, -0.7, 0.9];
const V: [f64; 3] = [0.5, -1.0, 2.0];
const U: [f64; 2] = [1.5, -0.5];

/// Every preset, and a backend with parameters of its own (a custom one-sided stencil).
fn backends() -> Vec<Backend> {
    let mut all: Vec<Backend> = Method::ALL.iter().map(|m| m.backend()).collect();
    all.push(Backend::Numeric(Params {
        scheme: Scheme::Custom(vec![0.0, 1.0, 2.0, 3.0, 4.0]),
        extrapolate: false,
        ..Params::default()
    }));
    all
}

/// The verbs a backend refuses, with the reason in the error.
fn unsupported(backend: &Backend, verb: Verb) -> bool {
    let second_order = matches!(
        verb,
        Verb::SecondDerivative | Verb::NthDerivative | Verb::Hessian | Verb::Hvp
    );
    let central = matches!(backend, Backend::Numeric(p) if p.scheme == Scheme::Central);
    match backend {
        Backend::ComplexStep => second_order,
        Backend::Numeric(_) => matches!(verb, Verb::Hessian | Verb::Hvp) && !central,
        Backend::Symbolic | Backend::Forward | Backend::Reverse | Backend::Auto => false,
    }
}

/// How close a backend must come, relative to `max(|exact|, 1)`, at derivative order `k`.
fn tolerance(backend: &Backend, k: i32) -> f64 {
    match backend {
        Backend::Symbolic | Backend::Forward | Backend::Reverse | Backend::Auto => 1e-13,
        Backend::ComplexStep => 1e-14,
        Backend::Numeric(p) if p.extrapolate => 1e-8 * 1e2f64.powi(k - 1),
        Backend::Numeric(p) if matches!(p.scheme, Scheme::Central | Scheme::FivePoint) => {
            1e-9 * 1e3f64.powi(k - 1)
        }
        Backend::Numeric(_) => 1e-7 * 1e4f64.powi(k - 1),
    }
}

/// Checks one verb's result: the same shape as the closed form, each entry within the
/// backend's tolerance and, for a numeric backend with status `Ok`, within its own bound.
fn check<T: AsRef<[f64]>>(
    backend: &Backend,
    verb: Verb,
    k: i32,
    result: Result<Outcome<T>, MethodError>,
    exact: &[f64],
) {
    let out = match result {
        Err(e) => {
            assert!(unsupported(backend, verb), "{backend} {verb}: {e}");
            assert!(
                matches!(
                    e,
                    MethodError::Unsupported { .. } | MethodError::UnsupportedOrder { .. }
                ),
                "{backend} {verb}: {e:?}"
            );
            return;
        }
        Ok(out) => out,
    };
    assert!(
        !unsupported(backend, verb),
        "{backend} {verb} should be refused"
    );
    let got = out.derivative.as_ref();
    assert_eq!(got.len(), exact.len(), "{backend} {verb}: shape");
    assert_eq!(out.error.is_none(), backend.is_exact(), "{backend} {verb}");
    assert!(!matches!(out.backend, Backend::Auto), "Auto is resolved");
    for (i, (&g, &e)) in got.iter().zip(exact).enumerate() {
        let err = (g - e).abs();
        let tol = tolerance(backend, k) * e.abs().max(1.0);
        assert!(err <= tol, "{backend} {verb}[{i}]: {g} vs {e} ({err:e})");
        if let (Some(bound), Status::Ok) = (&out.error, out.status) {
            let bound = bound.as_ref()[i];
            assert!(
                err <= bound.max(1e-15),
                "{backend} {verb}[{i}]: {err:e} > {bound:e}"
            );
        }
    }
}

fn flat(a: Array2<f64>) -> Vec<f64> {
    a.into_iter().collect()
}

fn outcome_flat(o: Outcome<Array2<f64>>) -> Outcome<Vec<f64>> {
    Outcome {
        backend: o.backend,
        derivative: flat(o.derivative),
        error: o.error.map(flat),
        evaluations: o.evaluations,
        status: o.status,
    }
}

fn scalar_outcome(o: Outcome<f64>) -> Outcome<[f64; 1]> {
    Outcome {
        backend: o.backend,
        derivative: [o.derivative],
        error: o.error.map(|e| [e]),
        evaluations: o.evaluations,
        status: o.status,
    }
}

#[test]
fn every_verb_on_every_backend_agrees_with_the_closed_forms() {
    let x = 0.6;
    let hessian = objective_hessian(&X);
    let jacobian = map_jacobian(&X);
    let hv = hessian.dot(&ndarray::arr1(&V)).to_vec();
    let jv = jacobian.dot(&ndarray::arr1(&V)).to_vec();
    let uj = ndarray::arr1(&U).dot(&jacobian).to_vec();
    for b in backends() {
        let d = |r: Result<Outcome<f64>, MethodError>| r.map(scalar_outcome);
        let exact = |n| [sin_exp_derivative(x, n)];
        check(
            &b,
            Verb::Derivative,
            1,
            d(b.derivative(&SinExp, x)),
            &exact(1),
        );
        let d2 = d(b.second_derivative(&SinExp, x));
        check(&b, Verb::SecondDerivative, 2, d2, &exact(2));
        let d3 = d(b.nth_derivative(&SinExp, x, 3));
        check(&b, Verb::NthDerivative, 3, d3, &exact(3));
        let g = b.gradient(&Objective, &X);
        check(&b, Verb::Gradient, 1, g, &objective_gradient(&X));
        let h = b.hessian(&Objective, &X).map(outcome_flat);
        check(&b, Verb::Hessian, 2, h, hessian.as_slice().unwrap());
        let j = b.jacobian(&Map, &X).map(outcome_flat);
        check(&b, Verb::Jacobian, 1, j, jacobian.as_slice().unwrap());
        check(&b, Verb::Jvp, 1, b.jvp(&Map, &X, &V), &jv);
        check(&b, Verb::Vjp, 1, b.vjp(&Map, &X, &U), &uj);
        check(&b, Verb::Hvp, 2, b.hvp(&Objective, &X, &V), &hv);
    }
}

#[test]
fn value_and_forms_return_the_value_and_the_same_derivative() {
    let (y, x) = (Map.eval(&X), 0.6);
    for b in backends() {
        let (v, d) = b.value_and_derivative(&SinExp, x).unwrap();
        assert_eq!((v, d), (SinExp.eval(x), b.derivative(&SinExp, x).unwrap()));
        let (v, g) = b.value_and_gradient(&Objective, &X).unwrap();
        assert_eq!(
            (v, g),
            (Objective.eval(&X), b.gradient(&Objective, &X).unwrap())
        );
        let (v, j) = b.value_and_jacobian(&Map, &X).unwrap();
        assert_eq!((&v, j), (&y, b.jacobian(&Map, &X).unwrap()));
        let (v, p) = b.value_and_jvp(&Map, &X, &V).unwrap();
        assert_eq!((&v, p), (&y, b.jvp(&Map, &X, &V).unwrap()));
        let (v, p) = b.value_and_vjp(&Map, &X, &U).unwrap();
        assert_eq!((&v, p), (&y, b.vjp(&Map, &X, &U).unwrap()));
        match b.value_gradient_and_hessian(&Objective, &X) {
            Ok((v, g, h)) => {
                assert_eq!(v, Objective.eval(&X), "{b}");
                assert_eq!(g, b.gradient(&Objective, &X).unwrap(), "{b}");
                assert_eq!(h, b.hessian(&Objective, &X).unwrap(), "{b}");
                let (v, hv) = b.value_and_hvp(&Objective, &X, &V).unwrap();
                assert_eq!(
                    (v, hv),
                    (Objective.eval(&X), b.hvp(&Objective, &X, &V).unwrap())
                );
                let (v, h2) = b.value_and_hessian(&Objective, &X).unwrap();
                assert_eq!((v, h2), (Objective.eval(&X), h), "{b}");
                let (v, d2) = b.value_and_second_derivative(&SinExp, x).unwrap();
                assert_eq!(v, SinExp.eval(x));
                assert_eq!(d2, b.second_derivative(&SinExp, x).unwrap());
            }
            Err(e) => assert!(unsupported(&b, Verb::Hessian), "{b}: {e}"),
        }
    }
}

#[test]
fn auto_reports_the_backend_it_chose() {
    let g = Backend::Auto.gradient(&Objective, &X).unwrap();
    assert_eq!(g.backend, Backend::Reverse);
    let j = Backend::Auto.jacobian(&Map, &X).unwrap();
    assert_eq!(j.backend, Backend::Forward);
    let d = Backend::Auto.derivative(&SinExp, 0.5).unwrap();
    assert_eq!(d.backend, Backend::Forward);
}

#[test]
fn refused_verbs_name_the_backend_the_verb_and_a_replacement() {
    let err = Backend::ComplexStep.hessian(&Objective, &X).unwrap_err();
    assert!(matches!(
        err,
        MethodError::Unsupported {
            method: "complex-step",
            verb: Verb::Hessian,
            ..
        }
    ));
    assert!(err.to_string().contains("use forward"), "{err}");
    let five_point = Method::FivePoint.backend();
    let err = five_point.hvp(&Objective, &X, &V).unwrap_err();
    assert!(
        err.to_string().contains("use central or richardson"),
        "{err}"
    );
}

#[test]
fn wrong_lengths_are_one_error_type_in_every_backend() {
    for b in backends() {
        let err = b.jvp(&Map, &X, &[1.0]).unwrap_err();
        assert!(
            matches!(err, MethodError::Length(ref e) if e.found == 1),
            "{b}: {err:?}"
        );
        let err = b.vjp(&Map, &X, &[1.0; 3]).unwrap_err();
        assert!(
            matches!(err, MethodError::Length(ref e) if e.expected == 2),
            "{b}: {err:?}"
        );
        if !unsupported(&b, Verb::Hvp) {
            let err = b.hvp(&Objective, &X, &[1.0; 2]).unwrap_err();
            assert!(matches!(err, MethodError::Length(_)), "{b}: {err:?}");
        }
    }
}

#[test]
fn backend_names_round_trip_through_the_method_presets() {
    for m in Method::ALL {
        assert_eq!(m.backend().preset(), Some(m));
        assert_eq!(m.backend().name(), m.name());
        assert_eq!(m.name().parse::<Method>(), Ok(m));
    }
    let custom = backends().pop().unwrap();
    assert_eq!((custom.name(), custom.preset()), ("custom-stencil", None));
}
