#!/usr/bin/env bash
# The one-way rule (spec/architecture.md): every #include of a project header
# goes to the file's own folder or to a folder its layer may use, so that
# dependencies point one way,
#   checker/cli -> properties -> {model, refimpl} -> checker/engine,
# (checker/cli -> checker/mpi -> checker/engine: the optional MPI transport),
# and the reference implementation reads only the cluster configuration of
# the model's side. Prints every include that breaks the rule; exit 1 if any.
# `check_includes.sh --self-test` shows that it can fail: an engine header
# that includes the cluster model must be reported.
set -u
if [[ ${1:-} == --self-test ]]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/checker/engine"
  printf '#include "checker/engine/result.hpp"\n#include "model/cluster/cluster_model.hpp"\n' \
    >"$scratch/checker/engine/bad.hpp"
  if "$0" "$scratch" | grep -q "checker/engine may not depend on model/cluster"; then
    echo "self-test: the bad include was reported"
    exit 0
  fi
  echo "self-test: FAIL, an engine header including the cluster model went unreported"
  exit 1
fi
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2

# folder: the other folders it may include (its own is always allowed)
declare -A allowed=(
  [checker/engine]=""
  [checker/mpi]="checker/engine"
  [model/classic]="checker/engine"
  [model/cluster/config]=""
  [model/cluster]="checker/engine model/cluster/config"
  [model/cluster/prereq]="checker/engine model/cluster model/cluster/config"
  [model/cluster/traces]="checker/engine model/cluster model/cluster/config"
  [model/cluster/review]="checker/engine model/cluster model/cluster/config model/cluster/traces"
  [model/cluster/check]="checker/engine model/cluster model/cluster/config model/cluster/prereq model/cluster/traces model/cluster/review"
  [refimpl/core]=""
  [refimpl/memory]="refimpl/core"
  [refimpl/transport]="refimpl/core refimpl/memory"
  [refimpl/transfer]="refimpl/core refimpl/memory refimpl/transport"
  [refimpl/cluster]="refimpl/core refimpl/transport model/cluster/config"
  [refimpl/lm]="refimpl/core refimpl/memory refimpl/transport refimpl/transfer refimpl/cluster model/cluster/config"
  [properties/conformance]="checker/engine model/cluster model/cluster/config refimpl/core refimpl/memory refimpl/transport refimpl/transfer refimpl/cluster refimpl/lm"
  [properties]="checker/engine model/cluster model/cluster/config model/cluster/prereq model/cluster/traces model/cluster/review model/cluster/check refimpl/core refimpl/memory refimpl/transport refimpl/transfer refimpl/cluster refimpl/lm properties/conformance"
  [checker/cli]="checker/engine checker/mpi model/classic model/cluster model/cluster/config model/cluster/prereq model/cluster/traces model/cluster/review model/cluster/check refimpl/core refimpl/memory refimpl/transport refimpl/transfer refimpl/cluster refimpl/lm properties/conformance"
)

broken=0
checked=0
while IFS= read -r file; do
  folder=$(dirname "$file")
  if [[ ! -v "allowed[$folder]" ]]; then
    echo "no layer rule for folder $folder ($file): add it to $0"
    broken=$((broken + 1))
    continue
  fi
  while IFS= read -r target; do
    checked=$((checked + 1))
    dir=$(dirname "$target")
    [[ $dir == "$folder" ]] && continue
    ok=0
    for may in ${allowed[$folder]}; do [[ $dir == "$may" ]] && ok=1; done
    if ((!ok)); then
      echo "$file includes $target: $folder may not depend on $dir"
      broken=$((broken + 1))
    fi
  done < <(sed -nE 's/^#include "((checker|model|refimpl|properties)\/[^"]+)".*/\1/p' "$file")
done < <(find checker model refimpl properties -name '*.[ch]pp' 2>/dev/null | sort)

echo "$checked project includes checked, $broken against the one-way rule"
((broken == 0))
