#!/usr/bin/env bash
# The mock's resident memory before and after sustained load with faults on: 503 answers,
# dropped connections and truncated bodies (the paths that could leak per request). Loopback
# only; needs wrk and target/debug/amazon-music (cargo build -p amazon-music-cli). Usage:
# fault_memory.sh [SECONDS]
set -euo pipefail
PORT=18391
target/debug/amazon-music mock --addr 127.0.0.1:$PORT --fault 'getAlbums:status=503' --fault 'getAlbum:drop' --fault 'getLibraryAlbums:truncate' >/dev/null 2>&1 &
PID=$!
trap 'kill $PID' EXIT
sleep 2
H=(-H 'x-api-key: mock-api-key' -H 'Authorization: Bearer mock-token')
rss() { awk '/VmRSS/ {print $2}' /proc/$PID/status; }
wrk -t1 -c8 -d5s "${H[@]}" "http://127.0.0.1:$PORT/v1/albums?ids=B0064UPU4G" >/dev/null
echo "rss_after_warmup_kib=$(rss)"
for route in "/v1/albums?ids=B0064UPU4G" "/v1/albums/B0064UPU4G" "/v1/me/library/albums?limit=20" "/v1/albums/B00D3PLC1K"; do
  wrk -t2 -c16 -d${1:-20}s "${H[@]}" "http://127.0.0.1:$PORT$route" | grep -E "Requests/sec|requests in|Non-2xx|Socket errors"
done
echo "rss_after_kib=$(rss)"
