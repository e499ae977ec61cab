// Startups split by the class of the money they raised (pure private, mixed, pure state):
// the split must partition the seed cohorts exactly and agree with the micro data.
#include <catch2/catch.hpp>

#include "../support/fixture_scenario.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

constexpr std::size_t kPurePrivate = 0, kMixed = 1, kPureState = 2;
constexpr std::size_t kPrivateMoney = 0, kStateMoney = 1, kGrants = 2;
constexpr std::size_t kSeededOutcome = 0;

Scenario with_state_money() {
  Scenario sc = testing::fixture_scenario(10, 1500);
  GuidanceFundSpec g;
  g.name = "state";
  g.region = 0;
  g.start_month = 12;
  g.size = 3000;
  g.years_to_deploy = 5;
  g.sector_weights = {1.0, 1.0, 1.0};
  g.state_share_max = 0.4;
  g.direct_share = 0.3;  // direct B+ stakes: the way a startup can take state money only
  sc.guidance_funds = {g};
  EventSpec grant;
  grant.name = "grants";
  grant.kind = EventKind::grant;
  grant.first_month = 0;
  grant.last_month = 119;
  grant.regions = {1};
  grant.sectors = {0, 2};
  grant.budget = 60;
  grant.grant_size = 0.5;
  grant.stages = {0, 1};
  sc.events = {grant};
  return sc;
}

std::size_t class_of(const StartupRecord& row) {
  if (row.raised_state - row.raised_grants <= 0) return kPurePrivate;
  return row.raised_private > 0 ? kMixed : kPureState;
}

}  // namespace

TEST_CASE("classes: the split partitions every cohort outcome exactly", "[record]") {
  const Scenario sc = with_state_money();
  const ReplicationResult r = run_replication(sc, 0);
  const auto& all = r.cohort_counts;             // seed_year, region, sector, outcome
  const auto& split = r.cohort_counts_by_class;  // seed_year, region, class, outcome
  REQUIRE(split.shape()[0] == all.shape()[0]);
  std::int64_t mixed = 0;
  for (std::size_t y = 0; y < all.shape()[0]; ++y)
    for (std::size_t g = 0; g < all.shape()[1]; ++g)
      for (std::size_t o = 0; o < all.shape()[3]; ++o) {
        std::int64_t total = 0, by_class = 0;
        for (std::size_t sec = 0; sec < all.shape()[2]; ++sec) total += all(y, g, sec, o);
        for (std::size_t c = 0; c < 3; ++c) by_class += split(y, g, c, o);
        INFO("seed year " << y << ", region " << g << ", outcome " << kCohortOutcomeNames[o]);
        REQUIRE(by_class == total);
        if (o == kSeededOutcome) mixed += split(y, g, kMixed, o);
      }
  CHECK(mixed > 0);  // state capital here is large enough to reach many startups
}

TEST_CASE("classes: counts and money agree with the per-startup micro data", "[record]") {
  const Scenario sc = with_state_money();
  const ReplicationResult r = run_replication(sc, 0, {}, true);
  std::array<std::int64_t, 3> seeded{};
  std::array<std::array<double, 3>, 3> money{};
  std::int64_t granted_pure_private = 0;
  for (const StartupRecord& row : r.startups) {
    if (row.stage_month[0] < 0) continue;  // never seeded
    const std::size_t c = class_of(row);
    ++seeded[c];
    money[c][kPrivateMoney] += row.raised_private;
    money[c][kStateMoney] += row.raised_state - row.raised_grants;
    money[c][kGrants] += row.raised_grants;
    granted_pure_private += c == kPurePrivate && row.raised_grants > 0;
    // Every dollar raised is private or state: fund checks split by the fund's state
    // share, co-investors private, direct stakes and grants state. So equity money
    // (everything but grants) is the fund and co-investor money plus direct stakes.
    const double direct = row.raised_private + row.raised_state - row.raised_grants -
                          row.raised_funds - row.raised_other;
    REQUIRE(direct >= -1e-9);
    REQUIRE(row.raised_private <= row.raised_funds + row.raised_other + 1e-9);
    REQUIRE(row.raised_grants <= row.raised_state + 1e-12);
  }
  std::array<std::int64_t, 3> counted{};
  std::array<std::array<double, 3>, 3> recorded{};
  const auto& split = r.cohort_counts_by_class;
  const auto& capital = r.cohort_capital_by_class;
  for (std::size_t y = 0; y < split.shape()[0]; ++y)
    for (std::size_t g = 0; g < split.shape()[1]; ++g)
      for (std::size_t c = 0; c < 3; ++c) {
        counted[c] += split(y, g, c, kSeededOutcome);
        for (std::size_t m = 0; m < 3; ++m) recorded[c][m] += capital(y, g, c, m);
      }
  CHECK(counted == seeded);
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t m = 0; m < 3; ++m)
      CHECK(recorded[c][m] == Approx(money[c][m]).epsilon(1e-12).margin(1e-9));
  CHECK(recorded[kPurePrivate][kStateMoney] == 0.0);
  CHECK(recorded[kPureState][kPrivateMoney] == 0.0);
  CHECK(recorded[kMixed][kStateMoney] > 0.0);
  // Grants do not make a startup state-backed: grant recipients with only private equity
  // stay pure private, their grants counted beside it.
  CHECK(granted_pure_private > 0);
  CHECK(recorded[kPurePrivate][kGrants] > 0.0);
}

TEST_CASE("classes: without state money every seeded startup is pure private", "[record]") {
  const Scenario sc = testing::fixture_scenario(8, 800);
  const ReplicationResult r = run_replication(sc, 1, {}, true);
  for (const StartupRecord& row : r.startups) {
    REQUIRE(row.raised_state == 0.0);
    REQUIRE(row.raised_private == Approx(row.raised_funds + row.raised_other).margin(1e-9));
  }
  std::int64_t pure_private = 0, other = 0;
  const auto& split = r.cohort_counts_by_class;
  for (std::size_t y = 0; y < split.shape()[0]; ++y)
    for (std::size_t g = 0; g < split.shape()[1]; ++g) {
      pure_private += split(y, g, kPurePrivate, kSeededOutcome);
      other += split(y, g, kMixed, kSeededOutcome) + split(y, g, kPureState, kSeededOutcome);
    }
  CHECK(pure_private > 100);
  CHECK(other == 0);
}
