#!/usr/bin/env bash
# Smoke test of `lmc bench transfer`: a small run must exit 0 (the bench exits 1
# when a target's memory differs from its source after a loop or a pre-copy
# cell) and write one JSON entry per case and loop with the documented fields.
set -euo pipefail
lmc="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

"$lmc" bench transfer --size 64MiB --repeat 3 --json "$dir/loops.json" \
  --grid-json "$dir/grid.json" >"$dir/out.txt"

python3 - "$dir/loops.json" "$dir/grid.json" <<'PY'
import json, sys
loops = json.load(open(sys.argv[1]))["entries"]
grid = json.load(open(sys.argv[2]))["entries"]
kernels = [e for e in loops if e["case"] == "kernel"]
loops = [e for e in loops if e["case"] != "kernel"]
have = {(e["loop"], e["chunk_pages"]) for e in kernels}
for chunk in (1, 4, 64):
    assert ("copy_pages", chunk) in have and ("memcpy", chunk) in have, chunk
assert ("is_zero_page", 1) in have
for e in kernels + loops:
    assert e["runs"] == 3, e
    assert e["gbps_low"] <= e["gbps"] <= e["gbps_high"], e
    assert e.get("verified", True) is True, e
for e in kernels:
    assert e["ratio"] > 0 and e["ratio_low"] <= e["ratio"] <= e["ratio_high"], e
    assert e["baseline"] in ("", "memcpy", "memcmp_zero"), e
cases = {(e["case"], e["loop"]) for e in loops}
for c in ["first_pass", "sparse", "dense", "zero_heavy"]:
    for loop in ["naive", "optimized"]:
        assert (c, loop) in cases, (c, loop)
assert ("memcpy", "memcpy") in cases
for e in loops:
    for field in ["case", "loop", "gbps", "ratio_to_memcpy"]:
        assert field in e, (field, e)
    assert e["gbps"] > 0 and e["ratio_to_memcpy"] > 0, e
    assert e["verified"] is True, e
assert grid, "no grid cells"
for cell in grid:
    assert cell["outcome"] in ("completed", "not_converging"), cell
    if cell["outcome"] == "completed":
        assert cell["verified"] is True, cell
print(f"{len(kernels)} kernel and {len(loops)} loop entries, {len(grid)} grid cells: ok")
PY

# Bad input: exit 2 with a message.
set +e
"$lmc" bench transfer --size 12345 --no-grid >/dev/null 2>"$dir/err.txt"
code=$?
set -e
[ "$code" -eq 2 ] || { echo "expected exit 2 for --size 12345, got $code"; exit 1; }
grep -q -- "--size 12345" "$dir/err.txt"
