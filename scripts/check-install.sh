#!/usr/bin/env bash
# Installs a build tree into a scratch prefix and builds examples/ against the installed copy,
# once through find_package(mapishut) and once through pkg-config.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S examples/standalone -B "$prefix/example-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/example-build" -j"$(nproc)" >/dev/null
PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/share/pkgconfig" \
  c++ -std=c++20 examples/client/smallest_client.cpp -o "$prefix/smallest_client_pc" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs mapishut) -Wl,-rpath,"$prefix/lib"
echo "install check: examples built against the installed copy (find_package and pkg-config)"
