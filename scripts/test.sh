#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds everything with warnings as errors and runs
# every test (unit, end-to-end, scenario corpus) under CTest. In CI (CI=true), or with
# VCSIM_SANITIZE=1, it then builds with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs the suite again under them (docs/reliability.md says what that run leaves
# out and why).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j 2 "$@"

if [[ "${CI:-}" == "true" || "${VCSIM_SANITIZE:-}" == "1" ]]; then
  bash scripts/test_sanitized.sh
fi
