#pragma once
// Worlds for the micro-benchmarks: a replication simulated up to a given month, so the
// kernels run on the population and funds the model really produces there.
#include <memory>
#include <string>

#include "model/world.hpp"
#include "phases/plan.hpp"
#include "scenario/reader.hpp"

#ifndef VCSIM_SOURCE_DIR
#define VCSIM_SOURCE_DIR "."
#endif

namespace vcsim::bench {

inline std::string baseline_path() {
  return std::string(VCSIM_SOURCE_DIR) + "/scenarios/baseline.toml";
}

// The scenario with every region's births multiplied by `factor` (the scaled world).
inline Scenario scale_births(Scenario scenario, double factor) {
  for (RegionSpec& region : scenario.regions) {
    std::vector<std::pair<int, double>> points = region.births.points();
    for (auto& point : points) point.second *= factor;
    region.births = TimeSeries(points);
  }
  return scenario;
}

// A world that has run the initial fundraising and months 0..months-1 of the plan.
// The scenario must outlive the world.
inline std::unique_ptr<World> world_at_month(const Scenario& scenario, int months) {
  auto world = std::make_unique<World>(scenario, 0);
  initial_fundraising(*world);
  for (int month = 0; month < months; ++month) {
    world->month = month;
    for (const Phase& phase : kMonthPlan)
      if (!phase.january_only || month % 12 == 0) phase.run(*world);
  }
  return world;
}

inline std::size_t alive_count(const Startups& s) {
  std::size_t n = 0;
  for (Status status : s.status) n += status == Status::alive;
  return n;
}

}  // namespace vcsim::bench
