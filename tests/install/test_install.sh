#!/usr/bin/env bash
# The engine as a library: `cmake --install` of the build tree into a scratch
# prefix, then a model written outside the tree (outside_model/, three members)
# built with find_package(lmc) and run with lmc's check command line.
set -u
build=${1:?usage: test_install.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install"; }
[[ -f $work/prefix/lib/cmake/lmc/lmcConfig.cmake ]] || fail "no lmcConfig.cmake installed"
if grep -rqi "z3\|cluster" "$work/prefix/lib/cmake/lmc/lmcTargets.cmake"; then
  fail "the engine's link interface names Z3 or cluster code"
fi
cmake -S "$here/outside_model" -B "$work/counter" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; fail "configure the outside model"; }
cmake --build "$work/counter" -j2 >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "build the outside model"; }
counter=$work/counter/counter
"$counter" >"$work/out" 2>&1
code=$?
[[ $code -eq 1 ]] || { cat "$work/out"; fail "the counter's deadlock: exit $code, expected 1"; }
grep -q "deadlock (deadlock, 5 steps)" "$work/out" || { cat "$work/out"; fail "the 5-step deadlock"; }
"$counter" --no-deadlock --threads 2 --json "$work/r.json" -q >"$work/out" 2>&1 ||
  { cat "$work/out"; fail "--no-deadlock should hold"; }
grep -q '"states": 6' "$work/r.json" || { cat "$work/r.json"; fail "6 states in the JSON report"; }
"$counter" --strategy nope >"$work/out" 2>&1
[[ $? -eq 2 ]] || fail "a bad option exits 2"
echo "ok: installed, found with find_package(lmc), a 3-member model checked"
