#!/usr/bin/env bash
# Every --json output against its schema in spec/schemas/ (python3-jsonschema,
# draft 2020-12), on real runs of each command; the SARIF output against the
# SARIF 2.1.0 subset schema; the JUnit XML by its structure. A self-test shows
# the check can fail: an output with a required key removed must be refused.
# Skipped (exit 77) without python3-jsonschema.
set -u
lmc=${1:?usage: test_json_schemas.sh path/to/lmc}
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! python3 -c "import jsonschema" 2>/dev/null; then
  echo "skipped: python3-jsonschema is not installed (scripts/setup.sh --tests installs it)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=helpers.sh
source "$(dirname "$0")/helpers.sh"

cd "$work" || exit 2
expect 0 "check" -- "$lmc" check -q --json check.json --junit check.xml --sarif check.sarif
expect 1 "check --continue" -- "$lmc" check --mutant source_resume_on_timeout --continue -q \
  --no-liveness --json check-cx.json --junit check-cx.xml --sarif check-cx.sarif
expect 0 "prereq" -- "$lmc" prereq --json prereq.json
expect 0 "prove" -- "$lmc" prove --json prove.json
expect 0 "plan" -- "$lmc" plan --config "$root/examples/plan/order-matters.json" --evacuate ABGSU701 \
  --json plan.json
expect 0 "migrate" -- "$lmc" migrate --virtual-clock -q --json migrate.json --record rec.json
expect 0 "validate" -- "$lmc" validate rec.json --json validate.json
expect 1 "check --trace-out" -- "$lmc" check --mutant skip_final_copy -q --trace-out cx.json
expect 1 "replay" -- "$lmc" replay cx.json -q --json replay.json
expect 0 "review" -- "$lmc" review -q --preset default -o review.html --json review.json
expect 0 "bench transfer" -- "$lmc" bench transfer --size 16MiB --repeat 1 --json bt.json \
  --grid-json grid.json
distributed=()
if command -v mpirun >/dev/null && ! "$lmc" check --distributed -q --max-depth 1 2>&1 | grep -q "built without MPI"; then
  # As in test_mpi.sh: root allowed, shared memory only, no single-copy
  # mechanism (containers often forbid the ptrace it needs).
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
  expect 0 "check --distributed" -- mpirun --oversubscribe -np 2 "$lmc" check --distributed -q \
    --json check-mpi.json </dev/null
  distributed=(check-mpi.json)
fi
if command -v spin >/dev/null; then
  expect 0 "bench check" -- "$lmc" bench check --repeat 1 --threads 1 --no-collapse --json bc.json
fi

if python3 - "$root/spec/schemas" "${distributed[@]}" <<'PY'; then
import glob, json, os, sys, xml.etree.ElementTree as ET
from jsonschema import Draft202012Validator

schemas = sys.argv[1]
outputs = {"lmc-check": ["check.json", "check-cx.json"] + sys.argv[2:], "lmc-prereq": ["prereq.json"],
           "lmc-prove": ["prove.json"], "lmc-plan": ["plan.json"], "lmc-migrate": ["migrate.json"],
           "lmc-validate": ["validate.json"], "lmc-replay": ["replay.json"],
           "lmc-review": ["review.json"], "lmc-bench-transfer": ["bt.json"],
           "lmc-bench-grid": ["grid.json"], "lmc-bench-check": ["bc.json"]}
problems, checked = [], 0

def validate(schema_file, document, name):
    global checked
    schema = json.load(open(os.path.join(schemas, schema_file)))
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(document))
    for e in errors[:3]:
        problems.append(f"{name}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    checked += 1
    return not errors

for fmt, files in outputs.items():
    if not os.path.exists(os.path.join(schemas, fmt + ".schema.json")):
        problems.append(f"no schema for {fmt}")
        continue
    for f in files:
        if not os.path.exists(f):
            if f != "bc.json": problems.append(f"{f} was not written")
            continue
        doc = json.load(open(f))
        if doc.get("format") != fmt or not isinstance(doc.get("version"), int):
            problems.append(f"{f}: format {doc.get('format')!r}, version {doc.get('version')!r}")
        validate(fmt + ".schema.json", doc, f)

# Every schema is used: a schema without outputs would check nothing.
for path in glob.glob(os.path.join(schemas, "lmc-*.schema.json")):
    if os.path.basename(path)[:-len(".schema.json")] not in outputs:
        problems.append(f"{os.path.basename(path)}: no output is checked against it")

# --continue found every violated property's counterexample.
cx = json.load(open("check-cx.json"))
found = sorted(c["property"] for c in cx["counterexamples"])
if found != ["I1_single_execution", "I2_single_owner", "I4_rollback"]:
    problems.append(f"--continue: counterexamples of {found}")

# SARIF: schema, and one result per failing property.
for f, want in [("check.sarif", 0), ("check-cx.sarif", 3)]:
    doc = json.load(open(f))
    validate("sarif-2.1.0-subset.schema.json", doc, f)
    got = len(doc["runs"][0]["results"])
    if got != want: problems.append(f"{f}: {got} results, expected {want}")

# JUnit: the structure CI systems read, one test case per property.
for f, json_file in [("check.xml", "check.json"), ("check-cx.xml", "check-cx.json")]:
    report = json.load(open(json_file))
    root = ET.parse(f).getroot()
    suites = root.findall("testsuite")
    cases = [c for s in suites for c in s.findall("testcase")]
    failed = [c for c in cases if c.find("failure") is not None]
    want = [p for p in report["properties"] if p["failure"]]
    if root.tag != "testsuites" or len(suites) != 1: problems.append(f"{f}: not one testsuite")
    if len(cases) != len(report["properties"]): problems.append(f"{f}: {len(cases)} cases")
    if len(failed) != len(want) or int(suites[0].get("failures")) != len(want):
        problems.append(f"{f}: {len(failed)} failures, expected {len(want)}")
    for c in failed:
        if c.find("failure").get("type") not in ("safety", "deadlock", "liveness", "unreached_goal"):
            problems.append(f"{f}: failure type {c.find('failure').get('type')}")

# Self-test: a document without a required key is refused.
broken = json.load(open("check.json"))
del broken["states"]
schema = json.load(open(os.path.join(schemas, "lmc-check.schema.json")))
if not list(Draft202012Validator(schema).iter_errors(broken)):
    problems.append("self-test: a check report without 'states' passed its schema")

for p in problems: print("FAIL:", p)
print(f"schemas: {checked} documents validated")
sys.exit(1 if problems else 0)
PY
  passes=$((passes + 1))
else
  failures=$((failures + 1))
fi
echo "json schemas: $passes passed, $failures failed"
((failures == 0))
