#include <catch2/catch.hpp>
#include <cstdio>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "run/replication.hpp"

using namespace vcsim;

TEST_CASE("run: a small world simulates and records activity", "[run]") {
  const Scenario sc = testing::fixture_scenario();
  World world(sc, 0);
  simulate(world);
  const ReplicationResult r =
      world.recorder.finish(world.startups, world.funds, world.run_months());
  long births = 0, rounds = 0, unicorns = 0, ipos = 0, acq = 0, fails = 0;
  for (auto v : r.births.data()) births += v;
  for (auto v : r.rounds.data()) rounds += v;
  for (auto v : r.unicorns[0].new_.data()) unicorns += v;
  for (auto v : r.ipos.data()) ipos += v;
  for (auto v : r.acquisitions.data()) acq += v;
  for (auto v : r.failures_funded.data()) fails += v;
  std::printf("births %ld rounds %ld unicorns %ld ipos %ld acq %ld failfunded %ld funds %zu\n",
              births, rounds, unicorns, ipos, acq, fails, world.funds.size_count());
  CHECK(births > 0);
  CHECK(rounds > 0);
}
