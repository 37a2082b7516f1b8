#!/usr/bin/env bash
# Installs what lmc needs to build (and with --tests, to test), from Debian 12's packages.
# Idempotent and quiet: it calls apt-get only when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libz3-dev libboost-graph-dev libcli11-dev librange-v3-dev
  catch2 librapidcheck-dev
  libfmt-dev nlohmann-json3-dev libxxhash-dev
  libzstd-dev liblz4-dev libbenchmark-dev
  spin python3
)
# Open MPI for `lmc check --distributed` (optional at build time: without it
# lmc builds and runs, and --distributed says it is missing).
mpi_packages=(libopenmpi-dev openmpi-bin)
# --tests: also what only the test suite needs (headless Chromium renders the
# review's pictures; python3-jsonschema checks the JSON outputs; pgrep (procps)
# finds the processes the signal tests stop; the MPI tests
# run 2 and 4 ranks). --mpi: Open MPI alone.
if [[ ${1:-} == --tests ]]; then
  packages+=(chromium python3-jsonschema procps "${mpi_packages[@]}")
elif [[ ${1:-} == --mpi ]]; then
  packages+=("${mpi_packages[@]}")
elif [[ $# -gt 0 ]]; then
  echo "usage: bash scripts/setup.sh [--tests | --mpi]" >&2
  exit 2
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
