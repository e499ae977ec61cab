#include <catch2/catch.hpp>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "run/replication.hpp"

using namespace vcsim;

TEST_CASE("run: births follow their Poisson mean", "[run]") {
  // Two regions x 600 a year x 12 years: 14,400 expected; the Poisson standard
  // deviation is 120, and the tolerance 5 of them.
  const Scenario sc = testing::fixture_scenario();
  World world(sc, 0);
  simulate(world);
  const ReplicationResult r =
      world.recorder.finish(world.startups, world.funds, world.run_months());
  long births = 0, rounds = 0;
  for (auto v : r.births.data()) births += v;
  for (auto v : r.rounds.data()) rounds += v;
  CHECK(births == Approx(14400).margin(5 * 120));
  CHECK(rounds > 0);
  CHECK(world.funds.size_count() > 0);
}
