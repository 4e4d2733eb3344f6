#!/usr/bin/env bash
# The loop from traffic to spec, end to end, as the README's "Checking the spec against real
# traffic" walks it: the tour records against `amazon-music mock --drift 4`; `validate recorded
# --apply` writes the proposed changes into the spec and the ledger; `cargo xtask generate`
# regenerates the client; the regenerated crate then compiles and decodes every recorded value
# (the new fields included) into its types, and the ledger checks still pass.
#
# It works on a copy of the checkout (the checkout itself is never changed) that shares the
# checkout's target directory, so only the workspace's own crates are compiled again. Before
# the regeneration the same decode test must fail on the new fields: that proves it can see them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export CARGO_TERM_COLOR=never INSTA_UPDATE=no

scratch=$(mktemp -d)
work=$scratch/checkout
mock_pid=
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

say() { printf -- '--- %s\n' "$*"; }
fail() { printf 'DRIFT LOOP FAILURE: %s\n' "$*"; exit 1; }

say "copy of the checkout in $work"
mkdir -p "$work"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do
    [ -e "$file" ] && printf '%s\0' "$file"
  done | xargs -0 cp --parents -t "$work"

cargo build -q --locked -p amazon-music-cli
amazon_music=$CARGO_TARGET_DIR/debug/amazon-music

say "a mock that drifts (seed 4), on a loopback port of its own"
mkfifo "$scratch/announce"
"$amazon_music" mock --addr 127.0.0.1:0 --drift 4 >"$scratch/announce" 2>"$scratch/mock.log" &
mock_pid=$!
exec 3<"$scratch/announce"
read -r -t 60 announced <&3 || fail "the mock did not start: $(cat "$scratch/mock.log")"
base_url=${announced##* }
echo "$announced"

say "the tour, recording into spec/recordings/new/ of the copy"
recordings=$work/spec/recordings/new
AMAZON_MUSIC_RECORD=$recordings AMAZON_MUSIC_BASE_URL=$base_url \
  AMAZON_MUSIC_API_KEY=mock-api-key AMAZON_MUSIC_TOKEN=mock-token \
  cargo run -q --locked -p amazon-music --features record --example tour >"$scratch/tour.log" 2>&1 ||
  { cat "$scratch/tour.log"; fail "the tour failed against the drifting mock"; }
kill -INT "$mock_pid"
wait "$mock_pid" || fail "the mock did not shut down cleanly: $(cat "$scratch/mock.log")"
mock_pid=
echo "$(find "$recordings" -name '*.json' | wc -l) exchanges recorded"

cd "$work"
say "validate recorded: drift is listed, and is not a violation"
"$amazon_music" validate recorded spec/recordings/new >"$scratch/validate.log" 2>&1 ||
  { cat "$scratch/validate.log"; fail "the recordings did not validate"; }
grep -i drift "$scratch/validate.log" || fail "no drift listed: $(cat "$scratch/validate.log")"

say "before the spec knows it, the generated types drop what the mock added"
if cargo test -q --locked -p amazon-music-api --test examples every_recorded_response \
  >"$scratch/before.log" 2>&1; then
  cat "$scratch/before.log"
  fail "the decode test passed on recordings the spec does not describe"
fi
grep -F "spec/recordings/new/" "$scratch/before.log" | grep -F " = " ||
  { cat "$scratch/before.log"; fail "the decode test failed for another reason"; }

say "validate recorded --apply, then cargo xtask generate"
"$amazon_music" validate recorded spec/recordings/new --apply 2>&1 | grep -E 'proposed|wrote|applied' ||
  fail "--apply proposed nothing"
cargo xtask generate
cp spec/openapi.yaml crates/amazon-music-spec/spec/
# A catch-all map in the generated types would keep unknown fields untyped and void the test
# below; there is none.
! grep -n 'serde(flatten)' crates/amazon-music-api/src/generated/client.rs ||
  fail "the generated types have a catch-all map"
diff -u "$ROOT/crates/amazon-music-api/src/generated/client.rs" \
  crates/amazon-music-api/src/generated/client.rs | grep -E '^[+-] ' | head -40 || true

say "the regenerated crate compiles and keeps every recorded value; the recordings now conform"
cargo test -q --locked -p amazon-music-api --test examples
"$amazon_music" validate recorded spec/recordings --strict >"$scratch/strict.log" 2>&1 ||
  { cat "$scratch/strict.log"; fail "drift is left after --apply"; }

say "the ledger and the spec checks still pass"
cargo test -q --locked -p amazon-music-workspace-tests

echo "drift loop: recorded, applied, regenerated and decoded"
