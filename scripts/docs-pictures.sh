#!/usr/bin/env bash
# Regenerates the pictures under docs/ that the README shows, each from a
# deterministic run of lmc (the model's searches, and lmc migrate on its
# virtual clock), so that a picture in the repository is the picture today's
# lmc draws.
#
# Usage: scripts/docs-pictures.sh [--check] [path/to/lmc]
#   --check   regenerate into a scratch directory and compare with docs/;
#             exit 1 and name the pictures that are out of date (the test
#             docs_pictures_current runs this in CI)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [[ ${1:-} == --check ]]; then
  check=1
  shift
fi
lmc=${1:-$root/build/lmc}
[[ -x $lmc ]] || {
  echo "docs-pictures: no lmc at $lmc (build it first, or pass its path)" >&2
  exit 2
}
out=$root/docs
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
((check)) && out=$scratch/docs
mkdir -p "$out"

# Each command's exit code is that of its verdict (1 for the counterexample
# and the aborted LM): only a missing picture is an error here.
"$lmc" check --mutant skip_final_copy -q --svg "$out/counterexample-skip-final-copy.svg" >/dev/null || true
"$lmc" review --preset default -q -o "$scratch/review.html" --svg "$out/review-default-catalogue.svg" || true
"$lmc" migrate --virtual-clock -q --fault link@copy --svg "$out/migrate-link-cut.svg" >/dev/null || true
"$lmc" migrate --virtual-clock -q --plot "$out/migrate-precopy.svg" >/dev/null || true

pictures=(counterexample-skip-final-copy review-default-catalogue migrate-link-cut migrate-precopy)
status=0
for name in "${pictures[@]}"; do
  if [[ ! -s $out/$name.svg ]]; then
    echo "docs-pictures: $name.svg was not drawn" >&2
    status=2
  elif ((check)) && ! cmp -s "$out/$name.svg" "$root/docs/$name.svg"; then
    echo "docs-pictures: docs/$name.svg is out of date: run scripts/docs-pictures.sh" >&2
    status=1
  fi
done
((status == 0)) && ((check)) && echo "docs-pictures: all ${#pictures[@]} pictures are current"
exit $status
