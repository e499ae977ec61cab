// Request parameters of the teaching page become scenario overrides, or a clear refusal.
#include <catch2/catch.hpp>

#include "serve/levers.hpp"

using vcsim::serve::counterfactual_overrides;
using vcsim::serve::lever_overrides;
using vcsim::serve::LeverError;

namespace {
std::string refusal(const std::map<std::string, std::string>& params) {
  try {
    lever_overrides(params);
  } catch (const LeverError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("levers become overrides of the policy fund in a fixed order", "[serve]") {
  const auto o = lever_overrides(
      {{"subfund_life", "240"}, {"fund_size", "1390"}, {"preset", "x"}, {"seed", "7"}});
  REQUIRE(o.size() == 4);
  CHECK(o[0].key == "guidance_funds.policy.enabled");
  CHECK(o[0].value == "true");
  CHECK(o[1].key == "guidance_funds.policy.size");
  CHECK(o[1].value == "1390");
  CHECK(o[2].key == "guidance_funds.policy.subfund_life");
  CHECK(o[2].value == "240");
  CHECK(o[3].key == "run.seed");
  CHECK(o[3].origin == "request parameter seed");
}

TEST_CASE("a fund size of 0 switches the fund off", "[serve]") {
  const auto o = lever_overrides({{"fund_size", "0"}});
  REQUIRE(o.size() == 1);
  CHECK(o[0].key == "guidance_funds.policy.enabled");
  CHECK(o[0].value == "false");
}

TEST_CASE("numbers keep their exact value", "[serve]") {
  const auto o = lever_overrides({{"state_share", "0.1"}, {"return_cap", "1e-2"}});
  CHECK(o[0].value == "0.1");
  CHECK(o[1].value == "0.01");
}

TEST_CASE("sector lists become a table of equal weights", "[serve]") {
  const auto o = lever_overrides({{"target_sectors", "ai,quantum"}});
  CHECK(o[0].value == "{ ai = 1, quantum = 1 }");
}

TEST_CASE("the counterfactual switches the policy fund off last", "[serve]") {
  const auto o = counterfactual_overrides(lever_overrides({{"fund_size", "500"}}));
  REQUIRE(o.size() == 3);
  CHECK(o.back().key == "guidance_funds.policy.enabled");
  CHECK(o.back().value == "false");
}

TEST_CASE("bad lever text is refused naming the parameter", "[serve]") {
  CHECK_THAT(refusal({{"state_share", "abc"}}),
             Catch::Contains("state_share") && Catch::Contains("expected a number"));
  CHECK_THAT(refusal({{"state_share", "nan"}}), Catch::Contains("expected a number"));
  CHECK_THAT(refusal({{"state_share", "0.1x"}}), Catch::Contains("expected a number"));
  CHECK_THAT(refusal({{"subfund_life", "120.5"}}),
             Catch::Contains("subfund_life") && Catch::Contains("expected an integer"));
  CHECK_THAT(refusal({{"export_controls", "yes"}}), Catch::Contains("true or false"));
  CHECK_THAT(refusal({{"fund_size", "-1"}}), Catch::Contains("fund_size"));
  CHECK_THAT(refusal({{"fund_size", "50001"}}), Catch::Contains("[0, 50000]"));
  CHECK_THAT(refusal({{"colour", "red"}}),
             Catch::Contains("colour: unknown parameter") && Catch::Contains("fund_size"));
}

TEST_CASE("sector names cannot carry other TOML", "[serve]") {
  for (const char* text : {"ai = 2 }", "ai,", "", "ai,\"x\"", "AI", "ai\nseed = 1"})
    CHECK_THAT(refusal({{"target_sectors", text}}), Catch::Contains("target_sectors"));
}
