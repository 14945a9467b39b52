//! Fuzz target: parse a formula, print and re-parse it, differentiate it by every exact
//! method and by finite differences, and check the invariants of
//! `crates/weifen/tests/integration/common/pipeline.rs` (no panic, error spans inside the input, printing
//! round-trips, finite-difference answers within their own bounds).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/weifen/tests/integration/common/pipeline.rs"]
mod pipeline;

fuzz_target!(|data: &[u8]| {
    // Expressions live in a thread-local arena until the thread ends: a thread per input
    // keeps the memory of a long run flat.
    let data = data.to_vec();
    let run = std::thread::spawn(move || pipeline::pipeline(&data));
    if let Err(panic) = run.join() {
        std::panic::resume_unwind(panic);
    }
});
