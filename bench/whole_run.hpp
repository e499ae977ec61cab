#pragma once
// What the whole-run benchmarks share: their command line
//   [SCENARIO] [--threads N] [--repeat K] [--phases]
// and timing the best of K runs.
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "bench_table.hpp"
#include "bench_world.hpp"

namespace vcsim::bench {

struct WholeRunOptions {
  std::string scenario_path = baseline_path();
  int threads = static_cast<int>(tbb::info::default_concurrency());
  int repeat = 3;
  bool phases = false;  // also time each phase of the month (where a program offers it)
};

inline WholeRunOptions parse_whole_run_options(int argc, char** argv, int default_repeat) {
  WholeRunOptions options;
  options.repeat = default_repeat;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
      options.threads = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
      options.repeat = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--phases") == 0)
      options.phases = true;
    else
      options.scenario_path = argv[i];
  }
  return options;
}

// The scenario at `path`; a scenario that cannot be read ends the program with its error
// message and exit code 2, like `vcsim run`.
inline Scenario read_scenario_or_exit(const std::string& path) {
  try {
    return read_scenario(path);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    std::exit(2);
  }
}

// Runs `run` (which returns the agent-months it simulated) `repeat` times; the row
// holds the fastest.
template <typename Run>
TableRow best_of(const std::string& name, int threads, int repeat, Run&& run) {
  TableRow row{name, 0, 1e300, threads};
  for (int k = 0; k < repeat; ++k) {
    const auto start = std::chrono::steady_clock::now();
    const double agent_months = static_cast<double>(run());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < row.seconds) row.seconds = seconds, row.agent_months = agent_months;
  }
  return row;
}

}  // namespace vcsim::bench
