#!/usr/bin/env bash
# Smoke test of the kernel microbenchmark: a short run with repeats must
# report every kernel next to its memcpy baseline, with the median and the
# range of the repeats and the note on memcpy's stores. Numbers are not
# judged here (benchmarks measure, tests do not time).
set -euo pipefail
bench="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
"$bench" --benchmark_min_time=0.002 --benchmark_repetitions=2 \
  --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$dir/k.json" >/dev/null
python3 - "$dir/k.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert "memcpy_stores" in report["context"], report["context"]
names = {b["name"] for b in report["benchmarks"]}
for kernel in ["BM_copy_pages", "BM_memcpy"]:
    for pages in [1, 4, 64]:
        for offset in [0, 64]:
            for stat in ["median", "min", "max"]:
                name = f"{kernel}/pages:{pages}/src_offset:{offset}_{stat}"
                assert name in names, name
for base in ["BM_is_zero_page", "BM_memcmp_zero_page", "BM_encode_delta/lines:1",
             "BM_apply_delta/lines:8", "BM_memcpy_page", "BM_compress_page/codec:1",
             "BM_decompress_page/codec:2"]:
    assert base + "_median" in names, base
for b in report["benchmarks"]:
    if b.get("aggregate_name") == "median":
        assert b["bytes_per_second"] > 0, b["name"]
print(f"ok: {len(names)} aggregates")
PY
