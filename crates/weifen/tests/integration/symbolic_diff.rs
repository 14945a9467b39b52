//! Symbolic derivatives: closed forms of the op table's functions, agreement with forward
//! mode on random expressions, parsed formulas differentiated by forward and reverse mode,
//! and linear growth of the derivative's DAG.

use crate::common::{close, tree};
use proptest::prelude::*;
use weifen::forward::{self, Dual, Jet};
use weifen::symbolic::{self, Expr, ExprKind, Formula};
use weifen::{MultivariateFn, Scalar, ScalarFn, reverse};

fn parse(s: &str) -> Expr {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// `(f, f′ by hand, a point inside f's domain)`.
type Case = (&'static str, fn(f64) -> f64, f64);

#[test]
fn derivatives_of_the_elementary_functions_match_their_closed_forms() {
    let cases: Vec<Case> = vec![
        ("-x", |_| -1.0, 0.3),
        ("1/x", |x| -1.0 / (x * x), 0.7),
        ("sqrt(x)", |x| 0.5 / x.sqrt(), 2.0),
        ("cbrt(x)", |x| 1.0 / (3.0 * x.cbrt().powi(2)), 2.0),
        ("exp(x)", |x| x.exp(), 0.4),
        ("exp2(x)", |x| x.exp2() * std::f64::consts::LN_2, 0.4),
        ("exp_m1(x)", |x| x.exp(), -0.4),
        ("ln(x)", |x| 1.0 / x, 3.0),
        ("log2(x)", |x| 1.0 / (x * std::f64::consts::LN_2), 3.0),
        ("log10(x)", |x| 1.0 / (x * std::f64::consts::LN_10), 3.0),
        ("ln_1p(x)", |x| 1.0 / (1.0 + x), 0.5),
        ("sin(x)", |x| x.cos(), 1.1),
        ("cos(x)", |x| -x.sin(), 1.1),
        ("tan(x)", |x| 1.0 / x.cos().powi(2), 0.6),
        ("asin(x)", |x| 1.0 / (1.0 - x * x).sqrt(), 0.3),
        ("acos(x)", |x| -1.0 / (1.0 - x * x).sqrt(), 0.3),
        ("atan(x)", |x| 1.0 / (1.0 + x * x), 2.0),
        ("sinh(x)", |x| x.cosh(), 0.8),
        ("cosh(x)", |x| x.sinh(), 0.8),
        ("tanh(x)", |x| 1.0 / x.cosh().powi(2), 0.8),
        ("asinh(x)", |x| 1.0 / (x * x + 1.0).sqrt(), 0.8),
        ("acosh(x)", |x| 1.0 / (x * x - 1.0).sqrt(), 1.8),
        ("atanh(x)", |x| 1.0 / (1.0 - x * x), 0.4),
        ("abs(x)", |x| x.signum(), -1.5),
        ("sign(x)", |_| 0.0, 0.5),
        (
            "erf(x)",
            |x| 2.0 / std::f64::consts::PI.sqrt() * (-x * x).exp(),
            0.5,
        ),
        ("x^3", |x| 3.0 * x * x, -1.2),
        ("x^-2", |x| -2.0 / x.powi(3), 1.3),
        ("x^1.5", |x| 1.5 * x.sqrt(), 1.3),
        ("x^-0.5", |x| -0.5 * x.powf(-1.5), 1.3),
        ("x^x", |x| x.powf(x) * (x.ln() + 1.0), 1.3),
        ("2^x", |x| 2f64.powf(x) * std::f64::consts::LN_2, 1.3),
        ("atan2(x, 2)", |x| 2.0 / (x * x + 4.0), 0.5),
        ("atan2(2, x)", |x| -2.0 / (x * x + 4.0), 0.5),
        ("hypot(x, 3)", |x| x / (x * x + 9.0).sqrt(), 4.0),
        ("min(x, 1)", |_| 1.0, 0.5),
        ("max(x, 1)", |_| 0.0, 0.5),
        ("x*sin(x)", |x| x.sin() + x * x.cos(), 0.9),
        (
            "x/(1 + x^2)",
            |x| (1.0 - x * x) / (1.0 + x * x).powi(2),
            0.9,
        ),
        ("exp(-x^2/2)", |x| -x * (-x * x / 2.0).exp(), 0.9),
    ];
    assert!(cases.len() >= 30);
    for (f, df, x) in cases {
        let symbolic = parse(f).diff("x").eval(&[("x", x)]).unwrap();
        assert!(
            close(symbolic, df(x), 1e-14),
            "{f}: {symbolic} vs {}",
            df(x)
        );
    }
}

#[test]
fn derivatives_print_as_simplified_formulas() {
    let table = [
        ("sin(x)", "cos(x)"),
        ("exp(x)", "exp(x)"),
        ("ln(x)", "1/x"),
        ("x^3", "3*x^2"),
        ("x^2 + 3*x + 1", "2*x + 3"),
        ("x*y", "y"),
        ("exp(sin(x))", "cos(x)*exp(sin(x))"),
        ("tan(x)", "tan(x)^2 + 1"),
        ("x/(x + 1)", "1/(x + 1) - x/(x + 1)^2"),
        ("5", "0"),
    ];
    for (f, df) in table {
        assert_eq!(parse(f).diff("x").to_string(), df, "{f}");
    }
}

#[test]
fn the_seed_derivative_is_readable_and_equals_the_closed_form() {
    let f = parse("(-2*x^2 + 4*x + 1)*exp(-x^2/2)");
    let df = f.diff("x");
    assert_eq!(
        df.to_string(),
        "4*exp(-0.5*x^2) - 4*x*exp(-0.5*x^2) - x*exp(-0.5*x^2)*(4*x - 2*x^2 + 1)"
    );
    let exact = |x: f64| (2.0 * x.powi(3) - 4.0 * x * x - 5.0 * x + 4.0) * (-x * x / 2.0).exp();
    for x in [-3.0, -1.0, 0.0, 0.5, 1.3, 2.0, 4.0] {
        assert!(close(df.eval(&[("x", x)]).unwrap(), exact(x), 1e-14), "{x}");
    }
}

#[test]
fn a_parsed_formula_is_differentiated_alike_by_forward_reverse_and_symbolic() {
    let f = parse("(-2*x^2 + 4*x + 1)*exp(-x^2/2)");
    let formula = Formula::new(std::slice::from_ref(&f), &["x"]).unwrap();
    let df = f.diff("x");
    for x in [-2.0, 0.25, 1.3] {
        let symbolic = df.eval(&[("x", x)]).unwrap();
        let by_forward = forward::derivative(|x| ScalarFn::eval(&formula, x), x);
        let by_reverse = reverse::derivative(|x| ScalarFn::eval(&formula, x), x);
        assert!(close(by_forward, symbolic, 1e-14) && close(by_reverse, symbolic, 1e-14));
    }
    let g = parse("x^2*y + sin(x*y) - ln(y)");
    let vars = ["x", "y"];
    let formula = Formula::new(std::slice::from_ref(&g), &vars).unwrap();
    let point = [0.7, 1.9];
    let bind = [("x", point[0]), ("y", point[1])];
    let symbolic: Vec<f64> = symbolic::gradient(&g, &vars)
        .iter()
        .map(|d| d.eval(&bind).unwrap())
        .collect();
    let by_forward = forward::gradient(|x| MultivariateFn::eval(&formula, x), &point);
    let by_reverse = reverse::gradient(|x| MultivariateFn::eval(&formula, x), &point);
    for k in 0..2 {
        assert!(close(by_forward[k], symbolic[k], 1e-14));
        assert!(close(by_reverse[k], symbolic[k], 1e-14));
    }
    let h = symbolic::hessian(&g, &vars);
    let by_forward = forward::hessian(|x| MultivariateFn::eval(&formula, x), &point);
    for i in 0..2 {
        for j in 0..2 {
            let s = h[i][j].eval(&bind).unwrap();
            assert!(close(by_forward[[i, j]], s, 1e-13), "H[{i}][{j}]");
        }
    }
}

#[test]
fn nth_derivatives_of_exp_sin_match_taylor_mode() {
    let f = parse("exp(sin(x))");
    let mut d = f.clone();
    for k in 1..=8 {
        d = d.diff("x");
        let symbolic = d.eval(&[("x", 0.7)]).unwrap();
        let taylor = forward::nth_derivative(|x| x.sin().exp(), 0.7, k);
        assert!(
            close(symbolic, taylor, 1e-11),
            "k = {k}: {symbolic} vs {taylor}"
        );
    }
    assert_eq!(f.nth_diff("x", 8), d);
}

/// The scale of the rounding error of evaluating `e` at `x`: the value with every
/// coefficient and every factor replaced by its absolute value, i.e. the sum of the absolute
/// values of the terms. Evaluating `e` (a few hundred operations, each with relative error
/// at most 2⁻⁵³ of its result) cannot err by more than a modest multiple of this, however
/// much the terms cancel.
// An `Expr` hashes its store's address and its id, which never change.
#[allow(clippy::mutable_key_type)]
fn magnitude(e: Expr, x: f64, memo: &mut std::collections::HashMap<Expr, f64>) -> f64 {
    if let Some(&m) = memo.get(&e) {
        return m;
    }
    let m = match e.kind() {
        ExprKind::Sum(k, terms) => terms
            .into_iter()
            .fold(k.abs(), |acc, (c, t)| acc + c.abs() * magnitude(t, x, memo)),
        ExprKind::Product(factors) => factors
            .into_iter()
            .fold(1.0, |acc, (b, n)| acc * magnitude(b, x, memo).powi(n)),
        _ => e.eval(&[("x", x)]).unwrap().abs(),
    };
    memo.insert(e, m);
    m
}

/// `(f as a formula, f on any scalar, points)`.
type HighOrderCase = (&'static str, fn(Jet) -> Jet, &'static [f64]);

#[test]
fn derivatives_to_order_20_match_taylor_mode_and_stay_small() {
    let cases: [HighOrderCase; 4] = [
        // pow's rule makes x^(x − 1), x^(x − 2)…: each is x^x times a power of x.
        ("x^x", |x| (x.clone().ln() * x).exp(), &[0.5, 1.3]),
        ("exp(sin(x))", |x| x.sin().exp(), &[-1.3, 0.2, 0.7, 2.5]),
        ("tan(x)", |x| x.tan(), &[-0.4, 0.1, 0.7, 1.2]),
        (
            "(-2*x^2 + 4*x + 1)*exp(-x^2/2)",
            |x| {
                (x.clone() * x.clone() * -2.0 + x.clone() * 4.0 + 1.0)
                    * (x.clone() * x * -0.5).exp()
            },
            &[-2.0, 0.3, 1.7],
        ),
    ];
    for (src, f, points) in cases {
        let mut d = parse(src);
        for n in 1..=20 {
            d = d.diff("x");
            // Polynomial growth: the terms of the n-th derivative are O(n²) monomials.
            assert!(
                d.dag_size() <= 4 * (n + 2) * (n + 2),
                "{src}, n = {n}: {}",
                d.dag_size()
            );
            for &x in points {
                let symbolic = d.eval(&[("x", x)]).unwrap();
                let taylor = forward::nth_derivative(f, x, n);
                // Both sides round each of a few hundred operations; the error of either is
                // a small multiple of 2⁻⁵³ times the terms' magnitude (1e-12 leaves a margin
                // of about 10× over 300 operations' worth of rounding).
                let scale = magnitude(d.clone(), x, &mut Default::default()).max(taylor.abs());
                assert!(
                    (symbolic - taylor).abs() <= 1e-12 * scale,
                    "{src}, n = {n}, x = {x}: {symbolic} vs {taylor} (scale {scale:e})"
                );
            }
        }
    }
}

#[test]
fn the_first_derivative_dag_grows_linearly_on_the_swell_cases() {
    // Logistic map iterated n times: the tree doubles with n, the DAG grows by a constant.
    let mut f = Expr::var("x");
    for n in 1..=30 {
        f = Expr::var("r") * f.clone() * (-f + 1.0);
        let df = f.diff("x");
        // A sum or product of any length is one node; products of more than a few factors
        // stay closed, so the product rule does not copy them into every term.
        assert!(df.dag_size() <= 5 * f.dag_size(), "n = {n}");
    }
    assert!(f.tree_size() > 1 << 30);
    assert!(f.diff("x").dag_size() < 400);
}

#[test]
fn a_variable_that_does_not_occur_has_derivative_zero() {
    assert_eq!(parse("sin(x)").diff("never_seen").as_constant(), Some(0.0));
    assert_eq!(parse("sin(x)").diff("y").as_constant(), Some(0.0));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261126),
        ..ProptestConfig::default()
    })]

    #[test]
    fn symbolic_derivatives_equal_forward_mode_at_random_points(
        t in tree(),
        x in -2.0f64..2.0,
        y in 0.1f64..2.0,
    ) {
        let value = t.build(x, y);
        let dual = t.build(Dual::variable(x), Dual::lift(y));
        prop_assume!(value.is_finite() && dual.tangent.is_finite());
        let e: Expr = t.build(Expr::var("x"), Expr::var("y"));
        let symbolic = e.diff("x").eval(&[("x", x), ("y", y)]).unwrap();
        // A zero tangent skips its product in forward mode (0·NaN is 0 there: the input does
        // not reach that term), where the symbolic derivative keeps 0·ln(x) as NaN.
        prop_assume!(symbolic.is_finite());
        prop_assert!(
            close(symbolic, dual.tangent, 1e-8),
            "{:?}\nd/dx = {}\nsymbolic {} vs forward {}", t, e.diff("x"), symbolic, dual.tangent
        );
    }
}
