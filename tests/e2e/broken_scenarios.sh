#!/usr/bin/env bash
# Every scenario in tests/scenarios/broken must be refused where it is read: `vcsim
# validate` and `vcsim run` exit with 2 and print, on stderr, the file's name and what
# is wrong (the text on the file's first line, `# expect: TEXT`); `run` must leave no
# output file, finished or partial, behind.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree).
set -u
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"

corpus="$VCSIM_SOURCE_DIR/tests/scenarios/broken"
min_corpus=40  # the reliability promise: at least 40 kinds of broken input
# A scenario that is wrongly accepted must not hold the suite up with a long run.
run_limit_s=120

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

failures=0
fail() {
  echo "FAIL $1: $2"
  failures=$((failures + 1))
}

# check_refusal NAME COMMAND EXIT_CODE STDERR_FILE EXPECT
check_refusal() {
  local name=$1 command=$2 rc=$3 err=$4 expect=$5
  if [[ $rc -ne 2 ]]; then
    fail "$name" "vcsim $command exited with $rc, expected 2; stderr: $(head -c 300 "$err")"
    return
  fi
  grep -qF -- "$expect" "$err" ||
    fail "$name" "vcsim $command stderr lacks '$expect': $(head -c 300 "$err")"
  grep -qF -- "$name" "$err" ||
    fail "$name" "vcsim $command stderr does not name the file: $(head -c 300 "$err")"
}

checked=0
for file in "$corpus"/*.toml; do
  name=$(basename "$file")
  expect=$(sed -n '1s/^# expect: //p' "$file")
  if [[ -z "$expect" ]]; then
    fail "$name" "the first line is not '# expect: TEXT'"
    continue
  fi

  "$VCSIM" validate "$file" >/dev/null 2>"$tmpdir/stderr"
  check_refusal "$name" validate $? "$tmpdir/stderr" "$expect"

  timeout "$run_limit_s" "$VCSIM" run "$file" -o "$tmpdir/out.h5" >/dev/null 2>"$tmpdir/stderr"
  check_refusal "$name" run $? "$tmpdir/stderr" "$expect"

  leftovers=$(cd "$tmpdir" && ls -d out.h5* 2>/dev/null)
  if [[ -n "$leftovers" ]]; then
    fail "$name" "vcsim run left output behind: $leftovers"
    rm -rf "$tmpdir"/out.h5*
  fi
  checked=$((checked + 1))
done

if [[ $checked -lt $min_corpus ]]; then
  fail "corpus" "$checked scenarios in $corpus, expected at least $min_corpus"
fi
echo "broken scenarios: $checked checked, $failures failures"
[[ $failures -eq 0 ]]
