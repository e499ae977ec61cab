#!/usr/bin/env bash
# Bad sweeps and bad merges are refused with exit code 2 and a message naming the file,
# the key or the shard and what was expected, before anything runs or is written.
#
# Environment: VCSIM, VCSIM_SOURCE_DIR, PYTHON (a Python with h5py).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

tiny="$VCSIM_SOURCE_DIR/tests/scenarios/sweep/tiny_grid.toml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# refused WHAT EXPECTED_TEXT COMMAND...: the command must exit 2, print EXPECTED_TEXT on
# stderr and leave no output file behind.
refused() {
  local what=$1 expected=$2 rc=0
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc -eq 2 ]] || fail "$what: expected exit code 2, got $rc; stderr: $(cat "$tmp/err")"
  grep -qF -- "$expected" "$tmp/err" ||
    fail "$what: expected the message to contain '$expected', got: $(cat "$tmp/err")"
  [[ ! -e "$tmp/out.h5" ]] || fail "$what: an output file was written"
}

# scenario NAME SWEEP_SECTION: a copy of the tiny scenario with another [sweep] section.
scenario() {
  sed '/^\[sweep\]/,$d' "$tiny" | sed "s#^include = .*#include = \"$VCSIM_SOURCE_DIR/scenarios/small.toml\"#" \
    >"$tmp/$1.toml"
  printf '%s\n' "$2" >>"$tmp/$1.toml"
}

scenario unknown_path '[sweep]
[sweep.parameters]
"market.no_such_rate" = [0.1, 0.2]'
refused "unknown parameter path" "unknown_path.toml:22:1: market.no_such_rate: unknown key" \
  "$VCSIM" sweep "$tmp/unknown_path.toml" -o "$tmp/out.h5"

scenario no_table '[sweep]
[sweep.parameters]
"regions.XX.births" = [1, 2]'
refused "path through a missing table" "no_table.toml:22: regions.XX.births: expected a path into the scenario, but it has no table regions.XX" \
  "$VCSIM" sweep "$tmp/no_table.toml" -o "$tmp/out.h5"

scenario out_of_range '[sweep]
[sweep.parameters]
"market.max_dilution" = [0.2, 1.5]'
refused "a value the scenario refuses" "market.max_dilution" \
  "$VCSIM" sweep "$tmp/out_of_range.toml" -o "$tmp/out.h5"

scenario empty_range '[sweep]
design = "lhs"
points = 10
[sweep.parameters]
"market.max_dilution" = { min = 0.3, max = 0.3 }'
refused "empty range" "empty_range.toml:24: sweep.parameters.market.max_dilution: expected min < max" \
  "$VCSIM" sweep "$tmp/empty_range.toml" -o "$tmp/out.h5"

scenario too_many '[sweep]
design = "sobol"
points = 20000
[sweep.parameters]
"market.max_dilution" = { min = 0.1, max = 0.4 }'
refused "more points than the limit" "the design has 20000 points, more than the limit of 10000; pass --yes" \
  "$VCSIM" sweep "$tmp/too_many.toml" -o "$tmp/out.h5"
lines=$("$VCSIM" sweep "$tmp/too_many.toml" --yes --dry-run | wc -l)
[[ $lines -eq 20001 ]] || fail "--yes --dry-run: expected 20000 points and a header, got $lines lines"

refused "no [sweep] section" "expected a [sweep] section" \
  "$VCSIM" sweep "$VCSIM_SOURCE_DIR/scenarios/small.toml" -o "$tmp/out.h5"
refused "a bad shard" "--shard: expected K/N with 1 <= K <= N" \
  "$VCSIM" sweep "$tiny" --shard 4/3 -o "$tmp/out.h5"

# Merges: shards of one sweep, then shards that do not fit together.
for k in 1 2; do
  "$VCSIM" sweep "$tiny" -q --threads 2 --shard "$k/2" -o "$tmp/shard$k.h5" ||
    fail "vcsim sweep --shard $k/2 failed"
done
scenario other_seed '[sweep]
replications = 2
[sweep.parameters]
"regions.US.births" = [100, 250]
"market.max_dilution" = { min = 0.2, max = 0.4, steps = 3 }'
sed -i 's/^\[run\]/[run]\nseed = 99/' "$tmp/other_seed.toml"
"$VCSIM" sweep "$tmp/other_seed.toml" -q --threads 2 --shard 2/2 -o "$tmp/other2.h5" ||
  fail "vcsim sweep of the other seed failed"
"$VCSIM" run "$tiny" -q --replications 1 -o "$tmp/run.h5" || fail "vcsim run failed"
cp "$tmp/shard2.h5" "$tmp/other_build.h5"
"$PYTHON" -c 'import h5py, sys; h5py.File(sys.argv[1], "r+").attrs["engine_version"] = "0.0.9"' \
  "$tmp/other_build.h5"

refused "a missing shard" "3 of 6 points are in no shard given" \
  "$VCSIM" merge "$tmp/shard1.h5" -o "$tmp/out.h5"
refused "a duplicated shard" "point 0 is also in" \
  "$VCSIM" merge "$tmp/shard1.h5" "$tmp/shard1.h5" "$tmp/shard2.h5" -o "$tmp/out.h5"
refused "shards of different seeds" "its seed differs" \
  "$VCSIM" merge "$tmp/shard1.h5" "$tmp/other2.h5" -o "$tmp/out.h5"
version=$("$VCSIM" --version | awk '{print $2}')
refused "shards of different builds" "its vcsim build ($version" \
  "$VCSIM" merge "$tmp/shard1.h5" "$tmp/other_build.h5" -o "$tmp/out.h5"
refused "a run file as a shard" "expected a sweep file (file_kind vcsim.sweep), got vcsim.run" \
  "$VCSIM" merge "$tmp/shard1.h5" "$tmp/run.h5" -o "$tmp/out.h5"
"$VCSIM" merge -q "$tmp/shard2.h5" "$tmp/shard1.h5" -o "$tmp/out.h5" ||
  fail "merging the two shards of one sweep failed"

echo "sweep_refusals: ok"
