#!/usr/bin/env bash
# A sweep's file depends on the scenario alone: run with 1 thread, 2 threads, mpirun -n 2,
# as 3 shards merged, and killed half-way (SIGKILL) then resumed, it holds the same
# datasets bit for bit (tests/e2e/compare_outputs.py: every dataset, every root attribute
# but `created`); so does one stopped by SIGTERM and resumed. Each point's slab equals `vcsim run` of that point's scenario.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py and numpy).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

scenario="$VCSIM_SOURCE_DIR/tests/scenarios/sweep/tiny_grid.toml"
compare="$VCSIM_SOURCE_DIR/tests/e2e/compare_outputs.py"
points=6

tmp=$(mktemp -d)
cleanup() {
  [[ -n "${killed_pid:-}" ]] && kill -9 "$killed_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# sweep NAME ARGS...: vcsim sweep the tiny grid into $tmp/NAME.h5.
sweep() {
  local name=$1 rc=0
  shift
  "$VCSIM" sweep "$scenario" -q -o "$tmp/$name.h5" "$@" 2>"$tmp/$name.err" || rc=$?
  [[ $rc -eq 0 ]] || fail "vcsim sweep $* exited with $rc; stderr: $(head -c 500 "$tmp/$name.err")"
  [[ -f "$tmp/$name.h5" ]] || fail "vcsim sweep $* exited 0 but wrote no $name.h5"
}

same() {
  local why=$1 a=$2 b=$3 rc=0
  "$PYTHON" "$compare" "$tmp/$a.h5" "$tmp/$b.h5" >"$tmp/compare.out" 2>&1 || rc=$?
  [[ $rc -eq 0 ]] || fail "$why: $(cat "$tmp/compare.out")"
}

sweep threads1 --threads 1
[[ ! -e "$tmp/threads1.h5.points" ]] || fail "the checkpoint folder outlived a finished sweep"
sweep threads2 --threads 2
same "--threads 1 and --threads 2 give different sweeps" threads1 threads2

# Shards, merged in another order than their numbers.
for k in 1 2 3; do sweep "shard$k" --threads 1 --shard "$k/3"; done
"$VCSIM" merge -q "$tmp/shard3.h5" "$tmp/shard1.h5" "$tmp/shard2.h5" -o "$tmp/merged.h5" ||
  fail "vcsim merge of 3 shards failed"
same "3 shards merged differ from the whole sweep" threads1 merged

# MPI, when this vcsim was built with it.
# Under AddressSanitizer (the CI's sanitized suite), OpenMPI's own allocations that
# outlive MPI_Finalize are reported as leaks and fail the ranks; leak reports are turned
# off for the ranks only, and every other ASan and UBSan check stays on. A build without
# sanitizers ignores ASAN_OPTIONS.
if ldd "$VCSIM" | grep -q libmpi; then
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
    mpirun -n 2 --oversubscribe -x ASAN_OPTIONS "$VCSIM" sweep "$scenario" -q --threads 1 -o "$tmp/mpi2.h5" \
    >"$tmp/mpi2.err" 2>&1 || fail "mpirun -n 2 vcsim sweep failed: $(tail -c 800 "$tmp/mpi2.err")"
  same "mpirun -n 2 differs from the whole sweep" threads1 mpi2
  mpi="mpirun -n 2, "
else
  echo "sweep_identical: vcsim built without MPI; mpirun case not run" >&2
  mpi=""
fi

# interrupt SIGNAL NAME: start the sweep into $tmp/NAME.h5 and send SIGNAL once some but
# not all points are done; sets done_before to the points its checkpoint kept.
interrupt() {
  local signal=$1 name=$2
  "$VCSIM" sweep "$scenario" -q --threads 1 -o "$tmp/$name.h5" 2>"$tmp/$name.err" &
  killed_pid=$!
  count_points() { find "$tmp/$name.h5.points" -name 'point_*.h5' 2>/dev/null | wc -l; }
  for _ in $(seq 1 3000); do
    [[ $(count_points) -ge 2 ]] && break
    kill -0 "$killed_pid" 2>/dev/null || break
    sleep 0.01
  done
  kill "-$signal" "$killed_pid" 2>/dev/null || true
  wait "$killed_pid" 2>/dev/null || true
  killed_pid=""
  done_before=$(count_points)
  [[ $done_before -ge 1 && $done_before -lt $points ]] ||
    fail "expected the $signal sweep to have finished some but not all points, found $done_before"
  [[ ! -e "$tmp/$name.h5" ]] || fail "a sweep killed by $signal left a file under the final name"
}

# resume NAME DONE_BEFORE: --resume must run only the missing points.
resume() {
  local name=$1 before=$2
  "$VCSIM" sweep "$scenario" --resume --threads 2 -o "$tmp/$name.h5" >"$tmp/resume.out" 2>&1 ||
    fail "vcsim sweep --resume failed: $(cat "$tmp/resume.out")"
  grep -q "($((points - before)) points run now, $before resumed)" "$tmp/resume.out" ||
    fail "--resume should run only the $((points - before)) missing points: $(cat "$tmp/resume.out")"
}

# SIGKILL: nothing runs at the end; the checkpoint keeps the finished points.
interrupt KILL killed
rc=0
"$VCSIM" sweep "$scenario" -q --threads 1 -o "$tmp/killed.h5" 2>"$tmp/again.err" || rc=$?
[[ $rc -eq 2 ]] && grep -q "pass --resume" "$tmp/again.err" ||
  fail "restarting without --resume: expected exit 2 asking for --resume, got $rc: $(cat "$tmp/again.err")"
resume killed "$done_before"
same "killed and resumed differs from the whole sweep" threads1 killed
killed_after=$done_before

# SIGTERM (as Ctrl-C's SIGINT): the sweep says how to resume.
interrupt TERM terminated
grep -q "interrupted; the finished points are kept in .*--resume" "$tmp/terminated.err" ||
  fail "SIGTERM: expected a message on how to resume, got: $(cat "$tmp/terminated.err")"
resume terminated "$done_before"
same "terminated and resumed differs from the whole sweep" threads1 terminated

# Point 3 is max_dilution at its middle step and 250 US births (grid order: the first
# parameter in name order varies slowest); --dry-run prints its values as the sweep uses them.
row=$("$VCSIM" sweep "$scenario" --dry-run | grep '^3,') || fail "--dry-run has no point 3"
IFS=, read -r _ dilution births <<<"$row"
[[ $births == 250 ]] || fail "--dry-run point 3: expected 250 US births, got $row"
"$VCSIM" run "$scenario" -q --replications 2 --set "regions.US.births=$births" \
  --set "market.max_dilution=$dilution" -o "$tmp/point3.h5" || fail "vcsim run of point 3 failed"
"$PYTHON" - "$tmp/threads1.h5" "$tmp/point3.h5" <<'PY' || fail "sweep file content"
import sys, h5py, numpy as np
sweep, run = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = [n.decode() for n in sweep["design/parameter"][()]]
assert names == ["market.max_dilution", "regions.US.births"], names
assert abs(sweep["design/values"][3][0] - 0.3) < 1e-12 and sweep["design/values"][3][1] == 250
assert sweep["timeseries/births"].shape[:2] == (6, 2)
for group in ("timeseries", "yearly", "cohorts", "summary"):
    for name, ds in run[group].items():
        if ds.attrs.get("CLASS") == b"DIMENSION_SCALE":
            continue
        a, b = sweep[group][name][3], ds[()]
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), "%s/%s differs" % (group, name)
f = sweep["funds"]
mine = f["point"][()] == 3
assert (f["size"][()][mine].tobytes() == run["funds/size"][()].tobytes())
births = sweep["timeseries/births"][()].reshape(6, -1).sum(axis=1)
assert births[0] != births[1] and births[0] == births[2] != births[3], births
PY

echo "sweep_identical: ok (threads 1 and 2, ${mpi}3 shards merged, SIGKILL after $killed_after and SIGTERM after $done_before of $points points then --resume)"
