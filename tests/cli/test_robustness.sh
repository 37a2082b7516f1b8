#!/usr/bin/env bash
# Issue 16: nothing hangs, nothing is left behind, nothing is lost silently.
# Inputs that are not regular files, numbers no double holds, output paths
# that cannot be written (refused before the run), unknown subcommands.
set -u
lmc=${1:?usage: test_robustness.sh path/to/lmc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=helpers.sh
source "$(dirname "$0")/helpers.sh"
examples=$(cd "$(dirname "$0")/../../examples" && pwd)

# Inputs: only regular files, each refused at once with the reason.
mkfifo "$work/fifo"
for input in /dev/zero "$work/fifo" "$work"; do
  expect 2 "check --config $input is refused at once" -- timeout 10 "$lmc" check --config "$input"
  contains "$work/err" "not a regular file" "check --config $input: the reason"
  expect 2 "validate $input is refused at once" -- timeout 10 "$lmc" validate "$input"
  contains "$work/err" "the trace file is" "validate $input: the reason"
done
contains "$work/err" "is a directory, not a regular file" "a directory is named as one"
expect 2 "a missing configuration" -- "$lmc" check --config "$work/none.json"
contains "$work/err" "cannot open the configuration file: No such file or directory" "why it cannot be opened"

# A number no double holds is named with its field, not an internal error.
sed 's/"memory": *[0-9]*/"memory": 1e999/' "$examples/default.json" >"$work/huge.json"
expect 2 "1e999 in a configuration" -- "$lmc" check --config "$work/huge.json"
contains "$work/err" "sus[0].memory: number out of range: '1e999'" "the field of 1e999"
lacks "$work/err" "internal error" "1e999 is not an internal error"
sed 's/"memory": *[0-9]*/"memory": 1e308/' "$examples/default.json" >"$work/big.json"
expect 2 "1e308 in a configuration" -- "$lmc" check --config "$work/big.json"
contains "$work/err" "expected an integer, got 1e+308" "a large number is printed short"

# Counts too large for their type are refused, not saturated.
expect 2 "--max-states beyond 64 bits" -- "$lmc" check --max-states 99999999999999999999999
contains "$work/err" "--max-states: expected a whole number from 0 to 18446744073709551615" "the range of --max-states"
expect 2 "--max-depth beyond 32 bits" -- "$lmc" check --max-depth 4294967296
contains "$work/err" "from 0 to 4294967295" "the range of --max-depth"
expect 2 "migrate --seed beyond 64 bits" -- "$lmc" migrate --virtual-clock --seed 99999999999999999999999
expect 2 "validate --max-states negative" -- "$lmc" validate --max-states -1 "$work/none.json"

# Output paths are checked before the work starts: no run, no verdict lost.
for option in --json --dot; do
  expect 2 "check $option to a missing directory" -- "$lmc" check "$option" "$work/no/dir/x"
  contains "$work/err" "$option: cannot write '$work/no/dir/x': No such file or directory" "check $option: the path and why"
  lacks "$work/out" "states:" "check $option: refused before the search"
done
expect 2 "check --json to a directory" -- "$lmc" check --json "$work"
contains "$work/err" "it is a directory" "check --json: a directory"
for option in --json --monjv --record; do
  expect 2 "migrate $option to a missing directory" -- "$lmc" migrate --virtual-clock "$option" "$work/no/x"
  lacks "$work/out" "result:" "migrate $option: refused before the LM"
done
expect 0 "check --json /dev/null is fine" -- "$lmc" check -q --json /dev/null
check "[[ ! -e $work/probe.json ]]" "the probe leaves no file behind"
expect 0 "an output path that did not exist" -- "$lmc" check -q --json "$work/probe.json"
check "[[ -s $work/probe.json ]]" "and it is written after the run"

# Unknown subcommands are named.
expect 2 "an unknown subcommand" -- "$lmc" frobnicate
contains "$work/err" "'frobnicate' is not a subcommand (subcommands: check," "the word and the choices"

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
