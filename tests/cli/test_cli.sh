#!/usr/bin/env bash
# End-to-end tests of the lmc command line: exit codes, messages, files.
set -u
lmc=${1:?usage: test_cli.sh path/to/lmc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit code;
# output lands in $work/out and $work/err for the checks that follow.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"
    sed 's/^/  | /' "$work/out" "$work/err" | head -20
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
# contains FILE TEXT DESCRIPTION
contains() {
  if grep -qF -- "$2" "$1"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $3: '$2' not in $(basename "$1")"
    sed 's/^/  | /' "$1" | head -20
    failures=$((failures + 1))
  fi
}

expect 0 "default check holds" -- "$lmc" check
contains "$work/out" "result: ok" "default check prints its result"

expect 0 "check --help" -- "$lmc" check --help
for word in --model --strategy bfs dfs simulation --threads --storage fingerprint \
  --max-states --max-depth --time-limit --json --dot "Exit codes"; do
  contains "$work/out" "$word" "check --help documents $word"
done

expect 1 "deadlocking philosophers" -- "$lmc" check --model philosophers --param n=5
contains "$work/out" "Counterexample for deadlock (deadlock, 5 steps)" "shortest deadlock"
contains "$work/out" "Step 5: philosopher" "trace steps"

expect 0 "fixed philosophers" -- "$lmc" check -m philosophers -p n=5 -p fixed=1 -t 2
expect 1 "peterson swapped" -- "$lmc" check -m peterson -p n=2 -p swap=1 --dot "$work/cx.dot"
contains "$work/cx.dot" "digraph counterexample" "DOT file written"

expect 0 "json report" -- "$lmc" check -m two_phase_commit --json "$work/r.json" -q
for field in '"result": "ok"' '"states": 288' '"transitions"' '"max_depth"' '"seconds"' \
  '"states_per_second"' '"bytes_per_state"' '"threads": 1' '"strategy": "bfs"' \
  '"properties"' '"coverage"'; do
  contains "$work/r.json" "$field" "json field $field"
done

expect 3 "max-states bound is incomplete" -- "$lmc" check -m peterson -p n=4 --max-states 100
contains "$work/out" "result: incomplete (max states (100)" "incomplete names the bound"
expect 3 "simulation never proves" -- "$lmc" check -m peterson -s simulation --walks 5
expect 0 "fingerprint storage" -- "$lmc" check -m peterson -p n=3 --storage fingerprint
contains "$work/out" "estimated probability that a state was missed" "fingerprint estimate"

expect 0 "list models" -- "$lmc" check --list-models
contains "$work/out" "two_phase_commit" "models listed"
expect 0 "list properties" -- "$lmc" check -m peterson --list-properties
contains "$work/out" "mutual_exclusion always -" "properties listed name first"

expect 2 "unknown model" -- "$lmc" check --model nope
contains "$work/err" "--model nope: no such model" "unknown model message"
expect 2 "bad parameter" -- "$lmc" check -m philosophers -p n=100
contains "$work/err" "from 2 to 16" "bad parameter message"
expect 2 "bad strategy" -- "$lmc" check --strategy sideways
expect 2 "bad threads" -- "$lmc" check --threads 0
expect 2 "unwritable json" -- "$lmc" check --json /nonexistent/dir/r.json
contains "$work/err" "--json /nonexistent/dir/r.json: cannot open" "unwritable json message"
expect 2 "no subcommand" -- "$lmc"
expect 2 "unknown subcommand" -- "$lmc" frobnicate

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
