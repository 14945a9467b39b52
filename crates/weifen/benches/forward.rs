//! Forward-mode benchmarks (filled in by the benchmark suite).
fn main() {}
