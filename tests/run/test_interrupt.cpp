// An interrupt request stops replications at the next month and is reported as
// Interrupted carrying the signal; nothing else in the run changes.
#include <catch2/catch.hpp>
#include <csignal>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "run/interrupt.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

// Clears the process-wide flag whatever a test does, so test cases stay independent.
struct ClearInterrupt {
  ClearInterrupt() { clear_interrupt(); }
  ~ClearInterrupt() { clear_interrupt(); }
};

}  // namespace

TEST_CASE("interrupt: a request stops a replication at the next month", "[interrupt]") {
  const ClearInterrupt clear;
  const Scenario sc = testing::fixture_scenario();
  World world(sc, 0);
  int months = 0;
  const auto month_done = [&months] {
    if (++months == 5) request_interrupt(SIGTERM);
  };
  try {
    simulate(world, month_done);
    FAIL("simulate ran to the end despite the interrupt");
  } catch (const Interrupted& stop) {
    CHECK(stop.signal() == SIGTERM);
    CHECK(std::string(stop.what()) == "interrupted by SIGTERM");
  }
  CHECK(months == 5);
  CHECK(world.month == 4);
}

TEST_CASE("interrupt: parallel replications all stop and the run throws", "[interrupt]") {
  const ClearInterrupt clear;
  const Scenario sc = testing::fixture_scenario();
  std::atomic<int> months{0};
  const auto month_done = [&months] {
    if (months.fetch_add(1) + 1 == 30) request_interrupt(SIGINT);
  };
  CHECK_THROWS_AS(run_replications(sc, 4, month_done), Interrupted);
  // Each of the (at most 4) replications in flight finishes at most its current month.
  CHECK(months.load() <= 30 + 4);
  CHECK(interrupted());
}

TEST_CASE("interrupt: without a request runs are unchanged", "[interrupt]") {
  const ClearInterrupt clear;
  const Scenario sc = testing::fixture_scenario(3);
  CHECK_FALSE(interrupted());
  const auto results = run_replications(sc, 2);
  CHECK(results.size() == 2);
  CHECK(interrupt_exit_code(SIGINT) == 130);
  CHECK(interrupt_exit_code(SIGTERM) == 143);
  CHECK(signal_name(SIGINT) == "SIGINT");
}

TEST_CASE("interrupt: the installed handler records a raised signal", "[interrupt]") {
  const ClearInterrupt clear;
  install_interrupt_handlers();
  std::raise(SIGTERM);
  CHECK(interrupt_signal() == SIGTERM);
  // One-shot: the default action is back, so a second signal would end the process.
  struct sigaction now {};
  sigaction(SIGTERM, nullptr, &now);
  CHECK(now.sa_handler == SIG_DFL);
  std::signal(SIGINT, SIG_DFL);
}
