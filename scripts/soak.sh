#!/usr/bin/env bash
# The durability soak: SIGKILLs, power cuts (the power-cut filesystem, plain and torn) and
# injected I/O errors (libfiu), against the store, for a given time, in batches with new seeds.
#   scripts/soak.sh [minutes]      (default 10)
# Prints, per kind, the rounds run and the batches that lost something (a batch stops at its
# first loss and its log is kept); exits 1 when any did.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target store_kill_test io_fault_test mapishut_store >/dev/null
logs="$(mktemp -d /tmp/mapishut-soak-XXXXXX)"
export XDG_STATE_HOME="$logs/state"  # the children's exit records stay out of the user's log
declare -A rounds=() losses=()
kinds=(sigkill powercut ioerror)
batch() {  # kind seed: runs one batch, adds its rounds, keeps its log when it lost something
  local kind="$1" seed="$2" log="$logs/$1-$2.log" status=0
  case "$kind" in
    sigkill) MAPISHUT_SOAK_KILLS=200 MAPISHUT_SOAK_SEED="$seed" build/tests/store/store_kill_test --gtest_filter='*/Sigkill' >"$log" 2>&1 || status=$? ;;
    powercut) MAPISHUT_SOAK_KILLS=50 MAPISHUT_SOAK_SEED="$seed" build/tests/store/store_kill_test --gtest_filter='*PowerCut' >"$log" 2>&1 || status=$? ;;
    ioerror) MAPISHUT_SOAK_FAULTS=100 MAPISHUT_SOAK_SEED="$seed" build/tests/faults/io_fault_test >"$log" 2>&1 || status=$? ;;
  esac
  rounds[$kind]=$(( ${rounds[$kind]:-0} + $(awk '/^rounds: /{n+=$2} END{print n+0}' "$log") ))
  if ((status != 0)); then
    losses[$kind]=$(( ${losses[$kind]:-0} + 1 ))
    echo "loss: $kind batch with seed $seed, see $log" >&2
  else
    rm -f "$log"
  fi
}
end=$(( $(date +%s) + minutes * 60 ))
seed=1
while (( $(date +%s) < end )); do
  for kind in "${kinds[@]}"; do batch "$kind" "$seed"; done
  seed=$((seed + 1))
done
failed=0
printf '%-10s %10s %8s\n' kind rounds losses
for kind in "${kinds[@]}"; do
  printf '%-10s %10d %8d\n' "$kind" "${rounds[$kind]:-0}" "${losses[$kind]:-0}"
  (( ${losses[$kind]:-0} == 0 )) || failed=1
done
echo "($(( seed - 1 )) batches of each in $minutes min; logs of losses in $logs)"
exit "$failed"
