#!/usr/bin/env bash
# lmc check --distributed under Open MPI, 2 and 4 ranks on this machine
# (--oversubscribe): for every preset and every mutant, the result, states,
# transitions, maximum depth, coverage, property statuses and trace lengths
# equal one process's; each mutant's counterexample replays (lmc replay); a
# run whose rank is SIGKILLed ends incomplete on the others, never ok; a run
# stopped at a depth resumes from its per-rank checkpoints. Skipped (77)
# when MPI is not installed or lmc was built without it.
set -u
lmc=${1:?usage: test_mpi.sh path/to/lmc}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=
# shellcheck source=helpers.sh
source "$(dirname "$0")/helpers.sh"

if ! command -v mpirun >/dev/null; then
  echo "SKIP: mpirun not found (bash scripts/setup.sh --mpi installs Open MPI)"
  exit 77
fi
if "$lmc" check --distributed -q --max-depth 1 2>&1 | grep -q "built without MPI"; then
  echo "SKIP: this lmc was built without MPI"
  exit 77
fi
# CI runs as root; Open MPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# One machine: no network interfaces to probe, shared memory between ranks.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi() { mpirun --oversubscribe -np "$1" "${@:2}" </dev/null; }

# agree ONE.json OTHER.json WHAT: the reports agree on all but time, memory
# and which of the shortest counterexamples was found.
agree() {
  if python3 - "$1" "$2" <<'PY'; then
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
keys = ["result", "states", "transitions", "max_depth", "coverage"]
props = lambda r: [(p["name"], p["status"], p.get("trace_length")) for p in r["properties"]]
diff = [k for k in keys if a[k] != b[k]] + (["properties"] if props(a) != props(b) else [])
if diff:
    print("differ in", diff, {k: (a[k], b[k]) for k in diff if k != "properties" and k != "coverage"})
    if "properties" in diff:
        print([x for x in zip(props(a), props(b)) if x[0] != x[1]])
if "distributed" not in b:
    print("no per-rank figures"); diff.append("distributed")
sys.exit(1 if diff else 0)
PY
    passes=$((passes + 1))
  else
    echo "FAIL: $3"
    failures=$((failures + 1))
  fi
}

# Every preset, and the scale configurations to depth 9 (they are tens of
# millions of states; the states of each depth are the same set on any
# number of ranks, so bounded counts must agree too).
configurations=()
for preset in $("$lmc" check --list-presets); do configurations+=("--preset $preset"); done
for file in "$root"/examples/scale/*.json; do
  configurations+=("--config $file --max-depth 9 --no-liveness")
done
for configuration in "${configurations[@]}"; do
  # shellcheck disable=SC2206
  args=(check $configuration -q)
  "$lmc" "${args[@]}" --json "$work/one.json" >/dev/null 2>&1
  for ranks in 2 4; do
    mpi "$ranks" "$lmc" "${args[@]}" --distributed --json "$work/many.json" >"$work/out" 2>"$work/err"
    agree "$work/one.json" "$work/many.json" "$configuration on $ranks ranks"
  done
done
check "[[ ${#configurations[@]} -ge 10 ]]" "the presets and scale configurations were listed"

"$lmc" check --list-mutants | while read -r name _ _ preset _; do
  echo "$name ${preset%):}"
done >"$work/mutants"
while read -r mutant preset; do
  args=(check --preset "$preset" --mutant "$mutant" -q)
  "$lmc" "${args[@]}" --json "$work/one.json" --trace-out "$work/cex-one.json" >/dev/null 2>&1
  # lmc replay first checks that the trace is a path of its model (exit 2
  # if not), then runs it on the implementation, which has no seeded bug.
  "$lmc" replay -q "$work/cex-one.json" >/dev/null 2>&1
  replay_one=$?
  for ranks in 2 4; do
    expect 1 "mutant $mutant on $ranks ranks exits 1" -- \
      mpi "$ranks" "$lmc" "${args[@]}" --distributed --json "$work/many.json" \
      --trace-out "$work/cex.json"
    agree "$work/one.json" "$work/many.json" "mutant $mutant on $ranks ranks"
    "$lmc" replay -q "$work/cex.json" >/dev/null 2>&1
    replay_many=$?
    check "[[ $replay_many -ne 2 && $replay_many -eq $replay_one ]]" \
      "mutant $mutant: lmc replay takes the $ranks-rank counterexample as it takes one process's ($replay_many, $replay_one)"
  done
done <"$work/mutants"
check "[[ \$(wc -l <'$work/mutants') -ge 10 ]]" "the mutants were listed"

# Storage modes and symmetry on the default preset, 3 ranks.
for extra in "--storage exact" "--storage fingerprint" "--symmetry"; do
  # shellcheck disable=SC2086
  "$lmc" check -q $extra --json "$work/one.json" >/dev/null 2>&1
  # shellcheck disable=SC2086
  expect 0 "default $extra on 3 ranks" -- mpi 3 "$lmc" check -q $extra --distributed \
    --json "$work/many.json"
  agree "$work/one.json" "$work/many.json" "default $extra on 3 ranks"
done

# Progress and the per-rank figures of the text report (rank 0 only).
expect 0 "the text report" -- mpi 2 "$lmc" check --distributed --progress 0.01
contains "$work/out" "distributed over 2 ranks" "the report names the ranks"
contains "$work/out" "rank 1:" "the report has per-rank figures"
contains "$work/err" "left in this level per rank" "progress shows each rank's queue"
check "[[ \$(grep -c '^result:' '$work/out') -eq 1 ]]" "one rank prints the result"

# Bad use: exit 2 with the reason.
expect 2 "dfs is refused" -- mpi 2 "$lmc" check --distributed --strategy dfs -q
contains "$work/err" "breadth-first" "dfs: the reason"
expect 2 "a missing configuration ends every rank with exit 2" -- mpi 2 "$lmc" check \
  --distributed -q --config "$work/none.json"
contains "$work/err" "cannot open the configuration file" "the missing configuration: the reason"

# A rank SIGKILLed mid-run: the others end incomplete (exit 3), never ok,
# and the JSON report says incomplete.
scale=(check --config "$root/examples/scale/scale-faults.json" --no-liveness -q)
mpi 2 "$lmc" "${scale[@]}" --distributed --json "$work/killed.json" >"$work/out" 2>"$work/err" &
pid=$!
victim=
for _ in $(seq 1 200); do
  victim=$(pgrep -f -n "lmc check --config .*scale-faults.json.*--distributed" || true)
  [[ -n $victim ]] && [[ $(pgrep -f -c "lmc check --config .*scale-faults.json.*--distributed") -ge 2 ]] && break
  sleep 0.05
done
sleep 1
kill -9 "$victim" 2>/dev/null
wait "$pid"
code=$?
pid=
check "[[ $code -ne 0 ]]" "mpirun does not exit 0 when a rank dies (got $code)"
contains "$work/err" "result incomplete" "a surviving rank says the result is incomplete"
check "python3 -c 'import json,sys; sys.exit(json.load(open(\"$work/killed.json\"))[\"result\"] != \"incomplete\")'" \
  "the JSON report says incomplete"
lacks "$work/out" "result: ok" "no rank says ok"

# Checkpoints: stopped at a depth, resumed on as many ranks.
args=(check --mutant skip_final_copy --no-liveness -q)
"$lmc" "${args[@]}" --json "$work/one.json" >/dev/null 2>&1
expect 3 "stopped at depth 4 with checkpoints" -- mpi 2 "$lmc" "${args[@]}" --distributed \
  --max-depth 4 --checkpoint "$work/ck" --checkpoint-interval 0
check "[[ -s '$work/ck/rank-0-of-2/level-4.lmc' && -s '$work/ck/rank-1-of-2/level-4.lmc' ]]" \
  "one checkpoint file per rank"
expect 1 "resumed on 2 ranks" -- mpi 2 "$lmc" "${args[@]}" --distributed --resume "$work/ck" \
  --json "$work/many.json"
agree "$work/one.json" "$work/many.json" "resumed from the checkpoints"
expect 2 "resumed on 3 ranks is refused" -- mpi 3 "$lmc" "${args[@]}" --distributed \
  --resume "$work/ck"
contains "$work/err" "as many ranks as wrote it" "the refusal says why"

# A checkpointed run with a rank SIGKILLed mid-way resumes from the newest
# level every rank holds, to the uninterrupted counts.
scale=(check --config "$root/examples/scale/scale-faults.json" --no-liveness -q --max-depth 12)
"$lmc" "${scale[@]}" --json "$work/one.json" >/dev/null 2>&1
rm -rf "$work/ck"
mpi 2 "$lmc" "${scale[@]}" --distributed --checkpoint "$work/ck" --checkpoint-interval 0 \
  >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 600); do
  [[ -s $work/ck/rank-1-of-2/level-8.lmc ]] && break
  sleep 0.05
done
kill -9 "$(pgrep -f -n "lmc check --config .*scale-faults.json.*--distributed")" 2>/dev/null
wait "$pid"
pid=
contains "$work/err" "stopped by a signal" "the rank was killed while the search ran"
check "ls '$work'/ck/rank-0-of-2/level-*.lmc >/dev/null 2>&1" "the killed run left a checkpoint"
expect 3 "resumed after a SIGKILL" -- mpi 2 "$lmc" "${scale[@]}" --distributed \
  --resume "$work/ck" --json "$work/many.json"
agree "$work/one.json" "$work/many.json" "resumed after a SIGKILL: the uninterrupted counts"

echo "mpi: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
