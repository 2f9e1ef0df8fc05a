#!/usr/bin/env bash
# Builds the policy parser's fuzzer with clang and runs it for a bounded time (default 60 s)
# on a copy of the seed corpus. Exits non-zero when the fuzzer finds a crash, a hang or a leak.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -DMAPISHUT_FUZZ=ON -DMAPISHUT_BUILD_TESTS=OFF -DMAPISHUT_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target reg_file_fuzzer >/dev/null
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cp fuzz/corpus/reg/* "$corpus"/
"$build/fuzz/reg_file_fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  2>&1 | tail -n 15
echo "fuzz: no crash in ${seconds} s"
