#!/usr/bin/env bash
# The cluster model against its hand-written Promela encoding
# (spec/promela/cluster_default.pml):
#  1. on every encoded preset SPIN stores exactly as many states as lmc
#     explores, and makes one transition more (SPIN counts the initial
#     state as a transition, lmc does not);
#  2. SPIN finds no assertion violation there (I1-I10, P9 and the rest hold);
#  3. each seeded design bug of the encoding (-DBUG=NAME, the twelve mutants
#     of `lmc check --list-mutants`) fails the assertion of the property lmc
#     catches that mutant with;
#  4. on the hazard presets both fail the same property: P9 on p9-gap, I2
#     on recover-while-alive.
# Exit 77 (skipped) where spin is not installed, except in CI, where it is.
set -u
lmc=${1:?usage: compare_cluster.sh path/to/lmc}
root=$(cd "$(dirname "$0")/../.." && pwd)
model=$root/spec/promela/cluster_default.pml
source "$(dirname "$0")/require_spin.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$model" "$work/cluster.pml"
passes=0
failures=0
pass() {
  echo "ok: $*"
  passes=$((passes + 1))
}
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
json() { # json FILE KEY
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"
}

# run_pan DEFINES...: builds pan for the encoding (-O0 compiles in a second;
# the search is small either way) and runs it with assertions on; its
# output goes to $work/pan.log. Depth: one step is two atomic steps.
run_pan() {
  (
    cd "$work" || exit 1
    rm -f cluster.pml.trail
    spin -a "$@" cluster.pml >spin.log 2>&1 &&
      gcc -O0 -DSAFETY -DNOREDUCE -DMEMLIM=8000 -o pan pan.c >gcc.log 2>&1 &&
      { ./pan -E -m200000 >pan.log 2>&1 || true; }
  ) || {
    cat "$work/spin.log" "$work/gcc.log" 2>/dev/null
    return 1
  }
}
pan_number() { # pan_number PATTERN: the number before PATTERN in pan's output
  sed -nE "s/^[[:space:]]*([0-9]+) $1.*/\1/p" "$work/pan.log" | head -n1
}
# The property named at the end of the line of the first failed assertion
# (every assertion in the encoding is one line ending in /* NAME */).
failed_property() { # failed_property DEFINES...
  local line
  line=$(cd "$work" && spin -t "$@" cluster.pml 2>/dev/null |
    sed -nE 's/^spin: .*:([0-9]+), Error: assertion violated.*/\1/p' | head -n1)
  [[ -n $line ]] || return 0
  sed -n "${line}p" "$work/cluster.pml" | sed -nE 's|.*/\* ([A-Z0-9-]+) \*/[[:space:]]*$|\1|p'
}

# 1 and 2: counts and assertions on each encoded preset.
for preset in default x86-local x86-native two-vms recovery; do
  define=-DPRESET=$(tr 'a-z-' 'A-Z_' <<<"$preset")
  rm -f "$work/r.json"
  "$lmc" check --preset "$preset" --no-deadlock --no-liveness -q --progress 0 \
    --json "$work/r.json" >/dev/null
  if [[ $(json "$work/r.json" result) != ok ]]; then
    fail "$preset: lmc did not end ok, so its count is not the whole state space"
    continue
  fi
  ours=$(json "$work/r.json" states)
  our_transitions=$(json "$work/r.json" transitions)
  theirs=$("$root/scripts/spin-states.sh" "$model" "$define") || theirs="(spin-states.sh failed)"
  if [[ $ours == "$theirs" ]]; then
    pass "$preset: $ours states"
  else
    fail "$preset: lmc $ours states, spin $theirs"
  fi
  if ! run_pan "$define"; then
    fail "$preset: cannot build pan"
    continue
  fi
  errors=$(sed -nE 's/.*errors: ([0-9]+).*/\1/p' "$work/pan.log" | head -n1)
  transitions=$(pan_number 'transitions')
  if grep -q "max search depth too small" "$work/pan.log"; then
    fail "$preset: pan's depth bound is too small"
  elif [[ $errors != 0 ]]; then
    fail "$preset: spin finds $errors assertion violation(s) ($(failed_property "$define"))"
  elif [[ $transitions != $((our_transitions + 1)) ]]; then
    fail "$preset: lmc $our_transitions transitions, spin $transitions (expected one more)"
  else
    pass "$preset: no assertion fails; $transitions transitions (lmc $our_transitions + 1)"
  fi
done

# 3 and 4: every seeded bug, and the P9 hazard, fail the expected assertion.
expect_violation() { # expect_violation PROPERTY DEFINES...
  local want=$1
  shift
  if ! run_pan "$@"; then
    fail "$*: cannot build pan"
    return
  fi
  local got
  got=$(failed_property "$@")
  if [[ $got == "$want" ]]; then
    pass "$*: spin fails $got"
  else
    fail "$*: expected $want to fail, spin failed '${got:-nothing}'"
  fi
}
while read -r bug property preset; do
  # cross-check the catalogue against lmc's: the same property
  name=$(tr 'A-Z_' 'a-z_' <<<"$bug")
  listed=$("$lmc" check --list-mutants | awk -v m="$name" '$1 == m { print $2 }')
  if [[ ${listed%%_*} != "$property" ]]; then
    fail "$bug: lmc lists '$listed' for mutant $name, the encoding expects $property"
  fi
  expect_violation "$property" -DPRESET="$preset" -DBUG="$bug"
done <<'EOF'
SKIP_FINAL_COPY I5 DEFAULT
RESUME_BEFORE_SUSPEND I1 DEFAULT
SOURCE_RESUME_ON_TIMEOUT I4 DEFAULT
MOVE_DEFINITION_LATE I2 DEFAULT
SECOND_LM_SAME_SOURCE I3 TWO_VMS
NO_REATTACH_ON_ABORT I4 DEFAULT
DOUBLE_FREE_TARGET_MEMORY I6 DEFAULT
STATE_FROM_DEFINITION I7 DEFAULT
TWO_CLUSTER_MANAGERS I8 DEFAULT
CRD_SINGLE_MIRROR_WRITE I9 DEFAULT
READ_STALE_MIRROR I9 DEFAULT
MONJV_STUCK_RUNNING I10 DEFAULT
EOF
# lmc stops at the first violation, so only the verdicts are compared.
hazard() { # hazard PRESET LMC_PROPERTY
  local preset=$1 property=$2 status=0
  rm -f "$work/r.json"
  "$lmc" check --preset "$preset" -q --progress 0 --json "$work/r.json" >/dev/null || status=$?
  if [[ $status == 1 ]] && python3 -c "
import json, sys
props = json.load(open(sys.argv[1]))['properties']
bad = [p['name'] for p in props if p.get('status') == 'violated']
sys.exit(0 if bad == [sys.argv[2]] else 1)" "$work/r.json" "$property"; then
    expect_violation "${property%%_*}" -DPRESET="$(tr 'a-z-' 'A-Z_' <<<"$preset")"
  else
    fail "$preset: lmc should fail $property alone (exit $status)"
  fi
}
hazard p9-gap P9_guest_network_reachable
hazard recover-while-alive I2_single_owner

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
