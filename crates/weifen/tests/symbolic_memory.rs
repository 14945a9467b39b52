//! Memory stays flat when formulas are parsed, differentiated and dropped with their store,
//! or built in the default store and cleared: the resident set (Linux's `/proc/self/statm`)
//! does not grow once the allocator has warmed up, while a store that is kept does grow.
//!
//! `WEIFEN_STORE_LOOPS=1000000 cargo test --release --test symbolic_memory` runs a million
//! formulas; the default is 20 000.

use weifen::symbolic::{Expr, Store, store_len};

/// The resident set in bytes, where the system reports it.
fn resident() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A formula of its own for each `i` (distinct constants and exponents).
fn formula(i: usize) -> String {
    format!("sin({i}*x)*exp(-x^2/{}) + x^{}", i % 97 + 1, i % 13 + 2)
}

fn one_formula(store: &Store, i: usize) -> f64 {
    let f = store.parse(&formula(i)).expect("parses");
    let d = f.nth_diff("x", 2);
    d.eval(&[("x", 0.5)]).expect("only x")
}

#[test]
fn parsing_differentiating_and_dropping_formulas_keeps_memory_flat() {
    let loops: usize = std::env::var("WEIFEN_STORE_LOOPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let warm = loops / 10;
    let mut baseline = None;
    let mut sum = 0.0;
    for i in 0..loops {
        if i == warm {
            baseline = resident();
        }
        // An owned store per formula: dropped with the formula.
        sum += one_formula(&Store::new(), i);
        // The default store, cleared after each formula.
        let e = formula(i).parse::<Expr>().expect("parses").diff("x");
        sum += e.eval(&[("x", 0.25)]).expect("only x");
        drop(e);
        Store::clear_default();
        assert_eq!(store_len(), 0);
    }
    assert!(sum.is_finite());
    let (Some(baseline), Some(after)) = (baseline, resident()) else {
        return; // no /proc: the node counts above are all there is to check
    };
    // Kept, the nodes of these formulas would take several kilobytes each: 100 MB or
    // more for the default 20 000. Freed, the resident set stays within allocator noise.
    assert!(
        after <= baseline + (8 << 20),
        "resident set grew from {baseline} to {after} bytes over {} formulas",
        2 * (loops - warm)
    );
    // The measure does see nodes that are kept.
    let kept = Store::new();
    for i in 0..loops / 10 {
        one_formula(&kept, i);
    }
    let grown = resident().unwrap_or(0);
    assert!(
        grown > after + (2 << 20),
        "{after} → {grown} with {} nodes kept",
        kept.len()
    );
}
