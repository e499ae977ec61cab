#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset:
# Debug at -O1, so the NaN/infinity checks between phases are on too). Left out, as
# they would add half an hour on 2 cores and test nothing that the unit tests and the
# cheaper end-to-end tests under ASan do not: e2e.scenario_library (every library
# scenario, long runs) and e2e.fuzz_scenario_reader (which is itself built with ASan and
# UBSan by clang), and the benchmarks' smoke tests (bench/ measures release builds and
# is not built here). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan >/dev/null
cmake --build --preset asan --target vcsim vcsim_tests
ctest --preset asan -j 2 -E '^(e2e\.(scenario_library|fuzz_scenario_reader)|bench\..*)$' "$@"
