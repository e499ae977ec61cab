#!/usr/bin/env bash
# `vcsim run` on the small scenario writes a whole, self-describing output file whose
# numbers hold together: the layout of docs/output.md, the unicorn flow identity, the
# funds' accounting identities, and replications that are distinct draws. `vcsim info`
# reads the file back, and refuses a file that is not a vcsim output or is truncated
# with an error, not a crash.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py and numpy).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

scenario="$VCSIM_SOURCE_DIR/scenarios/small.toml"
replications=2
threads=2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The scenario's own seed, as `vcsim validate` reads it.
seed=$("$VCSIM" validate "$scenario" 2>&1 || true)
seed=$(sed -n 's/.*, seed \([0-9]*\),.*/\1/p' <<<"$seed")
[[ -n "$seed" ]] || fail "cannot read the seed of $scenario from vcsim validate"

# ---------------------------------------------------------------------------- run
rc=0
"$VCSIM" run "$scenario" --replications "$replications" --threads "$threads" \
  -o "$tmp/small.h5" >"$tmp/run.out" 2>"$tmp/run.err" || rc=$?
[[ $rc -eq 0 ]] ||
  fail "vcsim run exited with $rc, expected 0; stderr: $(head -c 500 "$tmp/run.err")"
[[ -f "$tmp/small.h5" ]] || fail "vcsim run exited 0 but wrote no $tmp/small.h5"
leftovers=$(compgen -G "$tmp/small.h5.tmp*" || true)
[[ -z "$leftovers" ]] || fail "vcsim run left its temporary file behind: $leftovers"
grep -qF "wrote $tmp/small.h5" "$tmp/run.out" ||
  fail "vcsim run did not print 'wrote $tmp/small.h5'; stdout: $(head -c 500 "$tmp/run.out")"

rc=0
"$PYTHON" "$VCSIM_SOURCE_DIR/analysis/vcsim_output.py" check "$tmp/small.h5" \
  >"$tmp/check.out" 2>&1 || rc=$?
[[ $rc -eq 0 ]] ||
  fail "analysis/vcsim_output.py check exited with $rc: $(head -c 1000 "$tmp/check.out")"

# ---------------------------------------------------------------------------- contents
rc=0
"$PYTHON" - "$tmp/small.h5" "$replications" "$seed" >"$tmp/contents.out" 2>&1 <<'EOF' || rc=$?
import sys

import h5py
import numpy as np

path, replications, expected_seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def axis_names(dataset):
    """The dimension of each axis: its label, or the name of the attached scale."""
    names = []
    for dim in dataset.dims:
        label = text(dim.label)
        if not label and len(dim.keys()) > 0:
            label = text(dim.keys()[0])
        names.append(label)
    return tuple(names)


with h5py.File(path, "r") as f:
    attrs = f.attrs
    check(text(attrs.get("file_kind")) == "vcsim.run",
          "root attribute file_kind is %r, expected 'vcsim.run'" % attrs.get("file_kind"))
    version = np.asarray(attrs.get("format_version", []))
    check(version.shape == (2,) and int(version[0]) == 1,
          "root attribute format_version is %r, expected [1, minor]" % (version,))
    seed = attrs.get("seed")
    check(seed is not None and int(seed) == expected_seed,
          "root attribute seed is %r, expected the scenario's %d" % (seed, expected_seed))
    reps = attrs.get("replications")
    check(reps is not None and int(reps) == replications,
          "root attribute replications is %r, expected %d (as run)" % (reps, replications))
    start_year = attrs.get("start_year")
    check(start_year is not None and int(start_year) == 2000,
          "root attribute start_year is %r, expected 2000" % (start_year,))
    end_year = int(attrs.get("end_year", -1))
    check(end_year == 2012, "root attribute end_year is %d, expected 2012" % end_year)
    check(text(attrs.get("scenario_name")) == "small",
          "root attribute scenario_name is %r, expected 'small'" % attrs.get("scenario_name"))
    scenario = text(attrs.get("scenario", ""))
    check(isinstance(scenario, str) and ("include" in scenario or "small" in scenario),
          "root attribute scenario does not hold the scenario's TOML: %r" % scenario[:200])
    years = end_year - 2000 + 1 if end_year > 0 else 13

    ts = f["timeseries"]
    regions = [text(r) for r in ts["region"][()]]
    sectors = [text(s) for s in ts["sector"][()]]
    check(regions == ["CN", "EU", "US"],
          "timeseries/region is %r, expected the small scenario's ['CN', 'EU', 'US']" % regions)
    check(len(sectors) == 8, "timeseries/sector has %d entries, expected 8" % len(sectors))

    expected_shape = (replications, 12 * years, 3, 8)
    expected_dims = ("replication", "month", "region", "sector")
    for name in ("unicorns_active", "births", "startups_alive"):
        ds = ts[name]
        check(ds.shape == expected_shape,
              "timeseries/%s has shape %s, expected %s" % (name, ds.shape, expected_shape))
        check(axis_names(ds) == expected_dims,
              "timeseries/%s has dims %s, expected %s" % (name, axis_names(ds), expected_dims))
    months = ts["month"][()]
    check(np.array_equal(months, np.arange(12 * years)),
          "timeseries/month is not 0 .. %d" % (12 * years - 1))
    check(np.array_equal(ts["replication"][()], np.arange(replications)),
          "timeseries/replication is %r, expected 0 .. %d"
          % (ts["replication"][()], replications - 1))

    births = ts["births"][()].astype(np.int64)
    alive = ts["startups_alive"][()].astype(np.int64)
    births_per_rep = births.sum(axis=(1, 2, 3))
    check((births_per_rep > 0).all(),
          "a replication has no births: births per replication %s" % births_per_rep.tolist())
    check((births >= 0).all() and (alive >= 0).all(), "negative births or startups_alive")
    # Per replication, month and region: no more startups alive than were ever born.
    cumulative = births.sum(axis=3).cumsum(axis=1)
    alive_region = alive.sum(axis=3)
    over = np.argwhere(alive_region > cumulative)
    if not check(len(over) == 0,
                 "startups_alive exceeds cumulative births in %d cells" % len(over)):
        r, m, g = over[0]
        failures.append("  first: replication %d, month %d, region %s: alive %d > born %d"
                        % (r, m, regions[g], alive_region[r, m, g], cumulative[r, m, g]))
    check(not np.array_equal(births[0], births[1]),
          "replications 0 and 1 have identical births: replications are not distinct draws")

    invested = ts["capital_invested"][()]
    check(np.isfinite(invested).all(), "timeseries/capital_invested has non-finite values")
    check((invested >= 0).all(),
          "timeseries/capital_invested has negative values (min %g)" % np.nanmin(invested))
    check(invested.sum() > 0, "timeseries/capital_invested is zero everywhere")

    # Funds: per replication, paid-in = invested + fees, gross = distributions + carry.
    funds = {name: f["funds"][name][()] for name in
             ("replication", "paid_in", "invested", "fees", "gross_proceeds",
              "distributions", "carry")}
    fund_reps = funds["replication"]
    check(set(np.unique(fund_reps).tolist()) == set(range(replications)),
          "funds/replication holds %s, expected every replication 0 .. %d"
          % (np.unique(fund_reps).tolist(), replications - 1))

    def close(a, b):
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)

    for r in range(replications):
        mine = fund_reps == r
        paid_in = funds["paid_in"][mine].sum()
        spent = funds["invested"][mine].sum() + funds["fees"][mine].sum()
        check(close(paid_in, spent),
              "replication %d: funds' paid_in %.12g != invested + fees %.12g"
              % (r, paid_in, spent))
        gross = funds["gross_proceeds"][mine].sum()
        paid_out = funds["distributions"][mine].sum() + funds["carry"][mine].sum()
        check(close(gross, paid_out),
              "replication %d: funds' gross_proceeds %.12g != distributions + carry %.12g"
              % (r, gross, paid_out))
        check(paid_in > 0, "replication %d: funds called no capital" % r)

    print(" ".join(regions))

if failures:
    print("\n".join(failures))
    sys.exit(1)
EOF
[[ $rc -eq 0 ]] || fail "the output file's contents are wrong:
$(cat "$tmp/contents.out")"
regions=$(tail -n 1 "$tmp/contents.out")

# ---------------------------------------------------------------------------- info
rc=0
"$VCSIM" info "$tmp/small.h5" >"$tmp/info.out" 2>"$tmp/info.err" || rc=$?
[[ $rc -eq 0 ]] ||
  fail "vcsim info on the output exited with $rc; stderr: $(head -c 500 "$tmp/info.err")"
for region in $regions; do
  grep -qw -- "$region" "$tmp/info.out" ||
    fail "vcsim info does not print region $region; stdout: $(head -c 800 "$tmp/info.out")"
done

# check_refused LABEL FILE: vcsim info exits nonzero, without a signal, with a message.
check_refused() {
  local label=$1 file=$2 rc=0
  "$VCSIM" info "$file" >"$tmp/refused.out" 2>"$tmp/refused.err" || rc=$?
  [[ $rc -ne 0 ]] || fail "vcsim info on $label exited 0, expected an error"
  [[ $rc -lt 128 ]] || fail "vcsim info on $label crashed (exit $rc, signal $((rc - 128)))"
  [[ -s "$tmp/refused.err" ]] || fail "vcsim info on $label exited $rc without a message"
  grep -qF -- "$(basename "$file")" "$tmp/refused.err" ||
    fail "vcsim info on $label does not name the file: $(head -c 300 "$tmp/refused.err")"
}
check_refused "a scenario file (not HDF5)" "$scenario"
head -c 1000 "$tmp/small.h5" >"$tmp/truncated.h5"
check_refused "the output truncated to 1000 bytes" "$tmp/truncated.h5"

echo "run_small: ok ($replications replications, regions $regions)"
