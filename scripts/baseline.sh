#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds vcsim and runs the baseline scenario:
# writes baseline.h5 and prints its headline summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vcsim
./build/release/vcsim run scenarios/baseline.toml -o baseline.h5 "$@"
