#!/usr/bin/env bash
# A run's output depends on the scenario and seed alone: the same scenario gives the
# same bytes with 1, 2 or 4 threads, a replication's data does not change when more
# replications run beside it, and a different seed gives different data.
# tests/e2e/compare_outputs.py does the comparing (every dataset, every root attribute
# but `created`).
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py and numpy).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

scenario="$VCSIM_SOURCE_DIR/scenarios/small.toml"
compare="$VCSIM_SOURCE_DIR/tests/e2e/compare_outputs.py"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# simulate NAME ARGS...: vcsim run the small scenario into $tmp/NAME.h5.
simulate() {
  local name=$1 rc=0
  shift
  "$VCSIM" run "$scenario" -q -o "$tmp/$name.h5" "$@" 2>"$tmp/$name.err" || rc=$?
  [[ $rc -eq 0 ]] ||
    fail "vcsim run $* exited with $rc; stderr: $(head -c 500 "$tmp/$name.err")"
  [[ -f "$tmp/$name.h5" ]] || fail "vcsim run $* exited 0 but wrote no file"
}

# same WHY A B [OPTIONS...]: compare_outputs.py must find A and B equal.
same() {
  local why=$1 a=$2 b=$3 rc=0
  shift 3
  "$PYTHON" "$compare" "$tmp/$a.h5" "$tmp/$b.h5" "$@" >"$tmp/compare.out" 2>&1 || rc=$?
  [[ $rc -eq 0 ]] || fail "$why: $(cat "$tmp/compare.out")"
}

simulate threads1 --replications 2 --threads 1
simulate threads2 --replications 2 --threads 2
simulate threads2_reps3 --replications 3 --threads 2
simulate threads4_reps3 --replications 3 --threads 4
simulate other_seed --replications 2 --threads 2 --seed 12345

same "--threads 1 and --threads 2 give different output" threads1 threads2
same "--threads 2 and --threads 4 give different output (3 replications)" \
  threads2_reps3 threads4_reps3
same "replications 0 and 1 change when a third runs beside them" \
  threads1 threads2_reps3 --replications 0,1

# A world larger than the engine's chunks of startups scanned in parallel (16,384 slots)
# and with many blocks of 256 seekers in each region's market: 1 and 2 threads agree.
many=(--set regions.CN.births=4000 --set regions.EU.births=4000 --set regions.US.births=4000)
simulate many1 --replications 1 --threads 1 "${many[@]}"
simulate many2 --replications 1 --threads 2 "${many[@]}"
"$PYTHON" - "$tmp/many1.h5" <<'PY' || fail "the larger world is not larger than one chunk of 16,384 startups"
import sys
import h5py
alive = h5py.File(sys.argv[1], "r")["timeseries/startups_alive"][...]
peak = alive.reshape(alive.shape[0], alive.shape[1], -1).sum(axis=-1).max()
sys.exit(0 if peak > 16384 else 1)
PY
same "--threads 1 and --threads 2 give different output for a world of 20,000 startups" many1 many2

# The comparison must be able to fail: a different seed gives different data, not only
# a different seed attribute (and the scenario text that records it).
rc=0
"$PYTHON" "$compare" "$tmp/threads2.h5" "$tmp/other_seed.h5" \
  --ignore-attr seed --ignore-attr scenario >"$tmp/compare.out" 2>&1 || rc=$?
case $rc in
  0) fail "--seed 12345 gives the same data as the scenario's seed: $(cat "$tmp/compare.out")" ;;
  1) grep -q "differ: /" "$tmp/compare.out" ||
       fail "--seed 12345: compare_outputs.py did not name a differing dataset: $(cat "$tmp/compare.out")" ;;
  *) fail "compare_outputs.py exited with $rc: $(cat "$tmp/compare.out")" ;;
esac
# And with every root attribute compared, the seed attribute itself differs.
rc=0
"$PYTHON" "$compare" "$tmp/threads2.h5" "$tmp/other_seed.h5" >"$tmp/compare.out" 2>&1 || rc=$?
[[ $rc -eq 1 ]] ||
  fail "--seed 12345: compare_outputs.py exited with $rc, expected 1: $(cat "$tmp/compare.out")"

echo "threads_identical: ok (threads 1, 2 and 4 agree, also for 20,000 startups; replications independent; seed matters)"
