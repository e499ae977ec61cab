#include "model/month_params.hpp"

namespace vcsim {

namespace {

RegionMonth read_region(const RegionSpec& r, int month, int start_year) {
  auto at = [&](const TimeSeries& series) { return series.at_month(month, start_year); };
  RegionMonth out;
  out.births_per_year = at(r.births);
  out.mu_q = at(r.mu_q);
  out.sigma_q = at(r.sigma_q);
  out.lp_inflow = at(r.lp_inflow);
  out.lp_return_elasticity = at(r.lp_return_elasticity);
  out.sentiment = at(r.sentiment);
  out.ipo_rate_factor = at(r.ipo_rate_factor);
  out.ipo_threshold = at(r.ipo_threshold);
  out.ipo_rate = at(r.ipo_rate);
  out.round_scale = at(r.round_scale);
  out.round_index = at(r.round_index);
  out.ma_factor = at(r.ma_factor);
  out.coinvest_index = at(r.coinvest_index);
  return out;
}

CellMonth read_sector(const SectorSpec& s, int month, int start_year) {
  auto at = [&](const TimeSeries& series) { return series.at_month(month, start_year); };
  CellMonth out;
  out.gestation_months = at(s.gestation_months);
  out.tech_hazard = at(s.tech_hazard);
  out.base_hazard = at(s.base_hazard);
  out.drift = at(s.drift);
  out.volatility = at(s.volatility);
  out.quality_loading = at(s.quality_loading);
  out.capital_intensity = at(s.capital_intensity);
  out.ma_rate = at(s.ma_rate);
  out.milestone_jump = at(s.milestone_jump);
  out.ipo_threshold_factor = at(s.ipo_threshold_factor);
  return out;
}

}  // namespace

MonthParams read_month_params(const Scenario& scenario, int month) {
  MonthParams params;
  params.month = month;
  params.sector_count = static_cast<int>(scenario.sectors.size());
  for (const auto& region : scenario.regions) {
    params.regions.push_back(read_region(region, month, scenario.start_year));
    for (const auto& sector : scenario.sectors)
      params.cells.push_back(read_sector(sector, month, scenario.start_year));
  }
  return params;
}

}  // namespace vcsim
