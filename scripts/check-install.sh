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
# mapishut.pc names the directory the library is really in (also with a multiarch libdir).
pc_libdir="$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --variable=libdir mapishut)"
if [[ ! -e "$pc_libdir/libmapishut.so" ]]; then
  echo "install check: mapishut.pc says libdir=$pc_libdir, which holds no libmapishut.so" >&2
  exit 1
fi
# One allocator in the process: the providers take MAPI's allocator from libmapishut (or from
# the functions their entry point is handed), never a copy of their own.
for provider in "$prefix"/lib/mapishut/providers/*.so; do
  if nm -D --defined-only "$provider" | grep -qw MAPIAllocateBuffer; then
    echo "install check: $provider defines its own MAPIAllocateBuffer" >&2
    exit 1
  fi
done
if [[ ! -f "$prefix/share/man/man1/mapishut.1" ]]; then
  echo "install check: the man page mapishut.1 was not installed" >&2
  exit 1
fi
echo "install check: examples built against the installed copy (find_package and pkg-config)"
