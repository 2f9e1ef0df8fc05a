#!/usr/bin/env bash
# A longer durability soak: the store kill tests with many more SIGKILLs than CI runs.
#   scripts/soak.sh [kills-per-test]     (default 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-5000}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target store_kill_test mapishut_store >/dev/null
MAPISHUT_SOAK_KILLS="$kills" build/tests/store/store_kill_test
