// The check for NaN and infinity finds a bad value in any floating-point column and
// names where it is; extreme but valid parameters keep the world finite every phase.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "run/finite_check.hpp"
#include "run/replication.hpp"

using namespace vcsim;

TEST_CASE("finite check: a NaN or infinity in the state is found and named", "[numerics]") {
  const Scenario sc = testing::fixture_scenario(2);
  World world(sc, 0);
  simulate(world);
  REQUIRE(world.startups.size() > 10);
  CHECK(first_non_finite(world).empty());

  const double saved = world.startups.cash[7];
  world.startups.cash[7] = std::numeric_limits<double>::quiet_NaN();
  const std::string found = first_non_finite(world);
  CHECK_THAT(found, Catch::StartsWith("startups column"));
  CHECK_THAT(found,
             Catch::Contains("= nan at slot 7 (id " + std::to_string(world.startups.id[7]) + ")"));
  CHECK_THROWS_WITH(check_finite(world, "market"),
                    Catch::StartsWith("non-finite value after phase market of month"));
  world.startups.cash[7] = saved;

  REQUIRE(world.funds.size_count() > 0);
  world.funds.nav[0] = std::numeric_limits<double>::infinity();
  CHECK_THAT(first_non_finite(world),
             Catch::StartsWith("funds column") && Catch::Contains("= inf at slot 0"));
}

TEST_CASE("finite check: extreme valid parameters stay finite after every month", "[numerics]") {
  // Volatility 3 a year (a monthly log step of sd 0.87), no hazard at all, and a
  // region without births: values range over many orders of magnitude.
  Scenario sc = testing::fixture_scenario(8);
  for (auto& sector : sc.sectors) {
    sector.volatility = TimeSeries(3.0);
    sector.base_hazard = TimeSeries(0.0);
    sector.tech_hazard = TimeSeries(0.0);
  }
  sc.regions[1].births = TimeSeries(0.0);
  World world(sc, 0);
  std::string first_bad;
  simulate(world, [&] {
    if (first_bad.empty()) first_bad = first_non_finite(world);
  });
  CHECK(first_bad.empty());
  const ReplicationResult r =
      world.recorder.finish(world.startups, world.funds, world.run_months());
  for (double v : r.capital_invested.data()) REQUIRE(std::isfinite(v));
  for (const auto& f : r.funds) {
    REQUIRE(std::isfinite(f.nav));
    REQUIRE(std::isfinite(f.paid_in));
  }
  long births_without = 0;
  for (std::size_t m = 0; m < r.births.shape()[0]; ++m)
    for (std::size_t s = 0; s < r.births.shape()[2]; ++s) births_without += r.births(m, 1, s);
  CHECK(births_without == 0);
}
