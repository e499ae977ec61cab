#pragma once
// A small world built in code, so engine tests do not depend on the scenario reader:
// two regions, three sectors (one of them not deep tech), a few hundred births a year.
#include "scenario/scenario.hpp"

namespace vcsim::testing {

inline Scenario fixture_scenario(int years = 12, double births_per_year = 600) {
  Scenario s;
  s.name = "fixture";
  s.start_year = 2000;
  s.end_year = 2000 + years - 1;
  s.seed = 7;
  s.replications = 2;
  SectorSpec software;
  software.name = "internet_software";
  software.base_hazard = TimeSeries(0.06);
  software.drift = TimeSeries(0.10);
  software.volatility = TimeSeries(0.7);
  SectorSpec chips = software;
  chips.name = "semiconductors";
  chips.deep_tech = true;
  chips.gestation_months = TimeSeries(48);
  chips.tech_hazard = TimeSeries(0.15);
  chips.capital_intensity = TimeSeries(2.5);
  SectorSpec bio = chips;
  bio.name = "biotech";
  bio.gestation_months = TimeSeries(60);
  bio.capital_intensity = TimeSeries(1.8);
  s.sectors = {bio, software, chips};
  for (const char* name : {"CN", "US"}) {
    RegionSpec r;
    r.name = name;
    r.births = TimeSeries(births_per_year);
    r.sector_mix = {0.2, 0.6, 0.2};
    r.localities = {{"north", 0.5}, {"south", 0.5}};
    r.lp_inflow = TimeSeries(births_per_year * 8);
    s.regions.push_back(r);
  }
  s.regions[0].round_scale = TimeSeries(1.6);
  s.resolved_text = "name = \"fixture\"\n";
  return s;
}

}  // namespace vcsim::testing
