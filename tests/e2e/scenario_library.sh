#!/usr/bin/env bash
# Every scenario in scenarios/ validates, runs for two replications, writes a file that
# passes the output check, and (for a policy scenario) puts its guidance funds in the
# output; so no scenario of the library can rot.
set -euo pipefail
: "${VCSIM:?}" "${VCSIM_SOURCE_DIR:?}" "${PYTHON:=/usr/bin/python3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for scenario in "$VCSIM_SOURCE_DIR"/scenarios/*.toml; do
  name=$(basename "$scenario" .toml)
  out="$tmp/$name.h5"
  rc=0
  "$VCSIM" run "$scenario" --replications 2 --threads 2 -q -o "$out" 2>"$tmp/$name.err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name: vcsim run exited $rc: $(head -c 300 "$tmp/$name.err")"
    continue
  fi
  "$PYTHON" "$VCSIM_SOURCE_DIR/analysis/vcsim_output.py" check "$out" >/dev/null ||
    fail "$name: the output check failed"
  if grep -q '^\[guidance_funds\.' "$scenario"; then
    "$PYTHON" - "$out" <<'PY' || fail "$name: guidance funds missing from the output"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    accounts = f["guidance/accounts"][...]
    measures = [m.decode() if isinstance(m, bytes) else m for m in f["guidance/measure"][...]]
    offered = accounts[:, -1, :, measures.index("offered")]
    assert (offered > 0).all(), f"a guidance fund offered nothing: {offered}"
PY
  fi
  echo "ok $name"
done
exit $((failures > 0))
