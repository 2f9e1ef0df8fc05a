#!/usr/bin/env bash
# Runs the benchmarks once and prints each exit's cost as a ratio to the bare durable write of
# the same data, measured in the same run (docs/BENCHMARKS.md quotes this script's output).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "$build" -j"$(nproc)" --target shutdown_bench store_bench ab_bench listing_bench coordinator_bench logon_bench writer_bench sigterm_bench >/dev/null
# Every exit the benchmarks make records itself (exit_log.h); each program keeps those records
# in a state directory of its own (bench/scratch_state.h), never in the user's log.
report() {
  local binary="$1" base="$2"
  local json
  json="$(mktemp)"
  "$build/bench/$binary" --benchmark_format=json --benchmark_out="$json" --benchmark_out_format=json >/dev/null
  python3 - "$json" "$base" <<'PY'
import json, sys
# "BM_X/400000/iterations:50/manual_time" -> "BM_X/400000": the argument stays, the settings go.
def key(name):
    return "/".join(p for p in name.split("/") if not p.startswith("iterations:") and p != "manual_time")
runs = {key(b["name"]): b for b in json.load(open(sys.argv[1]))["benchmarks"]}
base = runs[sys.argv[2]]["real_time"]
for name, b in runs.items():
    line = f"{name:<32}{b['real_time']:>12.1f} us{b['real_time'] / base:>10.2f} x {sys.argv[2]}"
    if "x_bare" in b:  # the same baseline, timed in the same iterations (bench/ab_bench.cpp)
        line += f"{b['x_bare']:>8.2f} x interleaved"
    print(line)
PY
  rm -f "$json"
}
echo "== three sample providers, each saving a small file durably =="
report shutdown_bench BM_BareDurableWrites
echo
echo "== the SQLite store after 100 saved messages (7 properties each) =="
report store_bench BM_BareSqliteCommit
echo
echo "== the address book's save (its fast exit) with 10k, 100k, 400k cards in the cache =="
report ab_bench BM_BareOneRowCommit
echo
echo "== the store's writer: the fast exit's flush and durable throughput, against bare SQLite =="
"$build/bench/writer_bench"
echo
echo "== a service stopped with SIGTERM, on the demo profile =="
"$build/bench/sigterm_bench"
# The growth benchmarks are plain programs printing their own tables (cost per item, growth
# against the previous size); their figures are also drawn into docs/growth.svg.
tables="$(mktemp -d)"
trap 'rm -rf "$tables"' EXIT
echo
echo "== the coordinator, per provider per phase, against direct calls =="
"$build/bench/coordinator_bench" | tee "$tables/coordinator.txt"
echo
echo "== MAPILogonEx with N providers in one profile =="
"$build/bench/logon_bench" | tee "$tables/logon.txt"
echo
# MAPISHUT_LISTING_SIZES="10000 100000 1000000" adds the million-message folder (about 3 minutes
# and 2.5 GB in /tmp).
echo "== listing a folder: 5 columns, 200 rows per QueryRows, against a bare SELECT =="
# shellcheck disable=SC2086
"$build/bench/listing_bench" ${MAPISHUT_LISTING_SIZES:-10000 100000} | tee "$tables/listing.txt"
bench/plot_growth.py docs/growth.svg "$tables/coordinator.txt" "$tables/logon.txt" "$tables/listing.txt"
echo
echo "drawn: docs/growth.svg"
