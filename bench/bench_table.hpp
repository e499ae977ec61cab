#pragma once
// The fixed table every benchmark prints (bench/README.md), so figures can be compared
// across commits: agent-months per second (an agent-month is one alive startup
// simulated for one month), wall seconds, peak resident memory and threads.
#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vcsim::bench {

struct TableRow {
  std::string benchmark;
  double agent_months = 0;  // per timed run
  double seconds = 0;       // wall seconds of one timed run (the best of several)
  int threads = 1;
};

// Peak resident memory of this process so far, MiB.
inline double peak_resident_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

inline void print_table(const std::vector<TableRow>& rows) {
  std::printf("%-40s %16s %10s %14s %8s\n", "benchmark", "agent-months/s", "seconds",
              "peak_rss_MiB", "threads");
  const double rss = peak_resident_mib();
  for (const TableRow& row : rows) {
    const double rate = row.seconds > 0 ? row.agent_months / row.seconds : 0.0;
    std::printf("%-40s %16.3e %10.4f %14.1f %8d\n", row.benchmark.c_str(), rate, row.seconds, rss,
                row.threads);
  }
}

}  // namespace vcsim::bench
