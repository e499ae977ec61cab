#!/usr/bin/env bash
# Runs one benchmark program (all arguments) and requires its output to hold the fixed
# table of bench/bench_table.hpp: the header line, then at least one row whose rate,
# seconds and peak memory are positive numbers and whose threads count is at least 1.
# Timings are not judged: performance is measured in bench/, not in tests.
set -euo pipefail
output=$("$@")
printf '%s\n' "$output"
printf '%s\n' "$output" | awk '
  $1 == "benchmark" && $2 == "agent-months/s" && $3 == "seconds" && $4 == "peak_rss_MiB" &&
  $5 == "threads" { header = 1; next }
  header && NF == 5 && $1 !~ /^\(/ {
    if (!($2 > 0 && $3 > 0 && $4 > 0 && $5 >= 1)) { print "bad row: " $0; bad = 1 }
    rows++
  }
  END {
    if (!header) { print "no table header"; exit 1 }
    if (!rows) { print "no table rows"; exit 1 }
    exit bad
  }'
