#!/usr/bin/env bash
# Output integrity under faults: a write that fails part-way (here the file-size limit
# of `ulimit -f`, which acts like a full disk), of the output or of the temporary file a
# replication's fund table waits in, gives a clear error naming the file, exit code 1
# and no partial file, and leaves a previous complete file untouched.
# `vcsim info` refuses an empty, truncated, non-HDF5 or foreign HDF5 file with a
# message naming it and a non-zero exit, never a crash.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

scenario="$VCSIM_SOURCE_DIR/scenarios/small.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A complete file to start from.
"$VCSIM" run "$scenario" --replications 1 --threads 1 -q -o "$tmp/out.h5" ||
  fail "vcsim run of $scenario failed"
before=$(sha256sum <"$tmp/out.h5")
size_kib=$(($(stat -c %s "$tmp/out.h5") / 1024))
[[ $size_kib -gt 64 ]] || fail "the output is only $size_kib KiB, too small to cut short"

# --------------------------------------------------- a write cut short (full disk)
# ulimit -f counts 1024-byte blocks; half the file's size stops the write half-way.
rc=0
(ulimit -f $((size_kib / 2)) && exec "$VCSIM" run "$scenario" --replications 1 --threads 1 -q \
  -o "$tmp/out.h5") >"$tmp/full.out" 2>"$tmp/full.err" || rc=$?
[[ $rc -eq 1 ]] || fail "a write past the file-size limit exited $rc, expected 1: $(cat "$tmp/full.err")"
grep -qF "out.h5" "$tmp/full.err" || fail "the error does not name the file: $(cat "$tmp/full.err")"
leftovers=$(cd "$tmp" && ls -d out.h5.tmp* 2>/dev/null || true)
[[ -z "$leftovers" ]] || fail "the failed write left $leftovers behind"
[[ "$(sha256sum <"$tmp/out.h5")" == "$before" ]] ||
  fail "the failed write changed the previous complete file"

# The same with no previous file: nothing under the output's name.
rc=0
(ulimit -f $((size_kib / 2)) && exec "$VCSIM" run "$scenario" --replications 1 --threads 1 -q \
  -o "$tmp/new.h5") >/dev/null 2>"$tmp/full.err" || rc=$?
[[ $rc -eq 1 ]] || fail "a write past the file-size limit exited $rc, expected 1"
leftovers=$(cd "$tmp" && ls -d new.h5* 2>/dev/null || true)
[[ -z "$leftovers" ]] || fail "the failed write left $leftovers behind"

# A full disk while a finished replication's fund table is spooled (io/run_spool.hpp):
# the small scenario's table is about 90 KiB, past a 40 KiB limit.
rc=0
(ulimit -f 40 && exec "$VCSIM" run "$scenario" --replications 1 --threads 1 -q \
  -o "$tmp/spool.h5") >/dev/null 2>"$tmp/spool.err" || rc=$?
[[ $rc -eq 1 ]] || fail "a spool write past the file-size limit exited $rc, expected 1: $(cat "$tmp/spool.err")"
grep -qE "spool\.h5\.funds\.tmp\.[0-9]+: cannot write a temporary table" "$tmp/spool.err" ||
  fail "the error does not name the spool file: $(cat "$tmp/spool.err")"
leftovers=$(cd "$tmp" && ls -d spool.h5* 2>/dev/null || true)
[[ -z "$leftovers" ]] || fail "the failed spool write left $leftovers behind"

# ---------------------------------------------------------- vcsim info on bad files
check_refused() {
  local label=$1 file=$2 rc=0
  "$VCSIM" info "$file" >"$tmp/info.out" 2>"$tmp/info.err" || rc=$?
  [[ $rc -ne 0 ]] || fail "vcsim info on $label exited 0, expected an error"
  [[ $rc -lt 128 ]] || fail "vcsim info on $label crashed (exit $rc, signal $((rc - 128)))"
  grep -qF -- "$(basename "$file")" "$tmp/info.err" ||
    fail "vcsim info on $label does not name the file: $(head -c 300 "$tmp/info.err")"
}
: >"$tmp/empty.h5"
check_refused "an empty file" "$tmp/empty.h5"
for cut in 512 4096 $((size_kib * 1024 / 2)) $((size_kib * 1024 - 100)); do
  head -c "$cut" "$tmp/out.h5" >"$tmp/cut_$cut.h5"
  check_refused "the output cut to $cut bytes" "$tmp/cut_$cut.h5"
done
head -c 20000 /dev/urandom >"$tmp/noise.h5"
check_refused "random bytes" "$tmp/noise.h5"
check_refused "a scenario file" "$scenario"
check_refused "a folder" "$tmp"
check_refused "a missing file" "$tmp/missing.h5"
"$PYTHON" - "$tmp/foreign.h5" "$tmp/wrong_version.h5" "$tmp/out.h5" <<'PY'
import shutil, sys
import h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:           # HDF5, but not written by vcsim
    f["data"] = np.arange(10)
shutil.copy(sys.argv[3], sys.argv[2])            # a vcsim file from a future major version
with h5py.File(sys.argv[2], "r+") as f:
    f.attrs["format_version"] = np.array([99, 0], dtype=np.int32)
PY
check_refused "an HDF5 file that is not a vcsim output" "$tmp/foreign.h5"
check_refused "a vcsim file of an unknown major version" "$tmp/wrong_version.h5"
grep -qi "version" "$tmp/info.err" ||
  fail "vcsim info on an unknown version does not say so: $(cat "$tmp/info.err")"

echo "output_integrity: ok"
