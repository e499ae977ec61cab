#pragma once
// The parameters in force this month: the scenario's year tables read at this month,
// then adjusted by the policy events active this month (MODEL.md 3.1). Every phase
// reads parameters from here, never from the event list, so a new event only touches
// the events phase.
#include <cmath>
#include <limits>
#include <vector>

#include "scenario/scenario.hpp"

namespace vcsim {

struct RegionMonth {
  double births_per_year = 0;
  double mu_q = 0, sigma_q = 1;
  double lp_inflow = 0, lp_return_elasticity = 0;
  double sentiment = 1;  // m(t)
  double ipo_rate_factor = 1, ipo_threshold = 1000, ipo_rate = 0.2;
  double round_scale = 1, round_index = 1, ma_factor = 1;
  double coinvest_index = 1;  // x every stage's coinvest_share (docs/model.md D38)
};

// Sector parameters per (region, sector) cell, so events can act on both scopes.
struct CellMonth {
  double gestation_months = 0, tech_hazard = 0, base_hazard = 0, drift = 0, volatility = 0;
  double quality_loading = 0, capital_intensity = 1, ma_rate = 0, milestone_jump = 0;
  double ipo_threshold_factor = 1;
  // Adjustments by this month's policy events (MODEL.md 3.1); neutral without events.
  double event_hazard = 0;      // /year, added to every startup's hazard
  double event_drift = 0;       // /year, added to drift
  double sentiment_factor = 1;  // x the region's m
  double ipo_window = std::numeric_limits<double>::quiet_NaN();  // replaces ipo_rate_factor
  double ipo_factor = 1;                                         // x ipo_rate_factor
  double quality_shift = 0;                                      // + mu_q of newborns
  double births_factor = 1;                                      // x births in the sector
};

struct MonthParams {
  int month = 0;
  std::vector<RegionMonth> regions;
  std::vector<CellMonth> cells;  // region-major: cells[region * sector_count + sector]
  int sector_count = 0;

  // The valuation multiple m of a cell, after events.
  double sentiment(int region, int sector) const {
    return regions[static_cast<std::size_t>(region)].sentiment *
           cell(region, sector).sentiment_factor;
  }
  // The IPO window of a cell in [0, 1], after events.
  double ipo_rate_factor(int region, int sector) const {
    const CellMonth& c = cell(region, sector);
    const double base = std::isnan(c.ipo_window)
                            ? regions[static_cast<std::size_t>(region)].ipo_rate_factor
                            : c.ipo_window;
    return base * c.ipo_factor;
  }

  const CellMonth& cell(int region, int sector) const {
    return cells[static_cast<std::size_t>(region * sector_count + sector)];
  }
  CellMonth& cell(int region, int sector) {
    return cells[static_cast<std::size_t>(region * sector_count + sector)];
  }
};

// Reads the scenario's year tables at `month` (events not applied).
MonthParams read_month_params(const Scenario& scenario, int month);

}  // namespace vcsim
