//! Paths that once panicked on a user's input now return errors: formulas of the wrong shape
//! handed to the grid, and parameters a numeric backend cannot use.

use weifen::LengthError;
use weifen::method::{self, Backend, Method, MethodError};
use weifen::numeric::{Params, Scheme};
use weifen::symbolic::{Expr, Formula};

fn formula(outputs: &[&str], vars: &[&str]) -> Formula {
    let outputs: Vec<Expr> = outputs.iter().map(|s| s.parse().unwrap()).collect();
    Formula::new(&outputs, vars).unwrap()
}

fn length(err: MethodError) -> LengthError {
    match err {
        MethodError::Length(e) => e,
        other => panic!("expected a length error, got {other:?}"),
    }
}

#[test]
fn a_formula_of_two_variables_is_not_a_scalar_function() {
    let f = formula(&["x*y"], &["x", "y"]);
    for m in Method::ALL {
        let e = length(m.backend().derivative(&f, 1.0).unwrap_err());
        assert_eq!((e.expected, e.found), (2, 1), "{m}");
        assert!(e.to_string().contains("variables"), "{e}");
    }
}

#[test]
fn a_formula_of_two_outputs_is_not_an_objective() {
    let f = formula(&["x", "x*y"], &["x", "y"]);
    for m in Method::ALL {
        let e = length(m.backend().gradient(&f, &[1.0, 2.0]).unwrap_err());
        assert_eq!((e.expected, e.found), (1, 2), "{m}");
        assert!(e.to_string().contains("outputs"), "{e}");
    }
}

#[test]
fn a_point_of_the_wrong_length_is_an_error_for_an_objective() {
    let f = formula(&["x*y"], &["x", "y"]);
    for m in Method::ALL {
        let err = m.backend().hessian(&f, &[1.0, 2.0, 3.0]).unwrap_err();
        assert_eq!(length(err).found, 3, "{m}");
    }
}

#[test]
fn a_point_of_the_wrong_length_is_an_error_for_a_map() {
    let f = formula(&["x", "x*y"], &["x", "y"]);
    for m in Method::ALL {
        let err = m.backend().jacobian(&f, &[1.0]).unwrap_err();
        assert_eq!(length(err).expected, 2, "{m}");
        let err = m
            .backend()
            .vjp(&f, &[1.0, 2.0, 3.0], &[1.0, 1.0])
            .unwrap_err();
        assert_eq!(length(err).found, 3, "{m}");
    }
}

#[test]
fn a_formula_api_point_of_the_wrong_length_is_an_error() {
    let f: Expr = "x*y".parse().unwrap();
    for m in Method::ALL {
        let err = method::gradient(&f, &["x", "y"], &[1.0], m).unwrap_err();
        assert_eq!(length(err).expected, 2, "{m}");
    }
    let err = method::trace(&f, &["x", "y"], &[1.0], None).unwrap_err();
    assert_eq!(length(err).found, 1);
}

#[test]
fn a_stencil_that_cannot_give_the_order_is_an_error() {
    let one_point = Backend::Numeric(Params {
        scheme: Scheme::Custom(vec![0.0]),
        extrapolate: false,
        ..Params::default()
    });
    let f = formula(&["x^2"], &["x"]);
    assert!(matches!(
        one_point.derivative(&f, 1.0),
        Err(MethodError::Numeric(_))
    ));
}
