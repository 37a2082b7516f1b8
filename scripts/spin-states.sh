#!/usr/bin/env bash
# Counts the states SPIN stores for a Promela model, as an independent check
# of lmc's state counts (see spec/promela/*.pml).
#
# Usage: scripts/spin-states.sh [--collapse] [--stats] [--verbose] FILE.pml [-DNAME=VALUE ...]
#
#   Generates pan with `spin -a` (passing the -D defines) in a temporary
#   directory, compiles it for an exhaustive safety search without partial
#   order reduction, runs it ignoring invalid end states and assertions (-E
#   -A) so the whole reachable state space is counted, and prints one line:
#   the number of states stored.
#
#   --collapse   compile pan with -DCOLLAPSE (compressed state storage)
#   --stats      print one JSON line instead: states, seconds,
#                states_per_second, memory_mb, bytes_per_state
#   --verbose    print spin's, gcc's and pan's full output on stderr
#                (same as SPIN_STATES_VERBOSE=1)
#
# Environment: SPIN_STATES_DEPTH overrides pan's depth bound (-m, default
# 10000000); SPIN_STATES_HASH sets pan's hash table to 2^N slots (-wN,
# default 24; tens of millions of states want 26 or more);
# SPIN_STATES_MEMLIM caps pan's memory in MB (-DMEMLIM, default three
# quarters of this machine's memory: -DCOLLAPSE on tens of millions of
# states needs more than pan's usual 8000);
# SPIN_STATES_VERBOSE=1 is --verbose.
# Fails (non-zero exit, message on stderr) when spin or gcc is missing, when
# pan stops early (depth bound, memory limit, any error), or when its output
# cannot be parsed.
set -euo pipefail

prog=${0##*/}
die() {
  echo "$prog: $*" >&2
  exit 1
}
usage() {
  # the comment block at the top of this file, from its "Usage:" line
  sed -n '/^# Usage:/,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
}

collapse=0
stats=0
verbose=${SPIN_STATES_VERBOSE:-0}
depth=${SPIN_STATES_DEPTH:-10000000}
hash=${SPIN_STATES_HASH:-24}
memlim=${SPIN_STATES_MEMLIM:-$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 3 / 4 }' /proc/meminfo 2>/dev/null || true)}
memlim=${memlim:-8000}
file=""
defines=()
for arg in "$@"; do
  case $arg in
    --collapse) collapse=1 ;;
    --stats) stats=1 ;;
    --verbose | -v) verbose=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    -D*) defines+=("$arg") ;;
    -*)
      usage >&2
      die "unknown option: $arg"
      ;;
    *)
      [[ -z $file ]] || die "only one model file expected, got '$file' and '$arg'"
      file=$arg
      ;;
  esac
done
[[ -n $file ]] || {
  usage >&2
  die "no model file given"
}
[[ -f $file ]] || die "no such file: $file"
[[ $depth =~ ^[0-9]+$ ]] || die "SPIN_STATES_DEPTH must be a number, got '$depth'"
[[ $memlim =~ ^[0-9]+$ ]] || die "SPIN_STATES_MEMLIM must be a number of MB, got '$memlim'"
command -v spin >/dev/null 2>&1 || die "spin not found on PATH (Debian: apt-get install spin)"
command -v gcc >/dev/null 2>&1 || die "gcc not found on PATH (Debian: apt-get install gcc)"

model=$(realpath "$file")
work=$(mktemp -d "${TMPDIR:-/tmp}/spin-states.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# Shows a step's output when verbose, or when it failed.
show() {
  local title=$1 log=$2
  {
    echo "---- $title ----"
    cat "$log"
  } >&2
}

if ! spin -a "${defines[@]}" "$model" >spin.log 2>&1 || [[ ! -f pan.c ]]; then
  show "spin -a ${defines[*]} $model" spin.log
  die "spin -a failed"
fi
((verbose)) && show "spin -a ${defines[*]} $model" spin.log

cflags=(-O2 -DSAFETY -DNOREDUCE "-DMEMLIM=$memlim")
((collapse)) && cflags+=(-DCOLLAPSE)
if ! gcc "${cflags[@]}" -o pan pan.c >gcc.log 2>&1; then
  show "gcc ${cflags[*]} -o pan pan.c" gcc.log
  die "gcc failed to compile pan.c"
fi
((verbose)) && [[ -s gcc.log ]] && show "gcc ${cflags[*]}" gcc.log

status=0
./pan -E -A "-m$depth" "-w$hash" >pan.log 2>&1 || status=$?
((verbose)) && show "./pan -E -A -m$depth -w$hash" pan.log

fail() {
  ((verbose)) || show "./pan -E -A -m$depth -w$hash" pan.log
  die "$*"
}
((status == 0)) || fail "pan exited with status $status"
if grep -q "max search depth too small" pan.log; then
  fail "pan's depth bound -m$depth was too small; raise SPIN_STATES_DEPTH"
fi
if grep -qiE "VECTORSZ|out of memory|MEMLIM|search not completed" pan.log; then
  fail "pan did not complete the search (see its output above)"
fi
errors=$(sed -nE 's/.*errors: ([0-9]+).*/\1/p' pan.log | head -n1)
[[ -n $errors ]] || fail "cannot find 'errors:' in pan's output"
((errors == 0)) || fail "pan reported $errors error(s), so the count may be partial"

states=$(sed -nE 's/^[[:space:]]*([0-9]+) states, stored.*/\1/p' pan.log | head -n1)
[[ -n $states ]] || fail "cannot find 'N states, stored' in pan's output"

if ((!stats)); then
  echo "$states"
  exit 0
fi

number='[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?'
seconds=$(sed -nE "s/^pan: elapsed time ($number) seconds.*/\1/p" pan.log | head -n1)
rate=$(sed -nE "s/^pan: rate ($number) states\/second.*/\1/p" pan.log | head -n1)
memory=$(sed -nE "s/^[[:space:]]*($number)[[:space:]]+total actual memory usage.*/\1/p" pan.log |
  head -n1)
[[ -n $seconds ]] || fail "cannot find 'elapsed time' in pan's output"
[[ -n $memory ]] || fail "cannot find 'total actual memory usage' in pan's output"
if [[ -z $rate ]]; then
  # pan leaves out its rate line when the run took no measurable time.
  rate=$(awk -v s="$states" -v t="$seconds" 'BEGIN { if (t > 0) printf "%.1f", s / t; else print "null" }')
fi
# Bytes per state: pan's "actual memory usage for states" over the states
# stored. It leaves out pan's preallocated hash table (-w24: 128 MB), which
# lmc's own figure includes for its table, so the comparison favours pan.
state_mb=$(sed -nE "s/^[[:space:]]*($number)[[:space:]]+actual memory usage for states.*/\1/p" pan.log |
  head -n1)
[[ -n $state_mb ]] || fail "cannot find 'actual memory usage for states' in pan's output"
bytes_per_state=$(awk -v m="$state_mb" -v s="$states" 'BEGIN { printf "%.1f", m * 1048576 / s }')
printf '{"states": %s, "seconds": %s, "states_per_second": %s, "memory_mb": %s, "bytes_per_state": %s}\n' \
  "$states" "$seconds" "$rate" "$memory" "$bytes_per_state"
