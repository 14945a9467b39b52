//! Expression swell, measured: tree size against DAG size for the logistic map iterated n
//! times and its derivative, and for the k-th derivative of exp(sin x).
//!
//! Run with `cargo run --release --example swell`; `bench/symbolic_sympy.py` prints the
//! same table for SymPy.

use std::time::Instant;
use weifen::symbolic::{self, Expr};

fn main() {
    println!("Logistic map f_n = r*f_(n-1)*(1 - f_(n-1)), f_0 = x; derivative d/dx");
    println!(
        "{:>3} {:>10} {:>6} {:>12} {:>7} {:>9} {:>10}",
        "n", "tree f", "DAG f", "tree f'", "DAG f'", "f'/f DAG", "diff (µs)"
    );
    let (x, r) = (Expr::var("x"), Expr::var("r"));
    let mut f = x;
    for n in 1..=10 {
        f = r * f * (-f + 1.0);
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

    println!();
    println!("k-th derivative of exp(sin(x)), differentiated one order at a time");
    println!(
        "{:>3} {:>12} {:>6} {:>10} {:>14}",
        "k", "tree", "DAG", "CSE temps", "total (ms)"
    );
    // A fresh thread: its node store starts empty, so the times include building every node.
    std::thread::spawn(|| {
        let f: Expr = "exp(sin(x))".parse().expect("a valid formula");
        let start = Instant::now();
        let mut d = f;
        for k in 1..=10 {
            d = d.diff("x");
            let millis = start.elapsed().as_secs_f64() * 1e3;
            let temps = symbolic::cse(&[d]).temporaries.len();
            println!(
                "{k:>3} {:>12} {:>6} {temps:>10} {millis:>14.3}",
                d.tree_size(),
                d.dag_size()
            );
        }
        println!("nodes built by this thread: {}", symbolic::store_len());
    })
    .join()
    .expect("the report thread");
}
