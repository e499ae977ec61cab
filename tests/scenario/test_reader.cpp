#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>

#include "../support/scenario_errors.hpp"
#include "scenario/reader.hpp"

using vcsim::read_scenario;
using vcsim::read_scenario_text;
using vcsim::Scenario;
using vcsim::ScenarioError;

namespace {

const std::string kSource = VCSIM_SOURCE_DIR;
const std::string kBaseline = kSource + "/scenarios/baseline.toml";
const std::string kSmall = kSource + "/scenarios/small.toml";

// Month `month` of the run, read from a series of `s`.
double at(const vcsim::TimeSeries& series, const Scenario& s, int month) {
  return series.at_month(month, s.start_year);
}

const vcsim::RegionSpec& region(const Scenario& s, const std::string& name) {
  const int i = s.region_index(name);
  REQUIRE(i >= 0);
  return s.regions[static_cast<std::size_t>(i)];
}

const vcsim::SectorSpec& sector(const Scenario& s, const std::string& name) {
  const int i = s.sector_index(name);
  REQUIRE(i >= 0);
  return s.sectors[static_cast<std::size_t>(i)];
}

double share(const Scenario& s, const std::string& region_name, const std::string& sector_name) {
  return region(s, region_name).sector_mix[static_cast<std::size_t>(s.sector_index(sector_name))];
}

// The smallest valid document: lines 1-8, so a test appending line 9 knows its number.
const std::string kMinimal = R"([run]
start_year = 2000
end_year = 2010
[sectors.ai]
[regions.US]
births = 100
sector_mix = { ai = 1.0 }
lp_inflow = 500
)";

using vcsim::testing::error_of;

std::string first_line(const std::string& message) { return message.substr(0, message.find('\n')); }

// A scratch folder of scenario files, removed at the end of the test.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() : path(std::filesystem::temp_directory_path() / "vcsim_test_reader") {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("scenario: the baseline reads with its stated values", "[scenario]") {
  const Scenario s = read_scenario(kBaseline);
  CHECK(s.name == "baseline");
  CHECK(s.source_path == kBaseline);
  CHECK(s.start_year == 2000);
  CHECK(s.end_year == 2045);
  CHECK(s.seed == 20260101u);
  CHECK(s.replications == 8);
  CHECK(s.report_years ==
        std::vector<int>{2010, 2015, 2019, 2020, 2021, 2022, 2023, 2024, 2030, 2045});

  SECTION("regions and sectors in alphabetical order") {
    REQUIRE(s.regions.size() == 3);
    CHECK(s.regions[0].name == "CN");
    CHECK(s.regions[1].name == "EU");
    CHECK(s.regions[2].name == "US");
    std::vector<std::string> names;
    for (const auto& sec : s.sectors) names.push_back(sec.name);
    CHECK(names == std::vector<std::string>{"advanced_materials", "aerospace", "ai", "biotech",
                                            "internet_software", "new_energy", "quantum",
                                            "semiconductors"});
  }
  SECTION("year tables read linearly at month resolution") {
    const auto& us = region(s, "US");
    CHECK(at(us.births, s, 0) == 13500);          // calibrated: 1.5 x MODEL.md 8's
    CHECK(at(us.births, s, 18) == Approx(9000));  // July 2001, from 13500 (2000) to 7500 (2002)
    CHECK(at(us.births, s, 21 * 12) == 22500);
    CHECK(at(us.births, s, 45 * 12 + 11) == 22500);           // held flat after 2021
    CHECK(at(us.sentiment, s, 20 * 12) == 0.7);               // calibrated, before the boom
    CHECK(at(us.sentiment, s, 21 * 12) == 2.5);               // calibrated (docs/calibration.md)
    CHECK(at(us.sentiment, s, 21 * 12 + 6) == Approx(2.65));  // rising through 2021
    CHECK(at(us.sentiment, s, 22 * 12) == 2.8);
    CHECK(at(us.sentiment, s, 22 * 12 + 6) == Approx(2.1));
    CHECK(at(us.coinvest_index, s, 16 * 12) == 1.0);  // calibrated (docs/model.md D38)
    CHECK(at(us.coinvest_index, s, 22 * 12) == 6.5);
    CHECK(at(us.coinvest_index, s, 45 * 12 + 11) == 1.55);       // held after 2023
    CHECK(at(us.sentiment, s, 45 * 12 + 11) == 1.4);             // held after 2023
    CHECK(at(region(s, "CN").lp_inflow, s, 17 * 12) == 120000);  // MODEL.md 8, kept by calibration
    CHECK(at(region(s, "CN").births, s, 18 * 12) == 13000);
  }
  SECTION("region values") {
    CHECK(at(region(s, "CN").round_scale, s, 0) == 1.6);
    CHECK(at(region(s, "EU").round_scale, s, 0) == 0.8);
    CHECK(at(region(s, "EU").ipo_threshold, s, 0) == 1500);
    CHECK(at(region(s, "US").ipo_threshold, s, 0) == 1000);
    CHECK(share(s, "US", "ai") == 0.2);
    CHECK(share(s, "US", "internet_software") == 0.47);
    for (const auto& r : s.regions) {
      CHECK(std::accumulate(r.sector_mix.begin(), r.sector_mix.end(), 0.0) == Approx(1.0));
      double weights = 0;
      for (const auto& l : r.localities) weights += l.weight;
      CHECK(weights == Approx(1.0));
    }
    const auto& us = region(s, "US").localities;
    REQUIRE(us.size() == 4);
    CHECK(us[0].name == "california");
    CHECK(us[0].weight == Approx(0.45));
    CHECK(region(s, "US").coinvest_share[4] == 0.688);  // calibrated: 1.15 x 0.6
  }
  SECTION("sector values") {
    CHECK(sector(s, "semiconductors").deep_tech);
    CHECK(at(sector(s, "semiconductors").gestation_months, s, 0) == 48);
    CHECK(at(sector(s, "quantum").gestation_months, s, 0) == 96);
    CHECK_FALSE(sector(s, "ai").deep_tech);
    CHECK_FALSE(sector(s, "internet_software").deep_tech);
    CHECK(at(sector(s, "semiconductors").capital_intensity, s, 0) == 2.5);
  }
  SECTION("global values") {
    CHECK(s.startup.tau_q == 60);
    CHECK(s.startup.burn[5] == 4.0);
    CHECK(s.startup.stall_burn_factor == 0.52);       // calibrated (docs/model.md D29)
    CHECK(s.startup.soft_landing_share == 0.2);       // calibrated (docs/model.md D32)
    CHECK(s.startup.break_even_rate == 0.45);         // calibrated (docs/model.md D39)
    CHECK(s.startup.hazard_stage_factor[5] == 0.32);  // calibrated (docs/model.md D33)
    CHECK(s.startup.unicorn_hazard_factor == 0.3);    // calibrated (docs/model.md D37)
    CHECK(s.market.round_size[0] == 2.5);
    CHECK(s.market.benchmark_pre[4] == 600);
    CHECK(s.market.deal_flow == 15);                   // calibrated
    CHECK(s.market.unicorn_down_round_floor == 0.82);  // calibrated (docs/model.md D34)
    CHECK(s.market.late_round_share == 0.10);          // calibrated (docs/model.md D35)
    CHECK(s.market.secondary_discount == 0.4);         // calibrated
    CHECK(s.private_funds.life == 120);
    CHECK(s.private_funds.fee_rate == 0.02);
    CHECK(s.guidance_funds_terms.reserve_ratio == 0.5);
    CHECK(s.fundraising.focus_mix[2] == 0.08);
    CHECK(s.fundraising.entry_size[1] == 200);
    CHECK(s.fundraising.sigma_skill_max == 1.6);
    CHECK(s.fundraising.size_clip_min == 0.6);
  }
}

TEST_CASE("scenario: small.toml overrides the baseline it includes", "[scenario]") {
  const Scenario s = read_scenario(kSmall);
  const Scenario base = read_scenario(kBaseline);
  CHECK(s.name == "small");
  CHECK(s.start_year == 2000);
  CHECK(s.end_year == 2012);
  CHECK(s.seed == base.seed);
  CHECK(s.replications == 2);
  CHECK(s.report_years == std::vector<int>{2005, 2010, 2012});
  CHECK(s.sectors.size() == 8);
  REQUIRE(s.regions.size() == 3);

  CHECK(region(s, "US").births.is_constant());
  CHECK(at(region(s, "US").births, s, 30) == 500);
  CHECK(at(region(s, "EU").lp_inflow, s, 0) == 720);
  // Values the child does not name come from the baseline.
  CHECK(region(s, "US").sector_mix == region(base, "US").sector_mix);
  CHECK(at(region(s, "US").sentiment, s, 0) == 0.7);
  CHECK(at(region(s, "CN").sentiment, s, 15 * 12) == 1.15);
  CHECK(s.market.round_size == base.market.round_size);

  SECTION("births_growth expands to one point a year") {
    const auto& births = region(s, "CN").births;
    CHECK(births.points().size() == 13);
    CHECK(at(births, s, 0) == 300);
    CHECK(at(births, s, 12) == Approx(330));
    CHECK(at(births, s, 18) == Approx((330 + 363) / 2.0));
    CHECK(at(births, s, 12 * 12) == Approx(300 * std::pow(1.1, 12)));
  }
}

TEST_CASE("scenario: an include can change one value with a dotted key", "[scenario]") {
  const std::string path = kSource + "/tests/scenario/override.toml";
  const Scenario s = read_scenario_text(R"(include = "../../scenarios/small.toml"
regions.US.lp_inflow = 50000
regions.EU.localities = { north = 3, south = 1 }
sectors.ai.drift = { 2000 = 0.1, 2010 = 0.2 }
[regions.JP]
births = 100
sector_mix = { ai = 0.5, biotech = 0.5 }
lp_inflow = 800
)",
                                        path);
  CHECK(s.name == "override");  // the file stem: names are not inherited
  CHECK(s.source_path == path);
  CHECK(at(region(s, "US").lp_inflow, s, 0) == 50000);
  CHECK(at(region(s, "US").births, s, 0) == 500);  // the rest of [regions.US] stays
  CHECK(at(region(s, "EU").lp_inflow, s, 0) == 720);
  const auto& eu = region(s, "EU").localities;
  REQUIRE(eu.size() == 2);  // replaced whole, not merged with the baseline's four
  CHECK(eu[0].name == "north");
  CHECK(eu[0].weight == 0.75);
  CHECK(at(sector(s, "ai").drift, s, 60) == Approx(0.15));
  CHECK(at(sector(s, "ai").volatility, s, 0) == 0.8);

  REQUIRE(s.regions.size() == 4);
  CHECK(s.regions[2].name == "JP");  // CN, EU, JP, US
  CHECK(share(s, "JP", "biotech") == 0.5);
  CHECK(share(s, "JP", "quantum") == 0.0);
  REQUIRE(region(s, "JP").localities.size() == 1);
  CHECK(region(s, "JP").localities[0].name == "JP");
  CHECK(at(region(s, "JP").sentiment, s, 0) == 1.0);  // a default
}

TEST_CASE("scenario: setting births drops the included births_growth", "[scenario]") {
  const std::string path = kSource + "/tests/scenario/override.toml";
  const Scenario s = read_scenario_text(R"(include = "../../scenarios/small.toml"
regions.CN.births = { 2000 = 100, 2010 = 200 }
)",
                                        path);
  CHECK(region(s, "CN").births.points().size() == 2);
  CHECK(at(region(s, "CN").births, s, 60) == Approx(150));
  // births_growth alone keeps the included births.
  const Scenario g = read_scenario_text(R"(include = "../../scenarios/small.toml"
regions.US.births_growth = 0.5
)",
                                        path);
  CHECK(at(region(g, "US").births, g, 12) == Approx(750));
}

TEST_CASE("scenario: the resolved text reads back into the same scenario", "[scenario]") {
  const Scenario s = read_scenario(kSmall);
  CHECK(s.resolved_text.find("include") == std::string::npos);
  CHECK(s.resolved_text.rfind("name = 'small'\n", 0) == 0);
  const Scenario again = read_scenario_text(s.resolved_text, "resolved.toml");
  CHECK(again.name == "small");
  CHECK(again.end_year == s.end_year);
  CHECK(again.report_years == s.report_years);
  REQUIRE(again.regions.size() == s.regions.size());
  for (std::size_t r = 0; r < s.regions.size(); ++r) {
    CHECK(again.regions[r].births.points() == s.regions[r].births.points());
    CHECK(again.regions[r].lp_inflow.points() == s.regions[r].lp_inflow.points());
    CHECK(again.regions[r].sector_mix == s.regions[r].sector_mix);
  }
  CHECK(again.market.threshold == s.market.threshold);
  CHECK(again.resolved_text == s.resolved_text);
}

TEST_CASE("scenario: the resolved text writes floats in their shortest form", "[scenario]") {
  const Scenario s = read_scenario_text("name = \"v0.10000000000000001\"\n" + kMinimal +
                                            "m = { 2000 = 0.1, 2010 = 2 }\nsigma_q = 1e-7\n",
                                        "mem.toml");
  CHECK(s.resolved_text.find("m = { 2000 = 0.1, 2010 = 2 }") != std::string::npos);
  CHECK(s.resolved_text.find("sigma_q = 1e-07") != std::string::npos);
  CHECK(s.resolved_text.find("ai = 1.0 }") != std::string::npos);  // still a float
  CHECK(s.resolved_text.find("lp_inflow = 500\n") != std::string::npos);
  // Strings are left alone.
  CHECK(s.resolved_text.find("name = 'v0.10000000000000001'") != std::string::npos);
  CHECK(read_scenario_text(s.resolved_text, "again.toml").regions[0].sigma_q.points() ==
        s.regions[0].sigma_q.points());
}

TEST_CASE("scenario: defaults fill what a file leaves out", "[scenario]") {
  const Scenario s = read_scenario_text(kMinimal, "mem.toml");
  const vcsim::Scenario defaults;
  CHECK(s.name == "mem");
  CHECK(s.seed == 1u);
  CHECK(s.replications == 1);
  CHECK(s.report_years == std::vector<int>{2000, 2005, 2010});
  CHECK(s.market.round_size == defaults.market.round_size);
  CHECK(s.private_funds.life == defaults.private_funds.life);
  CHECK(at(s.sectors[0].drift, s, 0) == 0.10);
  CHECK(read_scenario_text(R"([run]
start_year = 2000
end_year = 2012
[sectors.ai]
[regions.US]
births = 100
sector_mix = { ai = 1.0 }
lp_inflow = 500
)",
                           "x.toml")
            .report_years == std::vector<int>{2000, 2005, 2010, 2012});
}

TEST_CASE("scenario: errors name the file, line and key", "[scenario]") {
  SECTION("unknown key, with a hint") {
    CHECK(error_of(kMinimal + "lp_inflw = 3\n") ==
          "mem.toml:9: regions.US.lp_inflw: unknown key (did you mean lp_inflow?)");
    CHECK(error_of(kMinimal + "[marke]\n") ==
          "mem.toml:9: marke: unknown key (did you mean market?)");
  }
  SECTION("missing required keys") {
    CHECK(error_of("[run]\nend_year = 2010\n" + kMinimal.substr(kMinimal.find("[sectors"))) ==
          "mem.toml:1: run.start_year: expected an integer (required)");
    CHECK(first_line(error_of(kMinimal.substr(0, kMinimal.find("lp_inflow")))) ==
          "mem.toml:5: regions.US.lp_inflow: expected a number or a table of year = value "
          "(required)");
    CHECK(error_of(kMinimal.substr(0, kMinimal.find("[regions"))) ==
          "mem.toml:1: regions: expected at least one [regions.<name>] table");
    CHECK(error_of("", "x") ==
          "x:1: run.start_year: expected an integer (required)\n"
          "x:1: run.end_year: expected an integer (required)\n"
          "x:1: sectors: expected at least one [sectors.<name>] table\n"
          "x:1: regions: expected at least one [regions.<name>] table");
  }
  SECTION("wrong types") {
    CHECK(error_of(kMinimal + "m = \"high\"\n") ==
          "mem.toml:9: regions.US.m: expected a number or a table of year = value");
    CHECK(error_of(kMinimal + "[market]\ndeal_flow = 8.5\n") ==
          "mem.toml:10: market.deal_flow: expected an integer, got 8.5");
    CHECK(error_of(kMinimal + "[sectors.biotech]\ndeep_tech = 1\n") ==
          "mem.toml:10: sectors.biotech.deep_tech: expected true or false");
    CHECK(error_of(kMinimal + "[market]\nround_size = [1, 2, 3]\n") ==
          "mem.toml:10: market.round_size: expected an array of 5 numbers, got 3");
  }
  SECTION("out of range, NaN and infinity") {
    CHECK(error_of(kMinimal + "[market]\nmax_dilution = 1.5\n") ==
          "mem.toml:10: market.max_dilution: expected a value in (0, 1), got 1.5");
    CHECK(error_of(kMinimal + "ipo_rate = nan\n") ==
          "mem.toml:9: regions.US.ipo_rate: expected a finite number, got nan");
    CHECK(error_of(kMinimal + "[startup]\nburn = [0, 0, inf, 0, 0, 0]\n") ==
          "mem.toml:10: startup.burn[2]: expected a finite number, got inf");
  }
  SECTION("year tables") {
    CHECK(error_of(kMinimal + "m = { 2000 = 1.0, 2015 = -1 }\n") ==
          "mem.toml:9: regions.US.m.2015: expected a value in (0, inf), got -1");
    CHECK(error_of(kMinimal + "m = { \"2000.5\" = 1.0 }\n") ==
          "mem.toml:9: regions.US.m.2000.5: expected an integer year in [1800, 2300] as the key");
    CHECK(error_of(kMinimal + "m = { 1700 = 1.0 }\n") ==
          "mem.toml:9: regions.US.m.1700: expected an integer year in [1800, 2300] as the key");
    CHECK(error_of(kMinimal + "coinvest_index = { 2000 = 1.0, 2018 = -0.5 }\n") ==
          "mem.toml:9: regions.US.coinvest_index.2018: expected a value in [0, inf), got -0.5");
    CHECK(error_of(kMinimal + "births_growth = 0.1\n").empty());
    CHECK(error_of(R"([run]
start_year = 2000
end_year = 2010
[sectors.ai]
[regions.US]
births = { 2000 = 100 }
births_growth = 0.1
sector_mix = { ai = 1.0 }
lp_inflow = 500
)") == "mem.toml:7: regions.US.births_growth: expected only with a plain-number births");
  }
  SECTION("cross-field checks") {
    CHECK(error_of(kMinimal + "[funds.private]\ninv_period = 60\nlife = 36\n") ==
          "mem.toml:11: funds.private.life: expected a value in [60, 600] (at least inv_period), "
          "got 36");
    CHECK(error_of(kMinimal + "[sectors.biotech]\ndeep_tech = true\ngestation_months = 0\n") ==
          "mem.toml:11: sectors.biotech.gestation_months: expected a value in (0, inf) for a "
          "deep-tech sector, got 0");
    CHECK(error_of("[run]\nstart_year = 2000\nend_year = 1999\n" +
                   kMinimal.substr(kMinimal.find("[sectors"))) ==
          "mem.toml:3: run.end_year: expected a value in [2000, 2199], got 1999");
  }
  SECTION("sector_mix") {
    const std::string head = kMinimal.substr(0, kMinimal.find("sector_mix"));
    const std::string tail = "lp_inflow = 500\n";
    CHECK(error_of(head + "sector_mix = { ai = 0.6, robots = 0.4 }\n" + tail) ==
          "mem.toml:7: regions.US.sector_mix.robots: unknown sector; expected one of ai");
    CHECK(error_of(head + "sector_mix = { ai = 0.6 }\n" + tail) ==
          "mem.toml:7: regions.US.sector_mix: expected shares summing to 1, got 0.6");
  }
  SECTION("several problems are listed, one a line") {
    const std::string message = error_of(kMinimal + "ipo_rate = -1\nma_factor = -2\n");
    CHECK(first_line(message) ==
          "mem.toml:9: regions.US.ipo_rate: expected a value in [0, inf), got -1");
    CHECK(message.find("\nmem.toml:10: regions.US.ma_factor: ") != std::string::npos);
  }
  SECTION("TOML syntax errors carry the line") {
    CHECK(error_of(kMinimal + "lp_inflow = 600\n").rfind("mem.toml:9: ", 0) == 0);  // duplicate
    CHECK(error_of("[run]\nstart_year = = 2000\n").rfind("mem.toml:2: ", 0) == 0);
    CHECK(error_of(kMinimal + "lp_inflow = {2000 = 5,\n").rfind("mem.toml:9: ", 0) == 0);
  }
}

TEST_CASE("scenario: errors point into the file that wrote the value", "[scenario]") {
  const std::string path = kSource + "/tests/scenario/override.toml";
  // small.toml's report years fall outside a run that now starts in 2006.
  const std::string message = error_of(R"(include = "../../scenarios/small.toml"
run.start_year = 2006
)",
                                       path);
  CHECK(first_line(message) == kSmall +
                                   ":11: run.report_years[0]: expected a value in [2006, 2012], "
                                   "got 2005");
  // The child's own value is reported at its own line.
  CHECK(error_of("include = \"../../scenarios/small.toml\"\n\nregions.EU.m = 0\n", path) ==
        path + ":3: regions.EU.m: expected a value in (0, inf), got 0");
}

TEST_CASE("scenario: include errors name the include key and the file", "[scenario]") {
  const ScratchDir dir;
  SECTION("a missing file") {
    const std::string a = dir.write("a.toml", "\ninclude = \"nowhere.toml\"\n");
    try {
      read_scenario(a);
      FAIL("no error");
    } catch (const ScenarioError& e) {
      CHECK(std::string(e.what()) ==
            a + ":2: include: expected a readable scenario file, cannot read " +
                (dir.path / "nowhere.toml").string() + ": no such file");
    }
  }
  SECTION("a cycle") {
    const std::string a = dir.write("a.toml", "include = \"b.toml\"\n");
    const std::string b = dir.write("b.toml", "# b\ninclude = \"a.toml\"\n");
    try {
      read_scenario(a);
      FAIL("no error");
    } catch (const ScenarioError& e) {
      CHECK(std::string(e.what()) == b +
                                         ":2: include: expected a file that does not include "
                                         "itself, got the cycle " +
                                         a + " -> " + b + " -> " + a);
    }
  }
  SECTION("a chain") {
    dir.write("base.toml", kMinimal);
    dir.write("mid.toml", "include = \"base.toml\"\n[run]\nend_year = 2020\n");
    const std::string top = dir.write("top.toml", "include = \"mid.toml\"\nrun.seed = 9\n");
    const Scenario s = read_scenario(top);
    CHECK(s.name == "top");
    CHECK(s.end_year == 2020);
    CHECK(s.seed == 9u);
    CHECK(at(s.regions[0].lp_inflow, s, 0) == 500);
  }
  SECTION("a file that does not exist") {
    CHECK_THROWS_AS(read_scenario((dir.path / "none.toml").string()), ScenarioError);
  }
}

TEST_CASE("scenario: every scenario of the broken corpus is refused with its message",
          "[scenario]") {
  const std::filesystem::path corpus = kSource + "/tests/scenarios/broken";
  const std::string prefix = "# expect: ";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".toml") continue;  // *.toml.inc are included parts
    const std::string name = entry.path().filename().string();
    INFO(name);
    std::ifstream in(entry.path());
    std::string first;
    std::getline(in, first);
    REQUIRE(first.rfind(prefix, 0) == 0);
    const std::string message = [&] {
      try {
        read_scenario(entry.path().string());
      } catch (const ScenarioError& e) {
        return std::string(e.what());
      }
      return std::string("accepted");
    }();
    CHECK_THAT(message, Catch::Contains(first.substr(prefix.size())));
    CHECK_THAT(message, Catch::Contains(name));
    ++checked;
  }
  CHECK(checked >= 24);
}
