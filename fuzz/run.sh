#!/usr/bin/env bash
# Runs the parse → differentiate → evaluate fuzz target (libFuzzer, coverage-guided) for a
# bounded time: `fuzz/run.sh [SECONDS] [extra libFuzzer flags…]` (default 300 s).
#
# It builds on the stable toolchain: the coverage instrumentation that cargo-fuzz would add
# is passed as RUSTFLAGS (no sanitizer: weifen forbids unsafe code, so the crashes to find
# are panics, hangs and broken invariants). The corpus grows in fuzz/corpus (not committed);
# crashing inputs land in fuzz/artifacts. Replay one with
# `fuzz/target/<host>/release/parse_diff_eval fuzz/artifacts/crash-…`, then add it to
# crates/weifen/tests/integration/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-300}"
shift || true
export RUSTFLAGS="-Cpasses=sancov-module \
  -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
  -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares \
  --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
export CARGO_TARGET_DIR="$PWD/target"
# An explicit --target keeps RUSTFLAGS off the build scripts (they would need libFuzzer).
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --target "$host" --bin parse_diff_eval
mkdir -p corpus artifacts
exec "$CARGO_TARGET_DIR/$host/release/parse_diff_eval" \
  -max_total_time="$seconds" -max_len=200 -timeout=10 -rss_limit_mb=2048 \
  -dict=dict.txt -artifact_prefix=artifacts/ -print_final_stats=1 "$@" corpus seeds
