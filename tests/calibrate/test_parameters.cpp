// Free parameters become scenario overrides: a number, one element of an array, a
// factor on a year table; values map to and from the unit cube.
#include <catch2/catch.hpp>

#include "calibrate/parameters.hpp"
#include "scenario/reader.hpp"

namespace {

const std::string kSmall = std::string(VCSIM_SOURCE_DIR) + "/scenarios/small.toml";

vcsim::Targets targets_with(const std::string& parameters) {
  return vcsim::read_targets_text(parameters + R"(
[targets.t]
moment = "fund_tvpi"
observed = 1.7
se = 0.2
)",
                                  "t.toml");
}

}  // namespace

TEST_CASE("Parameters set a number, an array element and scale a year table",
          "[calibrate][parameters]") {
  const auto base = vcsim::read_scenario(kSmall);
  const auto targets = targets_with(R"(
[parameters.a_quality]
path = "regions.US.mu_q"
lower = -1
upper = 1
[parameters.b_threshold]
path = "market.threshold[1]"
lower = 0.5
upper = 2
[parameters.c_threshold]
path = "market.threshold[3]"
lower = 0.5
upper = 4
[parameters.d_money]
path = "regions.CN.lp_inflow"
scale = true
lower = 0.5
upper = 2
[parameters.e_flow]
path = "market.deal_flow"
lower = 2
upper = 20
)");
  const vcsim::ParameterSpace space(targets, base);
  const auto start = space.start();
  // The calibrated baseline's US founder quality and Series C threshold, through small.toml.
  CHECK(start == std::vector<double>{-0.87, 0.7, 3.86, 1.0, 15.0});
  const std::vector<double> values{0.25, 1.5, 2.5, 2.0, 11.4};
  const auto overrides = space.overrides(values);
  REQUIRE(overrides.size() == 4);  // the two thresholds share one override
  const auto s = vcsim::read_scenario(kSmall, overrides);
  const auto us = std::find_if(s.regions.begin(), s.regions.end(),
                               [](const auto& r) { return r.name == "US"; });
  const auto cn = std::find_if(s.regions.begin(), s.regions.end(),
                               [](const auto& r) { return r.name == "CN"; });
  CHECK(us->mu_q.at_month(0, 2000) == 0.25);
  CHECK(s.market.threshold[1] == 1.5);
  CHECK(s.market.threshold[3] == 2.5);
  CHECK(s.market.threshold[0] == base.market.threshold[0]);
  CHECK(s.market.deal_flow == 11);
  const auto base_cn = std::find_if(base.regions.begin(), base.regions.end(),
                                    [](const auto& r) { return r.name == "CN"; });
  for (int month : {0, 60, 150})
    CHECK(cn->lp_inflow.at_month(month, 2000) ==
          Approx(2.0 * base_cn->lp_inflow.at_month(month, 2000)));
}

TEST_CASE("The unit cube maps onto the bounds; integers are rounded", "[calibrate][parameters]") {
  const auto base = vcsim::read_scenario(kSmall);
  const auto targets = targets_with(R"(
[parameters.a_rho]
path = "market.rho"
lower = 0.2
upper = 0.6
start = 0.3
[parameters.b_flow]
path = "market.deal_flow"
lower = 2
upper = 20
)");
  const vcsim::ParameterSpace space(targets, base);
  const auto unit = space.to_unit({0.3, 8.0});
  CHECK(unit(0) == Approx(0.25));
  CHECK(unit(1) == Approx(6.0 / 18.0));
  Eigen::VectorXd outside(2);
  outside << 1.3, 0.52;
  const auto values = space.from_unit(outside);
  CHECK(values[0] == 0.6);
  CHECK(values[1] == 11.0);  // 2 + 0.52 x 18 = 11.36
}

TEST_CASE("Years of a time series are fitted as the whole series, in a fitted file too",
          "[calibrate][parameters]") {
  const auto base = vcsim::read_scenario(kSmall);
  const auto targets = targets_with(R"(
[parameters.boom]
path = "regions.US.m.2021"
lower = 1
upper = 4
[parameters.reset]
path = "regions.US.m.2023"
lower = 0.5
upper = 2
)");
  const vcsim::ParameterSpace space(targets, base);
  CHECK(space.start() == std::vector<double>{2.5, 1.4});  // the baseline's, through small.toml
  const auto overrides = space.overrides({3.0, 0.9});
  REQUIRE(overrides.size() == 1);
  CHECK(overrides[0].key == "regions.US.m");
  CHECK(overrides[0].value == "{ 2000 = 0.7, 2020 = 0.7, 2021 = 3.0, 2022 = 2.8, 2023 = 0.9 }");
  CHECK_THAT(overrides[0].origin,
             Catch::Contains("parameters.boom") && Catch::Contains("parameters.reset"));

  // As `--set` overrides, and written as a file that includes the scenario (the fitted
  // scenario of `vcsim calibrate`): the same series, the years not fitted kept.
  std::string fitted = "include = \"small.toml\"\nname = \"fitted\"\n";
  for (const auto& o : overrides) fitted += o.key + " = " + o.value + "\n";
  const std::string beside_small = std::string(VCSIM_SOURCE_DIR) + "/scenarios/fitted.toml";
  for (const auto& s :
       {vcsim::read_scenario(kSmall, overrides), vcsim::read_scenario_text(fitted, beside_small)}) {
    const auto us = std::find_if(s.regions.begin(), s.regions.end(),
                                 [](const auto& r) { return r.name == "US"; });
    const auto at = [&](int year) { return us->sentiment.at_month((year - 2000) * 12, 2000); };
    CHECK(at(2019) == 0.7);
    CHECK(at(2021) == 3.0);
    CHECK(at(2022) == 2.8);
    CHECK(at(2023) == 0.9);
  }
}

TEST_CASE("The key a file including a scenario replaces whole", "[calibrate][parameters]") {
  CHECK(vcsim::include_value_key("regions.US.m.2021") == "regions.US.m");
  CHECK(vcsim::include_value_key("regions.US.m") == "regions.US.m");
  CHECK(vcsim::include_value_key("market.threshold") == "market.threshold");
  CHECK(vcsim::include_value_key("sectors.ai.ma_rate") == "sectors.ai.ma_rate");
  CHECK(vcsim::include_value_key("guidance_funds.cn_national.state_share_max") ==
        "guidance_funds.cn_national.state_share_max");
  CHECK(vcsim::include_value_key("seed") == "seed");
}
