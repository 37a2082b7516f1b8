#!/usr/bin/env bash
# Measures lmc (1 and 2 threads, both storage modes) and SPIN's pan on the
# same small model in one run, and prints states/s and bytes/state side by
# side with the ratios. Speed figures are only comparable within one run.
#
# Usage: scripts/bench-vs-spin.sh [MODEL [NAME=VALUE ...]]
#   default: peterson n=5 (the largest small model in the golden tests' family)
#   needs build/lmc (release build) and spin + gcc (scripts/setup.sh installs them)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-peterson}
shift || true
params=("$@")
((${#params[@]})) || params=(n=5)

lmc_args=(-m "$model")
spin_args=()
for p in "${params[@]}"; do
  lmc_args+=(-p "$p")
  name=${p%%=*}
  spin_args+=("-D${name^^}=${p#*=}")
done
pml=spec/promela/$model.pml
[[ -x build/lmc ]] || { echo "build/lmc missing: build first (see README)" >&2; exit 2; }
[[ -f $pml ]] || { echo "no Promela encoding $pml" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-34s %10s %12s %12s %12s %10s\n' tool states seconds states/s bytes/state peak_MiB
row() {
  python3 - "$1" "$2" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
print(f"{label:<34} {d['states']:>10} {d['seconds']:>12.3f} {d['states_per_second']:>12.0f} "
      f"{d['bytes_per_state']:>12.1f} {d['peak_rss_mb']:>10.0f}")
PY
}
for storage in exact fingerprint; do
  for threads in 1 2; do
    build/lmc check "${lmc_args[@]}" --no-liveness -t "$threads" --storage "$storage" -q \
      --progress 0 --json "$tmp/lmc.json" >/dev/null || true
    row "lmc $storage, $threads thread(s)" "$tmp/lmc.json"
  done
done
for variant in plain collapse; do
  flags=(--stats)
  [[ $variant == collapse ]] && flags+=(--collapse)
  scripts/spin-states.sh "${flags[@]}" "$pml" "${spin_args[@]}" >"$tmp/spin.json"
  python3 - "$variant" "$tmp/spin.json" <<'PY'
import json, sys
variant, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
bps = d.get("bytes_per_state")
label = "spin pan -O2 -DSAFETY -DNOREDUCE" + (" -DCOLLAPSE" if variant == "collapse" else "")
print(f"{label:<34} {d['states']:>10} {d['seconds']:>12.3f} {d['states_per_second']:>12.0f} "
      f"{(bps if bps is not None else float('nan')):>12.1f} {d['memory_mb']:>10.0f}")
PY
done
