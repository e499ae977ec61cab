#include <catch2/catch.hpp>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "phases/plan.hpp"
#include "run/phase_times.hpp"
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

TEST_CASE("run: timing the phases changes no result and accounts for the run's time", "[run]") {
  const Scenario sc = testing::fixture_scenario();
  World plain(sc, 3);
  simulate(plain);
  World timed(sc, 3);
  PhaseTimes times;
  double wall = 0;
  run_timed(&wall, [&] { simulate(timed, {}, &times); });

  const ReplicationResult a =
      plain.recorder.finish(plain.startups, plain.funds, plain.run_months());
  const ReplicationResult b =
      timed.recorder.finish(timed.startups, timed.funds, timed.run_months());
  CHECK(a.births.data() == b.births.data());
  CHECK(a.rounds.data() == b.rounds.data());
  CHECK(a.capital_flows.data() == b.capital_flows.data());
  CHECK(a.unicorns[0].active.data() == b.unicorns[0].active.data());

  // Every phase ran and took some time; together they are the run, less the loop's own.
  CHECK(times.initial_fundraising > 0);
  for (std::size_t p = 0; p < kMonthPlan.size(); ++p) {
    INFO(kMonthPlan[p].name);
    CHECK(times.month_phases[p] > 0);
  }
  CHECK(times.total() <= wall);
  CHECK(times.total() > 0.5 * wall);
}
