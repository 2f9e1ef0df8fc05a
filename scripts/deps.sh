#!/usr/bin/env bash
# Installs what building and testing mapishut needs, from Debian's packages, when it is missing.
set -euo pipefail
packages=(cmake g++ make pkg-config libsqlite3-dev sqlite3 libgtest-dev libgmock-dev libbenchmark-dev
          fuse3 libfuse3-dev libfiu-dev fiu-utils)
for option in "$@"; do
  case "$option" in
    --test) packages+=(chromium) ;;  # the suite renders `mapishut report --svg` in headless Chromium
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    *) echo "usage: scripts/deps.sh [--test] [--fuzz]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
