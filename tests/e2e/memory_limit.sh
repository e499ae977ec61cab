#!/usr/bin/env bash
# `vcsim run` estimates a run's peak memory before it starts and refuses one above
# --max-memory with exit code 2, the estimate in the message and no output file; a run
# below the limit proceeds; a limit that is not a size is refused as bad input.
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

# The baseline with 8 replications needs a few hundred MiB: far above 50M.
rc=0
"$VCSIM" run "$VCSIM_SOURCE_DIR/scenarios/baseline.toml" --replications 8 --threads 2 \
  --max-memory 50M -o "$tmp/big.h5" >/dev/null 2>"$tmp/big.err" || rc=$?
[[ $rc -eq 2 ]] || fail "a run above --max-memory exited $rc, expected 2: $(cat "$tmp/big.err")"
grep -qE "refusing to run: it needs about [0-9.]+ MiB \(2 worlds at once" "$tmp/big.err" ||
  fail "the refusal does not give the estimate: $(cat "$tmp/big.err")"
grep -qF "more than --max-memory 50M (50.0 MiB)" "$tmp/big.err" ||
  fail "the refusal does not give the limit: $(cat "$tmp/big.err")"
grep -qF "baseline.toml" "$tmp/big.err" || fail "the refusal does not name the scenario"
[[ -z "$(ls -A "$tmp" | grep -v '\.err$' || true)" ]] || fail "a refused run left files: $(ls "$tmp")"

# More replications need more memory: the estimate in the message grows by each
# replication's recorded arrays, about 4 MiB for the baseline (its fund table, 17 MiB,
# waits on disk and is not counted per replication).
"$VCSIM" run "$VCSIM_SOURCE_DIR/scenarios/baseline.toml" --replications 64 --threads 2 \
  --max-memory 50M -o "$tmp/big.h5" >/dev/null 2>"$tmp/bigger.err" || true
# estimate FILE: the estimate in MiB.
estimate() {
  sed -n 's/.*it needs about \([0-9.]*\) \([MG]\)iB.*/\1 \2/p' "$1" |
    awk '{ print $2 == "G" ? $1 * 1024 : $1 }'
}
small=$(estimate "$tmp/big.err")
large=$(estimate "$tmp/bigger.err")
[[ -n "$small" && -n "$large" ]] || fail "cannot read the estimates: $(cat "$tmp/bigger.err")"
awk -v a="$small" -v b="$large" 'BEGIN { exit !(b - a > 56 * 3 && b - a < 56 * 8) }' ||
  fail "64 replications are estimated at $large MiB, 8 at $small MiB: not 3-8 MiB more each"

# Below the limit the run proceeds.
"$VCSIM" run "$VCSIM_SOURCE_DIR/scenarios/small.toml" --replications 1 --threads 1 -q \
  --max-memory 4G -o "$tmp/small.h5" || fail "a small run under --max-memory 4G failed"
[[ -f "$tmp/small.h5" ]] || fail "a small run under --max-memory 4G wrote no file"

# A limit that is not a size is bad input.
rc=0
"$VCSIM" run "$VCSIM_SOURCE_DIR/scenarios/small.toml" --max-memory lots -o "$tmp/x.h5" \
  >/dev/null 2>"$tmp/bad.err" || rc=$?
[[ $rc -eq 2 ]] || fail "--max-memory lots exited $rc, expected 2"
grep -qF "memory size 'lots'" "$tmp/bad.err" || fail "no message for --max-memory lots"

echo "memory_limit: ok (estimates: 8 replications $small MiB, 64 replications $large MiB)"
