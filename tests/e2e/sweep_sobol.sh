#!/usr/bin/env bash
# Sobol indices of the Ishigami function from vcsim's Saltelli design and
# analysis/sobol.py match the known ones (tests/analysis/test_sobol.py).
# Environment: VCSIM, VCSIM_SOURCE_DIR, PYTHON (a Python with numpy, scipy and pytest).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}
export VCSIM
export VCSIM_SOURCE_DIR
cd "$(mktemp -d)"
trap 'rm -rf "$PWD"' EXIT
"$PYTHON" -m pytest -q -p no:cacheprovider "$VCSIM_SOURCE_DIR/tests/analysis/test_sobol.py" -rs

# And from a real sweep file: a Saltelli sweep of US births, read by analysis/sobol.py.
# US births are the only parameter, so all the variance of births is theirs: total index 1,
# within 0.35 for an estimate from 4 base samples.
"$VCSIM" sweep "$VCSIM_SOURCE_DIR/tests/scenarios/sweep/tiny_saltelli.toml" -q --threads 2 \
  -o saltelli.h5
"$PYTHON" "$VCSIM_SOURCE_DIR/analysis/sobol.py" saltelli.h5 --dataset timeseries/births \
  >indices.txt
cat indices.txt
"$PYTHON" - <<'PY'
import sys
sys.path.insert(0, __import__("os").environ["VCSIM_SOURCE_DIR"] + "/analysis")
import h5py, numpy as np, sobol
result = sobol.sweep_indices("saltelli.h5", "timeseries/births")
assert result["parameters"] == ["regions.US.births"], result
np.testing.assert_allclose(result["total"], [1.0], atol=0.35)
with h5py.File("saltelli.h5") as f:
    assert f["design/role"][()].tolist() == [0, 1, 2] * 4
    assert f["timeseries/births"].shape[:2] == (12, 1)
PY
echo "sweep_sobol: ok"
