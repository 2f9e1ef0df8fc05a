#!/usr/bin/env bash
# Runs the benchmarks once and prints each exit's cost as a ratio to the bare durable write of
# the same data, measured in the same run (docs/BENCHMARKS.md quotes this script's output).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "$build" -j"$(nproc)" --target shutdown_bench store_bench >/dev/null
report() {
  local binary="$1" base="$2"
  local json
  json="$(mktemp)"
  "$build/bench/$binary" --benchmark_format=json --benchmark_out="$json" --benchmark_out_format=json >/dev/null
  python3 - "$json" "$base" <<'PY'
import json, sys
runs = {b["name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
base = runs[sys.argv[2]]["real_time"]
for name, b in runs.items():
    print(f"{name:<26}{b['real_time']:>12.1f} us{b['real_time'] / base:>10.2f} x {sys.argv[2]}")
PY
  rm -f "$json"
}
echo "== three sample providers, each saving a small file durably =="
report shutdown_bench BM_BareDurableWrites
echo
echo "== the SQLite store after 100 saved messages (7 properties each) =="
report store_bench BM_BareSqliteCommit
