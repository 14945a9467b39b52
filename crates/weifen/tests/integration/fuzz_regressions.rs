//! The fuzz target's pipeline (parse → print → re-parse → differentiate by every method)
//! on the fuzzer's seeds and on every input it found that once broke an invariant
//! (`fuzz/seeds`, `fuzz/regressions`), so that CI keeps them fixed without building the
//! fuzzer.

use crate::common::pipeline::pipeline;
use std::path::Path;

/// Every file of `fuzz/<dir>`, by name.
fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(dir);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|entry| {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_fuzzer_seeds_keep_every_invariant() {
    let seeds = inputs("seeds");
    assert!(seeds.len() >= 10);
    for (name, data) in seeds {
        // A panic names the formula; the file name says where it came from.
        eprintln!("seed {name}");
        pipeline(&data);
    }
}

#[test]
fn inputs_the_fuzzer_found_keep_every_invariant() {
    for (name, data) in inputs("regressions") {
        eprintln!("regression {name}");
        pipeline(&data);
    }
}

#[test]
fn the_pipeline_checks_the_invariants_of_malformed_input() {
    // Control bytes, then text: parse errors must point inside the (multi-byte) input.
    for text in [
        "sin(", "x +* y", "é^^2", "ln(x", "((((x", "x)", "1e999999", "atan2(x)",
    ] {
        let mut data = vec![0, 1, 2, 3];
        data.extend_from_slice(text.as_bytes());
        pipeline(&data);
    }
}
