#include "run/replication.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "model/world.hpp"
#include "phases/plan.hpp"
#include "run/finite_check.hpp"
#include "run/interrupt.hpp"
#include "run/phase_times.hpp"

namespace vcsim {

void simulate(World& world, const MonthDone& month_done, PhaseTimes* times) {
  run_timed(times != nullptr ? &times->initial_fundraising : nullptr,
            [&] { initial_fundraising(world); });
  if constexpr (kCheckFiniteEachPhase) check_finite(world, "initial fundraising");
  for (int month = 0; month < world.run_months(); ++month) {
    throw_if_interrupted();
    world.month = month;
    const bool january = month % 12 == 0;
    for (std::size_t p = 0; p < kMonthPlan.size(); ++p) {
      const Phase& phase = kMonthPlan[p];
      if (phase.january_only && !january) continue;
      run_timed(times != nullptr ? &times->month_phases[p] : nullptr, [&] { phase.run(world); });
      if constexpr (kCheckFiniteEachPhase) check_finite(world, phase.name);
    }
    if (month_done) month_done();
  }
  mark_fund_nav(world);
}

ReplicationResult run_replication(const Scenario& scenario, std::uint32_t replication,
                                  const MonthDone& month_done, bool micro_data) {
  World world(scenario, replication, micro_data);
  simulate(world, month_done);
  return world.recorder.finish(world.startups, world.funds, world.run_months());
}

std::vector<ReplicationResult> run_replications(const Scenario& scenario, int count,
                                                const MonthDone& month_done, MicroData micro_data,
                                                long side_by_side,
                                                const ReplicationDone& replication_done) {
  std::vector<ReplicationResult> results(static_cast<std::size_t>(count));
  const bool threads_filled =
      static_cast<long>(count) * side_by_side >= tbb::this_task_arena::max_concurrency();
  tbb::parallel_for(0, count, [&](int r) {
    const bool micro = micro_data == MicroData::all || (micro_data == MicroData::first && r == 0);
    auto run = [&] {
      const auto index = static_cast<std::size_t>(r);
      results[index] = run_replication(scenario, static_cast<std::uint32_t>(r), month_done, micro);
      if (replication_done) replication_done(index, results[index]);
    };
    if (!threads_filled) return run();
    // Every thread already has a replication: a month split across threads would only
    // add synchronisation and shared cache lines, so the replication runs on one.
    tbb::task_arena one_thread(1);
    one_thread.execute(run);
  });
  return results;
}

RunLabels run_labels(const Scenario& scenario) {
  RunLabels labels;
  labels.start_year = scenario.start_year;
  for (const auto& r : scenario.regions) labels.regions.push_back(r.name);
  for (const auto& s : scenario.sectors) labels.sectors.push_back(s.name);
  labels.flow_nodes = FlowNodes(scenario).names();
  for (const auto& g : scenario.guidance_funds) labels.guidance_funds.push_back(g.name);
  return labels;
}

}  // namespace vcsim
