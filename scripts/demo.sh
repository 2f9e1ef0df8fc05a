#!/usr/bin/env bash
# Builds mapishut and runs `mapishut demo` on the bundled profile and providers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAPISHUT_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target mapishut_tool >/dev/null
exec build/tools/mapishut/mapishut demo "$@"
