//! Evaluation: simplification keeps values, the compiled form agrees with the scalar walk,
//! IEEE semantics at evaluation, unknown variables named.

use crate::common::{close, tree};
use proptest::prelude::*;
use weifen::VectorFn;
use weifen::forward::Dual;
use weifen::symbolic::{EvalError, Expr, Formula, Program};

fn parse(s: &str) -> Expr {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn division_by_zero_and_domain_errors_follow_ieee() {
    let at = |s: &str, x: f64| parse(s).eval(&[("x", x)]).unwrap();
    assert_eq!(at("1/x", 0.0), f64::INFINITY);
    assert_eq!(at("-1/x", 0.0), f64::NEG_INFINITY);
    assert!(at("ln(x)", -1.0).is_nan());
    assert!(at("sqrt(x)", -1.0).is_nan());
    assert_eq!(at("ln(x)", 0.0), f64::NEG_INFINITY);
    assert!(at("x/x + 0*x", 0.0).is_finite()); // simplified to 1: documented domain change
}

#[test]
fn an_unknown_variable_is_named_at_evaluation() {
    let f = parse("x*y + z");
    assert_eq!(
        f.eval(&[("x", 1.0), ("y", 2.0)]),
        Err(EvalError::UnknownVariable { name: "z".into() })
    );
    let err = Formula::new(std::slice::from_ref(&f), &["x", "y"]).unwrap_err();
    assert_eq!(err.to_string(), "the variable \"z\" has no value");
    let program = Program::new(&[f], &["x", "y", "z"]).unwrap();
    assert_eq!(
        program.eval(&[1.0]),
        Err(EvalError::WrongLength(weifen::LengthError {
            what: "the point x",
            other: "the list of variables",
            expected: 3,
            found: 1
        }))
    );
}

#[test]
fn evaluation_runs_on_any_scalar() {
    let f = parse("x^2*sin(x)");
    let d = f.eval(&[("x", Dual::variable(1.5))]).unwrap();
    assert!(close(
        d.tangent,
        f.diff("x").eval(&[("x", 1.5)]).unwrap(),
        1e-15
    ));
    // On expressions: substitution.
    let g = f.eval(&[("x", parse("2*t"))]).unwrap();
    assert_eq!(g, parse("(2*t)^2*sin(2*t)"));
}

#[test]
fn a_formula_with_several_outputs_is_a_vector_function() {
    let outputs = [parse("x*y"), parse("x + y"), parse("3")];
    let formula = Formula::new(&outputs, &["x", "y"]).unwrap();
    assert_eq!(VectorFn::eval(&formula, &[2.0, 5.0]), vec![10.0, 7.0, 3.0]);
    let j = weifen::forward::jacobian(|x| VectorFn::eval(&formula, x), &[2.0, 5.0]);
    assert_eq!(j.row(0).to_vec(), vec![5.0, 2.0]);
    assert_eq!(j.row(2).to_vec(), vec![0.0, 0.0]);
}

#[test]
fn compiled_batches_agree_with_pointwise_evaluation() {
    let f = parse("(-2*x^2 + 4*x + 1)*exp(-x^2/2) + atan2(y, x) - min(x, y)^3/y");
    let outputs = [f.clone(), f.diff("x"), f.diff("y")];
    let program = Program::new(&outputs, &["x", "y"]).unwrap();
    assert!(
        program.registers() < program.len() + 8,
        "registers are reused"
    );
    let n = 1000; // four blocks, the last one partial
    let xs: Vec<f64> = (0..n).map(|i| -3.0 + 0.006 * i as f64).collect();
    let ys: Vec<f64> = (0..n).map(|i| 0.5 + 0.001 * i as f64).collect();
    let mut out = vec![Vec::new(); 3];
    program.eval_batch(&[&xs, &ys], &mut out).unwrap();
    for i in 0..n {
        let point = [("x", xs[i]), ("y", ys[i])];
        for k in 0..3 {
            assert_eq!(
                out[k][i],
                outputs[k].eval(&point).unwrap(),
                "output {k} at {i}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(11),
        ..ProptestConfig::default()
    })]

    /// The tree evaluated on `f64` is the formula as written; built on `Expr` it is
    /// simplified. Where the written formula is defined, the values agree.
    #[test]
    fn simplification_never_changes_a_value_where_the_original_is_defined(
        t in tree(),
        x in -3.0f64..3.0,
        y in -3.0f64..3.0,
    ) {
        let written = t.build(x, y);
        prop_assume!(written.is_finite());
        let e: Expr = t.build(Expr::var("x"), Expr::var("y"));
        let simplified = e.eval(&[("x", x), ("y", y)]).unwrap();
        prop_assert!(close(simplified, written, 1e-9), "{:?}\n= {}\n{} vs {}", t, e, simplified, written);
        let program = Program::new(&[e], &["x", "y"]).unwrap();
        prop_assert_eq!(program.eval(&[x, y]).unwrap()[0].to_bits(), simplified.to_bits());
    }
}
