#!/usr/bin/env bash
# Compares two builds of vcsim on one benchmark the way bench/README.md recommends on a
# machine whose cores run at different speeds in spells: both builds run at once, each
# pinned to its own core (taskset), and the cores are swapped every round, so that each
# build meets the other on the same core in the same minutes. On a machine with one
# core the builds alternate on it.
#
#   bench/compare_builds.sh OLD_BUILD NEW_BUILD [--rounds N] [--benchmark NAME]
#                           [--scenario FILE]
#
# OLD_BUILD and NEW_BUILD are build folders (build/release, or a worktree's). NAME is
#   baseline     one replication on one thread, every phase timed (the default;
#                bench_baseline_replication --threads 1 --repeat 1 --phases)
#   market       BM_FinancingMarket, best of 5 (bench_financing_market)
#   kernel       BM_StartupMonthKernel/1, best of 5 (bench_startup_kernel --no-numpy)
#   compaction   BM_RemoveEnded/1, best of 5 (bench_compaction)
# --scenario is passed to the baseline benchmark (default: its baseline).
# Prints, for each measure and core, both builds' fastest and slowest seconds over the
# rounds and the new build's median over the old's: below 1 the new build is faster.
set -euo pipefail

usage() {
  sed -n '8,19p' "$0" >&2
  exit 2
}

[[ $# -ge 2 ]] || usage
old=$1 new=$2
shift 2
rounds=2 benchmark=baseline scenario=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=${2:?--rounds needs a count}; shift 2 ;;
    --benchmark) benchmark=${2:?--benchmark needs a name}; shift 2 ;;
    --scenario) scenario=("${2:?--scenario needs a file}"); shift 2 ;;
    *) echo "compare_builds.sh: unknown option $1" >&2; usage ;;
  esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "compare_builds.sh: --rounds must be a positive whole number, not '$rounds'" >&2; exit 2; }

case $benchmark in
  baseline) program=bench_baseline_replication
            args=("${scenario[@]}" --threads 1 --repeat 1 --phases) ;;
  market) program=bench_financing_market args=(--benchmark_repetitions=5) ;;
  kernel) program=bench_startup_kernel
          args=(--no-numpy --benchmark_filter=BM_StartupMonthKernel/1 --benchmark_repetitions=5) ;;
  compaction) program=bench_compaction
              args=(--benchmark_filter=BM_RemoveEnded/1 --benchmark_repetitions=5) ;;
  *) echo "compare_builds.sh: --benchmark must be baseline, market, kernel or compaction, not '$benchmark'" >&2
     exit 2 ;;
esac
for build in "$old" "$new"; do
  [[ -x $build/bench/$program ]] || {
    echo "compare_builds.sh: $build/bench/$program not found: build the benchmarks there first" >&2
    exit 2
  }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs one build's benchmark on a core into its output file; `taskset` only when the
# machine has two cores to pin to.
cores=$(nproc)
run() {  # build label core round
  local pin=()
  [[ $cores -ge 2 ]] && pin=(taskset -c "$3")
  "${pin[@]}" "$1/bench/$program" "${args[@]}" >"$tmp/$2.$3.$4" 2>&1 || {
    echo "compare_builds.sh: $1/bench/$program failed:" >&2
    tail -5 "$tmp/$2.$3.$4" >&2
    exit 1
  }
}

# Both builds at once, each on its core; fails if either run fails.
run_pair() {  # round old_core new_core
  run "$old" old "$2" "$1" &
  local old_pid=$!
  run "$new" new "$3" "$1" &
  local new_pid=$!
  wait "$old_pid" && wait "$new_pid"
}

for ((round = 1; round <= rounds; ++round)); do
  if [[ $cores -ge 2 ]]; then
    run_pair "$round" 0 1
    run_pair "$round" 1 0
  else
    run "$old" old 0 "$round"
    run "$new" new 0 "$round"
  fi
done

# One line per measure: "measure build core seconds". A whole run gives its best time
# and each phase's; a micro-benchmark its table row's seconds.
for file in "$tmp"/old.*.* "$tmp"/new.*.*; do
  IFS=. read -r build core _ <<<"$(basename "$file")"
  awk -v build="$build" -v core="$core" '
    $1 == "benchmark" && $2 == "agent-months/s" { table = 1; next }
    table && NF == 5 && $1 !~ /^\(/ { print $1 "\t" build "\t" core "\t" $3; table = 0 }
    /^phase \(one more run\)/ { phases = 1; next }
    phases && NF >= 2 {
      name = $1
      for (k = 2; k < NF - (($1 == "all") ? 0 : 1); ++k) name = name " " $k
      print name "\t" build "\t" core "\t" $(($1 == "all") ? NF : NF - 1)
    }' "$file"
done | awk -F '\t' '
  # The values of (key, build), sorted in place (a few rounds: insertion sort).
  function sort_values(key, build,   i, j, x) {
    for (i = 2; i <= n[key, build]; ++i) {
      x = v[key, build, i]
      for (j = i - 1; j >= 1 && v[key, build, j] > x; --j) v[key, build, j + 1] = v[key, build, j]
      v[key, build, j + 1] = x
    }
  }
  function median(key, build,   m) {
    m = n[key, build]
    return m % 2 ? v[key, build, (m + 1) / 2] : (v[key, build, m / 2] + v[key, build, m / 2 + 1]) / 2
  }
  {
    key = $1 "\t" $3
    if (!(key in seen)) { seen[key] = 1; keys[++count] = key }
    v[key, $2, ++n[key, $2]] = $4 + 0
  }
  END {
    printf "%-24s %4s %23s %23s %8s\n", "measure", "core", "old s (min-max)", "new s (min-max)",
           "new/old"
    for (k = 1; k <= count; ++k) {
      key = keys[k]
      if (!n[key, "old"] || !n[key, "new"]) continue
      sort_values(key, "old")
      sort_values(key, "new")
      split(key, part, "\t")
      old_median = median(key, "old")
      ratio = old_median > 0 ? sprintf("%8.3f", median(key, "new") / old_median) : sprintf("%8s", "-")
      printf "%-24s %4s %11.4f-%-11.4f %11.4f-%-11.4f %s\n", part[1], part[2], v[key, "old", 1],
             v[key, "old", n[key, "old"]], v[key, "new", 1], v[key, "new", n[key, "new"]], ratio
    }
  }'
