#!/usr/bin/env bash
# Coverage-guided fuzzing, bounded: every cargo-fuzz target of fuzz/ runs for FUZZ_SECONDS
# (60 by default) under libFuzzer and AddressSanitizer (release build, no debug assertions), from
# the committed seeds (fuzz/corpus/<target>/), every input that ever failed
# (fuzz/regressions/<target>/) and, when FUZZ_CORPUS names one, the minimized corpus of the long
# runs (FUZZ_CORPUS/<target>/: a CI cache or the release artefact, never committed). Any crash, panic, leak or timeout fails the script, which prints the
# input that caused it. Stable toolchain: RUSTC_BOOTSTRAP=1 lets it take the -Z flags that
# cargo-fuzz passes (see SECURITY.md, "Fuzzing for longer").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
# A directory holding <target>/ folders of a corpus kept outside git (SECURITY.md: "The corpus").
FUZZ_CORPUS=${FUZZ_CORPUS:-}
# Extra libFuzzer options for every run, e.g. FUZZ_ARGS="-jobs=2" (word-split).
FUZZ_ARGS=${FUZZ_ARGS:-}
TARGETS=(decode_responses validate_exchange mock_requests)
# fuzz/ is its own cargo workspace, with its own target directory (ignored by git).
TARGET_DIR=${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}
# -O: release without debug assertions; 16 codegen units (cargo-fuzz's default is one) let the
# instrumented build use both cores inside each crate, for a slightly slower fuzzer.
FLAGS=(-O --codegen-units 16 --target-dir "$TARGET_DIR")
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --quiet
fi

# The committed seeds are what the spec and the recordings give (`cargo xtask fuzz-seeds`).
cargo run -q --locked -p xtask -- fuzz-seeds --check

# One build for all targets; fuzz/Cargo.lock is committed.
nice -n 10 cargo fuzz build "${FLAGS[@]}"

failed=()
for target in "${TARGETS[@]}"; do
  printf -- '--- %s, %ss\n' "$target" "$FUZZ_SECONDS"
  # What the run discovers goes to a scratch corpus in the target directory; the committed
  # seeds are read from the second directory and never written to.
  scratch="$TARGET_DIR/ci-corpus/$target"
  artifacts="$TARGET_DIR/ci-artifacts/$target/"
  rm -rf "$scratch" "$artifacts"
  mkdir -p "$scratch" "$artifacts"
  log="$TARGET_DIR/ci-$target.log"
  # Read from, never written to: the seeds and the regressions (both committed; libFuzzer
  # executes every input of them before it mutates, so each regression is replayed), and the
  # corpus of the long runs when one is at hand.
  seeds=("$ROOT/fuzz/corpus/$target" "$ROOT/fuzz/regressions/$target")
  if [ -n "$FUZZ_CORPUS" ] && [ -d "$FUZZ_CORPUS/$target" ]; then
    seeds+=("$FUZZ_CORPUS/$target")
  fi
  if nice -n 10 cargo fuzz run "${FLAGS[@]}" "$target" "$scratch" "${seeds[@]}" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts" -print_final_stats=1 $FUZZ_ARGS >"$log" 2>&1; then
    grep -E '^#[0-9]+.*DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" || true
  else
    tail -n 60 "$log"
    echo "FUZZ FAILURE in $target; the input that caused it:"
    ls -1 "$artifacts"* "$ROOT/fuzz/artifacts/$target/"* 2>/dev/null ||
      echo "(no artifact written; see $log)"
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found a failure in: ${failed[*]}"
  echo "reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run ${FLAGS[*]} TARGET ARTIFACT"
  exit 1
fi
echo "fuzzing: no failure in ${TARGETS[*]} (${FUZZ_SECONDS}s each)"
