#!/usr/bin/env bash
# A debugging aid for spec/promela/cluster_default.pml, not part of the test
# suite: compares the reachable state SETS of lmc's cluster model and of the
# Promela encoding on one preset, not just their sizes, and prints the first
# states only one side reaches.
#
# Usage: tests/spin/compare_state_sets.sh BUILD_DIR PRESET [-DBUG=...]
#   BUILD_DIR  a build of this tree (its model libraries are linked into
#              dump_cluster_states.cpp, compiled with -O1 into a temporary
#              directory)
#   PRESET     default, x86-local, x86-native, two-vms, recovery,
#              recover-while-alive, p9-gap
#
# lmc's side explores every reachable state, even past a violated property
# (lmc check stops there). SPIN's side is pan compiled with -DPRINTF running
# the encoding with -DDUMP: every step prints the state it reaches. The
# initial state is never printed by SPIN (no step reaches it), so "only lmc"
# normally shows exactly that one state.
set -euo pipefail
build=${1:?usage: compare_state_sets.sh BUILD_DIR PRESET [-DNAME=VALUE ...]}
preset=${2:?usage: compare_state_sets.sh BUILD_DIR PRESET [-DNAME=VALUE ...]}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build" && pwd)
config=$root/examples/$preset.json
[[ -f $config ]] || { echo "no preset $preset ($config)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

libs=()
for lib in "$build"/model/liblmc_model.a "$build"/model/liblmc_config.a; do
  [[ -f $lib ]] && libs+=("$lib")
done
((${#libs[@]})) || { echo "no model libraries in $build/model" >&2; exit 2; }
# liblmc_config is linked twice: the model library refers to it.
g++ -std=c++20 -O1 -I"$root" "$root/tests/spin/dump_cluster_states.cpp" "${libs[@]}" "${libs[@]}" \
  -lfmt -lxxhash -o "$work/dump"
"$work/dump" "$config" 2>"$work/lmc.count" >"$work/lmc.lines"
sort -u "$work/lmc.lines" >"$work/lmc.set"
echo "lmc:  $(cat "$work/lmc.count"), $(wc -l <"$work/lmc.set") distinct lines"

define=-DPRESET=$(tr 'a-z-' 'A-Z_' <<<"$preset")
cp "$root/spec/promela/cluster_default.pml" "$work/cluster.pml"
(
  cd "$work"
  spin -a -DDUMP "$define" "$@" cluster.pml >/dev/null
  gcc -O1 -DSAFETY -DNOREDUCE -DPRINTF -o pan pan.c
  ./pan -E -A -m1000000 >pan.out
)
grep -E '^[0-9]' "$work/pan.out" | sort -u >"$work/spin.set"
echo "spin: $(sed -nE 's/^[[:space:]]*([0-9]+) states, stored.*/\1/p' "$work/pan.out") states," \
  "$(wc -l <"$work/spin.set") distinct states reached by a step"
comm -23 "$work/lmc.set" "$work/spin.set" >"$work/only-lmc"
initial=$(head -n 1 "$work/lmc.lines") # the dump starts with the initial state
if [[ $(cat "$work/only-lmc") == "$initial" ]]; then
  echo "only lmc:  1 (the initial state)"
else
  echo "only lmc:  $(wc -l <"$work/only-lmc")"
  head -n 5 "$work/only-lmc"
fi
echo "only spin: $(comm -13 "$work/lmc.set" "$work/spin.set" | wc -l)"
comm -13 "$work/lmc.set" "$work/spin.set" | head -n 5
