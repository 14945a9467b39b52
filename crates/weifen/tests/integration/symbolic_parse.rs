//! The expression language: precedence and associativity, every error kind with its span,
//! and input too deep or too long for a naive parser.

use weifen::Scalar;
use weifen::symbolic::{Expr, MAX_DEPTH, ParseErrorKind};

fn parse(s: &str) -> Expr {
    s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

#[test]
fn precedence_and_associativity_follow_the_table() {
    // (input, the same with every grouping explicit)
    let table = [
        ("a + b * c", "a + (b * c)"),
        ("a - b - c", "(a - b) - c"),
        ("a / b / c", "(a / b) / c"),
        ("a / b * c", "(a / b) * c"),
        ("a - b + c", "(a - b) + c"),
        ("-a^b", "-(a^b)"),
        ("a^b^c", "a^(b^c)"),
        ("a^-b", "a^(-b)"),
        ("a^-b^c", "a^(-(b^c))"),
        ("-a*b", "(-a)*b"),
        ("a*-b", "a*(-b)"),
        ("a**b**c", "a^(b^c)"),
        ("+a - -b", "a - (-b)"),
        ("2^-x", "2^(-x)"),
        ("x^2^3", "x^(2^3)"),
    ];
    for (input, explicit) in table {
        assert_eq!(parse(input), parse(explicit), "{input}");
    }
    // The groupings are not interchangeable (so the table can fail).
    assert_ne!(parse("a^b^c"), parse("(a^b)^c"));
    assert_ne!(parse("a - b - c"), parse("a - (b - c)"));
    assert_ne!(parse("a / b / c"), parse("a / (b / c)"));
    assert_eq!(parse("-2^2").as_constant(), Some(-4.0));
    assert_eq!(parse("2^3^2").as_constant(), Some(512.0));
}

#[test]
fn numbers_constants_and_names_read_as_documented() {
    assert_eq!(parse("2.5E2").as_constant(), Some(250.0));
    assert_eq!(parse("1.5e-3").as_constant(), Some(1.5e-3));
    assert_eq!(parse("pi").as_constant(), Some(std::f64::consts::PI));
    assert_eq!(parse("e").as_constant(), Some(std::f64::consts::E));
    assert_eq!(
        parse("x0 + x_1 + theta").variables(),
        vec!["theta", "x0", "x_1"]
    );
}

#[test]
fn literal_exponents_make_powi_and_powf() {
    let x = || Expr::var("x");
    assert_eq!(parse("x^2"), x().powi(2));
    assert_eq!(parse("x^1.5"), x().powf(1.5));
    assert_eq!(parse("x^y"), x().pow(Expr::var("y")));
    // powi is exact at 0: its derivative there is 0, not NaN.
    assert_eq!(parse("x^2").diff("x").eval(&[("x", 0.0)]), Ok(0.0));
}

#[test]
fn functions_are_called_by_their_op_table_names_and_aliases() {
    let x = || Expr::var("x");
    let y = || Expr::var("y");
    assert_eq!(parse("log(x)"), x().ln());
    assert_eq!(parse("expm1(x)"), x().exp_m1());
    assert_eq!(parse("log1p(x)"), x().ln_1p());
    assert_eq!(parse("atan2(y, x)"), y().atan2(x()));
    assert_eq!(parse("pow(x, y)"), x().pow(y()));
    assert_eq!(parse("min(x, y) + max(x, y)"), x().min(y()) + x().max(y()));
    assert_eq!(parse("powi(x, 3)"), x().powi(3));
    assert_eq!(parse("recip(x)"), x().recip());
}

/// `(input, expected kind, expected span)` for every error kind.
#[test]
fn every_error_kind_reports_its_span() {
    use ParseErrorKind::*;
    let unexpected = |found: &str, expected| UnexpectedToken {
        found: format!("`{found}`"),
        expected,
    };
    let table: Vec<(&str, ParseErrorKind, std::ops::Range<usize>)> = vec![
        ("x + $", UnexpectedCharacter('$'), 4..5),
        ("x + é", UnexpectedCharacter('é'), 4..6),
        ("1e999", InvalidNumber, 0..5),
        ("1.2.3", InvalidNumber, 0..4),
        ("x + * y", unexpected("*", "an operand"), 4..5),
        ("()", unexpected(")", "an operand"), 1..2),
        ("(x, y)", unexpected(",", "`)`"), 2..3),
        (
            "x y",
            ImplicitMultiplication {
                suggestion: "x*y".into(),
            },
            0..3,
        ),
        (
            "x +",
            UnexpectedEnd {
                expected: "an operand",
            },
            3..3,
        ),
        (
            "",
            UnexpectedEnd {
                expected: "an operand",
            },
            0..0,
        ),
        ("(x + 1", UnclosedParenthesis, 0..1),
        ("sin(x", UnclosedParenthesis, 3..4),
        ("x + 1)", UnmatchedParenthesis, 5..6),
        (
            "2x",
            ImplicitMultiplication {
                suggestion: "2*x".into(),
            },
            0..2,
        ),
        (
            "1 + 2(x)",
            ImplicitMultiplication {
                suggestion: "2*(".into(),
            },
            4..6,
        ),
        (
            "sinn(x)",
            UnknownFunction {
                name: "sinn".into(),
                suggestion: Some("sin".into()),
            },
            0..4,
        ),
        (
            "frobnicate(x)",
            UnknownFunction {
                name: "frobnicate".into(),
                suggestion: None,
            },
            0..10,
        ),
        ("sin + 1", MissingArguments { name: "sin".into() }, 0..3),
        (
            "atan2(x)",
            WrongArity {
                name: "atan2".into(),
                expected: 2,
                found: 1,
            },
            0..8,
        ),
        (
            "exp(x, y)",
            WrongArity {
                name: "exp".into(),
                expected: 1,
                found: 2,
            },
            0..9,
        ),
        ("x, y", unexpected(",", "an operator or the end"), 1..2),
    ];
    for (input, kind, span) in table {
        let err = input.parse::<Expr>().expect_err(input);
        assert_eq!((err.kind, err.span), (kind, span), "{input:?}");
    }
}

#[test]
fn error_messages_are_one_line_and_suggest_a_fix() {
    let message = |s: &str| s.parse::<Expr>().unwrap_err().to_string();
    assert_eq!(
        message("2x"),
        "implicit multiplication is not supported; write 2*x (at 0..2)"
    );
    assert_eq!(
        message("cso(x)"),
        "unknown function \"cso\"; did you mean \"cos\"? (at 0..3)"
    );
    assert_eq!(
        message("atan2(x)"),
        "atan2 takes 2 argument(s), found 1 (at 0..8)"
    );
    assert!(!message("((((x").contains('\n'));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("(", ")"), ("-", ""), ("sin(", ")")] {
        let n = 100_000;
        let src = format!("{}x{}", open.repeat(n), close.repeat(n));
        let err = src.parse::<Expr>().unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::TooDeep, "{open}");
        assert_eq!(
            err.span.start,
            MAX_DEPTH * open.len() - open.len() + open.len()
        );
    }
    let towers = "x^".repeat(100_000) + "x";
    assert_eq!(
        towers.parse::<Expr>().unwrap_err().kind,
        ParseErrorKind::TooDeep
    );
    // Nesting within the limit parses.
    let ok = format!(
        "{}x{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert_eq!(parse(&ok), Expr::var("x"));
}

#[test]
fn a_megabyte_of_input_parses_differentiates_and_prints() {
    // 1 MB of distinct terms: a left-leaning chain of about 60 000 additions.
    let mut src = String::from("x");
    let mut k = 1;
    while src.len() < 1_000_000 {
        k += 1;
        src.push_str(&format!(" + sin({k}*x)"));
    }
    let f = parse(&src);
    // x, then per term: k*x (its coefficient inline) and sin; the sum is one node per
    // closed group of terms.
    let terms = 1 + 2 * (k - 1);
    assert!(
        (terms..terms + k / 100).contains(&f.dag_size()),
        "{}",
        f.dag_size()
    );
    let df = f.diff("x");
    let text = df.to_string();
    assert_eq!(parse(&text), df);
    let at = df.eval(&[("x", 0.0)]).unwrap();
    let exact = 1.0 + (2..=k).map(|j| j as f64).sum::<f64>();
    assert_eq!(at, exact);
    // About a second unoptimised; a quadratic step (as a hash that let integer constants
    // collide once was) takes minutes: the symbolic benchmarks measure it, not this test.
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 2000,
        rng_seed: proptest::test_runner::RngSeed::Fixed(3),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Random strings over the language's alphabet: a typed error whose span lies inside the
    /// input, or an expression that prints and parses back to itself; never a panic.
    #[test]
    fn any_input_is_an_expression_or_an_error_with_a_span_inside_it(
        src in "(x|y|2|0\\.5|1e3|e|pi|sin|atan2|log| |\\+|-|\\*|\\*\\*|/|\\^|\\(|\\)|,|\\$){0,24}"
    ) {
        match src.parse::<Expr>() {
            Ok(e) => {
                let printed = e.to_string();
                proptest::prop_assert_eq!(printed.parse::<Expr>().ok(), Some(e), "{}", printed);
            }
            Err(err) => {
                proptest::prop_assert!(err.span.start <= err.span.end && err.span.end <= src.len());
                proptest::prop_assert!(!err.to_string().contains('\n'));
            }
        }
    }
}
