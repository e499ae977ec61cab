// The policy sections of a scenario: [guidance_funds.<name>] and [events.<name>].
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "../support/scenario_errors.hpp"
#include "scenario/reader.hpp"

using vcsim::EventKind;
using vcsim::EventSpec;
using vcsim::GuidanceFundSpec;
using vcsim::GuidanceLevel;
using vcsim::read_scenario;
using vcsim::read_scenario_text;
using vcsim::Scenario;
using vcsim::ScenarioError;

namespace {

const std::string kSource = VCSIM_SOURCE_DIR;
const std::string kScenarios = kSource + "/scenarios/";

// A world of lines 1-15, from 2010 to 2030: sectors ai (0), bio (1), chips (2); regions
// CN (0, localities beijing and guangdong) and US (1). A test appending text starts at
// line 16.
const std::string kWorld = R"([run]
start_year = 2010
end_year = 2030
[sectors.ai]
[sectors.chips]
[sectors.bio]
[regions.CN]
births = 100
sector_mix = { ai = 0.5, chips = 0.5 }
localities = { guangdong = 1, beijing = 3 }
lp_inflow = 500
[regions.US]
births = 100
sector_mix = { ai = 1.0 }
lp_inflow = 500
)";

// A valid national fund on lines 16-20: a key appended to it is on line 21.
const std::string kFund = kWorld + R"([guidance_funds.g]
level = "national"
region = "CN"
start = 2012
size = 1000
)";

// A valid event on lines 16-19: a key appended to it is on line 20.
const std::string kEvent = kWorld + R"([events.e]
kind = "crackdown"
start = 2012
end = 2014
)";

using vcsim::testing::error_of;

const GuidanceFundSpec& fund(const Scenario& s, const std::string& name) {
  const auto it = std::find_if(s.guidance_funds.begin(), s.guidance_funds.end(),
                               [&](const GuidanceFundSpec& g) { return g.name == name; });
  REQUIRE(it != s.guidance_funds.end());
  return *it;
}

const EventSpec& event(const Scenario& s, const std::string& name) {
  const auto it = std::find_if(s.events.begin(), s.events.end(),
                               [&](const EventSpec& e) { return e.name == name; });
  REQUIRE(it != s.events.end());
  return *it;
}

// Months of a run starting in 2010.
constexpr int month(int year, int month_of_year) { return (year - 2010) * 12 + month_of_year - 1; }

void check_same(const GuidanceFundSpec& a, const GuidanceFundSpec& b) {
  CHECK(a.name == b.name);
  CHECK(a.level == b.level);
  CHECK(a.region == b.region);
  CHECK(a.home_locality == b.home_locality);
  CHECK(a.start_month == b.start_month);
  CHECK(a.size == b.size);
  CHECK(a.years_to_deploy == b.years_to_deploy);
  CHECK(a.sector_weights == b.sector_weights);
  CHECK(a.state_share_max == b.state_share_max);
  CHECK(a.sector_quota == b.sector_quota);
  CHECK(a.reinvest_ratio == b.reinvest_ratio);
  CHECK(a.return_cap == b.return_cap);
  CHECK(a.selection_quality == b.selection_quality);
  CHECK(a.failure_tolerance == b.failure_tolerance);
  CHECK(a.subfund_life == b.subfund_life);
  CHECK(a.early_stage_share == b.early_stage_share);
  CHECK(a.direct_share == b.direct_share);
  CHECK(a.sigma_direct == b.sigma_direct);
  CHECK(a.max_direct_check == b.max_direct_check);
  CHECK(a.buyout_years == b.buyout_years);
  CHECK(a.buyout_rate == b.buyout_rate);
}

void check_same(const EventSpec& a, const EventSpec& b) {
  CHECK(a.name == b.name);
  CHECK(a.kind == b.kind);
  CHECK(a.first_month == b.first_month);
  CHECK(a.last_month == b.last_month);
  CHECK(a.regions == b.regions);
  CHECK(a.sectors == b.sectors);
  CHECK(a.hazard_shift == b.hazard_shift);
  CHECK(a.drift_shift == b.drift_shift);
  CHECK(a.ipo_factor == b.ipo_factor);
  CHECK(a.sentiment_factor == b.sentiment_factor);
  CHECK(a.ipo_rate_factor == b.ipo_rate_factor);
  CHECK(a.quality_shift == b.quality_shift);
  CHECK(a.births_factor == b.births_factor);
  CHECK(a.budget == b.budget);
  CHECK(a.grant_size == b.grant_size);
  CHECK(a.stages == b.stages);
  CHECK(a.sigma_grant == b.sigma_grant);
}

}  // namespace

TEST_CASE("scenario: without policy sections there are no guidance funds or events", "[scenario]") {
  const Scenario s = read_scenario_text(kWorld, "mem.toml");
  CHECK(s.guidance_funds.empty());
  CHECK(s.events.empty());
  // Empty collections are allowed too.
  const Scenario e = read_scenario_text(kWorld + "[guidance_funds]\n[events]\n", "mem.toml");
  CHECK(e.guidance_funds.empty());
  CHECK(e.events.empty());
  // The baseline holds the state capital and policies that existed.
  const Scenario baseline = read_scenario(kScenarios + "baseline.toml");
  CHECK(baseline.guidance_funds.size() == 4);
  CHECK(baseline.events.size() == 3);
  // A counterfactual switches included guidance funds off with `enabled = false`.
  const Scenario without = read_scenario(kScenarios + "cn_no_guidance_funds.toml");
  REQUIRE(without.guidance_funds.size() == 1);
  CHECK(without.guidance_funds[0].name == "big_fund_i");
}

TEST_CASE("scenario: a guidance fund reads every key", "[scenario]") {
  const Scenario s = read_scenario_text(kWorld + R"([guidance_funds.prov]
level = "provincial"
region = "CN"
home_locality = "guangdong"
start = "2015-07"
size = 5000
years_to_deploy = 8
target_sectors = { chips = 3, ai = 1 }
state_share_max = 0.25
sector_quota = 0.7
reinvest_ratio = 2
return_cap = 0.05
selection_quality = 0.9
failure_tolerance = 1.5
subfund_life = 180
early_stage_share = 0.7
direct_share = 0.4
sigma_direct = 0.8
max_direct_check = 0.05
buyout = { years = 5, rate = 0.06 }
)",
                                        "mem.toml");
  REQUIRE(s.guidance_funds.size() == 1);
  const GuidanceFundSpec& g = s.guidance_funds[0];
  CHECK(g.name == "prov");
  CHECK(g.level == GuidanceLevel::provincial);
  CHECK(g.region == 0);
  CHECK(g.home_locality == 1);  // beijing, guangdong: alphabetical
  CHECK(s.regions[0].localities[1].name == "guangdong");
  CHECK(g.start_month == (2015 - s.start_year) * 12 + 6);
  CHECK(g.size == 5000);
  CHECK(g.years_to_deploy == 8);
  // Normalised, one weight per sector in scenario order (ai, bio, chips).
  CHECK(g.sector_weights == std::vector<double>{0.25, 0.0, 0.75});
  CHECK(g.state_share_max == 0.25);
  CHECK(g.sector_quota == 0.7);
  CHECK(g.reinvest_ratio == 2);
  CHECK(g.return_cap == 0.05);
  CHECK(g.selection_quality == 0.9);
  CHECK(g.failure_tolerance == 1.5);
  CHECK(g.subfund_life == 180);
  CHECK(g.early_stage_share == 0.7);
  CHECK(g.direct_share == 0.4);
  CHECK(g.sigma_direct == 0.8);
  CHECK(g.max_direct_check == 0.05);
  CHECK(g.buyout_years == 5);
  CHECK(g.buyout_rate == 0.06);
}

TEST_CASE("scenario: a guidance fund takes defaults for the keys it leaves out", "[scenario]") {
  const Scenario s = read_scenario_text(kFund, "mem.toml");
  REQUIRE(s.guidance_funds.size() == 1);
  const GuidanceFundSpec& g = s.guidance_funds[0];
  const GuidanceFundSpec defaults;
  CHECK(g.level == GuidanceLevel::national);
  CHECK(g.home_locality == -1);
  CHECK(g.start_month == 24);  // a year means its January
  CHECK(g.size == 1000);
  CHECK(g.sector_weights == std::vector<double>(3, 1.0 / 3));  // every sector, equal
  CHECK(g.years_to_deploy == defaults.years_to_deploy);
  CHECK(g.state_share_max == defaults.state_share_max);
  CHECK(g.sector_quota == defaults.sector_quota);
  CHECK(g.reinvest_ratio == 0);
  CHECK(g.return_cap == defaults.return_cap);
  CHECK(g.selection_quality == defaults.selection_quality);
  CHECK(g.failure_tolerance == defaults.failure_tolerance);
  CHECK(g.subfund_life == defaults.subfund_life);
  CHECK(g.early_stage_share == defaults.early_stage_share);
  CHECK(g.direct_share == defaults.direct_share);
  CHECK(g.sigma_direct == defaults.sigma_direct);
  CHECK(g.max_direct_check == defaults.max_direct_check);
  CHECK(g.buyout_years == 0);
  CHECK(g.buyout_rate == 0);
}

TEST_CASE("scenario: guidance funds are stored in alphabetical order of names", "[scenario]") {
  const Scenario s = read_scenario_text(kWorld + R"([guidance_funds.zeta]
level = "municipal"
region = "CN"
home_locality = "beijing"
start = 2030
size = 1
[guidance_funds.alpha]
level = "national"
region = "US"
start = "2010-01"
size = 2
)",
                                        "mem.toml");
  REQUIRE(s.guidance_funds.size() == 2);
  CHECK(s.guidance_funds[0].name == "alpha");
  CHECK(s.guidance_funds[0].region == 1);
  CHECK(s.guidance_funds[0].start_month == 0);  // the run's first month
  CHECK(s.guidance_funds[1].name == "zeta");
  CHECK(s.guidance_funds[1].level == GuidanceLevel::municipal);
  CHECK(s.guidance_funds[1].home_locality == 0);
  CHECK(s.guidance_funds[1].start_month == s.months() - 12);  // the last January
}

TEST_CASE("scenario: events read the keys of their kind", "[scenario]") {
  const Scenario s = read_scenario_text(kWorld + R"([events.controls]
kind = "export_control"
start = "2015-07"
end = 2020
regions = ["CN"]
sectors = ["chips", "ai", "chips"]
hazard_shift = 0.05
drift_shift = 0.03
ipo_factor = 0.8
[events.crackdown]
kind = "crackdown"
start = 2021
end = "2022-06"
sentiment_factor = 0.6
ipo_factor = 0.5
[events.window]
kind = "ipo_window"
start = 2023
end = 2024
ipo_rate_factor = 0.25
[events.buy_local]
kind = "procurement"
start = 2015
end = 2015
drift_shift = 0.02
[events.tariffs]
kind = "tariff"
start = 2018
end = 2019
drift_shift = 0.01
[events.talent]
kind = "talent"
start = 2012
end = 2030
quality_shift = -0.5
births_factor = 2
[events.sbir]
kind = "grant"
start = 2012
end = 2030
regions = ["US"]
budget = 4000
grant_size = 0.15
stages = [1, 0, 1]
sigma_grant = 0.5
)",
                                        "mem.toml");
  REQUIRE(s.events.size() == 7);
  CHECK(s.events[0].name == "buy_local");  // alphabetical
  CHECK(s.events[6].name == "window");

  const EventSpec& c = event(s, "controls");
  CHECK(c.kind == EventKind::export_control);
  CHECK(c.first_month == (2015 - s.start_year) * 12 + 6);
  CHECK(c.last_month == month(2020, 12));  // a year as the end means its December
  CHECK(c.regions == std::vector<int>{0});
  CHECK(c.sectors == std::vector<int>{0, 2});  // sorted, without duplicates
  CHECK(c.hazard_shift == 0.05);
  CHECK(c.drift_shift == 0.03);
  CHECK(c.ipo_factor == 0.8);

  const EventSpec& k = event(s, "crackdown");
  CHECK(k.kind == EventKind::crackdown);
  CHECK(k.first_month == month(2021, 1));
  CHECK(k.last_month == month(2022, 6));
  CHECK(k.regions.empty());  // all regions
  CHECK(k.sectors.empty());  // all sectors
  CHECK(k.sentiment_factor == 0.6);
  CHECK(k.ipo_factor == 0.5);

  CHECK(event(s, "window").kind == EventKind::ipo_window);
  CHECK(event(s, "window").ipo_rate_factor == 0.25);
  CHECK(event(s, "buy_local").kind == EventKind::procurement);
  CHECK(event(s, "buy_local").drift_shift == 0.02);
  CHECK(event(s, "buy_local").first_month == month(2015, 1));
  CHECK(event(s, "buy_local").last_month == month(2015, 12));
  CHECK(event(s, "tariffs").kind == EventKind::tariff);
  CHECK(event(s, "tariffs").drift_shift == 0.01);

  const EventSpec& t = event(s, "talent");
  CHECK(t.kind == EventKind::talent);
  CHECK(t.quality_shift == -0.5);
  CHECK(t.births_factor == 2);

  const EventSpec& g = event(s, "sbir");
  CHECK(g.kind == EventKind::grant);
  CHECK(g.regions == std::vector<int>{1});
  CHECK(g.budget == 4000);
  CHECK(g.grant_size == 0.15);
  CHECK(g.stages == std::vector<int>{0, 1});
  CHECK(g.sigma_grant == 0.5);
  CHECK(g.last_month == s.months() - 1);
}

TEST_CASE("scenario: event values left out take their defaults", "[scenario]") {
  const Scenario s = read_scenario_text(kWorld + R"([events.sbir]
kind = "grant"
start = 2012
end = 2014
budget = 100
grant_size = 1
[events.controls]
kind = "export_control"
start = 2012
end = 2014
)",
                                        "mem.toml");
  const EventSpec defaults;
  CHECK(event(s, "sbir").stages.empty());  // every stage
  CHECK(event(s, "sbir").sigma_grant == defaults.sigma_grant);
  CHECK(event(s, "controls").hazard_shift == 0);
  CHECK(event(s, "controls").drift_shift == 0);
  CHECK(event(s, "controls").ipo_factor == 1);
}

TEST_CASE("scenario: event months are clipped to the run", "[scenario]") {
  const Scenario s = read_scenario_text(kWorld + R"([events.around]
kind = "tariff"
start = 1990
end = 2050
[events.before]
kind = "tariff"
start = 1990
end = "2009-12"
[events.after]
kind = "tariff"
start = "2031-01"
end = 2040
[events.last]
kind = "tariff"
start = "2030-12"
end = 2031
[events.first]
kind = "tariff"
start = 2000
end = "2010-01"
)",
                                        "mem.toml");
  CHECK(event(s, "around").first_month == 0);
  CHECK(event(s, "around").last_month == s.months() - 1);
  // Wholly outside the run: an empty range, last_month = first_month - 1.
  CHECK(event(s, "before").first_month == 0);
  CHECK(event(s, "before").last_month == -1);
  CHECK(event(s, "after").first_month == s.months());
  CHECK(event(s, "after").last_month == s.months() - 1);
  CHECK(event(s, "last").first_month == s.months() - 1);
  CHECK(event(s, "last").last_month == s.months() - 1);
  CHECK(event(s, "first").first_month == 0);
  CHECK(event(s, "first").last_month == 0);
}

TEST_CASE("scenario: an include can change one value of a guidance fund or an event",
          "[scenario]") {
  const Scenario base = read_scenario(kScenarios + "cn_national_fund_2025.toml");
  const Scenario patient = read_scenario(kScenarios + "cn_national_fund_patient.toml");
  REQUIRE(base.guidance_funds.size() == 5);  // the baseline's four and the national fund
  REQUIRE(patient.guidance_funds.size() == 5);
  CHECK(fund(base, "cn_national").subfund_life == 240);
  CHECK(fund(patient, "cn_national").subfund_life == 120);
  GuidanceFundSpec expected = fund(base, "cn_national");
  expected.subfund_life = 120;
  check_same(fund(patient, "cn_national"), expected);

  // A parameter value (target_sectors) is replaced whole, not merged.
  const Scenario chips = read_scenario_text(R"(include = "cn_national_fund_2025.toml"
guidance_funds.cn_national.target_sectors = { semiconductors = 1 }
events.controls.kind = "export_control"
events.controls.start = 2023
events.controls.end = 2024
)",
                                            kScenarios + "override.toml");
  const auto& weights = fund(chips, "cn_national").sector_weights;
  for (std::size_t i = 0; i < weights.size(); ++i)
    CHECK(weights[i] == (chips.sectors[i].name == "semiconductors" ? 1.0 : 0.0));
  CHECK(fund(chips, "cn_national").size == 13900);
  CHECK(chips.events.size() == 4);  // the baseline's three and the new one

  const Scenario later = read_scenario_text(R"(include = "us_chip_export_controls.toml"
events.us_chip_export_controls.end = "2030-06"
)",
                                            kScenarios + "override.toml");
  const EventSpec& e = event(later, "us_chip_export_controls");
  CHECK(e.first_month == (2022 - 2000) * 12 + 9);
  CHECK(e.last_month == (2030 - 2000) * 12 + 5);
  CHECK(e.hazard_shift == 0.05);  // the rest of the table stays
}

TEST_CASE("scenario: the policy scenarios read with their stated values", "[scenario]") {
  SECTION("cn_national_fund_2025") {
    const Scenario s = read_scenario(kScenarios + "cn_national_fund_2025.toml");
    const GuidanceFundSpec& g = fund(s, "cn_national");
    CHECK(g.level == GuidanceLevel::national);
    CHECK(s.regions[static_cast<std::size_t>(g.region)].name == "CN");
    CHECK(g.start_month == (2026 - 2000) * 12);
    CHECK(g.size == 13900);
    CHECK(g.years_to_deploy == 10);
    CHECK(g.state_share_max == 0.1);
    CHECK(g.early_stage_share == 0.7);
    CHECK(g.sector_weights[static_cast<std::size_t>(s.sector_index("internet_software"))] == 0);
    CHECK(g.sector_weights[static_cast<std::size_t>(s.sector_index("quantum"))] == Approx(1.0 / 7));
  }
  SECTION("big_fund_semiconductors") {
    const Scenario s = read_scenario(kScenarios + "big_fund_semiconductors.toml");
    REQUIRE(s.guidance_funds.size() == 4);
    CHECK(fund(s, "big_fund_i").start_month == (2014 - 2000) * 12);
    CHECK(fund(s, "big_fund_ii").start_month == (2019 - 2000) * 12);
    const GuidanceFundSpec& iii = fund(s, "big_fund_iii");
    CHECK(iii.start_month == (2024 - 2000) * 12 + 4);
    CHECK(iii.size == 95600);  // phase III doubled on top of the baseline
    CHECK(iii.subfund_life == 180);
    CHECK(iii.direct_share == 0.75);
    CHECK(iii.sector_weights[static_cast<std::size_t>(s.sector_index("semiconductors"))] == 1);
    CHECK(fund(s, "big_fund_i").subfund_life == 120);
  }
  SECTION("guangdong_patient_capital") {
    const Scenario s = read_scenario(kScenarios + "guangdong_patient_capital.toml");
    const GuidanceFundSpec& g = fund(s, "guangdong_patient");
    CHECK(g.level == GuidanceLevel::provincial);
    const auto& cn = s.regions[static_cast<std::size_t>(g.region)];
    CHECK(cn.localities[static_cast<std::size_t>(g.home_locality)].name == "guangdong");
    CHECK(g.reinvest_ratio == 1.5);
    CHECK(g.subfund_life == 180);
  }
  SECTION("us_sbir_doubled") {
    const Scenario s = read_scenario(kScenarios + "us_sbir_doubled.toml");
    CHECK(event(s, "us_sbir").budget == 4000);  // the baseline's programme
    const EventSpec& e = event(s, "us_sbir_extra");
    CHECK(e.kind == EventKind::grant);
    CHECK(e.regions == std::vector<int>{s.region_index("US")});
    CHECK(e.budget == 4000);
    CHECK(e.grant_size == 0.5);
    CHECK(e.stages == std::vector<int>{0, 1});
    CHECK(e.first_month == (2026 - 2000) * 12);
    CHECK(e.last_month == s.months() - 1);
  }
  SECTION("us_chip_export_controls") {
    const Scenario s = read_scenario(kScenarios + "us_chip_export_controls.toml");
    const EventSpec& e = event(s, "us_chip_export_controls");
    CHECK(e.kind == EventKind::export_control);
    CHECK(e.first_month == (2022 - 2000) * 12 + 9);
    CHECK(e.regions == std::vector<int>{s.region_index("CN")});
    CHECK(e.sectors == std::vector<int>{s.sector_index("ai"), s.sector_index("semiconductors")});
    CHECK(e.ipo_factor == 0.8);
  }
  SECTION("yozma_style") {
    const Scenario s = read_scenario(kScenarios + "yozma_style.toml");
    const GuidanceFundSpec& g = fund(s, "yozma_cn");
    CHECK(g.state_share_max == 0.4);
    CHECK(g.buyout_years == 5);
    CHECK(g.buyout_rate == 0.06);
  }
}

TEST_CASE("scenario: policy sections survive the resolved text", "[scenario]") {
  for (const char* name : {"big_fund_semiconductors.toml", "us_chip_export_controls.toml",
                           "us_sbir_doubled.toml", "yozma_style.toml"}) {
    INFO(name);
    const Scenario s = read_scenario(kScenarios + name);
    const Scenario again = read_scenario_text(s.resolved_text, "resolved.toml");
    REQUIRE(again.guidance_funds.size() == s.guidance_funds.size());
    for (std::size_t i = 0; i < s.guidance_funds.size(); ++i)
      check_same(again.guidance_funds[i], s.guidance_funds[i]);
    REQUIRE(again.events.size() == s.events.size());
    for (std::size_t i = 0; i < s.events.size(); ++i) check_same(again.events[i], s.events[i]);
  }
}

TEST_CASE("scenario: guidance fund errors name the file, line and key", "[scenario]") {
  const std::string p = "mem.toml:21: guidance_funds.g.";
  SECTION("level, region and home locality") {
    CHECK(error_of(kWorld + "[guidance_funds.g]\nregion = \"CN\"\nstart = 2012\nsize = 1\n") ==
          "mem.toml:16: guidance_funds.g.level: expected a string (required)");
    CHECK(error_of(kWorld +
                   "[guidance_funds.g]\nlevel = \"county\"\nregion = \"CN\"\nstart = 2012\n"
                   "size = 1\n") ==
          "mem.toml:17: guidance_funds.g.level: expected \"national\", \"provincial\" or "
          "\"municipal\", got \"county\"");
    CHECK(error_of(kWorld + "[guidance_funds.g]\nlevel = \"national\"\nstart = 2012\nsize = 1\n") ==
          "mem.toml:16: guidance_funds.g.region: expected a string (required)");
    CHECK(error_of(kWorld +
                   "[guidance_funds.g]\nlevel = \"national\"\nregion = \"JP\"\nstart = 2012\n"
                   "size = 1\n") ==
          "mem.toml:18: guidance_funds.g.region: unknown region \"JP\"; expected one of CN, US");
    CHECK(error_of(kFund + "home_locality = \"beijing\"\n") ==
          p + "home_locality: expected no home_locality for a national fund");
    CHECK(error_of(kWorld +
                   "[guidance_funds.g]\nlevel = \"municipal\"\nregion = \"CN\"\nstart = 2012\n"
                   "size = 1\n") ==
          "mem.toml:16: guidance_funds.g.home_locality: expected a string (required for a "
          "municipal fund)");
    CHECK(error_of(kWorld + "[guidance_funds.g]\nlevel = \"provincial\"\nregion = \"US\"\n"
                            "home_locality = \"beijing\"\nstart = 2012\nsize = 1\n") ==
          "mem.toml:19: guidance_funds.g.home_locality: unknown locality \"beijing\" of US; "
          "expected one of US");
    CHECK(error_of(kWorld + "[guidance_funds.g]\nlevel = \"provincial\"\nregion = \"CN\"\n"
                            "home_locality = 3\nstart = 2012\nsize = 1\n") ==
          "mem.toml:19: guidance_funds.g.home_locality: expected a string");
  }
  SECTION("start") {
    const std::string head = kWorld + "[guidance_funds.g]\nlevel = \"national\"\nregion = \"CN\"\n";
    CHECK(error_of(head + "size = 1\n") ==
          "mem.toml:16: guidance_funds.g.start: expected a year or a month \"YYYY-MM\" "
          "(required)");
    // Starts outside the run are accepted: after it the fund never acts, before it the
    // fund deploys from the first January.
    CHECK(read_scenario_text(head + "start = 2031\nsize = 1\n", "mem.toml")
              .guidance_funds[0]
              .start_month == 21 * 12);
    CHECK(read_scenario_text(head + "start = \"2009-12\"\nsize = 1\n", "mem.toml")
              .guidance_funds[0]
              .start_month == 0);
    CHECK(error_of(head + "start = 2015.5\nsize = 1\n") ==
          "mem.toml:19: guidance_funds.g.start: expected a year or a month \"YYYY-MM\"");
    CHECK(error_of(head + "start = 99999\nsize = 1\n") ==
          "mem.toml:19: guidance_funds.g.start: expected a year in [1800, 2300], got 99999");
    for (const std::string bad :
         {"2015-7", "2015-00", "2015-13", "15-07", "2015/07", "2015-+7", "2015-07-01", "0999-01"})
      CHECK(error_of(head + "start = \"" + bad + "\"\nsize = 1\n") ==
            "mem.toml:19: guidance_funds.g.start: expected a year or a month \"YYYY-MM\" with MM "
            "in 01-12 and the year in [1800, 2300], got \"" +
                bad + "\"");
  }
  SECTION("numbers out of range") {
    CHECK(error_of(kWorld +
                   "[guidance_funds.g]\nlevel = \"national\"\nregion = \"CN\"\nstart = 2012\n") ==
          "mem.toml:16: guidance_funds.g.size: expected a number (required)");
    const std::string fund = kFund;
    const auto message = [&](const std::string& line) { return error_of(fund + line + "\n"); };
    CHECK(error_of(kFund.substr(0, kFund.find("size")) + "size = 0\n") ==
          "mem.toml:20: guidance_funds.g.size: expected a value in (0, inf), got 0");
    CHECK(message("years_to_deploy = 0") ==
          p + "years_to_deploy: expected a value in (0, 100], got 0");
    CHECK(message("years_to_deploy = 101") ==
          p + "years_to_deploy: expected a value in (0, 100], got 101");
    CHECK(message("state_share_max = 0") ==
          p + "state_share_max: expected a value in (0, 1], got 0");
    CHECK(message("state_share_max = 1.5") ==
          p + "state_share_max: expected a value in (0, 1], got 1.5");
    CHECK(message("sector_quota = 1.1") == p + "sector_quota: expected a value in [0, 1], got 1.1");
    CHECK(message("reinvest_ratio = 11") ==
          p + "reinvest_ratio: expected a value in [0, 10], got 11");
    CHECK(message("return_cap = 1.5") == p + "return_cap: expected a value in [0, 1], got 1.5");
    CHECK(message("selection_quality = -0.1") ==
          p + "selection_quality: expected a value in [0, 1], got -0.1");
    CHECK(message("failure_tolerance = 6") ==
          p + "failure_tolerance: expected a value in [0, 5], got 6");
    CHECK(message("subfund_life = 11") ==
          p + "subfund_life: expected a value in [12, 600], got 11");
    CHECK(message("subfund_life = 601") ==
          p + "subfund_life: expected a value in [12, 600], got 601");
    CHECK(message("subfund_life = 120.5") == p + "subfund_life: expected an integer, got 120.5");
    CHECK(message("early_stage_share = -0.1") ==
          p + "early_stage_share: expected a value in [0, 1], got -0.1");
    CHECK(message("direct_share = 2") == p + "direct_share: expected a value in [0, 1], got 2");
    CHECK(message("sigma_direct = -1") == p + "sigma_direct: expected a value in [0, inf), got -1");
    CHECK(message("max_direct_check = 0") ==
          p + "max_direct_check: expected a value in (0, 1], got 0");
  }
  SECTION("cross-field checks") {
    CHECK(error_of(kFund + "reinvest_ratio = 1.5\n") ==
          p + "reinvest_ratio: expected 0 without a home_locality (a national fund has none), "
              "got 1.5");
    CHECK(error_of(kFund + "reinvest_ratio = 0\n").empty());
    // A sub-fund's life covers the investment period of [funds.guidance_backed].
    CHECK(error_of(kFund + "subfund_life = 36\n") ==
          p + "subfund_life: expected a value in [60, 600] (at least "
              "funds.guidance_backed.inv_period), got 36");
    CHECK(
        error_of(kFund + "subfund_life = 36\n[funds.guidance_backed]\ninv_period = 24\n").empty());
  }
  SECTION("target_sectors") {
    CHECK(error_of(kFund + "target_sectors = { ai = 1, robots = 1 }\n") ==
          p + "target_sectors.robots: unknown sector; expected one of ai, bio, chips");
    CHECK(error_of(kFund + "target_sectors = { ai = -1 }\n") ==
          p + "target_sectors.ai: expected a value in [0, inf), got -1");
    CHECK(error_of(kFund + "target_sectors = { ai = 0, bio = 0 }\n") ==
          p + "target_sectors: expected at least one weight above 0");
    CHECK(error_of(kFund + "target_sectors = {}\n") ==
          p + "target_sectors: expected at least one weight above 0");
    CHECK(error_of(kFund + "target_sectors = [\"ai\"]\n") ==
          p + "target_sectors: expected a table of sector = weight");
  }
  SECTION("buyout") {
    CHECK(error_of(kFund + "buyout = { years = 0, rate = 0.06 }\n") ==
          p + "buyout.years: expected a value in [1, 30], got 0");
    CHECK(error_of(kFund + "buyout = { years = 5, rate = 1.5 }\n") ==
          p + "buyout.rate: expected a value in [0, 1], got 1.5");
    CHECK(error_of(kFund + "buyout = { years = 5 }\n") ==
          p + "buyout.rate: expected a number (required)");
    CHECK(error_of(kFund + "buyout = { years = 5, rate = 0.06, price = 1 }\n") ==
          p + "buyout.price: unknown key");
    CHECK(error_of(kFund + "buyout = 5\n") == p + "buyout: expected a table");
  }
  SECTION("names and unknown keys") {
    CHECK(error_of(kFund + "sector_qota = 0.5\n") ==
          p + "sector_qota: unknown key (did you mean sector_quota?)");
    CHECK(error_of(kWorld +
                   "[guidance_funds.Big]\nlevel = \"national\"\nregion = \"CN\"\nstart = 2012\n"
                   "size = 1\n") ==
          "mem.toml:16: guidance_funds.Big: expected a name of lower-case letters, digits and _, "
          "starting with a letter");
  }
  SECTION("a value from an included file is reported where it was written") {
    const std::string path = kScenarios + "override.toml";
    CHECK(error_of("include = \"cn_national_fund_2025.toml\"\n\n"
                   "guidance_funds.cn_national.subfund_life = 6000\n",
                   path) == path +
                                ":3: guidance_funds.cn_national.subfund_life: expected a value in "
                                "[12, 600], got 6000");
    // A guidance fund starting after the run is accepted and never acts.
    const Scenario shorter = read_scenario_text(
        "include = \"cn_national_fund_2025.toml\"\n"
        "run = { start_year = 2000, end_year = 2020, report_years = [2020] }\n",
        path);
    CHECK(fund(shorter, "cn_national").start_month == 26 * 12);
  }
}

TEST_CASE("scenario: event errors name the file, line and key", "[scenario]") {
  const std::string p = "mem.toml:20: events.e.";
  const auto with_kind = [](const std::string& kind, const std::string& lines) {
    return kWorld + "[events.e]\nkind = \"" + kind + "\"\nstart = 2012\nend = 2014\n" + lines;
  };
  SECTION("kind") {
    CHECK(error_of(kWorld + "[events.e]\nstart = 2012\nend = 2014\n") ==
          "mem.toml:16: events.e.kind: expected a string (required)");
    CHECK(error_of(with_kind("embargo", "")) ==
          "mem.toml:17: events.e.kind: unknown event kind \"embargo\"; expected one of "
          "export_control, crackdown, ipo_window, procurement, tariff, talent, grant");
  }
  SECTION("start and end") {
    CHECK(error_of(kWorld + "[events.e]\nkind = \"tariff\"\nend = 2014\n") ==
          "mem.toml:16: events.e.start: expected a year or a month \"YYYY-MM\" (required)");
    CHECK(error_of(kWorld + "[events.e]\nkind = \"tariff\"\nstart = 2014\n") ==
          "mem.toml:16: events.e.end: expected a year or a month \"YYYY-MM\" (required)");
    CHECK(error_of(kWorld + "[events.e]\nkind = \"tariff\"\nstart = \"2020-07\"\nend = "
                            "\"2020-06\"\n") ==
          "mem.toml:19: events.e.end: expected a month not before start (2020-07), got 2020-06");
    CHECK(error_of(kWorld + "[events.e]\nkind = \"tariff\"\nstart = 2021\nend = 2020\n") ==
          "mem.toml:19: events.e.end: expected a month not before start (2021-01), got 2020-12");
    CHECK(error_of(kWorld + "[events.e]\nkind = \"tariff\"\nstart = \"2020-12\"\nend = 2020\n")
              .empty());
    CHECK(error_of(kWorld + "[events.e]\nkind = \"tariff\"\nstart = \"2022-13\"\nend = 2024\n") ==
          "mem.toml:18: events.e.start: expected a year or a month \"YYYY-MM\" with MM in 01-12 "
          "and the year in [1800, 2300], got \"2022-13\"");
  }
  SECTION("regions and sectors") {
    CHECK(error_of(kEvent + "regions = [\"CN\", \"JP\"]\n") ==
          p + "regions[1]: unknown region \"JP\"; expected one of CN, US");
    CHECK(error_of(kEvent + "regions = []\n") ==
          p + "regions: expected an array of at least one region name");
    CHECK(error_of(kEvent + "regions = \"CN\"\n") ==
          p + "regions: expected an array of at least one region name");
    CHECK(error_of(kEvent + "regions = [1]\n") == p + "regions[0]: expected a string");
    CHECK(error_of(kEvent + "sectors = [\"robots\"]\n") ==
          p + "sectors[0]: unknown sector \"robots\"; expected one of ai, bio, chips");
  }
  SECTION("keys of each kind") {
    CHECK(error_of(kEvent + "hazard_shift = 0.1\n") ==
          p + "hazard_shift: unknown key for a crackdown event");
    CHECK(error_of(with_kind("tariff", "ipo_factor = 0.5\n")) ==
          p + "ipo_factor: unknown key for a tariff event");
    CHECK(error_of(with_kind("talent", "quality_shif = 1\n")) ==
          p + "quality_shif: unknown key for a talent event (did you mean quality_shift?)");
    CHECK(error_of(with_kind("export_control", "hazard_shift = 6\n")) ==
          p + "hazard_shift: expected a value in [0, 5], got 6");
    CHECK(error_of(with_kind("export_control", "drift_shift = -0.1\n")) ==
          p + "drift_shift: expected a value in [0, 5], got -0.1");
    CHECK(error_of(with_kind("export_control", "ipo_factor = 1.2\n")) ==
          p + "ipo_factor: expected a value in [0, 1], got 1.2");
    CHECK(error_of(kEvent + "sentiment_factor = 0\n") ==
          p + "sentiment_factor: expected a value in (0, 1], got 0");
    CHECK(error_of(with_kind("ipo_window", "")) ==
          "mem.toml:16: events.e.ipo_rate_factor: expected a number (required)");
    CHECK(error_of(with_kind("ipo_window", "ipo_rate_factor = 1.5\n")) ==
          p + "ipo_rate_factor: expected a value in [0, 1], got 1.5");
    CHECK(error_of(with_kind("procurement", "drift_shift = 5.5\n")) ==
          p + "drift_shift: expected a value in [0, 5], got 5.5");
    CHECK(error_of(with_kind("talent", "quality_shift = -4\n")) ==
          p + "quality_shift: expected a value in [-3, 3], got -4");
    CHECK(error_of(with_kind("talent", "births_factor = 0\n")) ==
          p + "births_factor: expected a value in (0, 10], got 0");
    CHECK(error_of(with_kind("talent", "quality_shift = inf\n")) ==
          p + "quality_shift: expected a finite number, got inf");
  }
  SECTION("grants") {
    CHECK(error_of(with_kind("grant", "grant_size = 1\n")) ==
          "mem.toml:16: events.e.budget: expected a number (required)");
    CHECK(error_of(with_kind("grant", "budget = 100\n")) ==
          "mem.toml:16: events.e.grant_size: expected a number (required)");
    const auto grant = [&](const std::string& line) {
      return error_of(with_kind("grant", "budget = 100\ngrant_size = 1\n" + line + "\n"));
    };
    const std::string q = "mem.toml:22: events.e.";
    CHECK(error_of(with_kind("grant", "budget = 0\ngrant_size = 1\n")) ==
          p + "budget: expected a value in (0, inf), got 0");
    CHECK(grant("stages = [0, 6]") == q + "stages[1]: expected a value in [0, 5], got 6");
    CHECK(grant("stages = []") == q + "stages: expected an array of at least one stage in [0, 5]");
    CHECK(grant("stages = [1.5]") == q + "stages[0]: expected an integer, got 1.5");
    CHECK(grant("sigma_grant = -1") == q + "sigma_grant: expected a value in [0, inf), got -1");
  }
  SECTION("names") {
    CHECK(error_of(kFund + "[events.g]\nkind = \"tariff\"\nstart = 2012\nend = 2014\n") ==
          "mem.toml:21: events.g: expected a name not used by a guidance fund");
    CHECK(error_of(kWorld + "[events.e-1]\nkind = \"tariff\"\nstart = 2012\nend = 2014\n") ==
          "mem.toml:16: events.e-1: expected a name of lower-case letters, digits and _, "
          "starting with a letter");
  }
}
