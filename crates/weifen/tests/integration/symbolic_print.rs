//! Printing: plain text parses back to the same expression with the fewest parentheses,
//! LaTeX, and the form with common subexpressions named.

use crate::common::tree;
use proptest::prelude::*;
use weifen::symbolic::{self, Expr};

fn parse(s: &str) -> Expr {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn text_has_only_the_parentheses_that_change_the_parse() {
    let table = [
        ("a - (b - c)", "a - b + c"),
        ("(a - b) - c", "a - b - c"),
        ("a / (b / c)", "a*c/b"),
        ("(a*b)^2", "a^2*b^2"),
        ("(-a)^b", "(-a)^b"),
        ("a^(b^c)", "a^b^c"),
        ("(a^b)^c", "(a^b)^c"),
        ("a^(-b)", "a^-b"),
        ("-(a^2)", "-a^2"),
        ("-(a*b)", "-a*b"),
        ("sin((a + b))", "sin(a + b)"),
        ("atan2(a, (b))", "atan2(a, b)"),
        ("(a + b)*(c - d)", "(a + b)*(c - d)"),
        ("-(a + b)*c", "c*(-a - b)"),
        ("-((a + b)*(c + d + e))", "-1*(a + b)*(c + d + e)"),
        ("x/3/y", "x/3/y"),
        ("2*x/4", "0.5*x"),
        ("a*(b + c)", "a*(b + c)"),
        ("2*(a*b)", "2*a*b"),
        ("x^(1.5)", "x^1.5"),
        ("x^-2", "1/x^2"),
        ("1e-7*x", "1e-7*x"),
        ("pi*x", "pi*x"),
        ("1/0", "(1/0)"),
    ];
    for (input, printed) in table {
        let e = parse(input);
        assert_eq!(e.to_string(), printed, "{input}");
        assert_eq!(parse(printed), e, "{printed} parses back");
    }
}

#[test]
fn latex_uses_fractions_braced_exponents_and_named_functions() {
    let table = [
        ("sqrt(x)/(1 + x^2)", r"\frac{\sqrt{x}}{x^{2} + 1}"),
        ("exp(-x)*sin(x)", r"\sin\left(x\right) \cdot e^{-x}"),
        ("abs(x)^y", r"\left|x\right|^{y}"),
        ("(a + b)*c", r"c \cdot \left(a + b\right)"),
        ("pi*x^1.5", r"\pi \cdot x^{1.5}"),
        ("erf(x)", r"\operatorname{erf}\left(x\right)"),
        ("hypot(x, y)", r"\operatorname{hypot}\left(x, y\right)"),
    ];
    for (input, latex) in table {
        assert_eq!(parse(input).to_latex(), latex, "{input}");
    }
}

#[test]
fn cse_names_each_shared_subexpression_once_operands_first() {
    let f = parse("(-2*x^2 + 4*x + 1)*exp(-x^2/2)");
    let df = f.diff("x");
    let cse = symbolic::cse(&[f, df]);
    assert_eq!(
        cse.to_string(),
        "t1 = x^2; t2 = 4*x - 2*t1 + 1; t3 = exp(-0.5*t1); t3*t2; 4*t3 - 4*x*t3 - x*t3*t2"
    );
    // f′ = 4e − 4x·e − x·e·p with e = exp(−x²/2), p = −2x² + 4x + 1: sums of products, the
    // factors shared with f.
    // A variable named like a temporary moves the temporaries aside.
    let g = parse("sin(t1)^2 + sin(t1)");
    assert_eq!(
        symbolic::cse(&[g]).to_string(),
        "_t1 = sin(t1); _t1 + _t1^2"
    );
}

#[test]
fn derivatives_with_divisors_and_powers_print_and_parse_back() {
    // Found by random formulas: numbers that divide (1.5), merged divisors (1.5² = 2.25),
    // coefficients that become divisible once like terms add up, powers with sums as
    // exponents.
    let cases = [
        "(y / 1.5) / x^(cosh(0.5) * (y / x))",
        "(x - (x + x)^(x / 1.5))^1.5",
        "((x / 1.5) / (y - y^x))^cos(1.5)",
        "1 / (log2(x)^2 - (x / 1.5 + 1))",
        "0.5^((0.5 + x + x / x) * (y / 1.5)^2)",
        "x^x / (x^(x - 1) + 1)",
    ];
    for src in cases {
        let mut d = parse(src);
        for k in 1..=2 {
            d = d.diff("x");
            let text = d.to_string();
            assert_eq!(parse(&text), d, "{src}, order {k}: {text}");
        }
    }
}

#[test]
fn printing_a_long_chain_uses_no_recursion() {
    let mut f = Expr::var("x");
    for k in 0..200_000 {
        f = f * Expr::var(if k % 2 == 0 { "y" } else { "z" }) + 1.0;
    }
    let text = f.to_string();
    assert!(text.len() > 1_000_000);
    assert_eq!(f.to_latex().matches(r"\left(").count(), 199_999);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(5),
        ..ProptestConfig::default()
    })]

    #[test]
    fn printed_text_parses_back_to_the_same_expression(t in tree()) {
        let e: Expr = t.build(Expr::var("x"), Expr::var("y"));
        let text = e.to_string();
        let back: Expr = text.parse().map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
        prop_assert_eq!(&back, &e, "{}", text);
        let derivative = e.diff("x");
        let text = derivative.to_string();
        prop_assert_eq!(text.parse::<Expr>().ok(), Some(derivative), "{}", text);
    }
}
