#!/usr/bin/env bash
# Checkpoint and resume (lmc check --checkpoint DIR, --resume DIR): a search
# stopped by a bound, by SIGINT, or killed with SIGKILL resumes to the counts,
# depth, verdicts and counterexamples of an uninterrupted run, in every
# storage mode and on 1 and 2 threads; a checkpoint of another search, a cut
# file or a missing directory is refused with exit 2.
set -u
lmc=${1:?usage: test_checkpoint.sh path/to/lmc}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
pid=
# shellcheck source=helpers.sh
source "$(dirname "$0")/helpers.sh"

# same A.json B.json WHAT: the two reports agree on everything a resume keeps.
same() {
  if python3 - "$1" "$2" <<'PY'; then
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
keys = ["result", "states", "transitions", "max_depth", "coverage", "counterexamples"]
status = lambda r: [(p["name"], p["status"]) for p in r["properties"]]
diff = [k for k in keys if a[k] != b[k]] + (["statuses"] if status(a) != status(b) else [])
if diff:
    print("differ in", diff, {k: (a[k], b[k]) for k in diff if k in ("states", "transitions", "max_depth", "result")})
sys.exit(1 if diff else 0)
PY
    passes=$((passes + 1))
  else
    echo "FAIL: $3"
    failures=$((failures + 1))
  fi
}

# A bound stops the search; the resume goes on to the end.
for storage in packed exact fingerprint; do
  for threads in 1 2; do
    args=(check --mutant skip_final_copy --no-liveness -q --storage "$storage" --threads "$threads")
    expect 1 "uninterrupted ($storage, $threads threads)" -- "$lmc" "${args[@]}" --json "$work/ref.json"
    rm -rf "$work/ck"
    expect 3 "stopped at depth 5" -- "$lmc" "${args[@]}" --max-depth 5 --checkpoint "$work/ck" \
      --checkpoint-interval 0
    expect 1 "resumed" -- "$lmc" "${args[@]}" --resume "$work/ck" --json "$work/res.json"
    same "$work/ref.json" "$work/res.json" "resume after a bound ($storage, $threads threads)"
  done
done

# A larger search, killed and interrupted while it runs.
scale=(check --config "$root/examples/scale/scale-faults.json" --no-liveness -q --max-depth 10)
expect 3 "scale-faults to depth 10, uninterrupted" -- "$lmc" "${scale[@]}" --json "$work/ref.json"
wait_for_checkpoint() {
  for _ in $(seq 1 600); do
    [[ -s $work/ck/checkpoint.lmc ]] && return 0
    sleep 0.05
  done
  return 1
}
for signal in KILL INT; do
  rm -rf "$work/ck"
  rm -f "$work/stopped.json"
  "$lmc" "${scale[@]}" --checkpoint "$work/ck" --checkpoint-interval 0 --json "$work/stopped.json" \
    >"$work/out" 2>"$work/err" &
  pid=$!
  wait_for_checkpoint
  sleep 0.3
  kill -s "$signal" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  code=$?
  pid=
  if [[ $signal == INT ]] && [[ $code -eq 3 ]]; then
    # Stopped at the next level with a checkpoint, or ended at the bound first.
    grep -Eq "interrupted by signal 2|max depth" "$work/stopped.json" && passes=$((passes + 1)) ||
      { echo "FAIL: SIGINT: no reason given"; cat "$work/out"; failures=$((failures + 1)); }
  fi
  expect 3 "resumed after SIG$signal" -- "$lmc" "${scale[@]}" --resume "$work/ck" --json "$work/res.json"
  same "$work/ref.json" "$work/res.json" "resume after SIG$signal (exit $code)"
done

# What a resume refuses.
expect 2 "another search's checkpoint" -- "$lmc" check --preset x86-local --no-liveness \
  --max-depth 10 --resume "$work/ck"
contains "$work/err" "written by another search" "the mismatch is named"
expect 2 "liveness with checkpoints" -- "$lmc" check --checkpoint "$work/ck2"
contains "$work/err" "--no-liveness" "the way out is named"
head -c 1000 "$work/ck/checkpoint.lmc" >"$work/cut.lmc"
mkdir -p "$work/cut" && mv "$work/cut.lmc" "$work/cut/checkpoint.lmc"
expect 2 "a cut checkpoint" -- "$lmc" "${scale[@]}" --resume "$work/cut"
contains "$work/err" "cut short or damaged" "a cut file is named as such"
expect 2 "no checkpoint" -- "$lmc" "${scale[@]}" --resume "$work/none"
contains "$work/err" "cannot read" "a missing checkpoint is named"

echo "checkpoints: $passes passed, $failures failed"
((failures == 0))
