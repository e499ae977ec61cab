#!/usr/bin/env bash
# The teaching page in headless chromium: a lesson, a slider, Run, live charts, the
# page's numbers against the API's (serve_browser.py). Leaves serve_browser.png in the
# test's working directory.
set -euo pipefail
: "${VCSIM:?}" "${VCSIM_SOURCE_DIR:?}" "${PYTHON:=/usr/bin/python3}"
"$PYTHON" "$VCSIM_SOURCE_DIR/tests/e2e/serve_browser.py" "$VCSIM" \
  "$VCSIM_SOURCE_DIR/scenarios/teaching" "$PWD"
