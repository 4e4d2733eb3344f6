#!/usr/bin/env bash
# A second client against the mock: compiles tests/typescript/drive-mock.mts (openapi-fetch
# over the types `npm run lint:types` generates from spec/openapi.yaml), starts the mock the
# workspace build made on a free loopback port, and drives every operation of the V1 pages
# beyond Albums and Web Playback through it. Any broken promise fails the script.
set -euo pipefail
cd "$(dirname "$0")/../.."

npm run --silent lint:types
npx tsc -p tests/typescript

MOCK="${CARGO_TARGET_DIR:-target}/debug/amazon-music"
[ -x "$MOCK" ] || cargo build --quiet --locked -p amazon-music-cli
TOKEN=typescript-token
API_KEY=typescript-key
LOG=target/openapi-fetch/mock.log
"$MOCK" mock --addr 127.0.0.1:0 --seed 1 --token "$TOKEN" --api-key "$API_KEY" >"$LOG" 2>&1 &
MOCK_PID=$!
trap 'kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true' EXIT

BASE_URL=
for _ in $(seq 1 100); do
  BASE_URL=$(sed -n 's/^mock Amazon Music API listening on //p' "$LOG")
  [ -n "$BASE_URL" ] && break
  kill -0 "$MOCK_PID" 2>/dev/null || { cat "$LOG"; echo "the mock did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$BASE_URL" ] || { cat "$LOG"; echo "the mock did not announce its address" >&2; exit 1; }

AMAZON_MUSIC_TOKEN="$TOKEN" AMAZON_MUSIC_API_KEY="$API_KEY" \
  node target/openapi-fetch/drive-mock.mjs "$BASE_URL"
