//! Random command lines (a seeded generator over subcommands, formulas and extreme flag
//! values) through the real binary: every run ends within the timeout, exits 0, 1 or 2, and
//! a failure is one `error:` message, never a panic or Rust debug output. 150 runs by default;
//! `WEIFEN_ARGUMENT_RUNS=5000` for a long run.

mod common;

use common::weifen;
use std::time::Duration;

/// xorshift64*: deterministic, so a failure names a reproducible run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FORMULAS: &[&str] = &[
    "x",
    "3",
    "x^2*sin(x)",
    "1/x",
    "ln(x)",
    "sqrt(x)",
    "exp(x)",
    "tan((x^2)^5)",
    "x^3 - x",
];
const FORMULAS_OF_XY: &[&str] = &["x*y", "[x*y, x+y]", "abs(x-y)", "atan2(y, x)", "x^y"];
const BAD_FORMULAS: &[&str] = &["", "sin(", "x +* y", "é", "[x,", "1e999", "sinn(x)"];
const POINTS: &[&str] = &[
    "1", "x=1", "0", "x=0", "1e-300", "x=1e300", "-1e308", "pi/2", "2.5",
];
const POINTS_OF_XY: &[&str] = &["x=1,y=2", "1,2", "x=0,y=0", "x=1e-8,y=1e8", "x=-3,y=1e300"];
const BAD_POINTS: &[&str] = &[
    "x=nan", "x=inf", "", "y=2", "x=1,x=2", "x=", "=1", ",", "x=1,2", "1,2,3",
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "1e-320",
    "nan",
    "inf",
    "2",
    "0.5",
    "abc",
    "",
];
const METHODS: &[&str] = &[
    "auto",
    "symbolic",
    "forward",
    "reverse",
    "richardson",
    "central",
    "five-point",
    "forward-difference",
    "backward-difference",
    "complex-step",
    "spline",
];
/// Orders up to 10: `compare` and `--method symbolic` build the symbolic derivative, whose
/// size still grows exponentially with the order (order 20 of atan2(y, x) takes minutes).
const ORDERS: &[&str] = &["1", "2", "3", "4", "6", "7", "10", "21", "0", "-1", "x"];

/// One random command line.
fn command_line(rng: &mut Rng, dir: &str) -> Vec<String> {
    let sub = rng.pick(&[
        "diff", "grad", "jacobian", "check", "compare", "trace", "steps", "plot",
    ]);
    // Mostly well-formed input, so that the runs reach the methods; a quarter is not.
    let (formula, point) = match rng.next() % 8 {
        0..=2 => (rng.pick(FORMULAS), rng.pick(POINTS)),
        3..=5 => (rng.pick(FORMULAS_OF_XY), rng.pick(POINTS_OF_XY)),
        6 => (rng.pick(BAD_FORMULAS), rng.pick(POINTS)),
        _ => (rng.pick(FORMULAS), rng.pick(BAD_POINTS)),
    };
    let mut args = vec![sub.to_string(), formula.to_string()];
    let flag = |args: &mut Vec<String>, name: &str, value: &str| {
        args.push(name.to_string());
        args.push(value.to_string());
    };
    match sub {
        "plot" => {
            args[1] = rng.pick(FORMULAS).to_string();
            flag(&mut args, "--from", rng.pick(NUMBERS));
            flag(&mut args, "--to", rng.pick(NUMBERS));
            flag(&mut args, "--points", rng.pick(&["2", "3", "1", "50", "0"]));
            let file = rng.pick(&["a.svg", "a.png", "a.gif", "no/such/dir/a.svg"]);
            flag(&mut args, "-o", &format!("{dir}/{file}"));
        }
        "trace" => {
            flag(&mut args, "--at", rng.pick(POINTS));
            flag(
                &mut args,
                "--mode",
                rng.pick(&["forward", "reverse", "sideways"]),
            );
            if rng.next().is_multiple_of(2) {
                flag(&mut args, "--wrt", rng.pick(&["x", "y", "", "z"]));
            }
        }
        _ => flag(&mut args, "--at", point),
    }
    if matches!(sub, "diff" | "compare" | "steps") && rng.next().is_multiple_of(2) {
        flag(&mut args, "--order", rng.pick(ORDERS));
    }
    if matches!(sub, "diff" | "grad" | "jacobian") && rng.next().is_multiple_of(2) {
        flag(&mut args, "--method", rng.pick(METHODS));
    }
    if matches!(sub, "diff" | "compare" | "steps") && rng.next().is_multiple_of(3) {
        flag(&mut args, "--wrt", rng.pick(&["x", "y", "", "z", "1x"]));
    }
    if sub == "check" && rng.next().is_multiple_of(2) {
        flag(&mut args, "--atol", rng.pick(NUMBERS));
    }
    if sub != "plot" && sub != "trace" && rng.next().is_multiple_of(2) {
        args.push("--json".to_string());
    }
    args
}

#[test]
fn random_command_lines_end_with_a_clear_exit() {
    let runs: usize = std::env::var("WEIFEN_ARGUMENT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let dir = tempfile::tempdir().unwrap();
    let dir_name = dir.path().to_str().unwrap().to_string();
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut exits = [0usize; 3];
    for run in 0..runs {
        let args = command_line(&mut rng, &dir_name);
        let out = weifen()
            .args(&args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "run {run}: weifen {args:?} ended with {code:?}: {err}"
        );
        exits[code.unwrap_or(2) as usize] += 1;
        assert!(
            !err.contains("panicked"),
            "run {run}: weifen {args:?}: {err}"
        );
        for debug in ["Os {", "Error(", "kind: ", "Some(", "NoConvergence"] {
            assert!(!err.contains(debug), "run {run}: weifen {args:?}: {err}");
        }
        if code != Some(0) {
            assert!(
                err.starts_with("error:") || err.contains("Usage:"),
                "run {run}: weifen {args:?}: {err}"
            );
        }
    }
    // The generator reaches past argument checking: a good share of runs compute.
    assert!(exits[0] * 4 >= runs, "exit codes 0, 1, 2: {exits:?}");
    eprintln!("exit codes 0, 1, 2: {exits:?}");
}
