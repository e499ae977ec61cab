// Whole-run benchmark: one replication of the baseline scenario (2000-2045, CN/US/EU).
// Prints a fixed table: agent-months per second (an agent-month is one alive startup
// simulated for one month), wall seconds, peak resident memory and threads.
//
//   build/release/bench/bench_baseline_replication [SCENARIO] [--threads N] [--repeat K]
#include <sys/resource.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "run/replication.hpp"
#include "scenario/reader.hpp"

#ifndef VCSIM_SOURCE_DIR
#define VCSIM_SOURCE_DIR "."
#endif

namespace {

double peak_resident_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(VCSIM_SOURCE_DIR) + "/scenarios/baseline.toml";
  int threads = static_cast<int>(tbb::info::default_concurrency());
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else
      path = argv[i];
  }
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const vcsim::Scenario scenario = vcsim::read_scenario(path);
  double best = 1e300;
  std::uint64_t agent_months = 0;
  for (int k = 0; k < repeat; ++k) {
    const auto start = std::chrono::steady_clock::now();
    const vcsim::ReplicationResult r = vcsim::run_replication(scenario, 0);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, seconds);
    agent_months = r.agent_months;
  }
  std::printf("%-28s %16s %10s %14s %8s\n", "benchmark", "agent-months/s", "seconds",
              "peak_rss_MiB", "threads");
  std::printf("%-28s %16.3e %10.3f %14.1f %8d\n", "baseline_replication",
              static_cast<double>(agent_months) / best, best, peak_resident_mib(), threads);
  std::printf("(best of %d; %llu agent-months per replication; %s)\n", repeat,
              static_cast<unsigned long long>(agent_months), path.c_str());
  return 0;
}
