#!/usr/bin/env bash
# The vcsim commands other than a full run: `plan` prints the month's eight phases in
# order, `validate` accepts every scenario shipped in scenarios/ (so none can rot),
# `--version` works, a bad command line exits with 2, and `run` into a folder that does
# not exist fails before simulating and writes nothing.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------- plan
rc=0
"$VCSIM" plan >"$tmp/plan.out" 2>"$tmp/plan.err" || rc=$?
[[ $rc -eq 0 ]] || fail "vcsim plan exited with $rc; stderr: $(head -c 300 "$tmp/plan.err")"
expected="events births dynamics market exits funds fundraising record"
# Numbered lines: "  1. events       [3.1] ..."
phases=$(sed -n 's/^ *[0-9][0-9]*\. *\([a-z_]*\).*/\1/p' "$tmp/plan.out" | tr '\n' ' ' |
  sed 's/ $//')
[[ "$phases" == "$expected" ]] ||
  fail "vcsim plan lists the phases '$phases', expected '$expected':
$(cat "$tmp/plan.out")"
numbers=$(sed -n 's/^ *\([0-9][0-9]*\)\. .*/\1/p' "$tmp/plan.out" | tr '\n' ' ' | sed 's/ $//')
[[ "$numbers" == "1 2 3 4 5 6 7 8" ]] ||
  fail "vcsim plan numbers its steps '$numbers', expected '1 2 3 4 5 6 7 8'"

# ---------------------------------------------------------------------------- validate
validated=0
for file in "$VCSIM_SOURCE_DIR"/scenarios/*.toml; do
  [[ -e "$file" ]] || break
  rc=0
  "$VCSIM" validate "$file" >"$tmp/validate.out" 2>"$tmp/validate.err" || rc=$?
  [[ $rc -eq 0 ]] ||
    fail "vcsim validate $(basename "$file") exited with $rc: $(head -c 500 "$tmp/validate.err")"
  grep -qF "valid" "$tmp/validate.out" ||
    fail "vcsim validate $(basename "$file") did not say it is valid: $(cat "$tmp/validate.out")"
  validated=$((validated + 1))
done
[[ $validated -ge 2 ]] ||
  fail "$validated scenarios in $VCSIM_SOURCE_DIR/scenarios, expected at least baseline and small"

# ---------------------------------------------------------------------------- version
rc=0
"$VCSIM" --version >"$tmp/version.out" 2>&1 || rc=$?
[[ $rc -eq 0 ]] || fail "vcsim --version exited with $rc: $(cat "$tmp/version.out")"
grep -q '^vcsim [0-9]' "$tmp/version.out" ||
  fail "vcsim --version printed '$(cat "$tmp/version.out")', expected 'vcsim VERSION ...'"

# ---------------------------------------------------------------------------- bad usage
# expect_usage_error LABEL ARGS...: vcsim exits with 2 and says something on stderr.
expect_usage_error() {
  local label=$1 rc=0
  shift
  "$VCSIM" "$@" >"$tmp/usage.out" 2>"$tmp/usage.err" || rc=$?
  [[ $rc -eq 2 ]] || fail "vcsim $label exited with $rc, expected 2"
  [[ -s "$tmp/usage.err" ]] || fail "vcsim $label exited 2 without a message on stderr"
}
small="$VCSIM_SOURCE_DIR/scenarios/small.toml"
expect_usage_error "(no arguments)"
expect_usage_error "--no-such-option" --no-such-option
expect_usage_error "no-such-command" no-such-command
expect_usage_error "run --no-such-option" run "$small" --no-such-option -o "$tmp/bad.h5"
expect_usage_error "run (no scenario)" run
expect_usage_error "run --threads 0" run "$small" --threads 0 -o "$tmp/bad.h5"
expect_usage_error "validate (no scenario)" validate
[[ ! -e "$tmp/bad.h5" ]] || fail "vcsim run with a bad command line wrote $tmp/bad.h5"

# ---------------------------------------------------------------------------- run
mkdir "$tmp/work"
rc=0
(cd "$tmp/work" && "$VCSIM" run "$small" -o "$tmp/work/missing/out.h5" \
  >"$tmp/missing.out" 2>"$tmp/missing.err") || rc=$?
[[ $rc -ne 0 ]] || fail "vcsim run into a folder that does not exist exited 0"
[[ $rc -lt 128 ]] || fail "vcsim run into a folder that does not exist crashed (exit $rc)"
grep -qF "missing" "$tmp/missing.err" ||
  fail "vcsim run into a missing folder does not name it: $(head -c 300 "$tmp/missing.err")"
written=$(ls -A "$tmp/work")
[[ -z "$written" ]] || fail "vcsim run into a missing folder wrote: $written"

echo "commands: ok (plan, validate on $validated scenarios, --version, usage errors, run)"
