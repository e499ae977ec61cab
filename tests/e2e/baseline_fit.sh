#!/usr/bin/env bash
# The calibrated baseline keeps its fit: one evaluation of the record's targets
# (scenarios/targets/record.toml) on the baseline run to 2024
# (scenarios/targets/baseline_to_2024.toml), replications 0-3, and its headline figures
# must lie in the bands below. A change to the engine or to the baseline's values that
# breaks the fit (unicorn stocks, the US funnel, deal value, fund returns) fails here.
#
# Each band is the figure's mean over the 32 replications of the fit
# (docs/calibration.md, "The fitted baseline") plus or minus four standard errors of a
# mean of four replications (4 x sd / 2), widened to at least the stated minimum, so
# that a change that only redraws the random numbers passes while one that moves a
# figure by its record's tolerance does not. After an intended change to the fit,
# rerun the 32-replication table of docs/calibration.md and set the bands from it.
#
# Environment: VCSIM (the program), VCSIM_SOURCE_DIR (the source tree), PYTHON (a
# Python with h5py and numpy).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

rc=0
"$VCSIM" calibrate "$VCSIM_SOURCE_DIR/scenarios/targets/baseline_to_2024.toml" \
  --targets "$VCSIM_SOURCE_DIR/scenarios/targets/record.toml" --max-evaluations 1 \
  --replications 4 --threads 2 -q -o "$tmp/fit.h5" 2>"$tmp/fit.err" || rc=$?
[[ $rc -eq 0 ]] || fail "vcsim calibrate exited with $rc: $(head -c 500 "$tmp/fit.err")"

"$PYTHON" - "$tmp/fit.h5" <<'PY' || fail "the baseline's headline figures left their bands"
import sys

import h5py

# target: (low, high), from the 32-replication means and sds of the fit.
BANDS = {
    # Hurun unicorn counts, December (32-replication mean and sd in the comment)
    "unicorns_us_2019": (181, 239),       # 210.0, sd 14.3
    "unicorns_cn_2019": (190, 262),       # 225.7, sd 17.8
    "unicorns_us_2024": (693, 800),       # 746.6, sd 26.4
    "unicorns_cn_2024": (278, 354),       # 316.2, sd 18.8
    # Unicorns that joined the count in 2021 (Hurun: US 347, China 146)
    "new_unicorns_us_2021": (222, 282),   # 252.2, sd 14.8
    "new_unicorns_cn_2021": (29, 62),     # 45.5, sd 8.2
    # The funnel of US seed cohorts 2008-2014 (band at least +-0.01, +-0.0025 for unicorns)
    "funnel_us_a": (0.371, 0.391),        # 0.381, sd 0.0033
    "funnel_us_b": (0.138, 0.158),        # 0.148, sd 0.0027
    "funnel_us_c": (0.036, 0.056),        # 0.046, sd 0.0015
    "funnel_us_unicorn": (0.0099, 0.0149),  # 0.0124, sd 0.0008
    "funnel_us_failed": (0.666, 0.686),   # 0.676, sd 0.0033 (break-even, D39)
    "funnel_us_acquired": (0.213, 0.233),  # 0.223, sd 0.0027 (soft landings, D32)
    # Deal value, USD bn (band at least +-5 %), and fund returns
    "deal_value_us_2018": (101.8, 123.4),  # 112.6, sd 5.4 (co-investors over time, D38)
    "deal_value_us_2021": (229.4, 292.6),  # 261.0, sd 15.8 (the calibrated 2021 boom)
    "deal_value_cn_2018": (52.7, 63.5),   # 58.1, sd 2.7
    "deal_value_cn_2019": (54.6, 66.0),   # 60.3, sd 2.9
    # Mean 1.76, sd 0.28: a handful of funds liquidated by 2024 in a small region can
    # take one replication far from the rest (engine 0.1's draws once gave 12.4). The
    # band is the record's 1.5-2.0 widened for a mean of four such replications.
    "fund_tvpi": (1.0, 3.0),
}

with h5py.File(sys.argv[1], "r") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["targets/target"][:]]
    mean = dict(zip(names, f["targets/simulated_mean"][:]))
failures = []
for name, (low, high) in BANDS.items():
    value = float(mean[name])
    status = "ok" if low <= value <= high else "OUT"
    print(f"{name:32s} {value:10.4g}  band [{low:g}, {high:g}]  {status}")
    if status != "ok":
        failures.append(name)
# China ahead or level in 2019, the US about twice China by 2024 (CALIBRATION.md).
ratio_2019 = mean["unicorns_us_2019"] / mean["unicorns_cn_2019"]
ratio_2024 = mean["unicorns_us_2024"] / mean["unicorns_cn_2024"]
print(f"US/CN unicorns 2019 {ratio_2019:.2f}, 2024 {ratio_2024:.2f}")
# The fit's own ratios (docs/calibration.md): 0.93 in 2019 (China ahead; the record's
# 0.99) and 2.36 in 2024 (the record: 2.2); a mean of four
# replications has a ratio sd of about 0.08. "Ahead or level" allows the US 5 % ahead.
if not ratio_2019 < 1.05:
    failures.append("US/CN unicorns 2019 %.2f, expected below 1.05 (China ahead or level)"
                    % ratio_2019)
if not 1.3 <= ratio_2024 <= 3.2:
    failures.append("US/CN unicorns 2024 %.2f, expected 1.3-3.2" % ratio_2024)
if failures:
    print("out of band: " + ", ".join(failures))
    sys.exit(1)
PY
echo "baseline_fit: all checks passed"
