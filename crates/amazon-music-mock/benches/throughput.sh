#!/usr/bin/env bash
# Throughput of the mock against Stoplight Prism's mock mode on the same spec, side by side:
# requests per second for GET /v1/albums/{id} and one library page, from wrk on loopback, and
# the mock's resident memory before and after a long run. A measured command, not a test.
#
#   bash crates/amazon-music-mock/benches/throughput.sh [SECONDS] [LONG_RUN_SECONDS]
#
# Needs wrk (apt-get install wrk) and the pinned Prism (npm ci). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION=${1:-15}
LONG=${2:-60}
CONNS=32
THREADS=2
H_KEY="x-api-key: mock-api-key"
H_AUTH="Authorization: Bearer mock-token"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer at $1" >&2; return 1; }
rps() { wrk -t"$THREADS" -c"$CONNS" -d"${2}s" -H "$H_KEY" -H "$H_AUTH" "$1" | awk '/Requests\/sec/ {print $2}'; }
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

cargo build --release --quiet --locked -p amazon-music-cli
MOCK_PORT=$(free_port)
PRISM_PORT=$(free_port)
target/release/amazon-music mock --addr "127.0.0.1:$MOCK_PORT" --seed 1 >/dev/null 2>&1 &
MOCK_PID=$!
node_modules/.bin/prism mock --host 127.0.0.1 --port "$PRISM_PORT" --errors false spec/openapi.yaml >/dev/null 2>&1 &
PRISM_PID=$!
trap 'kill "$MOCK_PID" "$PRISM_PID" 2>/dev/null || true' EXIT

MOCK=http://127.0.0.1:$MOCK_PORT/v1
# Prism serves the spec's paths as written, without the server URL's /v1.
PRISM=http://127.0.0.1:$PRISM_PORT
wait_for "$MOCK/albums/B0064UPU4G"
wait_for "$PRISM/albums/B0064UPU4G"

echo "| route | mock req/s | Prism 5.14.2 req/s | ratio |"
echo "|---|---|---|---|"
for route in "/albums/B0064UPU4G" "/me/library/albums?limit=20"; do
  m=$(rps "$MOCK$route" "$DURATION")
  p=$(rps "$PRISM$route" "$DURATION")
  echo "| GET $route | $m | $p | $(python3 -c "print(f'{$m/$p:.1f}x')") |"
done

before=$(rss_kib "$MOCK_PID")
rps "$MOCK/albums/B0064UPU4G" "$LONG" >/dev/null
rps "$MOCK/me/library/albums?limit=20" "$LONG" >/dev/null
after=$(rss_kib "$MOCK_PID")
echo
echo "mock RSS: ${before} KiB before, ${after} KiB after $((2 * LONG)) s of load"
