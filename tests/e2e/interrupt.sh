#!/usr/bin/env bash
# Ctrl-C (SIGINT) or SIGTERM during `vcsim run` stops it within a second (measured
# from the signal to the program's exit; MAX_STOP_MS allows for a loaded machine), with
# exit code 130 or 143, a message saying what was lost, and no output file, finished or
# partial, nor the temporary file the fund tables wait in while the run goes on; a
# previous file under the output's name is left as it was. SIGKILL, which cannot be
# handled, leaves the previous file too.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree).
set -euo pipefail
set -m  # background jobs in their own process group, with SIGINT not ignored
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"

scenario="$VCSIM_SOURCE_DIR/scenarios/baseline.toml"
max_stop_ms=${MAX_STOP_MS:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# interrupt SIGNAL EXPECTED_EXIT OUTPUT: starts a run of many minutes, sends SIGNAL once
# it is simulating, and checks how it ended.
interrupt() {
  local signal=$1 expected=$2 output=$3
  "$VCSIM" run "$scenario" --replications 64 --threads 2 -o "$output" \
    >"$tmp/run.out" 2>"$tmp/run.err" &
  local pid=$!
  sleep 2
  kill -0 "$pid" 2>/dev/null || fail "the run ended before $signal: $(cat "$tmp/run.err")"
  compgen -G "$output.funds.tmp.$pid" >/dev/null || fail "no fund spool beside $output while running"
  local sent rc=0
  sent=$(date +%s%N)
  kill -s "$signal" "$pid"
  wait "$pid" || rc=$?
  local stop_ms=$((($(date +%s%N) - sent) / 1000000))
  echo "$signal: exit $rc after $stop_ms ms"
  [[ $rc -eq $expected ]] || fail "$signal: exit $rc, expected $expected; $(cat "$tmp/run.err")"
  [[ $stop_ms -lt $max_stop_ms ]] || fail "$signal: took $stop_ms ms to stop"
  grep -qF "interrupted by $signal" "$tmp/run.err" ||
    fail "$signal: no message saying so: $(cat "$tmp/run.err")"
  grep -qF "replication-months simulated; those results are lost" "$tmp/run.err" ||
    fail "$signal: the message does not say what was lost: $(cat "$tmp/run.err")"
  local leftovers
  leftovers=$(compgen -G "$output.*tmp*" || true)
  [[ -z "$leftovers" ]] || fail "$signal: left $leftovers behind"
}

interrupt SIGINT 130 "$tmp/int.h5"
[[ ! -e "$tmp/int.h5" ]] || fail "SIGINT: an output file was written"
grep -qF "int.h5 was not written" "$tmp/run.err" || fail "SIGINT: $(cat "$tmp/run.err")"

echo "a previous result" >"$tmp/term.h5"
interrupt SIGTERM 143 "$tmp/term.h5"
[[ "$(cat "$tmp/term.h5")" == "a previous result" ]] || fail "SIGTERM: the previous file changed"
grep -qF "the existing file is unchanged" "$tmp/run.err" || fail "SIGTERM: $(cat "$tmp/run.err")"

# SIGKILL cannot be caught: the run dies at once, and the output's name still holds
# either nothing or the previous complete file, never a partial one.
echo "a previous result" >"$tmp/kill.h5"
"$VCSIM" run "$scenario" --replications 64 --threads 2 -o "$tmp/kill.h5" >/dev/null 2>&1 &
pid=$!
sleep 2
kill -s SIGKILL "$pid"
wait "$pid" || true
[[ "$(cat "$tmp/kill.h5")" == "a previous result" ]] || fail "SIGKILL: the previous file changed"

echo "interrupt: ok"
