#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds everything with warnings as errors and runs
# every test (unit, end-to-end, scenario corpus) under CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j 2 "$@"
