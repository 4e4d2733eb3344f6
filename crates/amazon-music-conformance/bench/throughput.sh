#!/usr/bin/env bash
# Validation throughput, side by side in one run: amazon-music-conformance (release build) and
# openapi-core (pinned, from PyPI) validate the same corpus, spec/recordings (album, library and
# playback responses, errors included), on one core each (taskset -c 1 when available).
# Usage: crates/amazon-music-conformance/bench/throughput.sh [RUST_TOTAL] [PYTHON_TOTAL]
set -euo pipefail
cd "$(dirname "$0")/../../.."

OPENAPI_CORE_VERSION=0.23.1
VENV=target/bench-venv
PYTHON=${PYTHON:-python3.11}
RUST_TOTAL=${1:-1000000}
PYTHON_TOTAL=${2:-20000}
PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 1)

if ! "$VENV/bin/python" -c "import openapi_core, importlib.metadata as m; assert m.version('openapi-core') == '$OPENAPI_CORE_VERSION'" 2>/dev/null; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "openapi-core==$OPENAPI_CORE_VERSION"
fi
cargo build --quiet --release -p amazon-music-conformance --example throughput

"${PIN[@]}" target/release/examples/throughput spec/openapi.yaml spec/recordings --total "$RUST_TOTAL"
"${PIN[@]}" "$VENV/bin/python" crates/amazon-music-conformance/bench/openapi_core_throughput.py \
  spec/openapi.yaml spec/recordings --total "$PYTHON_TOTAL"
