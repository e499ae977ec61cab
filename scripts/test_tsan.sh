#!/usr/bin/env bash
# The test suite under ThreadSanitizer (the tsan preset), against a oneTBB built with
# TSan (scripts/build_tsan_tbb.sh builds one into build/tbb-tsan when
# VCSIM_TSAN_TBB_DIR is not set). Not part of .ci/run: building oneTBB and running the
# suite under TSan take longer than CI allows on 2 cores. Left out, as in the ASan
# suite: e2e.scenario_library (long runs), e2e.fuzz_scenario_reader (its own clang
# build) and the benchmarks' smoke tests. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${VCSIM_TSAN_TBB_DIR:-}" ]]; then
  [[ -f build/tbb-tsan/lib/cmake/TBB/TBBConfig.cmake ]] || bash scripts/build_tsan_tbb.sh build/tbb-tsan
  export VCSIM_TSAN_TBB_DIR=$PWD/build/tbb-tsan/lib/cmake/TBB
fi
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target vcsim vcsim_tests
# The TSan-built libtbb is found through the build's RPATH (check with ldd build/tsan/vcsim).
ctest --preset tsan -j 2 -E '^(e2e\.(scenario_library|fuzz_scenario_reader)|bench\..*)$' "$@"
