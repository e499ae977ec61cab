// Births (MODEL.md 3.2): a month's newborns are drawn in parallel and appended in region
// and index order, so the startups' columns do not depend on the thread count.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <vector>

#include "../support/fixture_scenario.hpp"
#include "../support/same_bits.hpp"
#include "model/world.hpp"
#include "phases/phases.hpp"
#include "rng/streams.hpp"

using namespace vcsim;
using testing::same_bits;

namespace {

// The startups after `months` months of births alone, with at most `threads` threads.
Startups born(const Scenario& sc, std::size_t threads, int months) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  World world(sc, 0);
  for (int m = 0; m < months; ++m) {
    world.month = m;
    apply_events(world);
    births(world);
  }
  return world.startups;
}

}  // namespace

TEST_CASE("births: 1 and 2 threads found the same startups in the same slots", "[phases]") {
  const Scenario sc = testing::fixture_scenario(2, 6000);  // about 500 births a region-month
  const Startups one = born(sc, 1, 3), two = born(sc, 2, 3);
  REQUIRE(one.size() > 2000);
  CHECK(same_bits(one.id, two.id));
  CHECK(same_bits(one.region, two.region));
  CHECK(same_bits(one.sector, two.sector));
  CHECK(same_bits(one.locality, two.locality));
  CHECK(same_bits(one.log_q, two.log_q));
  CHECK(same_bits(one.log_f, two.log_f));
  CHECK(same_bits(one.burn, two.burn));
}

TEST_CASE("births: newborns lie month by month, region by region, in index order", "[phases]") {
  const Scenario sc = testing::fixture_scenario(2, 600);
  const Startups s = born(sc, 2, 4);
  REQUIRE(s.size() > 100);
  for (std::size_t i = 1; i < s.size(); ++i) {
    const bool later_month = s.birth_month[i] > s.birth_month[i - 1];
    const bool later_region =
        s.birth_month[i] == s.birth_month[i - 1] && s.region[i] > s.region[i - 1];
    const bool next_index = s.birth_month[i] == s.birth_month[i - 1] &&
                            s.region[i] == s.region[i - 1] && s.id[i] == s.id[i - 1] + 1;
    REQUIRE((later_month || later_region || next_index));
  }
}

TEST_CASE("births: a newborn starts with its founding values", "[phases]") {
  const Scenario sc = testing::fixture_scenario(2, 600);
  const Startups s = born(sc, 2, 2);
  REQUIRE(s.size() > 50);
  for (std::size_t i = 0; i < s.size(); ++i) {
    REQUIRE(s.status[i] == Status::alive);
    REQUIRE(s.stage[i] == 0);
    REQUIRE(s.cash[i] == sc.startup.founder_cash);
    REQUIRE(s.stage_month[0][i] == s.birth_month[i]);
    for (std::size_t k = 1; k < s.stage_month.size(); ++k) REQUIRE(s.stage_month[k][i] == kNever);
    REQUIRE(s.unicorn_month[i] == kNever);
    REQUIRE(s.end_month[i] == kNever);
    REQUIRE(s.cap_table[i].empty());
    REQUIRE(s.post_money[i] == 0);
    REQUIRE(s.raised_fund[i] == 0);
  }
}
