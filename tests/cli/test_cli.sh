#!/usr/bin/env bash
# End-to-end tests of the lmc command line: exit codes, messages, files.
set -u
lmc=${1:?usage: test_cli.sh path/to/lmc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=helpers.sh
source "$(dirname "$0")/helpers.sh"

expect 0 "default check holds" -- "$lmc" check
contains "$work/out" "result: ok" "default check prints its result"

expect 0 "check --help" -- "$lmc" check --help
for word in --model --strategy bfs dfs simulation --threads --storage fingerprint \
  --max-states --max-depth --time-limit --json --dot --symmetry "Exit codes"; do
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

# Numeric search options: NaN, negative and out-of-range values are refused by name.
for bad in "--time-limit nan" "--time-limit -1" "--time-limit inf" "--progress nan" \
           "--max-states -1" "--max-depth -3" "--walks -1"; do
  # shellcheck disable=SC2086
  expect 2 "refused: $bad" -- "$lmc" check -m peterson $bad
  contains "$work/err" "${bad%% *}" "the message names $bad"
done
contains "$work/err" "expected a whole number from 0 to 18446744073709551615, got '-1'" "what a count must be"
expect 2 "refused: --time-limit nan" -- "$lmc" check -m peterson --time-limit nan
contains "$work/err" "expected seconds from 0 to 1e+07, got 'nan'" "what seconds must be"
expect 0 "--time-limit 0 is no limit" -- "$lmc" check -m peterson --time-limit 0 -q
# lmc migrate's float options: values that made the virtual clock run forever are refused.
for bad in "--dirty-rate nan" "--dirty-rate 1e12" "--link-gbit nan" "--link-gbit 5e-324" \
           "--downtime-ms inf" "--downtime-ms -1"; do
  # shellcheck disable=SC2086
  expect 2 "migrate refuses $bad" -- timeout 60 "$lmc" migrate --virtual-clock --unit-mib 4 $bad
  contains "$work/err" "${bad%% *}: expected a number from" "the message names $bad and the range"
done
expect 0 "migrate takes --link-gbit 0 (uncapped)" -- timeout 60 "$lmc" migrate --virtual-clock --unit-mib 4 --link-gbit 0 -q
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
contains "$work/err" "--json: cannot write '/nonexistent/dir/r.json': No such file or directory" "unwritable json message"
expect 2 "no subcommand" -- "$lmc"
expect 2 "unknown subcommand" -- "$lmc" frobnicate

# The cluster model: presets, configuration files, mutants.
expect 0 "cluster default preset" -- "$lmc" check --preset default -q
expect 0 "cluster from an example file" -- "$lmc" check --config "$(dirname "$0")/../../examples/x86-local.json" -q
expect 1 "hazard: recover while the remote SU is alive" -- "$lmc" check --preset recover-while-alive
contains "$work/out" "/RECOVER-VM-DEFINITION VM12PROD" "hazard trace names the command"
expect 1 "hazard: P9 is not checked" -- "$lmc" check --preset p9-gap -q
expect 1 "mutant caught" -- "$lmc" check --mutant skip_final_copy
contains "$work/out" "Counterexample for I5_memory_integrity" "mutant names its property"
expect 1 "mutant caught with symmetry reduction" -- "$lmc" check --mutant skip_final_copy --symmetry --json "$work/sym.json"
contains "$work/out" "symmetry reduction (one state per class)" "symmetry named in the report"
contains "$work/sym.json" '"symmetry": true' "symmetry in the json report"
contains "$work/sym.json" '"states": 26711' "symmetry reduces the mutant's states (40,763 without)"
expect 2 "symmetry needs a stored search" -- "$lmc" check --symmetry -s simulation
contains "$work/err" "--symmetry applies to bfs and dfs" "symmetry with simulation explained"
expect 2 "symmetry is the cluster model's" -- "$lmc" check --symmetry -m peterson
contains "$work/err" "--symmetry: model 'peterson' declares no symmetry" "symmetry with another model explained"
expect 0 "list mutants" -- "$lmc" check --list-mutants
contains "$work/out" "resume_before_suspend I1_single_execution" "mutants listed name first"
expect 0 "list presets" -- "$lmc" check --list-presets
contains "$work/out" "x86-native" "presets listed"
expect 0 "cluster properties" -- "$lmc" check --list-properties
contains "$work/out" "I1_single_execution always I1" "cluster properties listed"
expect 2 "unknown preset" -- "$lmc" check --preset nope
contains "$work/err" "--preset nope: no such preset" "unknown preset message"
expect 2 "unknown mutant" -- "$lmc" check --mutant nope
contains "$work/err" "--mutant nope: no such mutant" "unknown mutant message"
expect 2 "missing config file" -- "$lmc" check --config "$work/none.json"
contains "$work/err" "none.json: cannot open" "missing config message"
sed 's/"arch": "s390"/"arch": "arm"/' "$(dirname "$0")/../../examples/default.json" > "$work/bad.json"
expect 2 "bad config field" -- "$lmc" check --config "$work/bad.json"
contains "$work/err" "bad.json: sus[0].arch" "bad config names file and field"
printf '{"name": "x", "servers": [' > "$work/broken.json"
expect 2 "malformed config" -- "$lmc" check --config "$work/broken.json"
contains "$work/err" "broken.json" "malformed config names the file"
expect 2 "preset with a classic model" -- "$lmc" check -m peterson --preset default
contains "$work/err" "--preset applies to a model with a 'preset' parameter (cluster), not to --model peterson" "preset with a classic model explained"
# The cluster model is a registry entry like the others: --preset is short for --param preset=.
expect 0 "list models" -- "$lmc" check --list-models
contains "$work/out" "cluster  the SE server cluster" "cluster model listed"
contains "$work/out" "--param prereq=TEXT  where LM requests get their P1-P19 verdicts (default 'model'; one of model, z3)" "text parameters listed with their choices"
expect 1 "cluster by its parameters" -- "$lmc" check --model cluster --param preset=recover-while-alive --json "$work/by-param.json"
"$lmc" check --preset recover-while-alive --json "$work/by-flag.json" > /dev/null || true
if diff <(grep -v '"seconds"\|"states_per_second"\|"peak_rss_mb"' "$work/by-param.json") \
        <(grep -v '"seconds"\|"states_per_second"\|"peak_rss_mb"' "$work/by-flag.json") > /dev/null; then
  passes=$((passes + 1))
else
  echo "FAIL: --param preset= and --preset give different reports"
  failures=$((failures + 1))
fi
expect 2 "bad choice of a text parameter" -- "$lmc" check --param prereq=smt
contains "$work/err" "--param prereq=smt: expected prereq=TEXT with TEXT one of model, z3" "choices named"
expect 2 "trace files of a model without a format" -- "$lmc" check -m peterson --trace-out "$work/p.json"
contains "$work/err" "model 'peterson' has no trace file format" "trace format explained"

expect 0 "check with Z3 prerequisites" -- "$lmc" check --prereq z3
contains "$work/out" "prerequisites: every request's verdict from Z3" "Z3 verdicts reported"
contains "$work/out" "states: 190005," "same states as the C++ check"

# lmc prereq: every conflict, VMS2460 / VMS2404 + VMS2461, exit 0 / 1 / 2.
examples=$(dirname "$0")/../../examples/prereq
expect 0 "prereq possible" -- "$lmc" prereq --config "$examples/vm12prod-possible.json"
contains "$work/out" "% VMS2460 LIVE MIGRATION OF VM (2,VM12PROD) TO TARGET SU 'ABGSU702' POSSIBLE (VM-INDEX 2 there)" "VMS2460"
expect 1 "prereq memory" -- "$lmc" prereq --config "$examples/vm12prod-memory.json"
contains "$work/out" "P5: VM12PROD needs 2 memory units, ABGSU702 has 1 free" "P5 named with values"
expect 1 "prereq device" -- "$lmc" prereq --config "$examples/vm12prod-device-4683.json"
contains "$work/out" "% VMS2404 LIVE MIGRATION OF VM (2,VM12PROD) REJECTED BY TARGET SU 'ABGSU702'. CAUSE: VMS2437,4683 (P11: device 4683 is assigned to" "VMS2437 for the device, in the whitepaper's form"
expect 1 "prereq wait" -- "$lmc" prereq --config "$examples/vm-wait.json"
contains "$work/out" "P13: VM12PROD is in state WAIT" "P13"
expect 1 "prereq inactive" -- "$lmc" prereq --config "$examples/cluster-inactive.json"
contains "$work/out" "P1: SU cluster SUC1 is INACTIVE" "P1 inactive"
expect 1 "prereq several" -- "$lmc" prereq --config "$examples/several-conflicts.json" --json "$work/p.json"
contains "$work/out" "% VMS2461 LIVE MIGRATION OF VM (2,VM12PROD) TO TARGET SU 'ABGSU702' NOT POSSIBLE" "VMS2461"
[[ $(grep -c "VMS2404" "$work/out") -eq 4 ]] && passes=$((passes + 1)) || { echo "FAIL: four VMS2404 lines"; failures=$((failures + 1)); }
cp "$work/out" "$work/several-z3.txt"
for rule in P5 P11 P12 P18; do contains "$work/p.json" "\"rule\": \"$rule\"" "json lists $rule"; done
expect 1 "prereq several, model engine" -- "$lmc" prereq --config "$examples/several-conflicts.json" --engine model
if diff <(grep "^%" "$work/several-z3.txt") <(grep "^%" "$work/out") >/dev/null; then
  passes=$((passes + 1))
else
  echo "FAIL: the model's check prints the same conflicts, in the same order, as Z3"
  failures=$((failures + 1))
fi
# One wording and order for every front end: lmc migrate rejects with the lines lmc prereq prints.
expect 1 "migrate rejects the same request" -- "$lmc" migrate --config "$examples/several-conflicts.json" --virtual-clock
if diff <(grep "^%" "$work/several-z3.txt") <(grep -o "% VMS24.*" "$work/out") >/dev/null; then
  passes=$((passes + 1))
else
  echo "FAIL: lmc migrate prints the conflicts lmc prereq prints, in the same order"
  failures=$((failures + 1))
fi
expect 1 "prereq fragmented /390 memory" -- "$lmc" prereq --config "$examples/vm12prod-fragmented.json"
contains "$work/out" "P5: VM12PROD needs 2 contiguous memory units on ABGSU702" "no contiguous piece"
expect 0 "prereq contiguous placement" -- "$lmc" prereq --config "$examples/vm12prod-contiguous.json"
contains "$work/out" "placement on ABGSU702: memory units 3..4 (contiguous)" "placement printed"
expect 2 "prereq unknown vm" -- "$lmc" prereq --vm NOPE
contains "$work/err" "--vm NOPE: no such VM" "unknown VM message"
expect 2 "prereq unknown target" -- "$lmc" prereq --target SU9
contains "$work/err" "--target SU9: no such SU" "unknown target message"
expect 2 "prereq wrong source" -- "$lmc" prereq --source ABGSU702
contains "$work/err" "--source ABGSU702: VM VM12PROD belongs to ABGSU701" "wrong source message"

# lmc prove: the theorem holds, and each rule it assumes is needed.
expect 0 "prove" -- "$lmc" prove --json "$work/prove.json"
contains "$work/out" "theorem reservation_cannot_fail: proved" "theorem proved"
contains "$work/prove.json" '"proved": true' "prove json"
for rule in P5 P6 P7 P8 P10 P11; do
  expect 1 "prove without $rule" -- "$lmc" prove --drop "$rule"
  contains "$work/out" "COUNTEREXAMPLE" "counterexample without $rule"
done
contains "$work/out" "device" "the P11 counterexample names a device"
expect 2 "prove unknown rule" -- "$lmc" prove --drop P99

# lmc plan --evacuate: an order where naive orders fail, and a minimal blocker set.
plans=$(dirname "$0")/../../examples/plan
expect 0 "plan where naive orders fail" -- "$lmc" plan --config "$plans/order-matters.json" --evacuate ABGSU701 --json "$work/plan.json"
contains "$work/out" "step 1: /MIGRATE-VM VM22FIX (VM-INDEX 1 on ABGSU702)" "fixed index first"
contains "$work/out" "step 2: /MIGRATE-VM VM21ANY (VM-INDEX 2 on ABGSU702)" "then *ANY"
contains "$work/out" "naive order, configuration order (VM21ANY, VM22FIX): fails" "configuration order fails"
contains "$work/out" "naive order, largest VM first (VM21ANY, VM22FIX): fails" "largest first fails"
contains "$work/plan.json" '"found": true' "plan json"
expect 1 "no plan" -- "$lmc" plan --config "$plans/no-plan.json" --evacuate ABGSU701
contains "$work/out" "NO PLAN" "no plan reported"
contains "$work/out" "P5 VM23BIG" "the blocking conflict"
contains "$work/out" "unblocks: raise the memory of ABGSU702 from 8 to 9" "advice planned again"
# Every step of a plan is accepted, where it stands, by lmc prereq and lmc migrate.
expect 0 "plan with the configuration after each step" -- "$lmc" plan --config "$plans/order-matters.json" --evacuate ABGSU701 --steps-dir "$work/steps"
step=0
for vm in VM22FIX VM21ANY; do
  expect 0 "step $((step + 1)) ($vm): lmc prereq accepts it" -- "$lmc" prereq --config "$work/steps/step-$step.json" --vm "$vm"
  contains "$work/out" "VMS2460" "step $((step + 1)): VMS2460"
  expect 0 "step $((step + 1)) ($vm): lmc migrate runs it" -- "$lmc" migrate --config "$work/steps/step-$step.json" --vm "$vm" --virtual-clock -q
  step=$((step + 1))
done
expect 0 "the last step's configuration has the SU empty" -- "$lmc" prereq --config "$work/steps/step-2.json" --vm VM21ANY --target ABGSU701
# The reference implementation places fixed indexes before *ANY ones (a *ANY
# VM listed first used to take the index a fixed one needs: exit 2).
expect 0 "migrate a configuration whose *ANY VM is listed before a fixed index" -- "$lmc" migrate --config "$plans/order-matters.json" --virtual-clock -q
expect 0 "prereq on 64 VMs (Z3 on the configuration's facts)" -- "$lmc" prereq --config "$plans/large-64.json" --vm VM05
contains "$work/out" "VMS2460 LIVE MIGRATION OF VM (6,VM05)" "64-VM prereq"
expect 2 "the model's check refuses 64 VMs" -- "$lmc" prereq --config "$plans/large-64.json" --engine model
contains "$work/err" "use --engine z3" "64-VM model engine message"
expect 2 "prereq unwritable json" -- "$lmc" prereq --json /nonexistent/dir/p.json
contains "$work/err" "--json: cannot write '/nonexistent/dir/p.json'" "prereq json message"
expect 2 "prove unwritable json" -- "$lmc" prove --json /nonexistent/dir/p.json
expect 2 "plan unknown SU" -- "$lmc" plan --evacuate SU9
expect 2 "plan without --evacuate" -- "$lmc" plan

# lmc migrate: the reference implementation's LM, its observables and faults.
expect 0 "migrate the default preset" -- "$lmc" migrate --virtual-clock --unit-mib 4 --json "$work/m.json" --monjv "$work/monjv"
for text in "VMS2450 LIVE MIGRATION OF VM (2,VM12PROD) TO TARGET SU 'ABGSU702' STARTED" \
  "ETMDR01" "VMS2430" "VMS3050" "VMS4005 DEVICE '4683'" "VMS2452" "ETMDR03" "VMS2432" \
  "VMS2431" "VMS4009 DEVICE '4683'" "VMS4024" "VMS2451" "MONJV of the request: \$S -> \$R -> \$TW" "warning: device" \
  "paused" "created" "deleted" "byte-for-byte identical" "LIVE-MIG-COUNT 1" "round  0:" "final copy:"; do
  contains "$work/out" "$text" "migrate prints $text"
done
for field in '"status": "$TW"' '"total_seconds"' '"downtime_seconds"' '"bytes_sent"' \
  '"rounds"' '"console"' '"events"' '"audit"' '"memory_identical": true'; do
  contains "$work/m.json" "$field" "migrate json field $field"
done
if [[ $(stat -c %s "$work/monjv") -eq 256 ]] && [[ $(head -c 3 "$work/monjv") == '$T ' ]]; then
  passes=$((passes + 1))
else
  echo "FAIL: --monjv writes a 256-byte record starting with \$T"; failures=$((failures + 1))
fi
for fault in link@setup link@copy link@switchover alloc@setup resume@switchover crd@switchover; do
  expect 1 "migrate with --fault $fault" -- "$lmc" migrate --virtual-clock --unit-mib 4 --fault "$fault"
  contains "$work/out" "result: \$AE" "$fault ends in \$AE"
  contains "$work/out" "rolled back" "$fault rolls back"
done
expect 0 "migrate x86-local" -- "$lmc" migrate --preset x86-local --virtual-clock --unit-mib 4
contains "$work/out" "HAL0331 BS2000 SUSPEND" "x86 suspend message"
contains "$work/out" "VMS2050" "x86 guest ready"
expect 0 "migrate over TCP to a target process" -- "$lmc" migrate --transport tcp --streams 2 --unit-mib 4 --virtual-clock
contains "$work/out" "target memory digest equal" "tcp digest"
expect 1 "migrate over TCP, target killed" -- "$lmc" migrate --transport tcp --unit-mib 4 --virtual-clock --fault kill@copy
contains "$work/out" "result: \$AE" "killed target: \$AE"
expect 2 "migrate: bad fault" -- "$lmc" migrate --fault fire@copy
contains "$work/err" "expected KIND@PHASE" "bad fault message"
expect 2 "migrate: alloc outside setup" -- "$lmc" migrate --fault alloc@copy
expect 2 "migrate: kill needs tcp" -- "$lmc" migrate --fault kill@copy
expect 2 "migrate: unknown VM" -- "$lmc" migrate --vm NOSUCHVM
contains "$work/err" "--vm NOSUCHVM: no such VM" "unknown VM message"
expect 0 "migrate --help" -- "$lmc" migrate --help
for word in --fault --transport --json --monjv --virtual-clock "Exit codes"; do
  contains "$work/out" "$word" "migrate --help documents $word"
done

# Traces both ways: lmc check --trace-out, lmc migrate --record, lmc validate.
expect 1 "trace-out of a mutant's counterexample" -- "$lmc" check --mutant skip_final_copy -q --trace-out "$work/cx-trace.json"
for field in '"format": "lmc-trace-1"' '"preset": "default"' '"mutant": "skip_final_copy"' \
  '"property": "I5_memory_integrity"' '"kind": "counterexample"' '"kind": "final_copy"'; do
  contains "$work/cx-trace.json" "$field" "trace file field $field"
done
expect 0 "the counterexample is a path of the mutant model" -- "$lmc" validate --max-hidden 0 "$work/cx-trace.json"
contains "$work/out" "valid: 10 events match a path of the model" "counterexample validates"
expect 0 "trace-out-dir writes every witness" -- "$lmc" check -q --trace-out-dir "$work/witnesses"
for goal in lm_succeeds lm_rejected abort_in_setup abort_in_memory_copy abort_in_switchover \
  abort_nonconvergence rollback_after_network_break cluster_manager_takeover crd_resynchronised; do
  contains "$work/witnesses/$goal.json" '"kind": "witness"' "witness file for $goal"
done
expect 2 "trace-out unwritable" -- "$lmc" check -q --trace-out /nonexistent/dir/t.json
contains "$work/err" "--trace-out: cannot write '/nonexistent/dir/t.json'" "unwritable trace-out message"
expect 2 "trace-out needs the cluster model" -- "$lmc" check -m peterson --trace-out "$work/p.json"

expect 0 "migrate --record, plain run" -- "$lmc" migrate --virtual-clock --unit-mib 4 -q --record "$work/rec.json"
contains "$work/rec.json" '"kind": "recording"' "recording kind"
expect 0 "validate the plain run" -- "$lmc" validate "$work/rec.json" --json "$work/v.json"
contains "$work/out" "valid: 10 events match a path of the model" "plain run validates"
contains "$work/v.json" '"result": "valid"' "validate json"
for fault in link@copy resume@switchover; do
  expect 1 "migrate --record with --fault $fault" -- "$lmc" migrate --virtual-clock --unit-mib 4 -q --fault "$fault" --record "$work/rec-$fault.json"
  expect 0 "validate the run with --fault $fault" -- "$lmc" validate "$work/rec-$fault.json"
  contains "$work/out" "events match a path of the model" "$fault run validates"
done
contains "$work/rec-resume@switchover.json" '"kind": "resume_fails"' "the resume fault is recorded"
contains "$work/rec-link@copy.json" '"kind": "isl_down"' "the link fault is recorded"
expect 0 "migrate --record, seven copy rounds" -- "$lmc" migrate --virtual-clock --unit-mib 16 --link-gbit 1 --downtime-ms 10 -q --record "$work/rec-rounds.json"
expect 0 "validate more copy rounds than the preset's scope" -- "$lmc" validate "$work/rec-rounds.json"
contains "$work/out" "validating with scope.max_copy_rounds 7 (the configuration says 2)" "rounds raised, and said so"
python3 - "$work/rec.json" "$work/rec-swapped.json" <<'PY'
import json, sys
trace = json.load(open(sys.argv[1]))
kinds = [step["kind"] for step in trace["steps"]]
resume = trace["steps"].pop(kinds.index("resume"))
trace["steps"].insert(kinds.index("suspend"), resume)
json.dump(trace, open(sys.argv[2], "w"), indent=2)
PY
expect 1 "a recording with resume before suspend" -- "$lmc" validate "$work/rec-swapped.json" --json "$work/v-bad.json"
contains "$work/out" "invalid at step 7 (resume 0): no enabled model action matches; enabled were: suspend 0" "the step is named"
contains "$work/v-bad.json" '"failed_step": 7' "validate json names the step"
sed 's/"kind": "suspend"/"kind": "pause"/' "$work/rec.json" > "$work/rec-unknown.json"
expect 2 "validate: an unknown action kind" -- "$lmc" validate "$work/rec-unknown.json"
contains "$work/err" 'steps[6].kind: "pause" is not an action of the cluster model' "unknown kind names the step"
expect 2 "validate: no such file" -- "$lmc" validate "$work/none.json"
contains "$work/err" "none.json: cannot open the trace file" "missing trace message"
printf '{"format": "lmc-trace-1", "kind": "recording"}' > "$work/rec-nosteps.json"
expect 2 "validate: a field missing" -- "$lmc" validate "$work/rec-nosteps.json"
contains "$work/err" "rec-nosteps.json: steps: the field is missing" "missing field message"
expect 0 "validate --help" -- "$lmc" validate --help
contains "$work/out" "Exit codes" "validate --help documents exit codes"

# lmc replay: model traces replayed on the reference implementation.
for goal in lm_succeeds lm_rejected abort_in_setup abort_in_memory_copy abort_in_switchover \
  abort_nonconvergence rollback_after_network_break cluster_manager_takeover crd_resynchronised; do
  expect 0 "the witness of $goal replays on the reference implementation" -- "$lmc" replay -q "$work/witnesses/$goal.json"
  contains "$work/out" "agrees:" "replay of $goal agrees"
done
expect 1 "a mutant's counterexample does not replay on the correct implementation" -- "$lmc" replay "$work/cx-trace.json" --json "$work/r.json"
contains "$work/out" "disagrees at step 7 (final_copy 0)" "replay names the step"
contains "$work/out" "vm[0].copy[" "replay names the variable"
contains "$work/r.json" '"failed_step": 7' "replay json names the step"
expect 2 "replay: no such file" -- "$lmc" replay "$work/none.json"
contains "$work/err" "none.json: cannot open the trace file" "replay missing file message"
expect 2 "replay: a step that is not a path of the model" -- "$lmc" replay "$work/rec-swapped.json"
contains "$work/err" "is not enabled" "replay names the step the model refuses, on stderr"
contains "$work/err" "lmc replay: error: " "replay: not a path of its model is an error"
expect 0 "replay --help" -- "$lmc" replay --help
contains "$work/out" "Exit codes" "replay --help documents exit codes"

# lmc bench check: lmc and SPIN on the same preset, counts agreeing.
if command -v spin >/dev/null; then
  expect 0 "bench check on x86-local" -- "$lmc" bench check --preset x86-local --threads 1 --no-collapse --json "$work/bc.json"
  for field in '"preset": "x86-local"' '"tool": "lmc"' '"tool": "spin"' '"threads": 1' \
    '"states": 12494' '"states_per_second"' '"bytes_per_state"' '"peak_rss_mb"'; do
    contains "$work/bc.json" "$field" "bench check json field $field"
  done
  contains "$work/out" "lmc 1 thread / pan states per second" "bench check prints the ratio"
  contains "$work/bc.json" '"runs": 3' "bench check takes the median of 3 runs by default"
  expect 0 "bench check --repeat 1" -- "$lmc" bench check --preset x86-local --threads 1 --no-collapse --repeat 1 --json "$work/bc1.json"
  contains "$work/bc1.json" '"runs": 1' "bench check --repeat 1 runs once"
  # A failing pan run names the reason the script gave.
  expect 1 "bench check: pan cannot run" -- env SPIN_STATES_MEMLIM=nope "$lmc" bench check --preset x86-local --threads 1 --no-collapse --repeat 1
  contains "$work/err" "SPIN_STATES_MEMLIM must be a number" "bench check passes the script's reason on"
fi
expect 2 "bench check: --repeat 0" -- "$lmc" bench check --repeat 0
expect 2 "bench check: unknown storage" -- "$lmc" bench check --storage zip

# lmc migrate over TCP in real time (no --virtual-clock): the guest writes on its own
# thread while frames are on the wire, and a page written while its frame is in flight
# must neither fail the frame's checksum nor be lost. The default preset ends $TW (its
# tape stays detached), x86-native $T.
expect 0 "migrate over TCP in real time, two streams" -- "$lmc" migrate --transport tcp --streams 2
contains "$work/out" 'result: $T' "migrate over TCP in real time completes"
contains "$work/out" "target memory digest equal" "migrate over TCP in real time: memory arrives whole"
lacks "$work/err" "checksum mismatch" "migrate over TCP in real time: no frame rejected"
expect 0 "migrate x86-native over TCP in real time" -- "$lmc" migrate --preset x86-native --transport tcp --streams 2
contains "$work/out" 'result: $T after phase done' "migrate x86-native over TCP in real time ends \$T"
for streams in 1 2 4; do
  for codec in "--compress none" "--compress lz4" "--compress zstd" "--delta"; do
    # $codec is two words or one: split on purpose.
    # shellcheck disable=SC2086
    expect 0 "migrate over TCP in real time, --streams $streams $codec" -- "$lmc" migrate --transport tcp --streams "$streams" $codec
    contains "$work/out" "target memory digest equal" "TCP, --streams $streams $codec: memory arrives whole"
    lacks "$work/out" "network between the servers broke" "TCP, --streams $streams $codec: the link holds"
  done
done


# --continue: every violated property gets its own shortest counterexample,
# the same for 1 and 2 threads; without it the search stops at the first.
expect 1 "check stops at the first violation" -- "$lmc" check --mutant source_resume_on_timeout \
  --no-liveness -q --json "$work/stop.json"
for t in 1 2; do
  expect 1 "check --continue on $t threads" -- "$lmc" check --mutant source_resume_on_timeout \
    --no-liveness -q --continue --threads "$t" --json "$work/continue$t.json"
done
if python3 - "$work/stop.json" "$work/continue1.json" "$work/continue2.json" <<'PY'; then
import json, sys
stop, one, two = (json.load(open(f)) for f in sys.argv[1:])
cx = lambda r: {c["property"]: c["length"] for c in r["counterexamples"]}
assert len(cx(stop)) == 1, cx(stop)
assert sorted(cx(one)) == ["I1_single_execution", "I2_single_owner", "I4_rollback"], cx(one)
assert cx(one) == cx(two) and one["states"] == two["states"], (cx(two), two["states"])
first = next(iter(cx(stop)))
assert cx(one)[first] == cx(stop)[first], "the first counterexample is as short with --continue"
assert one["states"] > stop["states"]
PY
  passes=$((passes + 1))
else
  echo "FAIL: --continue"
  failures=$((failures + 1))
fi

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
