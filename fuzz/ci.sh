#!/usr/bin/env bash
# Builds the fuzzers with clang and runs each for a bounded time (default 60 s each) on a copy of
# its seed corpus: reg_file_fuzzer (the policy parser) on fuzz/corpus/reg, ini_file_fuzzer (the
# mapisvc.inf and profiles.inf parser) on fuzz/corpus/inf. Exits non-zero when a fuzzer finds a
# crash, a hang or a leak.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build=build-fuzz
fuzzers=(reg_file_fuzzer:reg ini_file_fuzzer:inf)  # target:seed corpus
CC=clang CXX=clang++ cmake -S . -B "$build" -DMAPISHUT_FUZZ=ON -DMAPISHUT_BUILD_TESTS=OFF -DMAPISHUT_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${fuzzers[@]%%:*}" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for fuzzer in "${fuzzers[@]}"; do
  name="${fuzzer%%:*}" seeds="${fuzzer#*:}"
  mkdir "$work/$seeds"
  cp "fuzz/corpus/$seeds"/* "$work/$seeds"/
  echo "fuzz: $name"
  "$build/fuzz/$name" "$work/$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    2>&1 | tail -n 15
done
echo "fuzz: no crash in ${seconds} s per fuzzer"
