// Whole-run benchmark: one replication of the baseline scenario (2000-2045, CN/US/EU),
// the best of K runs, as the fixed table. Also reports how many startup slots the
// monthly loop scans per agent-month: slots of startups that already ended are idle
// work until compaction removes them. With --phases, one more run times each phase of
// the month and prints where its wall time went.
//
//   build/ci/bench/bench_baseline_replication [SCENARIO] [--threads N] [--repeat K] [--phases]
#include <tbb/global_control.h>

#include <cstdio>

#include "model/world.hpp"
#include "run/phase_times.hpp"
#include "run/replication.hpp"
#include "whole_run.hpp"

namespace {

// One more replication with each phase timed: its wall seconds and share, phase by
// phase in the plan's order.
void print_phase_times(const vcsim::Scenario& scenario) {
  using namespace vcsim;
  World world(scenario, 0);
  PhaseTimes times;
  simulate(world, {}, &times);
  const double total = times.total();
  std::printf("%-24s %10s %8s\n", "phase (one more run)", "seconds", "share");
  std::printf("%-24s %10.3f %7.1f%%\n", "initial fundraising", times.initial_fundraising,
              100.0 * times.initial_fundraising / total);
  for (std::size_t p = 0; p < kMonthPlan.size(); ++p)
    std::printf("%-24s %10.3f %7.1f%%\n", std::string(kMonthPlan[p].name).c_str(),
                times.month_phases[p], 100.0 * times.month_phases[p] / total);
  std::printf("%-24s %10.3f\n", "all phases", total);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vcsim;
  const bench::WholeRunOptions options = bench::parse_whole_run_options(argc, argv, 3);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(options.threads));
  const Scenario scenario = bench::read_scenario_or_exit(options.scenario_path);
  double slot_months = 0;  // slots present at the end of each month, summed
  const bench::TableRow row =
      bench::best_of("baseline_replication", options.threads, options.repeat, [&] {
        World world(scenario, 0);
        slot_months = 0;
        simulate(world, [&] { slot_months += static_cast<double>(world.startups.size()); });
        return world.recorder.current().agent_months;
      });
  bench::print_table({row});
  std::printf("(best of %d; %.0f agent-months per replication; %s)\n", options.repeat,
              row.agent_months, options.scenario_path.c_str());
  // The whole model written in NumPy as an economist would (vectorised startup step,
  // Python loops for the per-deal market and the funds) ran at 0.35-0.42 million
  // agent-months per second on the 2-core development machine: a reference figure,
  // not measured here.
  constexpr double kNumpyWholeModel = 0.42e6;
  std::printf("numpy whole model (reference, 0.35-0.42e6 agent-months/s): vcsim/numpy %.1fx\n",
              row.agent_months / row.seconds / kNumpyWholeModel);
  std::printf("idle slots: %.1f%% of the slots scanned each month held ended startups\n",
              100.0 * (1.0 - row.agent_months / slot_months));
  if (options.phases) print_phase_times(scenario);
  return 0;
}
