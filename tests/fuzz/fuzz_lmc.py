#!/usr/bin/env python3
"""Black-box fuzzer for the lmc command line.

Each run picks a subcommand, builds a valid command line and input files from
examples/ and from traces lmc writes itself, applies a few mutations (JSON
level, byte level, special paths, options, an interrupt) and runs lmc in its
own process group with a timeout. A run is OK when lmc exits 0..3 on its own,
prints no sanitizer report, no "internal error" and no leaked C++ exception,
and leaves nothing behind in its private TMPDIR. Anything else is saved as a
self-contained case that --replay runs again. Standard library only; see
README.md next to this file.
"""

import argparse
import base64
import copy
import glob
import gzip
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_REGRESSIONS = HERE / "regressions"

# Text that means something the program did not plan for reached the user: a
# sanitizer, an abort, or an exception caught only by a last-resort handler.
CRASH_PATTERNS = (
    "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
    "ThreadSanitizer", "MemorySanitizer", "runtime error:",
    "terminate called", "Assertion `", "internal error",
    "std::bad_alloc", "std::length_error", "std::out_of_range",
    "std::invalid_argument", "std::logic_error", "basic_string::", "vector::",
)
# nlohmann's what() as the whole message ("lmc: error: [json.exception...")
# is a last-resort catch too; after a prefix of lmc's own ("not JSON: ...")
# the error was expected and only worded by the library.
BARE_LIBRARY_ERROR = re.compile(r"error: \[json\.exception\.")

BIG_FILE = 16 << 10           # stored gzipped in case.json above this
OUTPUT_LIMIT = 64 << 20       # a run writing more than this is stopped (HANG)
FILE_LIMIT = 2 << 20          # generated input files stay below this
PROGRESS_EVERY = 10.0


def crash_text(line):
    return any(p in line for p in CRASH_PATTERNS) or bool(BARE_LIBRARY_ERROR.search(line))


# --------------------------------------------------------------------------
# JSON with the tokens json.dumps cannot write
# --------------------------------------------------------------------------

class Raw(str):
    """A JSON token written verbatim: 1e999, NaN, 01, deep nesting."""


class Pairs(list):
    """An object as (key, value) pairs, so that a key can appear twice."""


def dump_json(value, indent, ascii_only, level=0):
    """Serialise value like json.dumps, plus Raw tokens and Pairs objects."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=ascii_only)
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, Pairs):
        items = [(json.dumps(k, ensure_ascii=ascii_only), v) for k, v in value]
        return _dump_members(items, "{", "}", indent, ascii_only, level)
    if isinstance(value, dict):
        items = [(json.dumps(k, ensure_ascii=ascii_only), v) for k, v in value.items()]
        return _dump_members(items, "{", "}", indent, ascii_only, level)
    return _dump_members([(None, v) for v in value], "[", "]", indent, ascii_only, level)


def _dump_members(items, opening, closing, indent, ascii_only, level):
    if not items:
        return opening + closing
    parts = []
    for key, v in items:
        text = dump_json(v, indent, ascii_only, level + 1)
        parts.append(text if key is None else key + (": " if indent else ":") + text)
    if not indent:
        return opening + ",".join(parts) + closing
    pad = "\n" + " " * (indent * (level + 1))
    return opening + pad + ("," + pad).join(parts) + "\n" + " " * (indent * level) + closing


def encode_doc(doc, rng):
    """A document as bytes; lone surrogates become invalid UTF-8 on purpose."""
    text = dump_json(doc, rng.choice((None, 2)), rng.random() < 0.5)
    return text.encode("utf-8", "surrogatepass")


def slots(holder):
    """Every (container, key) below holder, in document order. Pairs and Raw
    values are leaves: mutating inside them adds nothing."""
    found = []

    def walk(container):
        keys = list(container) if isinstance(container, dict) else range(len(container))
        for key in keys:
            found.append((container, key))
            child = container[key]
            if isinstance(child, (dict, list)) and not isinstance(child, Pairs):
                walk(child)

    walk(holder)
    return found


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# --------------------------------------------------------------------------
# Seed inputs: the examples, and traces, CRD files and MONJV lmc writes
# --------------------------------------------------------------------------

@dataclass
class Seed:
    name: str
    doc: object
    config: object = None   # the configuration a trace names as config.json


@dataclass
class Corpus:
    configs: list
    preset_docs: dict
    presets: list
    mutants: list
    models: list
    traces: list = field(default_factory=list)
    crd_files: list = field(default_factory=list)
    monjv: bytes = b""
    action_kinds: list = field(default_factory=list)

    def config(self, name):
        return next(s for s in self.configs if s.name == name)


def load_examples(examples):
    files = sorted(glob.glob(str(examples / "*.json")) + glob.glob(str(examples / "*" / "*.json")))
    seeds = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            seeds.append(Seed(str(Path(f).relative_to(examples)), json.load(fh)))
    if not seeds:
        sys.exit(f"fuzz_lmc: no example configurations under {examples}")
    return seeds


def lmc_lines(lmc, *args):
    """stdout lines of a quick lmc query (lists of presets, mutants, models)."""
    done = subprocess.run([lmc, *args], capture_output=True, text=True, timeout=30)
    return [line for line in done.stdout.splitlines() if line.strip()]


def seed_commands(mutant_lines):
    """(trace file, lmc arguments, configuration file or None) for the seed
    traces: every mutant's counterexample, recordings with each fault kind."""
    cmds = []
    for line in mutant_lines:
        words = line.split()
        preset = line.split("(preset ")[1].split(")")[0] if "(preset " in line else "default"
        cmds.append((f"cx-{words[0]}.json",
                     ["check", "-q", "--preset", preset, "--mutant", words[0], "--trace-out"], None))
    for fault in ("", "link@copy", "alloc@setup", "resume@switchover", "crd@cleanup",
                  "disk@copy", "link@switchover"):
        extra = ["--fault", fault] if fault else []
        cmds.append((f"rec-{fault or 'plain'}.json",
                     ["migrate", "-q", "--virtual-clock", "--unit-mib", "1", *extra, "--record"], None))
    for preset in ("x86-local", "two-vms", "recovery"):
        cmds.append((f"rec-{preset}.json", ["migrate", "-q", "--virtual-clock", "--unit-mib", "1",
                                            "--preset", preset, "--record"], None))
    # Traces that name a configuration file, so the pair can be mutated together.
    cmds.append(("cfg-cx-two-vms.json", ["check", "-q", "--config", "config.json", "--mutant",
                                         "second_lm_same_source", "--trace-out"], "two-vms.json"))
    cmds.append(("cfg-rec-x86.json", ["migrate", "-q", "--virtual-clock", "--unit-mib", "1",
                                      "--config", "config.json", "--record"], "x86-local.json"))
    return cmds


def make_corpus(lmc, examples, work):
    """Read the examples and let lmc write the seed traces, a CRD and a MONJV.
    The seeds depend on the binary only, so a seed gives the same cases again."""
    mutant_lines = lmc_lines(lmc, "check", "--list-mutants")
    models = [l.split()[0] for l in lmc_lines(lmc, "check", "--list-models") if not l[0].isspace()]
    configs = load_examples(examples)
    presets = [l.split()[0] for l in lmc_lines(lmc, "check", "--list-presets")]
    preset_docs = {p: s.doc for p in presets for s in configs if s.name == p + ".json"}
    corpus = Corpus(configs, preset_docs, presets, [l.split()[0] for l in mutant_lines], models)
    seeds_dir = work / "seeds"
    seeds_dir.mkdir()
    add_seed_traces(lmc, corpus, mutant_lines, seeds_dir)
    add_seed_state(lmc, corpus, seeds_dir)
    if not corpus.traces:
        sys.exit("fuzz_lmc: lmc wrote no seed traces; is the binary working?")
    corpus.action_kinds = sorted({s.get("kind") for t in corpus.traces
                                  for s in t.doc.get("steps", []) if isinstance(s.get("kind"), str)})
    return corpus


def run_seed(lmc, seeds_dir, args):
    subprocess.run([lmc, *args], cwd=seeds_dir, env=dict(os.environ, TMPDIR=str(seeds_dir)),
                   capture_output=True, timeout=60)


def add_seed_traces(lmc, corpus, mutant_lines, seeds_dir):
    for name, args, config in seed_commands(mutant_lines):
        if config:
            (seeds_dir / "config.json").write_text(json.dumps(corpus.config(config).doc))
        run_seed(lmc, seeds_dir, [*args, name])
        path = seeds_dir / name
        if path.exists():
            corpus.traces.append(Seed(name, json.loads(path.read_text()),
                                      corpus.config(config).doc if config else None))
    run_seed(lmc, seeds_dir, ["check", "-q", "--trace-out-dir", "witnesses"])
    for path in sorted((seeds_dir / "witnesses").glob("*.json")):
        corpus.traces.append(Seed("wit-" + path.name, json.loads(path.read_text())))


def add_seed_state(lmc, corpus, seeds_dir):
    """The CRD mirror files and the MONJV record of one LM: lmc reads both back."""
    run_seed(lmc, seeds_dir, ["migrate", "-q", "--virtual-clock", "--unit-mib", "1",
                              "--crd-dir", "crd", "--monjv", "monjv.bin"])
    corpus.crd_files = [(p.name, p.read_bytes()) for p in sorted((seeds_dir / "crd").glob("*"))]
    if (seeds_dir / "monjv.bin").exists():
        corpus.monjv = (seeds_dir / "monjv.bin").read_bytes()


# --------------------------------------------------------------------------
# A case: command-line words, options and input files
# --------------------------------------------------------------------------

@dataclass
class Opt:
    """One command-line item. kinds says what mutations may do with it:
    in/out/outdir (a path), num, enum, name, param; bound (keeps the run short,
    changed at most once per case) and fixed (never changed or dropped)."""
    name: object              # None for a positional
    value: object = None      # None for a flag
    kinds: frozenset = frozenset()
    choices: tuple = ()
    form: str = "split"       # split: --opt V; equals: --opt=V; novalue: --opt

    def words(self):
        if self.name is None:
            return [self.value]
        if self.value is None or self.form == "novalue":
            return [self.name]
        if self.form == "equals":
            return [f"{self.name}={self.value}"]
        return [self.name, self.value]


def opt(name, value=None, *kinds, choices=()):
    return Opt(name, value, frozenset(kinds), tuple(choices))


@dataclass
class Case:
    sub: str
    words: list
    seed: int
    run: int
    opts: list = field(default_factory=list)
    files: dict = field(default_factory=dict)     # name -> JSON document or bytes
    special: list = field(default_factory=list)   # [{"name": ..., "kind": dir|fifo|symlink_loop}]
    interrupt: object = None                      # {"signal": "SIGINT", "after": seconds}
    mutations: list = field(default_factory=list)
    bound_touched: bool = False

    def args(self):
        out = list(self.words)
        tail = []
        for o in self.opts:
            (tail if o.form == "novalue" else out).extend(o.words())
        return out + tail

    def add_special(self, name, kind):
        if not any(s["name"] == name for s in self.special):
            self.special.append({"name": name, "kind": kind})
        return "{dir}/" + name


def doc_names(doc, key):
    """The names in doc[key] (SUs, VMs, ...), skipping anything malformed."""
    items = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return []
    return [i["name"] for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)]


# --------------------------------------------------------------------------
# Builders: a valid command line per subcommand, with small bounds
# --------------------------------------------------------------------------

def add_source(rng, corpus, case):
    """--preset or --config; returns the configuration, for names to refer to."""
    if rng.random() < 0.5:
        seed = rng.choice(corpus.configs)
        case.files["config.json"] = copy.deepcopy(seed.doc)
        case.opts.append(opt(rng.choice(("--config", "-c")), "{dir}/config.json", "in"))
        return seed.doc
    preset = rng.choice(corpus.presets)
    case.opts.append(opt("--preset", preset, "enum", choices=corpus.presets))
    return corpus.preset_docs.get(preset, {})


def add_name(rng, case, option, names, p):
    if names and rng.random() < p:
        case.opts.append(opt(option, rng.choice(names), "name", choices=names))


def add_output(rng, case, option, name, p, kind="out"):
    if rng.random() < p:
        case.opts.append(opt(option, "{dir}/" + name, kind))


MODEL_PARAMS = {"peterson": ("n", 2, 6, "swap"), "philosophers": ("n", 2, 8, "fixed"),
                "two_phase_commit": ("n", 1, 6, "bug")}


def build_check(rng, corpus, case, slow):
    if rng.random() < 0.04 and not slow:
        case.opts.append(opt(rng.choice(("--list-presets", "--list-mutants", "--list-models",
                                         "--list-properties"))))
        return
    classic = [m for m in corpus.models if m != "cluster"]
    if classic and rng.random() < 0.15 and not slow:
        model = rng.choice(classic)
        case.opts.append(opt(rng.choice(("-m", "--model")), model, "enum", choices=corpus.models))
        if model in MODEL_PARAMS:
            name, low, high, flag = MODEL_PARAMS[model]
            case.opts.append(opt("-p", f"{name}={rng.randint(low, high)}", "param"))
            if rng.random() < 0.4:
                case.opts.append(opt("-p", f"{flag}={rng.randint(0, 1)}", "param"))
    elif slow:
        # Big enough to be still running when the interrupt comes.
        case.files["config.json"] = copy.deepcopy(corpus.config("scale/scale-faults.json").doc)
        case.opts.append(opt("--config", "{dir}/config.json", "in"))
    else:
        add_source(rng, corpus, case)
        if rng.random() < 0.3:
            case.opts.append(opt("--mutant", rng.choice(corpus.mutants), "enum", choices=corpus.mutants))
        if rng.random() < 0.1:
            case.opts.append(opt("--prereq", "z3", "enum", choices=("model", "z3")))
        if rng.random() < 0.15:
            case.opts.append(opt("--symmetry"))
    add_strategy(rng, case)
    limit = "1" if slow else rng.choice(("0.5", "1"))
    case.opts.append(opt("--max-states", rng.choice(("100", "1000", "5000", "20000")), "num", "bound"))
    case.opts.append(opt("--time-limit", limit, "num", "bound"))
    if rng.random() < 0.2:
        case.opts.append(opt("--max-depth", str(rng.randint(1, 40)), "num"))
    case.opts.append(opt("-q") if rng.random() < 0.7 else opt("--progress", "0.5", "num"))
    for flag, p in (("--no-deadlock", 0.1), ("--no-liveness", 0.2), ("--witnesses", 0.1)):
        if rng.random() < p:
            case.opts.append(opt(flag))
    add_output(rng, case, "--json", "out.json", 0.3)
    add_output(rng, case, "--dot", "cx.dot", 0.15)
    add_output(rng, case, "--trace-out", "trace-out.json", 0.2)
    add_output(rng, case, "--trace-out-dir", "witnesses", 0.1, "outdir")


def add_strategy(rng, case):
    strategy = rng.choice(("bfs", "bfs", "bfs", "dfs", "simulation"))
    if strategy != "bfs" or rng.random() < 0.2:
        case.opts.append(opt(rng.choice(("-s", "--strategy")), strategy, "enum",
                             choices=("bfs", "dfs", "simulation")))
    if strategy == "simulation":
        case.opts.append(opt("--walks", str(rng.randint(1, 200)), "num"))
        case.opts.append(opt("--walk-depth", str(rng.randint(1, 100)), "num"))
        case.opts.append(opt("--seed", str(rng.randint(0, 1000)), "num"))
    if rng.random() < 0.2:
        case.opts.append(opt(rng.choice(("-t", "--threads")), "2", "num"))
    if rng.random() < 0.3:
        case.opts.append(opt("--storage", rng.choice(("packed", "exact", "fingerprint")), "enum",
                             choices=("packed", "exact", "fingerprint")))


def build_prereq(rng, corpus, case, slow):
    doc = add_source(rng, corpus, case)
    add_name(rng, case, "--vm", doc_names(doc, "vms"), 0.7)
    add_name(rng, case, "--target", doc_names(doc, "sus"), 0.5)
    add_name(rng, case, "--source", doc_names(doc, "sus"), 0.2)
    if rng.random() < 0.5:
        case.opts.append(opt("--engine", rng.choice(("z3", "model")), "enum", choices=("z3", "model")))
    add_output(rng, case, "--json", "prereq.json", 0.3)


def build_plan(rng, corpus, case, slow):
    doc = add_source(rng, corpus, case)
    sus = doc_names(doc, "sus") or ["ABGSU701"]
    case.opts.append(opt("--evacuate", rng.choice(sus), "name", "fixed", choices=sus))
    add_output(rng, case, "--json", "plan.json", 0.3)
    add_output(rng, case, "--steps-dir", "steps", 0.3, "outdir")


def build_prove(rng, corpus, case, slow):
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        rules = [f"P{i}" for i in range(1, 20)]
        case.opts.append(opt("--drop", rng.choice(rules), "enum", choices=rules))
    add_output(rng, case, "--json", "prove.json", 0.3)


FAULT_KINDS = ("link", "alloc", "resume", "crd", "disk", "kill")
FAULT_PHASES = ("setup", "copy", "switchover", "cleanup")


# Set for a sanitizer build, which runs without an address-space limit: the
# memory bounds (--unit-mib, --size) are then never mutated, since a 1 TiB
# guest would not fail inside lmc but fill the machine.
MEMORY_BOUND_KINDS = ("bound",)


def build_migrate(rng, corpus, case, slow):
    doc = add_source(rng, corpus, case)
    real_clock = slow or rng.random() < 0.1
    if not real_clock:
        case.opts.append(opt("--virtual-clock", None, "fixed"))
    # Slow: about 2 s on a 0.5 Gbit/s link, so that the interrupt finds it running.
    unit_mib = "16" if slow else rng.choice(("1", "1", "2", "4"))
    # On the real clock the memory is what bounds the run's time (a 514 MiB
    # guest with zstd took 11 s in the hour's run): never mutated there.
    kinds = ("bound", "fixed") if real_clock else MEMORY_BOUND_KINDS
    case.opts.append(opt("--unit-mib", unit_mib, "num", *kinds))
    if slow:
        case.opts.append(opt("--link-gbit", "0.5", "num", "bound"))
    add_name(rng, case, "--vm", doc_names(doc, "vms"), 0.3)
    add_name(rng, case, "--target", doc_names(doc, "sus"), 0.2)
    add_name(rng, case, "--source", doc_names(doc, "sus"), 0.1)
    if rng.random() < 0.1:
        case.opts.append(opt("--transport", "tcp", "enum", choices=("inproc", "tcp")))
    faults = [f"{k}@{p}" for k in FAULT_KINDS for p in FAULT_PHASES]
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        case.opts.append(opt("--fault", rng.choice(faults), "enum", choices=faults))
    add_migrate_tuning(rng, case, real_clock)
    add_migrate_files(rng, corpus, case)
    if rng.random() < 0.7:
        case.opts.append(opt("-q"))


def add_migrate_tuning(rng, case, real_clock):
    # On the real clock a slow link or a tight downtime makes the run long.
    bound = ("bound",) if real_clock else ()
    for name, values, p in (("--dirty-rate", ("0", "1000", "20000", "1e6"), 0.3),
                            ("--link-gbit", ("10", "100", "40"), 0.2),
                            ("--downtime-ms", ("1", "300", "5000"), 0.2),
                            ("--streams", ("1", "2", "4"), 0.2),
                            ("--seed", ("1", "7", "123456"), 0.3)):
        if rng.random() < p:
            case.opts.append(opt(name, rng.choice(values), "num", *bound))
    for name, values, p in (("--pattern", ("uniform", "hot", "sweep", "zero"), 0.3),
                            ("--compress", ("none", "lz4", "zstd"), 0.3)):
        if rng.random() < p:
            case.opts.append(opt(name, rng.choice(values), "enum", choices=values))
    if rng.random() < 0.2:
        case.opts.append(opt("--delta"))


def add_migrate_files(rng, corpus, case):
    """Output files, some of them existing: lmc reads an existing CRD and MONJV."""
    if rng.random() < 0.3:
        if rng.random() < 0.5 and corpus.monjv:
            case.files["monjv.bin"] = corpus.monjv
        elif rng.random() < 0.5:
            size = rng.choice((0, 1, 129, 256, 300))
            case.files["monjv.bin"] = bytes(rng.getrandbits(8) for _ in range(size))
        case.opts.append(opt("--monjv", "{dir}/monjv.bin", "out"))
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            for name, data in corpus.crd_files:
                case.files["crd/" + name] = data
        case.opts.append(opt("--crd-dir", "{dir}/crd", "outdir"))
    add_output(rng, case, "--json", "migrate.json", 0.3)
    add_output(rng, case, "--record", "record.json", 0.3)


def add_trace(rng, corpus, case):
    seed = rng.choice(corpus.traces)
    doc = copy.deepcopy(seed.doc)
    if seed.config is not None:
        case.files["config.json"] = copy.deepcopy(seed.config)
    elif rng.random() < 0.15 and isinstance(doc, dict):
        # Name a configuration file instead of the preset: lmc reads both files.
        doc["config"] = "config.json"
        case.files["config.json"] = copy.deepcopy(rng.choice(corpus.configs).doc)
    case.files["trace.json"] = doc
    case.opts.append(opt(None, "{dir}/trace.json", "in"))


def build_replay(rng, corpus, case, slow):
    add_trace(rng, corpus, case)
    add_output(rng, case, "--json", "replay.json", 0.3)
    if rng.random() < 0.5:
        case.opts.append(opt("-q"))


def build_validate(rng, corpus, case, slow):
    add_trace(rng, corpus, case)
    case.opts.append(opt("--max-hidden", str(rng.randint(0, 4)), "num", "bound"))
    # Without --max-states (default 1e6) a short trace is still fast, and a long
    # one shows what users get.
    if rng.random() < 0.75:
        case.opts.append(opt("--max-states", rng.choice(("1000", "10000", "50000")), "num", "bound"))
    add_output(rng, case, "--json", "validate.json", 0.3)
    if rng.random() < 0.5:
        case.opts.append(opt("-q"))


def build_bench_transfer(rng, corpus, case, slow):
    case.opts.append(opt("--size", rng.choice(("4KiB", "64KiB", "1MiB", "2MiB", "4MiB")),
                         "size", *MEMORY_BOUND_KINDS))
    case.opts.append(opt("--repeat", "1", "num", "bound"))
    grid = rng.choice(("--no-grid", "--grid-only", None))
    if grid:
        case.opts.append(opt(grid))
    if rng.random() < 0.3:
        case.opts.append(opt("--streams", rng.choice(("1", "2", "4")), "num"))
    if rng.random() < 0.3:
        case.opts.append(opt("--codec", rng.choice(("none", "lz4", "zstd")), "enum",
                             choices=("none", "lz4", "zstd")))
    if rng.random() < 0.2:
        case.opts.append(opt("--seed", str(rng.randint(0, 99)), "num"))
    add_output(rng, case, "--json", "loops.json", 0.3)
    add_output(rng, case, "--grid-json", "grid.json", 0.2)


def build_bench_check(rng, corpus, case, slow):
    # Each of these runs SPIN and a C compiler (seconds), so every bound is fixed.
    case.opts += [opt("--preset", "default", "fixed"), opt("--threads", "1", "fixed"),
                  opt("--repeat", "1", "fixed"), opt("--no-collapse", None, "fixed")]
    source = "{repo}" if rng.random() < 0.5 else "{dir}/nowhere"
    case.opts.append(opt("--source-dir", source, "in"))
    if rng.random() < 0.3:
        case.opts.append(opt("--storage", rng.choice(("packed", "exact", "fingerprint")), "enum",
                             choices=("packed", "exact", "fingerprint")))
    add_output(rng, case, "--json", "bench.json", 0.3)


def build_top(rng, corpus, case, slow):
    case.words[:] = rng.choice(([], ["--version"], ["--help"], ["frobnicate"], ["bench"],
                                ["bench", "nothing"], ["check", "extra"]))


# (subcommand, weight, words, builder); bench check compiles pan, so it is rare.
SUBCOMMANDS = (
    ("check", 20, ["check"], build_check),
    ("prereq", 14, ["prereq"], build_prereq),
    ("plan", 10, ["plan"], build_plan),
    ("prove", 4, ["prove"], build_prove),
    ("migrate", 20, ["migrate"], build_migrate),
    ("replay", 10, ["replay"], build_replay),
    ("validate", 12, ["validate"], build_validate),
    ("bench transfer", 6, ["bench", "transfer"], build_bench_transfer),
    ("bench check", 0.1, ["bench", "check"], build_bench_check),
    ("top", 2, [], build_top),
)


# --------------------------------------------------------------------------
# JSON-level mutations (on a parsed document)
# --------------------------------------------------------------------------

EDGE_INTS = (-1, 0, 1, 2, 15, 16, 64, 65, 255, 256, 4096, 65536, 2**31 - 1, 2**31, 2**32,
             2**53 + 1, 2**63 - 1, 2**63, 2**64, -2**63 - 1, 10**400, -10**400)
EDGE_TOKENS = ("1e999", "-1e999", "5e-324", "1e-400", "-0", "-0.0", "0.5", "1.5", "1E+2", "8.0",
               "NaN", "Infinity", "-Infinity", "01", "0x10", "+1", ".5", "1.", "1e")
NUMBER_STRINGS = ("8", "NaN", "nan", "inf", "-inf", "1e999", "-1", "", " 8", "8 ", "0x8", "eight",
                  "\uff18", "10" * 200)
UNICODE = ("\u00c4\u00d6\u00dc\u00df", "\U0001f600", "\u202e", "\u200b", "\u0000", "e\u0301",
           "\ud800", "\uffff", "\u0130", "\ufeff", "\u4e2d\u6587")
OTHER_TYPES = (None, True, False, 0, "x", [], {}, [1, 2], {"a": 1}, [[]], "")


def pick(rng, holder, test):
    candidates = [(c, k) for c, k in slots(holder) if test(c[k])]
    return rng.choice(candidates) if candidates else None


def m_delete_field(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: True)
    if hit and hit[0] is not holder:
        del hit[0][hit[1]]
        return True
    return False


def m_number_edge(rng, holder, corpus):
    hit = pick(rng, holder, is_number)
    if hit:
        hit[0][hit[1]] = rng.choice(EDGE_INTS) if rng.random() < 0.5 else Raw(rng.choice(EDGE_TOKENS))
    return bool(hit)


def m_nudge(rng, holder, corpus):
    """Near the valid range: where off-by-one checks live."""
    hit = pick(rng, holder, lambda v: isinstance(v, int) and not isinstance(v, bool))
    if hit:
        v = hit[0][hit[1]]
        hit[0][hit[1]] = rng.choice((v + 1, v - 1, v * 2, v + 16, -v, 0))
    return bool(hit)


def m_number_as_string(rng, holder, corpus):
    hit = pick(rng, holder, is_number)
    if hit:
        hit[0][hit[1]] = rng.choice(NUMBER_STRINGS + (str(hit[0][hit[1]]),))
    return bool(hit)


def m_wrong_type(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: True)
    if hit:
        old = hit[0][hit[1]]
        hit[0][hit[1]] = copy.deepcopy(rng.choice([t for t in OTHER_TYPES if type(t) is not type(old)]))
    return bool(hit)


def m_duplicate_array(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, list) and not isinstance(v, Pairs) and v)
    if hit:
        items = hit[0][hit[1]]
        factor = min(rng.choice((2, 3, 10, 100, 1000)), max(2, 5000 // len(items)))
        hit[0][hit[1]] = [copy.deepcopy(x) for _ in range(factor) for x in items]
    return bool(hit)


def m_empty_container(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, (list, dict)) and v)
    if hit:
        hit[0][hit[1]] = rng.choice(([], {}))
    return bool(hit)


def m_long_string(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, str))
    if hit:
        old = hit[0][hit[1]] or "A"
        size = rng.choice((256, 4097, 65536, 1 << 20))
        hit[0][hit[1]] = (old * (size // len(old) + 1))[:size]
    return bool(hit)


def m_unicode(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, str))
    if hit:
        old, extra = hit[0][hit[1]], rng.choice(UNICODE)
        hit[0][hit[1]] = rng.choice((old + extra, extra + old, extra, old[:1] + extra + old[1:]))
    return bool(hit)


def m_cross_reference(rng, holder, corpus):
    """A value copied from elsewhere in the document: names that refer to the
    wrong SU or VM pass the type checks and reach the semantic ones."""
    def plain(v):
        return isinstance(v, (str, int)) and not isinstance(v, Raw)
    values = [c[k] for c, k in slots(holder) if plain(c[k])]
    hit = pick(rng, holder, plain)
    if hit and values:
        same = [v for v in values if type(v) is type(hit[0][hit[1]])] or values
        hit[0][hit[1]] = rng.choice(same)
    return bool(hit)


def m_duplicate_key(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, dict) and v)
    if hit:
        obj = hit[0][hit[1]]
        key = rng.choice(list(obj))
        pairs = Pairs(obj.items())
        pairs.insert(rng.randint(0, len(pairs)), (key, copy.deepcopy(rng.choice(OTHER_TYPES))))
        hit[0][hit[1]] = pairs
    return bool(hit)


def m_add_field(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, dict) and not isinstance(v, Pairs))
    if hit:
        key = rng.choice(("extra", "", "name ", "NAME", "\u00e9"))
        hit[0][hit[1]][key] = copy.deepcopy(rng.choice(OTHER_TYPES))
    return bool(hit)


def m_deep_nesting(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: True)
    if hit:
        depth = rng.choice((100, 1000, 100000))
        if rng.random() < 0.5:
            hit[0][hit[1]] = Raw("[" * depth + "]" * depth)
        else:
            hit[0][hit[1]] = Raw('{"a":' * depth + "1" + "}" * depth)
    return bool(hit)


def m_shuffle_array(rng, holder, corpus):
    hit = pick(rng, holder, lambda v: isinstance(v, list) and not isinstance(v, Pairs) and len(v) > 1)
    if hit:
        rng.shuffle(hit[0][hit[1]])
    return bool(hit)


def m_trace_steps(rng, holder, corpus):
    """Steps of a trace: another action kind, another unit, a step repeated,
    dropped or moved, or a stretch repeated into a long trace; paths the model
    may or may not have."""
    steps = holder[0].get("steps") if isinstance(holder[0], dict) else None
    if not isinstance(steps, list) or not steps:
        return False
    i = rng.randrange(len(steps))
    choice = rng.randrange(6)
    if choice == 0 and isinstance(steps[i], dict) and corpus.action_kinds:
        steps[i]["kind"] = rng.choice(corpus.action_kinds)
    elif choice == 1 and isinstance(steps[i], dict):
        steps[i][rng.choice(("unit", "page"))] = rng.choice((0, 1, 2, 3, 7, 15, 16, 255, -1, 2**32))
    elif choice == 2:
        steps[i:i] = [copy.deepcopy(steps[i]) for _ in range(rng.choice((1, 2, 5, 50)))]
    elif choice == 3:
        del steps[i]
    elif choice == 4:
        steps.insert(rng.randrange(len(steps) + 1), steps.pop(i))
    else:
        stretch = steps[i:i + rng.randint(1, 4)]
        times = rng.choice((100, 500, 2000)) // len(stretch)
        steps[i:i] = [copy.deepcopy(x) for _ in range(times) for x in stretch]
    return True


JSON_MUTATORS = (
    ("delete_field", 3, m_delete_field), ("number_edge", 3, m_number_edge), ("nudge", 3, m_nudge),
    ("number_as_string", 2, m_number_as_string), ("wrong_type", 3, m_wrong_type),
    ("duplicate_array", 2, m_duplicate_array), ("empty_container", 2, m_empty_container),
    ("long_string", 1, m_long_string), ("unicode", 2, m_unicode),
    ("cross_reference", 4, m_cross_reference), ("duplicate_key", 1, m_duplicate_key),
    ("add_field", 1, m_add_field), ("deep_nesting", 1, m_deep_nesting),
    ("shuffle_array", 1, m_shuffle_array), ("trace_steps", 4, m_trace_steps),
)


# --------------------------------------------------------------------------
# Byte-level mutations (on a serialised file)
# --------------------------------------------------------------------------

def b_truncate(rng, data):
    return data[:rng.randrange(len(data))] if data else None


def b_flip(rng, data):
    if not data:
        return None
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def b_insert_garbage(rng, data):
    garbage = rng.choice((bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64))),
                          b"\0", b"\xff\xfe", b"\xc3", b"}", b"]", b"\"", b",", b"\\u", b"/*"))
    at = rng.randint(0, len(data))
    return data[:at] + garbage + data[at:]


def b_delete_range(rng, data):
    if not data:
        return None
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 64):]


def b_overwrite_length(rng, data):
    """A 32-bit little-endian field set to an edge value: for the binary CRD
    records, whose lengths lmc trusts only as far as it checks them."""
    if len(data) < 4:
        return None
    at = rng.randrange(0, len(data) - 3)
    value = rng.choice((0, 1, 0x7fffffff, 0x80000000, 0xffffffff, len(data), len(data) + 1))
    return data[:at] + value.to_bytes(4, "little") + data[at + 4:]


BYTE_MUTATORS = (
    ("truncate", 3, b_truncate), ("flip", 3, b_flip), ("insert_garbage", 3, b_insert_garbage),
    ("delete_range", 2, b_delete_range), ("overwrite_u32", 2, b_overwrite_length),
    ("empty", 1, lambda rng, data: b""),
    ("bom", 1, lambda rng, data: b"\xef\xbb\xbf" + data),
    ("trailing_garbage", 1, lambda rng, data: data + rng.choice((data, b"x", b"\0", b"{}"))),
    ("crlf", 1, lambda rng, data: data.replace(b"\n", b"\r\n") if b"\n" in data else None),
)


# --------------------------------------------------------------------------
# Special paths for file options
# --------------------------------------------------------------------------

def long_name(rng, case):
    return "{dir}/" + "n" * rng.choice((255, 256, 5000))


def existing_file(case):
    if "afile" not in case.files:
        case.files["afile"] = b"not a directory\n"
    return "{dir}/afile"


# (kind, weight, path maker): a FIFO blocks and /dev/zero streams until memory
# runs out, and each such run costs up to a whole timeout, so they are rare.
INPUT_PATHS = (
    ("dir", 2, lambda rng, case: case.add_special("adir", "dir")),
    ("dev_null", 2, lambda rng, case: "/dev/null"),
    ("missing", 2, lambda rng, case: "{dir}/missing.json"),
    ("dev_zero", 0.5, lambda rng, case: "/dev/zero"),
    ("fifo", 0.3, lambda rng, case: case.add_special("fifo", "fifo")),
    ("symlink_loop", 1, lambda rng, case: case.add_special("loop", "symlink_loop")),
    ("empty_string", 1, lambda rng, case: ""),
    ("long_name", 1, long_name),
    ("root", 1, lambda rng, case: "/"),
    ("proc_file", 1, lambda rng, case: "/proc/self/status"),
)

OUTPUT_PATHS = (
    ("unwritable", 3, lambda rng, case: rng.choice(("/proc/x/y", "/proc/version", "/sys/x"))),
    ("missing_parent", 2, lambda rng, case: "{dir}/no/such/dir/out"),
    ("existing_dir", 2, lambda rng, case: case.add_special("adir", "dir")),
    ("dev_full", 2, lambda rng, case: "/dev/full"),
    ("dev_null", 1, lambda rng, case: "/dev/null"),
    ("empty_string", 1, lambda rng, case: ""),
    ("long_name", 1, long_name),
    ("root", 1, lambda rng, case: "/"),
    ("over_input", 1, 
     lambda rng, case: "{dir}/" + (sorted(case.files)[0] if case.files else "x.json")),
)

OUTDIR_PATHS = (
    ("file_not_dir", 3, lambda rng, case: existing_file(case)),
    ("unwritable", 2, lambda rng, case: rng.choice(("/proc/x/y", "/sys"))),
    ("dev_null", 1, lambda rng, case: "/dev/null"),
    ("deep", 1, lambda rng, case: "{dir}/a/b/c/d"),
    ("empty_string", 1, lambda rng, case: ""),
    ("long_name", 1, long_name),
)


# --------------------------------------------------------------------------
# Option-level mutations
# --------------------------------------------------------------------------

OPTION_NUMBERS = ("nan", "NaN", "inf", "-inf", "-1", "0", "1", "1e12", "5e-324", "1e999", "-0",
                  "0.5", "1e-9", "18446744073709551615", "18446744073709551616",
                  "9223372036854775808", "-9223372036854775809", "4096", "4097", "65", "257",
                  "0x10", "1_000", "", " 1", "1 ", "1,5", "abc", "1e", "+5", "\u0663")
SIZES = ("0", "1", "4096", "1B", "4095B", "4097B", "1KiB", "4KiB", "1.5MiB", "-1MiB", "0MiB",
         "1TiB", "1025GiB", "16EiB", "18446744073709551615KiB", "64mib", "64 MiB", "MiB", "1e999MiB",
         "nanMiB", "1GiB")
ENUM_NOISE = ("", "BFS", "bfs ", "none", "z3 ", "link@", "@copy", "link@copy@copy", "link@nowhere",
              "x" * 300, "\u00c4\u00d6\u00dc", "-", "--", "default,x86-local", "0", "P0", "P20", "p5",
              "*ANY", "../default", "VM12PROD ")
PARAM_NOISE = ("n=100", "n=-1", "n=", "=", "n", "n=1e999", "n=0", "n=2=3", "swap=2", "bug=-1",
               "unknown=1", "preset=nowhere", "config=/dev/null", "config=", "mutant=x", "prereq=z4")
UNKNOWN_OPTIONS = ("--frobnicate", "-Z", "--max-state", "---", "--=", "-", "-qq", "--json=",
                   "--no-such-option=1", "-h5", "--vm=", "\u2014q")
FOREIGN_OPTIONS = (("--max-states", "10"), ("--vm", "VM12PROD"), ("--evacuate", "ABGSU701"),
                   ("--virtual-clock", None), ("--unit-mib", "1"), ("--drop", "P5"),
                   ("--max-hidden", "1"), ("--size", "1MiB"), ("-m", "peterson"),
                   ("--symmetry", None), ("--record", "{dir}/foreign.json"), ("--fault", "link@copy"),
                   ("--engine", "model"), ("--walks", "3"), ("--json", "{dir}/foreign.json"))


def may_change(case, o):
    """Whether a mutation may change o: fixed never; at most one bound per
    case, so that a run whose bound was removed is still bounded by another."""
    if "fixed" in o.kinds:
        return False
    return "bound" not in o.kinds or not case.bound_touched


def change(case, o, value):
    o.value = value
    case.bound_touched |= "bound" in o.kinds


def o_numeric(rng, case, corpus):
    cands = [o for o in case.opts if ({"num", "size"} & o.kinds) and may_change(case, o)]
    if not cands:
        return False
    o = rng.choice(cands)
    change(case, o, rng.choice(SIZES if "size" in o.kinds else OPTION_NUMBERS))
    return True


def o_enum(rng, case, corpus):
    cands = [o for o in case.opts if ({"enum", "name", "param"} & o.kinds) and may_change(case, o)]
    if not cands:
        return False
    o = rng.choice(cands)
    if "param" in o.kinds:
        change(case, o, rng.choice(PARAM_NOISE))
    elif o.choices and rng.random() < 0.5:
        change(case, o, rng.choice(o.choices))
    else:
        change(case, o, rng.choice(ENUM_NOISE))
    return True


def o_unknown(rng, case, corpus):
    case.opts.insert(rng.randint(0, len(case.opts)), opt(rng.choice(UNKNOWN_OPTIONS)))
    return True


def o_missing_value(rng, case, corpus):
    cands = [o for o in case.opts if o.name and o.value is not None and may_change(case, o)]
    if not cands:
        return False
    o = rng.choice(cands)
    o.form = "novalue"
    case.bound_touched |= "bound" in o.kinds
    return True


def o_duplicate(rng, case, corpus):
    cands = [o for o in case.opts if o.name]
    if not cands:
        return False
    o = rng.choice(cands)
    case.opts.insert(case.opts.index(o) + 1, copy.copy(o))
    return True


def o_drop(rng, case, corpus):
    cands = [o for o in case.opts if "bound" not in o.kinds and "fixed" not in o.kinds]
    if not cands:
        return False
    case.opts.remove(rng.choice(cands))
    return True


def o_extra_positional(rng, case, corpus):
    value = rng.choice(("extra", "{dir}/missing.json", "check", "--", "-", "{dir}/trace.json"))
    case.opts.insert(rng.randint(0, len(case.opts)), opt(None, value))
    return True


def o_equals(rng, case, corpus):
    cands = [o for o in case.opts if o.name and o.value is not None]
    if not cands:
        return False
    rng.choice(cands).form = "equals"
    return True


def o_foreign(rng, case, corpus):
    name, value = rng.choice(FOREIGN_OPTIONS)
    case.opts.insert(rng.randint(0, len(case.opts)), opt(name, value))
    return True


def o_empty_arg(rng, case, corpus):
    case.opts.insert(rng.randint(0, len(case.opts)), opt(None, ""))
    return True


OPTION_MUTATORS = (
    ("numeric", 6, o_numeric), ("enum", 4, o_enum), ("unknown", 2, o_unknown),
    ("missing_value", 2, o_missing_value), ("duplicate", 1, o_duplicate), ("drop", 2, o_drop),
    ("extra_positional", 1, o_extra_positional), ("equals", 1, o_equals),
    ("foreign", 2, o_foreign), ("empty_arg", 1, o_empty_arg),
)


# --------------------------------------------------------------------------
# Applying mutations to a case
# --------------------------------------------------------------------------

def weighted(rng, table):
    """One entry of a (name, weight, ...) table."""
    total = sum(row[1] for row in table)
    x = rng.random() * total
    for row in table:
        x -= row[1]
        if x < 0:
            return row
    return table[-1]


def mutate_json(rng, case, corpus):
    docs = sorted(n for n, v in case.files.items() if not isinstance(v, bytes))
    if not docs:
        return None
    name = rng.choice(docs)
    holder = [case.files[name]]
    kind, _, fn = weighted(rng, JSON_MUTATORS)
    if not fn(rng, holder, corpus):
        return None
    case.files[name] = holder[0]
    return "json." + kind


def mutate_bytes(rng, case, corpus):
    if not case.files:
        return None
    name = rng.choice(sorted(case.files))
    data = case.files[name]
    data = data if isinstance(data, bytes) else encode_doc(data, rng)
    kind, _, fn = weighted(rng, BYTE_MUTATORS)
    out = fn(rng, data)
    if out is None:
        return None
    case.files[name] = out
    return "bytes." + kind


def mutate_path(rng, case, corpus):
    cands = [o for o in case.opts if ({"in", "out", "outdir"} & o.kinds) and "fixed" not in o.kinds]
    if not cands:
        if case.sub in ("top", "prove") or not case.words:
            return None
        o = opt("--json", "{dir}/out.json", "out")
        case.opts.append(o)
    else:
        o = rng.choice(cands)
    table = INPUT_PATHS if "in" in o.kinds else OUTDIR_PATHS if "outdir" in o.kinds else OUTPUT_PATHS
    kind, _, make_path = weighted(rng, table)
    o.value = make_path(rng, case)
    return "path." + kind


def mutate_option(rng, case, corpus):
    kind, _, fn = weighted(rng, OPTION_MUTATORS)
    return "option." + kind if fn(rng, case, corpus) else None


CATEGORIES = (("json", 40, mutate_json), ("bytes", 15, mutate_bytes),
              ("path", 12, mutate_path), ("option", 33, mutate_option))


def make_case(seed, run, corpus):
    """Run number run of seed: the same case every time, whatever else happens."""
    rng = random.Random(f"lmc-fuzz:{seed}:{run}")
    sub, _, words, build = weighted(rng, SUBCOMMANDS)
    case = Case(sub, list(words), seed, run)
    slow = sub in ("check", "migrate") and rng.random() < 0.04
    build(rng, corpus, case, slow)
    if slow:
        case.interrupt = {"signal": rng.choice(("SIGINT", "SIGINT", "SIGTERM")),
                          "after": rng.choice((0.05, 0.1, 0.2, 0.3, 0.5))}
        case.mutations.append("interrupt." + case.interrupt["signal"])
    for _ in range(rng.choice((0, 1, 1, 1, 1, 2, 2, 3))):
        for _attempt in range(5):
            kind = weighted(rng, CATEGORIES)[2](rng, case, corpus)
            if kind:
                case.mutations.append(kind)
                break
    case.files = {n: v if isinstance(v, bytes) else encode_doc(v, rng) for n, v in case.files.items()}
    # Stacked growth mutations could make megabytes; past FILE_LIMIT a file only costs time.
    case.files = {n: v[:FILE_LIMIT] for n, v in sorted(case.files.items())}
    return case


# --------------------------------------------------------------------------
# Running lmc
# --------------------------------------------------------------------------

@dataclass
class Job:
    """What a run needs, from a generated case or a stored one."""
    name: str
    sub: str
    args: list
    files: dict
    special: list
    interrupt: object
    timeout: float


@dataclass
class Outcome:
    cls: str          # OK, CRASH, HANG or LEAK
    reason: str
    line: str         # the output line that names the problem
    returncode: object
    seconds: float


def substitute(arg, work):
    return arg.replace("{dir}", str(work)).replace("{repo}", str(REPO))


def materialise(job, work):
    work.mkdir(parents=True)
    for name, data in job.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for s in job.special:
        path = work / s["name"]
        if s["kind"] == "dir":
            path.mkdir(exist_ok=True)
        elif s["kind"] == "fifo":
            os.mkfifo(path)
        elif s["kind"] == "symlink_loop":
            os.symlink(s["name"], path)


def limits(mem_mib):
    """Run in the child before exec: no core files, and an address-space cap so
    that a runaway allocation fails inside lmc instead of starving the machine."""
    def apply():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if mem_mib:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mib << 20, mem_mib << 20))
    return apply


def live_members(pgid):
    """Processes of the group that are not zombies (PID 1 here may never reap)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return []
    members = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.split("/")[2]))
    return members


def read_output(path):
    """Head and tail of a big output: sanitizer reports come last."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        if size <= 8 << 20:
            data = fh.read()
        else:
            data = fh.read(4 << 20)
            fh.seek(-(1 << 20), os.SEEK_END)
            data += b"\n...\n" + fh.read()
    return data.decode("utf-8", "replace")


class Run:
    """One lmc process in its own session, with a private TMPDIR."""

    def __init__(self, job, lmc, root, mem_mib):
        self.job, self.box = job, root / job.name
        self.work, self.tmp = self.box / "work", self.box / "tmp"
        materialise(job, self.work)
        self.tmp.mkdir()
        env = dict(os.environ, TMPDIR=str(self.tmp), LC_ALL="C")
        self.stdout, self.stderr = open(self.box / "stdout", "wb"), open(self.box / "stderr", "wb")
        self.crd_before = set(glob.glob("/tmp/lmc-crd-*"))
        self.proc = subprocess.Popen([lmc] + [substitute(a, self.work) for a in job.args],
                                     cwd=self.work, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.stdout, stderr=self.stderr,
                                     start_new_session=True, preexec_fn=limits(mem_mib))
        self.start = time.monotonic()
        self.signalled = False
        self.stopped = ""

    def poll(self):
        """None while running; the outcome once it has ended or been stopped."""
        now = time.monotonic() - self.start
        if self.proc.poll() is None:
            if self.job.interrupt and not self.signalled and now >= self.job.interrupt["after"]:
                self.kill(getattr(signal, self.job.interrupt["signal"]))
                self.signalled = True
            if now > self.job.timeout:
                self.stopped = f"no exit within {self.job.timeout:g} s"
            elif self.output_size() > OUTPUT_LIMIT:
                self.stopped = f"more than {OUTPUT_LIMIT >> 20} MiB of output"
            else:
                return None
            self.kill(signal.SIGKILL)
            self.proc.wait()
        return self.finish(now)

    def age(self):
        return time.monotonic() - self.start

    def output_size(self):
        return os.fstat(self.stdout.fileno()).st_size + os.fstat(self.stderr.fileno()).st_size

    def kill(self, sig):
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def finish(self, seconds):
        self.stdout.close()
        self.stderr.close()
        strays = [] if self.stopped else self.strays()
        leftovers = sorted(os.listdir(self.tmp))
        leftovers += sorted(p for p in set(glob.glob("/tmp/lmc-crd-*")) - self.crd_before
                            if f"lmc-crd-{self.proc.pid}-" in p)
        text_out, text_err = read_output(self.box / "stdout"), read_output(self.box / "stderr")
        out = classify(self.job, self.proc.returncode, self.stopped, self.signalled,
                       text_out, text_err, leftovers, strays, seconds)
        out.line = out.line.replace(str(self.work), "{dir}")[:300]
        return out

    def strays(self):
        """Processes lmc started that outlived it; killed after a grace period."""
        for _ in range(10):
            if not live_members(self.proc.pid):
                return []
            time.sleep(0.05)
        members = live_members(self.proc.pid)
        self.kill(signal.SIGKILL)
        return members

    def cleanup(self):
        shutil.rmtree(self.box, ignore_errors=True)


def first_line(text):
    return next((l.strip() for l in text.splitlines() if l.strip()), "")


def classify(job, rc, stopped, signalled, out, err, leftovers, strays, seconds):
    if stopped:
        return Outcome("HANG", stopped, first_line(err) or "(no output)", None, seconds)
    for text in (err, out):
        for line in text.splitlines():
            if crash_text(line):
                return Outcome("CRASH", f"exit {rc}", line.strip(), rc, seconds)
    asked = getattr(signal, job.interrupt["signal"]) if job.interrupt else None
    if rc < 0 and -rc != asked:
        name = signal.Signals(-rc).name
        return Outcome("CRASH", f"killed by {name}", first_line(err) or name, rc, seconds)
    if not 0 <= rc <= 3 and not signalled:
        return Outcome("CRASH", f"exit {rc}", first_line(err) or f"exit {rc}", rc, seconds)
    if leftovers or strays:
        what = ", ".join(leftovers) + (f" processes {strays}" if strays else "")
        return Outcome("LEAK", f"exit {rc}, left {what}", f"left behind: {what}", rc, seconds)
    return Outcome("OK", f"exit {rc}", first_line(err), rc, seconds)


def run_jobs(jobs, lmc, root, parallel, mem_mib, on_done, should_stop=lambda: False):
    """Run jobs (an iterator) with up to parallel processes at once."""
    running = []
    jobs = iter(jobs)
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < parallel and not should_stop():
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                else:
                    running.append(Run(job, lmc, root, mem_mib))
            if not running:
                return
            # Most runs end in milliseconds; a long one need not be polled that often.
            time.sleep(min(0.02, max(0.001, 0.1 * min(r.age() for r in running))))
            for run in list(running):
                outcome = run.poll()
                if outcome:
                    running.remove(run)
                    on_done(run.job, outcome)
                    run.cleanup()
    finally:
        for run in running:  # interrupted (^C): leave no lmc behind
            run.kill(signal.SIGKILL)


# --------------------------------------------------------------------------
# Stored cases
# --------------------------------------------------------------------------

def encode_file(data):
    """Text as is; other bytes as base64; a big input (a deep nesting, a long
    trace) gzipped, so that a kept case stays a few KB."""
    if len(data) > BIG_FILE:
        packed = gzip.compress(data, mtime=0)
        return {"gzip_base64": base64.b64encode(packed).decode("ascii")}
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def decode_file(value):
    if isinstance(value, dict) and "gzip_base64" in value:
        return gzip.decompress(base64.b64decode(value["gzip_base64"]))
    if isinstance(value, dict):
        return base64.b64decode(value["base64"])
    return value.encode("utf-8")


def expectation(timeout, interrupt=None):
    ending = (f"ends within {timeout:g} s (after the {interrupt['signal']}, any exit status)"
              if interrupt else f"exit 0..3 within {timeout:g} s")
    return f"{ending}, no sanitizer report, internal error or leaked exception, nothing left in TMPDIR"


def needed_files(job):
    """The inputs the arguments still name (a path mutation may have replaced
    one), and config.json when the trace names it."""
    def named(name):
        top = name.split("/")[0]
        return any("{dir}/" + top in a for a in job.args)
    keep = {n: d for n, d in job.files.items() if named(n)}
    if b"config.json" in keep.get("trace.json", b"") and "config.json" in job.files:
        keep["config.json"] = job.files["config.json"]
    return dict(sorted(keep.items()))


def save_case(directory, job, case, outcome):
    directory.mkdir(parents=True)
    files = needed_files(job)
    record = {
        "args": job.args,
        "files": {n: encode_file(d) for n, d in files.items()},
        "special": job.special,
        "interrupt": job.interrupt,
        "timeout": job.timeout,
        "expect": expectation(job.timeout, job.interrupt),
        "found": f"{outcome.cls} ({outcome.reason}): {outcome.line}",
        "subcommand": job.sub,
        "mutations": case.mutations,
        "seed": case.seed,
        "run": case.run,
    }
    (directory / "case.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    for name, data in files.items():  # the inputs as files, to look at
        path = directory / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def load_job(path, timeout):
    record = json.loads(path.read_text(encoding="utf-8"))
    files = {n: decode_file(v) for n, v in record.get("files", {}).items()}
    return Job(path.parent.name, record.get("subcommand", "?"), record["args"], files,
               record.get("special", []), record.get("interrupt"),
               timeout or record.get("timeout", 10.0))


# --------------------------------------------------------------------------
# Fuzzing, progress and summary
# --------------------------------------------------------------------------

def signature(job, outcome):
    """Findings that share it are most likely the same bug: quoted text and
    digits vary from case to case, the rest of the message does not."""
    line = re.sub(r"'[^']*('|$)", "'_'", outcome.line)
    line = re.sub(r"[0-9]+", "#", line)
    return f"{job.sub} | {outcome.cls} | {line}"


class Stats:
    def __init__(self):
        self.runs = 0
        self.start = time.monotonic()
        self.by_sub, self.by_mutation, self.by_class = Counter(), Counter(), Counter()
        self.exits = Counter()
        self.findings = {}
        self.last_progress = self.start

    def add(self, case, job, outcome):
        self.runs += 1
        self.by_sub[job.sub] += 1
        self.by_mutation.update(case.mutations or ["none"])
        self.by_class[outcome.cls] += 1
        self.exits[f"{job.sub}: {outcome.returncode}"] += 1

    def progress(self, force=False):
        now = time.monotonic()
        if not force and now - self.last_progress < PROGRESS_EVERY:
            return
        self.last_progress = now
        elapsed = now - self.start
        classes = " ".join(f"{c} {self.by_class[c]}" for c in ("CRASH", "HANG", "LEAK"))
        subs = " ".join(f"{s} {n}" for s, n in sorted(self.by_sub.items()))
        print(f"[fuzz {elapsed:6.0f} s] {self.runs} runs ({self.runs / max(elapsed, 1e-9):.1f}/s), "
              f"findings: {classes}; {subs}", file=sys.stderr, flush=True)

    def summary(self, out_dir):
        elapsed = time.monotonic() - self.start
        return {
            "runs": self.runs, "seconds": round(elapsed, 1),
            "runs_per_second": round(self.runs / max(elapsed, 1e-9), 2),
            "subcommands": dict(sorted(self.by_sub.items())),
            "mutations": dict(sorted(self.by_mutation.items())),
            "classes": dict(sorted(self.by_class.items())),
            "exit_codes": dict(sorted(self.exits.items())),
            "findings": [dict(signature=s, **f) for s, f in sorted(self.findings.items())],
            "out": str(out_dir),
        }


def print_summary(summary):
    print(f"runs: {summary['runs']} in {summary['seconds']} s ({summary['runs_per_second']}/s)")
    for title, key in (("subcommands", "subcommands"), ("mutations", "mutations"),
                       ("classes", "classes")):
        print(f"{title}:")
        for name, count in summary[key].items():
            print(f"  {count:7}  {name}")
    print(f"findings: {len(summary['findings'])} distinct, cases in {summary['out']}")
    for f in summary["findings"]:
        print(f"  {f['count']:5}x  {f['signature']}\n          {f['smallest']}")


def dry_run(opts, corpus):
    """The cases a seed gives, to check that generation is deterministic."""
    for run in range(opts.runs or 100):
        case = make_case(opts.seed, run, corpus)
        sizes = {n: len(d) for n, d in case.files.items()}
        print(json.dumps({"run": run, "args": case.args(), "mutations": case.mutations,
                          "files": sizes, "special": case.special, "interrupt": case.interrupt},
                         ensure_ascii=True))
    return 0


def fuzz(opts, corpus, lmc, work, out_dir):
    stats = Stats()
    deadline = time.monotonic() + opts.seconds if opts.seconds else None
    cases = {}

    def jobs():
        run = 0
        while opts.runs is None or run < opts.runs:
            case = make_case(opts.seed, run, corpus)
            cases[run] = case
            yield Job(f"run-{run}", case.sub, case.args(), case.files, case.special,
                      case.interrupt, opts.timeout)
            run += 1

    def done(job, outcome):
        case = cases.pop(int(job.name.split("-")[1]))
        stats.add(case, job, outcome)
        if outcome.cls != "OK":
            record_finding(stats, out_dir, job, case, outcome, opts.keep)
        stats.progress()

    stop = (lambda: time.monotonic() >= deadline) if deadline else (lambda: False)
    try:
        run_jobs(jobs(), lmc, work / "runs", opts.jobs, opts.mem_limit_mib, done, stop)
    except KeyboardInterrupt:  # still worth a summary
        print("fuzz_lmc: interrupted", file=sys.stderr)
    summary = stats.summary(out_dir)
    print_summary(summary)
    if opts.json:
        Path(opts.json).write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if summary["findings"] else 0


def record_finding(stats, out_dir, job, case, outcome, keep):
    """Keep the first few cases of each signature; remember the smallest."""
    sig = signature(job, outcome)
    entry = stats.findings.setdefault(sig, {"class": outcome.cls, "subcommand": job.sub,
                                            "line": outcome.line, "count": 0, "cases": [],
                                            "smallest": None, "size": None})
    entry["count"] += 1
    if len(entry["cases"]) >= keep:
        return
    directory = out_dir / f"{outcome.cls.lower()}-{job.sub.replace(' ', '-')}-s{case.seed}-r{case.run}"
    save_case(directory, job, case, outcome)
    entry["cases"].append(str(directory))
    size = sum(len(d) for d in needed_files(job).values())
    if entry["size"] is None or size < entry["size"]:
        entry["smallest"], entry["size"] = str(directory), size


def replay(opts, lmc, work):
    paths = sorted(Path(opts.replay).glob("**/case.json"))
    if not paths:
        print(f"fuzz_lmc: no case.json under {opts.replay}", file=sys.stderr)
        return 2
    bad = []

    def done(job, outcome):
        print(f"{outcome.cls:5} {job.name}: {outcome.reason}: {outcome.line}", flush=True)
        if outcome.cls != "OK":
            bad.append(job.name)

    if opts.mem_limit_mib == 0:
        # A case that needs the address-space limit (a runaway allocation that
        # must fail inside lmc) cannot run under a sanitizer, which takes none.
        kept = []
        for p in paths:
            if json.loads(p.read_text(encoding="utf-8")).get("needs_mem_limit"):
                print(f"SKIP  {p.parent.name}: needs an address-space limit", flush=True)
            else:
                kept.append(p)
        paths = kept
    jobs = [load_job(p, opts.timeout) for p in paths]
    for job, path in zip(jobs, paths):  # names as in the listing, unique
        relative = path.parent.relative_to(opts.replay)
        job.name = str(relative) if relative.parts else path.parent.resolve().name
    run_jobs(jobs, lmc, work / "replay", opts.jobs, opts.mem_limit_mib, done)
    print(f"{len(paths)} cases, {len(bad)} not OK")
    return 1 if bad else 0


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lmc", required=True, help="the lmc binary")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated cases (default 0)")
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--runs", type=int, help="number of runs")
    budget.add_argument("--seconds", type=float, help="start runs for this long")
    p.add_argument("--timeout", type=float, help="seconds before a run is killed (default 10; "
                   "with --replay, each case's own)")
    p.add_argument("--out", help="where findings go (default: a new temporary directory)")
    p.add_argument("--jobs", type=int, default=1, help="runs at once (default 1)")
    p.add_argument("--json", help="write the summary as JSON here")
    p.add_argument("--replay", nargs="?", const=str(DEFAULT_REGRESSIONS), metavar="DIR",
                   help=f"replay every case.json under DIR (default {DEFAULT_REGRESSIONS})")
    p.add_argument("--dry-run", action="store_true",
                   help="print each run's arguments, mutations and input sizes; run nothing")
    p.add_argument("--keep", type=int, default=3, help="cases kept per distinct finding (default 3)")
    p.add_argument("--examples", default=str(REPO / "examples"), help="seed configurations")
    p.add_argument("--mem-limit-mib", type=int, default=None,
                   help="address-space limit per run (default 2048; 0 for none; "
                   "always none for a sanitizer build)")
    opts = p.parse_args(argv)
    if opts.replay is None and opts.runs is None and opts.seconds is None:
        p.error("give --runs, --seconds or --replay")
    if opts.jobs < 1:
        p.error("--jobs must be at least 1")
    return opts


def is_sanitized(lmc):
    """Address and thread sanitizers reserve terabytes of address space: no
    RLIMIT_AS for them."""
    with open(lmc, "rb") as fh:
        data = fh.read()
    return b"__asan_init" in data or b"__tsan_init" in data


def main(argv):
    opts = parse_args(argv)
    lmc = str(Path(opts.lmc).resolve())
    if not os.access(lmc, os.X_OK):
        sys.exit(f"fuzz_lmc: {opts.lmc} is not an executable")
    if opts.mem_limit_mib is None:
        opts.mem_limit_mib = 0 if is_sanitized(lmc) else 2048
    if opts.mem_limit_mib == 0:
        global MEMORY_BOUND_KINDS
        MEMORY_BOUND_KINDS = ("bound", "fixed")
    work = Path(tempfile.mkdtemp(prefix="lmc-fuzz-work-"))
    try:
        if opts.replay is not None:
            return replay(opts, lmc, work)
        opts.timeout = opts.timeout or 10.0
        corpus = make_corpus(lmc, Path(opts.examples), work)
        if opts.dry_run:
            return dry_run(opts, corpus)
        out_dir = Path(opts.out) if opts.out else Path(tempfile.mkdtemp(prefix="lmc-fuzz-out-"))
        out_dir.mkdir(parents=True, exist_ok=True)
        code = fuzz(opts, corpus, lmc, work, out_dir)
        if not opts.out and not any(out_dir.iterdir()):
            out_dir.rmdir()  # nothing found: no empty directory left in /tmp by every CI run
        return code
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
