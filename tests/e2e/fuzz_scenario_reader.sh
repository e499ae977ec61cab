#!/usr/bin/env bash
# Fuzzes the scenario reader for a bounded time (FUZZ_SECONDS, default 60) with
# libFuzzer, ASan and UBSan: builds fuzz/ with clang++, replays every kept regression
# input (fuzz/regressions/), then mutates a seed corpus of the scenario library and the
# broken-scenario corpus. Any crash, sanitizer report, uncaught exception, hang of more
# than 10 s or use of more than 2 GiB fails the test; the input that did it is printed,
# to be fixed and kept in fuzz/regressions/.
#
# Environment: VCSIM_SOURCE_DIR (the source tree); CXX_FUZZ (default clang++).
set -euo pipefail
: "${VCSIM_SOURCE_DIR:?VCSIM_SOURCE_DIR must name the source tree}"
seconds=${FUZZ_SECONDS:-60}
src="$VCSIM_SOURCE_DIR"
build="$PWD/fuzz-build"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

CXX=${CXX_FUZZ:-clang++} cmake -S "$src/fuzz" -B "$build" >"$build.configure.log" 2>&1 ||
  fail "configuring fuzz/ failed: $(tail -n 20 "$build.configure.log")"
cmake --build "$build" -j 2 >"$build.build.log" 2>&1 ||
  fail "building the fuzz target failed: $(tail -n 30 "$build.build.log")"
fuzzer="$build/fuzz_scenario_reader"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/corpus" "$tmp/artifacts"

# Inputs include files next to them: the library's own folder, so that mutations of
# `include = "baseline.toml"` reach deep validation.
export VCSIM_FUZZ_INCLUDE_DIR="$src/scenarios"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$src/fuzz/ubsan.supp"
export ASAN_OPTIONS="detect_leaks=1"
options=(-timeout=10 -rss_limit_mb=2048 -max_len=65536 "-artifact_prefix=$tmp/artifacts/")

regressions=("$src"/fuzz/regressions/*)
if [[ -e "${regressions[0]}" ]]; then
  "$fuzzer" "${options[@]}" "${regressions[@]}" >"$tmp/replay.log" 2>&1 ||
    fail "a kept regression input fails again: $(tail -n 40 "$tmp/replay.log")"
fi

rc=0
"$fuzzer" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 \
  "$tmp/corpus" "$src/scenarios" "$src/tests/scenarios/broken" >"$tmp/fuzz.log" 2>&1 || rc=$?
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$tmp/fuzz.log" || true
if [[ $rc -ne 0 ]]; then
  for input in "$tmp"/artifacts/*; do
    [[ -e "$input" ]] || continue
    echo "input that fails ($(basename "$input")), base64:"
    base64 "$input"
  done
  fail "the fuzzer found a failure (exit $rc): $(grep -m 5 -E "ERROR|SUMMARY|runtime error|deadly" "$tmp/fuzz.log")"
fi
echo "fuzz_scenario_reader: ok, ${seconds} s without a failure"
