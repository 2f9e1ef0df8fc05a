#!/usr/bin/env bash
# Builds mapishut and runs `mapishut demo` on the bundled profile and providers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# The same configuration as scripts/test.sh and bench/report.sh use for build/: running one never
# reconfigures the tree under the others (only the tool is built here).
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target mapishut_tool >/dev/null
exec build/tools/mapishut/mapishut demo "$@"
