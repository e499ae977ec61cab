#!/usr/bin/env bash
# 2,000 requests from 20 loopback clients against `vcsim serve` (serve_load.py): every
# answer as expected (400 for bad runs, 413/414 for oversized requests), the server up,
# memory flat, latency bounded.
set -euo pipefail
: "${VCSIM:?}" "${VCSIM_SOURCE_DIR:?}" "${PYTHON:=/usr/bin/python3}"
"$PYTHON" "$VCSIM_SOURCE_DIR/tests/e2e/serve_load.py" "$VCSIM" \
  "$VCSIM_SOURCE_DIR/scenarios/teaching"
