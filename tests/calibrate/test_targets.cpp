// Targets files: the record's file reads; a bad file is refused with the file, line
// and key named, and what was expected.
#include <catch2/catch.hpp>
#include <string>

#include "calibrate/calibration.hpp"
#include "calibrate/parameters.hpp"
#include "calibrate/targets.hpp"
#include "scenario/reader.hpp"

using vcsim::read_targets_text;
using vcsim::ScenarioError;

namespace {

const std::string kParameter = R"(
[parameters.quality]
path = "regions.US.mu_q"
lower = -1.0
upper = 1.0
)";

const std::string kTarget = R"(
[targets.us_2010]
moment = "unicorns"
region = "US"
year = 2010
observed = 20
tolerance = 0.15
)";

std::string error_of(const std::string& text) {
  try {
    read_targets_text(text, "t.toml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

vcsim::Scenario small() {
  return vcsim::read_scenario(std::string(VCSIM_SOURCE_DIR) + "/scenarios/small.toml");
}

// The message of checking `text` against the small scenario, parameters included.
std::string check_error(const std::string& text) {
  try {
    auto targets = read_targets_text(text, "t.toml");
    const auto scenario = small();
    vcsim::check_targets(targets, scenario);
    vcsim::ParameterSpace space(targets, scenario);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("The record's targets file reads", "[calibrate][targets]") {
  const auto t =
      vcsim::read_targets(std::string(VCSIM_SOURCE_DIR) + "/scenarios/targets/record.toml");
  CHECK(t.settings.replications >= 32);
  CHECK(t.parameters.size() >= 5);
  CHECK(t.targets.size() >= 35);
  auto it = std::find_if(t.targets.begin(), t.targets.end(),
                         [](const auto& x) { return x.name == "unicorns_us_2019"; });
  REQUIRE(it != t.targets.end());
  CHECK(it->observed == 203);
  CHECK(it->se == Approx(0.15 * 203));
  CHECK(it->moment.month == 12);
  // The acceptance of within 15 % of Hurun is the target's band.
  REQUIRE(it->band_low.has_value());
  REQUIRE(it->band_high.has_value());
  CHECK(*it->band_low == Approx(0.85 * 203));
  CHECK(*it->band_high == Approx(1.15 * 203));
  auto mid = std::find_if(t.targets.begin(), t.targets.end(),
                          [](const auto& x) { return x.name == "unicorns_cn_2020_06"; });
  REQUIRE(mid != t.targets.end());
  CHECK(mid->moment.month == 6);
}

TEST_CASE("A minimal targets file reads with its defaults", "[calibrate][targets]") {
  const auto t = read_targets_text(kParameter + kTarget, "t.toml");
  REQUIRE(t.parameters.size() == 1);
  CHECK(t.parameters[0].path == "regions.US.mu_q");
  CHECK_FALSE(t.parameters[0].start.has_value());
  REQUIRE(t.targets.size() == 1);
  CHECK(t.targets[0].weight == 1.0);
  CHECK(t.targets[0].se == Approx(3.0));
  CHECK(t.settings.replications == 32);
}

TEST_CASE("A target may give the record's band around its observed figure",
          "[calibrate][targets]") {
  const auto t = read_targets_text(kParameter + R"(
[targets.tvpi]
moment = "fund_tvpi"
observed = 1.75
band = [1.5, 2]
se = 0.25
)",
                                   "t.toml");
  REQUIRE(t.targets.size() == 1);
  CHECK(t.targets[0].band_low == 1.5);
  CHECK(t.targets[0].band_high == 2.0);
  CHECK_FALSE(read_targets_text(kParameter + kTarget, "t.toml").targets[0].band_low.has_value());

  const std::string head = kParameter + "\n[targets.tvpi]\nmoment = \"fund_tvpi\"\nse = 0.25\n";
  CHECK_THAT(
      error_of(head + "observed = 1.75\nband = [2.0, 1.5]\n"),
      Catch::StartsWith("t.toml:11: targets.tvpi.band: expected [low, high] with low < high"));
  CHECK_THAT(error_of(head + "observed = 2.5\nband = [1.5, 2.0]\n"),
             Catch::StartsWith("t.toml:11: targets.tvpi.band: expected a band that holds observed "
                               "(2.5), got [1.5, 2]"));
  CHECK_THAT(error_of(head + "observed = 1.75\nband = [1.5]\n"),
             Catch::StartsWith("t.toml:11: targets.tvpi.band: expected [low, high], two numbers"));
  CHECK_THAT(error_of(head + "observed = 1.75\nband = \"1.5-2\"\n"),
             Catch::StartsWith("t.toml:11: targets.tvpi.band: expected [low, high], two numbers"));
}

TEST_CASE("Bad targets files are refused with the key named", "[calibrate][targets]") {
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "unicorn_count"
observed = 1
se = 1
)"),
             Catch::StartsWith(
                 "t.toml:8: targets.x.moment: expected one of unicorns, new_unicorns, funnel"));
  CHECK_THAT(error_of(R"(
[parameters.p]
path = "market.rho"
lower = 0.9
upper = 0.1
)" + kTarget),
             Catch::StartsWith("t.toml:5: parameters.p.upper: expected a bound above lower"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "fund_tvpi"
obsreved = 1.7
)"),
             Catch::StartsWith("t.toml:9: targets.x.obsreved: unknown key"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "fund_tvpi"
observed = 1.7
)"),
             Catch::Contains("targets.x.se: expected exactly one of se"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "fund_tvpi"
region = "US"
observed = 1.7
se = 0.2
)"),
             Catch::Contains("targets.x.region: not used by moment fund_tvpi"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "new_unicorns"
region = "US"
year = 2010
month = 6
observed = 347
tolerance = 0.15
)"),
             Catch::Contains("targets.x.month: not used by moment new_unicorns"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "funnel"
region = "US"
outcome = "reached_z"
seed_years = [2001, 2003]
observed = 0.4
se = 0.05
)"),
             Catch::Contains("targets.x.outcome: expected one of reached_a"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "funnel"
region = "US"
outcome = "reached_a"
seed_years = [2005, 2003]
observed = 0.4
se = 0.05
)"),
             Catch::Contains("targets.x.seed_years: expected [first, last]"));
  CHECK_THAT(error_of(kParameter + R"(
[targets.x]
moment = "unicorns"
year = 2010
observed = 4
se = 1
)"),
             Catch::Contains("targets.x.region: expected a value: moment unicorns needs it"));
  CHECK_THAT(error_of(kTarget), Catch::Contains("parameters: expected at least one"));
  CHECK_THAT(error_of(kParameter + "[calibration]\nreplications = 0\n" + kTarget),
             Catch::Contains("calibration.replications: expected an integer in [1,"));
  CHECK_THAT(error_of("[parameters\n"), Catch::StartsWith("t.toml:1:"));
}

TEST_CASE("Targets are checked against the scenario they calibrate", "[calibrate][targets]") {
  CHECK(check_error(kParameter + kTarget) == "");
  CHECK_THAT(check_error(kParameter + R"(
[targets.x]
moment = "deal_value"
region = "JP"
year = 2010
observed = 4
se = 1
)"),
             Catch::StartsWith("t.toml:7: targets.x.region: expected one of world, CN, EU, US"));
  CHECK_THAT(check_error(kParameter + R"(
[targets.x]
moment = "unicorns"
region = "US"
year = 2019
observed = 4
se = 1
)"),
             Catch::Contains("targets.x.year: expected a year the scenario simulates (2000-2012)"));
  CHECK_THAT(check_error(kParameter + R"(
[targets.x]
moment = "new_unicorns"
region = "CN"
year = 2021
observed = 146
tolerance = 0.15
)"),
             Catch::Contains("targets.x.year: expected a year the scenario simulates (2000-2012)"));
  CHECK(check_error(kParameter + R"(
[targets.x]
moment = "new_unicorns"
region = "CN"
year = 2011
definition = "age_capped"
observed = 146
tolerance = 0.15
)") == "");
}

TEST_CASE("Unknown parameter paths are refused with the key named", "[calibrate][targets]") {
  CHECK_THAT(check_error(R"(
[parameters.p]
path = "regions.US.mu_quality"
lower = 0
upper = 1
)" + kTarget),
             Catch::StartsWith("t.toml:2: parameters.p.path: expected a path into the scenario") &&
                 Catch::Contains("regions.US.mu_quality"));
  CHECK_THAT(check_error(R"(
[parameters.p]
path = "regions.CN.lp_inflow"
lower = 0
upper = 1
)" + kTarget),
             Catch::Contains("parameters.p.path: expected a number at regions.CN.lp_inflow") &&
                 Catch::Contains("scale = true"));
  CHECK_THAT(check_error(R"(
[parameters.p]
path = "market.threshold[7]"
lower = 0
upper = 1
)" + kTarget),
             Catch::Contains("parameters.p.path: expected an array of numbers with an element 7"));
  CHECK_THAT(check_error(R"(
[parameters.p]
path = "market.threshold[1]"
lower = 0
upper = 1
[parameters.q]
path = "market.threshold"
scale = true
lower = 0.5
upper = 2
)" + kTarget),
             Catch::Contains("parameters.q.path: expected a value no other parameter sets; "
                             "parameters.p sets market.threshold[1]"));
}

TEST_CASE("The record's targets check against the baseline, bounds included",
          "[calibrate][targets]") {
  const std::string source = VCSIM_SOURCE_DIR;
  auto targets = vcsim::read_targets(source + "/scenarios/targets/record.toml");
  const auto settings = targets.settings;
  // Reads the baseline with every parameter at its start, its lower and its upper bound.
  const vcsim::Calibration calibration(source + "/scenarios/baseline.toml", std::move(targets),
                                       settings);
  CHECK(calibration.space().size() == calibration.targets().parameters.size());
  for (const auto& t : calibration.targets().targets)
    if (t.moment.kind != vcsim::MomentKind::fund_tvpi) CHECK(t.moment.region_index >= 0);
}
