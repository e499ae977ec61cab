#!/usr/bin/env bash
# `vcsim calibrate` end to end on a tiny world (the small scenario to 2009, eight
# replications an evaluation):
#  - recovery: targets simulated with known parameter values (LP money 1.25 times the
#    world's in the US, 0.8 times in China) are fitted from another start (1, 1);
#    the fit must recover both within 0.08 (about 5 % of their range [0.5, 2]: deal value
#    moves in steps as funds close, so the objective is rough at smaller scales; with
#    four replications an evaluation the optimiser stalled at 1.32-1.34 for the US);
#  - the fitted scenario includes the original, carries the fitted values and validates;
#  - resume: a calibration killed (SIGKILL) part way and resumed with --resume replays
#    the journal and ends with the same trace, bit for bit, as one run straight through;
#  - bad targets files (unknown moment, unknown parameter path, bounds reversed) and a
#    journal that exists without --resume are refused with exit code 2, naming the key.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py and numpy).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cat >world.toml <<TOML
include = "$VCSIM_SOURCE_DIR/scenarios/small.toml"
name = "tiny"
[run]
end_year = 2009
replications = 8
report_years = [2005, 2009]
[regions.CN]
births = 500      # as many as the US, and steady, so that China's funds are not the
lp_inflow = 3000  # few lumpy closes of the small scenario's early years
TOML

# The same world with the true values: LP money 1.25 x 3400 a year in the US, 0.8 x
# 3000 in China.
cat >truth.toml <<TOML
include = "world.toml"
name = "truth"
regions.US.lp_inflow = 4250.0
regions.CN.lp_inflow = 2400.0
TOML

# Targets: each region's deal value 2005-2009 identifies its LP money (no cross-border
# investing, MODEL.md section 7, so each region's market is its own).
targets_file() {  # $1: observed values, US 2005-2009 then CN 2005-2009
  cat <<TOML
[calibration]
replications = 8
max_evaluations = 60
f_tolerance = 1e-4
x_tolerance = 0.01
initial_step = 0.25

[parameters.cn_money]
path = "regions.CN.lp_inflow"
scale = true
lower = 0.5
upper = 2.0

[parameters.us_money]
path = "regions.US.lp_inflow"
scale = true
lower = 0.5
upper = 2.0
TOML
  local values=($1) k=0
  for region in US CN; do
    for year in 2005 2006 2007 2008 2009; do
      printf '\n[targets.%s_%s]\nmoment = "deal_value"\nregion = "%s"\nyear = %s\n' \
        "$region" "$year" "$region" "$year"
      printf 'observed = %s\ntolerance = 0.1\n' "${values[$k]}"
      k=$((k + 1))
    done
  done
}

# 1. Simulate the targets at the truth: one evaluation of the truth scenario.
targets_file "1 1 1 1 1 1 1 1 1 1" >template.toml
"$VCSIM" calibrate truth.toml --targets template.toml -o truth_fit.h5 --max-evaluations 1 -q \
  --threads 2
observed=$("$PYTHON" - <<'PY'
import h5py
with h5py.File("truth_fit.h5", "r") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["targets/target"][:]]
    mean = dict(zip(names, f["targets/simulated_mean"][:]))
print(" ".join(repr(float(mean[f"{r}_{y}"])) for r in ["US", "CN"]
               for y in range(2005, 2010)))
PY
)
targets_file "$observed" >targets.toml

# 2. Calibrate the world from the start (1, 0) and check the recovery.
"$VCSIM" calibrate world.toml --targets targets.toml -o fit.h5 --threads 2 >fit.txt 2>fit.err ||
  fail "calibrate exited with $?: $(cat fit.err)"
grep -q "US_2007" fit.txt || fail "no fit table printed"
"$PYTHON" - <<'PY' || fail "parameters not recovered"
import h5py, sys
with h5py.File("fit.h5", "r") as f:
    assert f.attrs["file_kind"] == "vcsim.calibration"
    fitted = dict(zip(["cn_money", "us_money"], f["parameters/fitted"][:]))
    trace = f["trace/objective"][:]
    print(f"recovered US money {fitted['us_money']:.4f} (true 1.25), CN money "
          f"{fitted['cn_money']:.4f} (true 0.8) in {len(trace)} evaluations, objective "
          f"{f.attrs['objective']:.4g}")
    ok = abs(fitted["us_money"] - 1.25) < 0.08 and abs(fitted["cn_money"] - 0.8) < 0.08
    assert f["trace/best_so_far"][-1] == min(trace)
    sys.exit(0 if ok else 1)
PY
grep -q '^include = "world.toml"' fit_fitted.toml || fail "fitted scenario does not include world.toml"
grep -q '^regions.CN.lp_inflow = [0-9.]* *# calibrated' fit_fitted.toml ||
  fail "fitted CN LP money missing"
"$VCSIM" validate fit_fitted.toml >/dev/null || fail "fitted scenario does not validate"

# 3. Kill a calibration part way, resume it, and compare with the run straight through.
"$VCSIM" calibrate world.toml --targets targets.toml -o killed.h5 -q --threads 2 &
pid=$!
for _ in $(seq 1 600); do
  [[ -f killed.h5.evals ]] && (($(wc -l <killed.h5.evals) >= 8)) && break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[[ ! -f killed.h5 ]] || fail "a killed calibration left a fit file"
status=0
"$VCSIM" calibrate world.toml --targets targets.toml -o killed.h5 -q 2>again.err || status=$?
((status == 2)) || fail "an existing journal without --resume gave exit $status, not 2"
grep -q -- "--resume" again.err || fail "no hint to --resume: $(cat again.err)"
"$VCSIM" calibrate world.toml --targets targets.toml -o killed.h5 --resume --threads 2 \
  >resumed.txt 2>resumed.err || fail "resume exited with $?: $(cat resumed.err)"
grep -q "from the journal" resumed.err || fail "resume replayed nothing: $(cat resumed.err)"
"$PYTHON" - <<'PY' || fail "resumed calibration differs from the one run straight through"
import h5py, numpy as np
with h5py.File("fit.h5", "r") as a, h5py.File("killed.h5", "r") as b:
    for name in ["trace/objective", "trace/values", "trace/simulated_mean", "parameters/fitted"]:
        assert np.array_equal(a[name][:], b[name][:], equal_nan=True), name
    assert b["trace/replayed"][:].sum() >= 7, b["trace/replayed"][:]
PY

# 4. Bad targets files: exit 2, the key named.
refused() {  # $1: description, $2: expected text; the file is bad.toml
  local status=0
  "$VCSIM" calibrate world.toml --targets bad.toml -o bad.h5 -q 2>bad.err || status=$?
  ((status == 2)) || fail "$1: exit $status, not 2"
  grep -q -- "$2" bad.err || fail "$1: message does not name $2: $(cat bad.err)"
  [[ ! -f bad.h5 && ! -f bad.h5.evals ]] || fail "$1: files written"
}
sed '0,/moment = "deal_value"/s//moment = "deal_volume"/' targets.toml >bad.toml
refused "unknown moment" "bad.toml:[0-9]*: targets.US_2005.moment: expected one of"
sed 's/path = "regions.US.lp_inflow"/path = "regions.USA.lp_inflow"/' targets.toml >bad.toml
refused "unknown parameter path" "bad.toml:[0-9]*: parameters.us_money.path: expected a path"
sed '0,/^lower = 0.5/s//lower = 2.5/' targets.toml >bad.toml
refused "bounds reversed" "bad.toml:[0-9]*: parameters.cn_money.upper: expected a bound above"
echo "calibrate: all checks passed"
