// Whole-run benchmark: one replication of the baseline with ten times the births in
// every region and year (funds and LP money unchanged), as the fixed table. It shows
// how the engine scales with the population rather than with the market.
//
//   build/ci/bench/bench_scaled_world [SCENARIO] [--threads N] [--repeat K]
#include <tbb/global_control.h>

#include <cstdio>

#include "run/replication.hpp"
#include "whole_run.hpp"

int main(int argc, char** argv) {
  using namespace vcsim;
  const bench::WholeRunOptions options = bench::parse_whole_run_options(argc, argv, 1);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(options.threads));
  constexpr double kBirthsFactor = 10;
  const Scenario scenario =
      bench::scale_births(bench::read_scenario_or_exit(options.scenario_path), kBirthsFactor);
  const bench::TableRow row =
      bench::best_of("scaled_world_10x_births", options.threads, options.repeat,
                     [&] { return run_replication(scenario, 0).agent_months; });
  bench::print_table({row});
  std::printf("(best of %d; %.0f agent-months; births x%.0f of %s)\n", options.repeat,
              row.agent_months, kBirthsFactor, options.scenario_path.c_str());
  return 0;
}
