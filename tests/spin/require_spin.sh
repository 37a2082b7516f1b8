# Sourced by the SPIN comparisons: exits 77 (CTest: skipped) where spin is not
# installed, except in CI, where scripts/setup.sh must have installed it.
if ! command -v spin >/dev/null 2>&1; then
  if [[ ${CI:-} == true ]]; then
    echo "FAIL: spin is not installed in CI (scripts/setup.sh installs it)"
    exit 1
  fi
  echo "spin not installed: skipped"
  exit 77
fi
