#pragma once
// Everything that changes in one replication, built from an immutable Scenario
// (STYLE: the scenario is immutable; the world is not).
#include <cstdint>
#include <vector>

#include "model/firms.hpp"
#include "model/funds.hpp"
#include "model/guidance_funds.hpp"
#include "model/month_params.hpp"
#include "model/startups.hpp"
#include "record/recorder.hpp"
#include "rng/streams.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

// Running totals of money that crosses the boundary of fund accounting, kept so tests
// can check that money is conserved (LP calls = investment + fees; exit proceeds to
// funds = distributions + carry).
struct Ledger {
  double startup_money_from_funds = 0;  // counted on the startups' side of each round
  double proceeds_paid_to_funds = 0;    // counted on the exits' side
  double coinvestor_money = 0;
};

struct World {
  World(const Scenario& scenario, std::uint32_t replication, bool micro_data = false);

  const Scenario& scenario;
  StreamKey key;
  int month = -1;
  MonthParams params;
  Startups startups;
  Funds funds;
  Firms firms;
  GuidanceFunds guidance;
  Recorder recorder;
  Ledger ledger;
  std::vector<std::vector<std::int32_t>> region_funds;  // fund slots by region
  std::vector<std::vector<std::int32_t>> region_firms;  // firm slots by region
  std::vector<double> grant_budget;  // per event: grant money not yet spent, USD m
  // Per event: the lowest signal a grant went to last month (-infinity before any). Only
  // a hint that lets the grants' scan skip most signals (phases/events.cpp); no result
  // depends on it.
  std::vector<double> grant_cutoff;

  int region_count() const { return static_cast<int>(scenario.regions.size()); }
  int sector_count() const { return static_cast<int>(scenario.sectors.size()); }
  int run_months() const { return scenario.months(); }
};

}  // namespace vcsim
