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

# lmc validate: linear in the recording's length, with a time limit.
"$lmc" migrate --virtual-clock --unit-mib 4 -q --record "$work/rec.json"
long_recording() {  # ROUNDS OUT: the recording with its copy round repeated
  python3 - "$work/rec.json" "$1" "$2" <<'PY'
import json, sys
trace = json.load(open(sys.argv[1]))
steps = trace["steps"]
at = next(i for i, s in enumerate(steps) if s["kind"] == "copy_round")
trace["steps"] = steps[:at] + [steps[at]] * int(sys.argv[2]) + steps[at + 1:]
json.dump(trace, open(sys.argv[3], "w"))
PY
}
long_recording 255 "$work/rec-255.json"
expect 0 "a recording of 255 copy rounds validates at once" -- timeout 20 "$lmc" validate "$work/rec-255.json"
contains "$work/out" "valid: 264 events match a path of the model" "264 events"
contains "$work/out" "largest set 4 states" "the set does not grow with the recording"
long_recording 40 "$work/rec-40.json"
expect 0 "--exact-states gives the same verdict" -- timeout 60 "$lmc" validate --exact-states "$work/rec-40.json"
contains "$work/out" "valid: 49 events" "exact: valid too"
expect 3 "--time-limit stops an exact search, undecided" -- timeout 60 "$lmc" validate --exact-states --time-limit 0.2 "$work/rec-255.json"
contains "$work/out" "undecided:" "the verdict says undecided"
contains "$work/out" "(--time-limit)" "and names the bound"
long_recording 256 "$work/rec-256.json"
expect 2 "256 copy rounds exceed the model's counters" -- "$lmc" validate "$work/rec-256.json"
contains "$work/err" "the model counts at most 255 (scope.max_copy_rounds)" "the reason"
expect 2 "validate --time-limit nan" -- "$lmc" validate --time-limit nan "$work/rec.json"

# Unknown subcommands are named.
expect 2 "an unknown subcommand" -- "$lmc" frobnicate
contains "$work/err" "'frobnicate' is not a subcommand (subcommands: check," "the word and the choices"

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
