#!/usr/bin/env bash
# Runs the benchmarks once and prints each shutdown's cost as a ratio to the bare durable writes
# measured in the same run (the figures in docs/BENCHMARKS.md come from this script).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "$build" -j"$(nproc)" --target shutdown_bench >/dev/null
json="$(mktemp)"
trap 'rm -f "$json"' EXIT
"$build/bench/shutdown_bench" --benchmark_format=json --benchmark_out="$json" --benchmark_out_format=json >/dev/null
python3 - "$json" <<'PY'
import json, sys
runs = {b["name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
base = runs["BM_BareDurableWrites"]["real_time"]
print(f"{'benchmark':<24}{'mean per exit':>16}{'x bare writes':>16}")
for name in ("BM_BareDurableWrites", "BM_FastShutdown", "BM_NormalShutdown"):
    t = runs[name]["real_time"]
    print(f"{name:<24}{t:>13.1f} us{t / base:>16.2f}")
PY
