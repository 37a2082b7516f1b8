#!/usr/bin/env bash
# SPIN, on the hand-written Promela encodings in spec/promela/, must store
# exactly as many states as lmc explores for the same model and parameters:
# two independent encodings agreeing on every reachable state.
# Exit 77 (skipped) where spin is not installed, except in CI, where it is.
set -u
lmc=${1:?usage: compare_small_models.sh path/to/lmc}
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/require_spin.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passes=0
failures=0
compare() {
  local model=$1
  shift
  local lmc_args=(-m "$model") spin_defines=()
  for p in "$@"; do
    lmc_args+=(-p "$p")
    local name=${p%%=*}
    spin_defines+=("-D${name^^}=${p#*=}")
  done
  # --no-deadlock: the deadlocking philosophers are counted whole, as pan -E does.
  "$lmc" check "${lmc_args[@]}" --no-deadlock -q --progress 0 --json "$work/r.json" >/dev/null
  local ours theirs
  ours=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['states'])" "$work/r.json")
  theirs=$("$root/scripts/spin-states.sh" "$root/spec/promela/$model.pml" "${spin_defines[@]}")
  if [[ $ours == "$theirs" ]]; then
    echo "ok: $model $*: $ours states"
    passes=$((passes + 1))
  else
    echo "FAIL: $model $*: lmc $ours states, spin $theirs"
    failures=$((failures + 1))
  fi
}
compare peterson n=2
compare peterson n=3
compare peterson n=4
compare philosophers n=5
compare philosophers n=5 fixed=1
compare philosophers n=8 fixed=1
compare two_phase_commit n=3
compare two_phase_commit n=5
echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
