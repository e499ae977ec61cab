#!/usr/bin/env bash
# Sobol indices of the Ishigami function from vcsim's Saltelli design and
# analysis/sobol.py match the known ones (tests/analysis/test_sobol.py).
# Environment: VCSIM, VCSIM_SOURCE_DIR, PYTHON (a Python with numpy, scipy and pytest).
set -euo pipefail
: "${VCSIM:?VCSIM must name the vcsim program}"
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
PYTHON=${PYTHON:-python3}
export VCSIM
cd "$(mktemp -d)"
trap 'rm -rf "$PWD"' EXIT
"$PYTHON" -m pytest -q -p no:cacheprovider "$VCSIM_SOURCE_DIR/tests/analysis/test_sobol.py" -rs
