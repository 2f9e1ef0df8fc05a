#!/usr/bin/env bash
# Builds mapishut and runs the whole test suite. With --asan or --tsan, in a sanitizer build.
# Also installs the build into a scratch prefix and builds examples/ against the installed copy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
mode="${1:-}"
build=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
# Sanitizer builds compile at -O1 with line tables only: half the compile time of -O2 -g on two
# cores, and every report still names the function, file and line.
sanitizer=(-DMAPISHUT_BUILD_BENCH=OFF "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
           "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")
case "$mode" in
  "") ;;
  --asan) build=build-asan; flags+=(-DMAPISHUT_ASAN=ON "${sanitizer[@]}") ;;
  --tsan) build=build-tsan; flags+=(-DMAPISHUT_TSAN=ON "${sanitizer[@]}") ;;
  *) echo "usage: scripts/test.sh [--asan|--tsan]" >&2; exit 2 ;;
esac
jobs="$(nproc)"
cmake -S . -B "$build" "${flags[@]}"
cmake --build "$build" -j"$jobs"
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 300
if [[ -z "$mode" ]]; then
  scripts/check-install.sh "$build"
fi
