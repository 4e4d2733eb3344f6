#!/usr/bin/env bash
# External cross-check of the mock against the spec: schemathesis (pinned, from PyPI) generates
# requests from spec/openapi.yaml, sends them to a standalone mock on loopback, and checks that
# no answer is a server error and that every answer conforms to the spec (status, content type,
# headers, body schema). Bounded in examples and time; any failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=target/schemathesis-venv
PYTHON=${PYTHON:-python3.11}
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The build command of .ci/run, feature for feature: in CI it finds everything built already
# (building the command line alone would build it and three crates again with other features).
cargo build --quiet --locked --workspace --all-targets --features amazon-music-api/httpmock
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=schemathesis-token
API_KEY=schemathesis-key
LOG=target/schemathesis-mock.log
"${CARGO_TARGET_DIR:-target}/debug/amazon-music" mock --addr "127.0.0.1:$PORT" --seed 1 --token "$TOKEN" --api-key "$API_KEY" \
  >"$LOG" 2>&1 &
MOCK_PID=$!
trap 'kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  grep -q "listening on" "$LOG" && break
  kill -0 "$MOCK_PID" 2>/dev/null || { cat "$LOG"; echo "the mock did not start" >&2; exit 1; }
  sleep 0.1
done

# One worker: with two, schemathesis 4.32.5 once failed inside its own coverage code (a KeyError
# in a cache shared by its threads), which is not a finding about the mock.
"$VENV/bin/schemathesis" run spec/openapi.yaml \
  --url "http://127.0.0.1:$PORT/v1" \
  -H "x-api-key: $API_KEY" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples 40 \
  --max-time 120 \
  --seed 1 \
  --workers 1 \
  --request-timeout 10 \
  --no-color \
  --report junit --report-dir target/schemathesis-report
echo "schemathesis: the mock conforms to spec/openapi.yaml"
