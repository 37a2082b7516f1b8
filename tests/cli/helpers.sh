# Shared by the command-line test scripts: source it after setting $work (a
# scratch directory); counts land in $passes and $failures.
failures=0
passes=0

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit code;
# output lands in $work/out and $work/err for the checks that follow.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"
    sed 's/^/  | /' "$work/out" "$work/err" | head -20
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
# contains FILE TEXT DESCRIPTION
contains() {
  if grep -qF -- "$2" "$1"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $3: '$2' not in $(basename "$1")"
    sed 's/^/  | /' "$1" | head -20
    failures=$((failures + 1))
  fi
}
# lacks FILE TEXT DESCRIPTION
lacks() {
  if grep -qF -- "$2" "$1"; then
    echo "FAIL: $3: '$2' in $(basename "$1")"
    grep -F -- "$2" "$1" | sed 's/^/  | /' | head -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
# check CONDITION DESCRIPTION: a shell test as a counted check.
check() {
  if eval "$1"; then
    passes=$((passes + 1))
  else
    echo "FAIL: $2 ($1)"
    failures=$((failures + 1))
  fi
}
