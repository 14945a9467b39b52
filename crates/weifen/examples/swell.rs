//! Expression swell, measured: tree size against DAG size for the logistic map iterated n
//! times and its derivative, and the n-th derivatives (n = 1…20) of exp(sin x), tan x and
//! the seed f = (−2x² + 4x + 1)·exp(−x²/2), differentiated one order at a time.
//!
//! Run with `cargo run --release --example swell`; `bench/symbolic_sympy.py` prints the
//! same tables for SymPy. Columns of the second table: `DAG` distinct nodes (a sum or product
//! of any length is one node), `ops` the operations after common subexpressions are shared
//! (the compiled program's length: what evaluating it costs, comparable with SymPy's
//! `count_ops` after `cse`), `text` the length of the printed formula, `diff` the time to
//! differentiate from order 1 to n (cumulative, from an empty store), `eval` the time to
//! compile and evaluate the n-th derivative at x = 0.7.

use std::time::Instant;
use weifen::symbolic::{Program, Store};

fn logistic() {
    println!("Logistic map f_n = r*f_(n-1)*(1 - f_(n-1)), f_0 = x; derivative d/dx");
    println!(
        "{:>3} {:>10} {:>6} {:>12} {:>7} {:>9} {:>10}",
        "n", "tree f", "DAG f", "tree f'", "DAG f'", "f'/f DAG", "diff (µs)"
    );
    let store = Store::new();
    let (x, r) = (store.var("x"), store.var("r"));
    let mut f = x;
    for n in 1..=10 {
        f = &(&r * &f) * &(1.0 - f.clone());
        let start = Instant::now();
        let df = f.diff("x");
        let micros = start.elapsed().as_secs_f64() * 1e6;
        println!(
            "{n:>3} {:>10} {:>6} {:>12} {:>7} {:>9.2} {micros:>10.1}",
            f.tree_size(),
            f.dag_size(),
            df.tree_size(),
            df.dag_size(),
            df.dag_size() as f64 / f.dag_size() as f64,
        );
    }
}

fn nth_derivatives(name: &str, formula: &str) {
    println!();
    println!("n-th derivative of {name}, differentiated one order at a time");
    println!(
        "{:>3} {:>6} {:>6} {:>12} {:>8} {:>11} {:>11}",
        "n", "DAG", "ops", "tree", "text", "diff (ms)", "eval (ms)"
    );
    // A store of its own: the times include building every node.
    let store = Store::new();
    let start = Instant::now();
    let mut d = store.parse(formula).expect("a valid formula");
    let mut diff_seconds = 0.0;
    for n in 1..=20 {
        let t = Instant::now();
        d = d.diff("x");
        diff_seconds += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let program = Program::new(std::slice::from_ref(&d), &["x"]).expect("only x");
        let value = program.eval(&[0.7]).expect("one value")[0];
        let eval_seconds = t.elapsed().as_secs_f64();
        assert!(value.is_finite());
        println!(
            "{n:>3} {:>6} {:>6} {:>12} {:>8} {:>11.3} {:>11.3}",
            d.dag_size(),
            program.len(),
            d.tree_size(),
            d.to_string().len(),
            diff_seconds * 1e3,
            eval_seconds * 1e3,
        );
    }
    println!(
        "orders 1 to 20 with evaluation and printing: {:.1} ms; nodes in the store: {}",
        start.elapsed().as_secs_f64() * 1e3,
        store.len()
    );
}

fn main() {
    logistic();
    nth_derivatives("exp(sin(x))", "exp(sin(x))");
    nth_derivatives("tan(x)", "tan(x)");
    nth_derivatives("the seed f", "(-2*x^2 + 4*x + 1)*exp(-x^2/2)");
}
