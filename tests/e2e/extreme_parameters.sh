#!/usr/bin/env bash
# Extreme but valid parameters run to the end and no NaN or infinity reaches the
# output: volatility 3 with no hazard in every sector, a region with no births, and a
# world with no births at all. Every numeric dataset must be finite, except the
# statistics docs/output.md marks NaN when there is nothing to compute them from.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py and numpy).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

scenario="$VCSIM_SOURCE_DIR/scenarios/small.toml"
sectors="ai semiconductors quantum biotech new_energy aerospace advanced_materials internet_software"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

wild=()
for s in $sectors; do
  wild+=(--set "sectors.$s.volatility=3" --set "sectors.$s.tech_hazard=0"
    --set "sectors.$s.base_hazard=0")
done
no_births=(--set regions.CN.births=0 --set regions.EU.births=0 --set regions.US.births=0)

run() {
  local name=$1
  shift
  "$VCSIM" run "$scenario" --replications 2 --threads 2 -q -o "$tmp/$name.h5" "$@" \
    2>"$tmp/$name.err" || fail "$name: vcsim run failed: $(head -c 600 "$tmp/$name.err")"
}
run volatile "${wild[@]}"
run volatile_no_eu_births "${wild[@]}" --set regions.EU.births=0
run no_births "${no_births[@]}"

"$PYTHON" - "$tmp"/volatile.h5 "$tmp"/volatile_no_eu_births.h5 "$tmp"/no_births.h5 <<'PY'
import sys
import h5py, numpy as np

# Statistics that are NaN by definition where nothing was observed (docs/output.md).
may_be_nan = {"median_months", "mean_fund_tvpi", "mean_fund_tvpi_by_vintage", "irr", "tvpi",
              "dpi"}
nan_measures = {"tvpi", "private_per_state_dollar", "irr"}
failures = []
for path in sys.argv[1:]:
    checked = 0
    def visit(name, obj):
        global checked
        if not isinstance(obj, h5py.Dataset) or obj.dtype.kind not in "fiu":
            return
        data = obj[()]
        checked += 1
        if obj.dtype.kind != "f":
            return
        if np.isinf(data).any():
            failures.append("%s: %s holds infinity" % (path, name))
        nan = np.isnan(data)
        if name == "guidance/accounts":  # NaN only in its ratio measures
            measures = [m.decode() if isinstance(m, bytes) else m
                        for m in obj.file["guidance/measure"][()]]
            axis = [d.label for d in obj.dims].index("measure")
            for i, measure in enumerate(measures):
                if measure not in nan_measures and np.take(nan, i, axis=axis).any():
                    failures.append("%s: %s holds NaN in %s" % (path, name, measure))
        elif nan.any() and name.split("/")[-1] not in may_be_nan:
            failures.append("%s: %s holds NaN" % (path, name))
    with h5py.File(path, "r") as f:
        f.visititems(visit)
        if "no_births" in path and f["timeseries/births"][()].sum() != 0:
            failures.append("%s: births recorded in a world without births" % path)
        if "volatile" in path and f["timeseries/births"][()].sum() == 0:
            failures.append("%s: no births" % path)
    if checked < 20:
        failures.append("%s: only %d numeric datasets" % (path, checked))
if failures:
    print("\n".join(failures))
    sys.exit(1)
PY

echo "extreme_parameters: ok"
