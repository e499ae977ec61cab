// Whole-run benchmark: 32 replications of the baseline scenario in parallel, as
// `vcsim run` runs them (each fund table spooled to a temporary file as its replication
// finishes, io/run_spool.hpp; the other results kept in memory; no output file
// written), as the fixed table.
//
//   build/ci/bench/bench_replications_32 [SCENARIO] [--threads N] [--repeat K]
#include <tbb/global_control.h>

#include <cstdio>
#include <filesystem>

#include "io/run_spool.hpp"
#include "run/replication.hpp"
#include "whole_run.hpp"

int main(int argc, char** argv) {
  using namespace vcsim;
  const bench::WholeRunOptions options = bench::parse_whole_run_options(argc, argv, 1);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(options.threads));
  const Scenario scenario = bench::read_scenario_or_exit(options.scenario_path);
  constexpr int kReplications = 32;
  const bench::TableRow row =
      bench::best_of("replications_32", options.threads, options.repeat, [&] {
        RunSpool tables(
            (std::filesystem::temp_directory_path() / "bench_replications_32.h5").string(),
            kReplications);
        const auto spool = [&tables](std::size_t r, ReplicationResult& result) {
          tables.add(r, result);
        };
        std::uint64_t agent_months = 0;
        for (const ReplicationResult& r :
             run_replications(scenario, kReplications, {}, MicroData::none, 1, spool))
          agent_months += r.agent_months;
        return agent_months;
      });
  bench::print_table({row});
  std::printf("(best of %d; %d replications, %.0f agent-months; %s)\n", options.repeat,
              kReplications, row.agent_months, options.scenario_path.c_str());
  return 0;
}
