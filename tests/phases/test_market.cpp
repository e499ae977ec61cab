// The financing market (MODEL.md 3.4) on a hand-made world: round sizing, dilution,
// follow-ons, new money and the cap table, checked to the last digit.
#include <catch2/catch.hpp>
#include <cmath>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "phases/phases.hpp"

using namespace vcsim;

namespace {

constexpr int kUs = 1,
              kSoftware = 1;  // fixture order: regions CN, US; sectors biotech, software, chips

std::size_t add_fund(World& w, Focus focus, double size) {
  const auto firm = w.firms.add(kUs, -1, static_cast<int>(w.firms.count()), 0.01, focus, -1);
  NewFund fund;
  fund.region = kUs;
  fund.vintage_month = -1;
  fund.index = static_cast<int>(w.funds.size_count());
  fund.firm = static_cast<int>(firm);
  fund.focus = focus;
  fund.sigma_skill = 0.01;
  fund.size = size;
  fund.terms = w.scenario.private_funds;
  const auto slot = w.funds.add(fund, w.scenario.years());
  w.region_funds[kUs].push_back(static_cast<std::int32_t>(slot));
  w.firms.funds[firm].push_back(static_cast<std::int32_t>(slot));
  return slot;
}

// An excellent startup (log q = 6) worth 20 at sentiment 1, out of cash.
std::size_t add_needy_startup(World& w) {
  const auto slot =
      w.startups.add(pack_identity(0, 0), 0, kUs, kSoftware, 0, 6.0, std::log(20.0), 0.01, 0.04);
  w.startups.needs_funding[slot] = 1;
  return slot;
}

}  // namespace

TEST_CASE("phases: a seed round sells new shares at post-money and funds pay for them",
          "[phases][market]") {
  const Scenario sc = testing::fixture_scenario(4, 0);
  World w(sc, 0);
  w.month = 0;
  apply_events(w);
  const auto seed_fund = add_fund(w, Focus::seed, 1000);
  const auto i = add_needy_startup(w);
  financing_market(w);
  const Startups& s = w.startups;
  // R = min(2.5 x intensity 1 x scale 1, pre x 0.35 / 0.65) = 2.5; pre = 20.
  REQUIRE(s.stage[i] == 1);
  CHECK(s.post_money[i] == Approx(22.5).epsilon(1e-15));
  CHECK(s.cash[i] == Approx(0.01 + 2.5).epsilon(1e-15));
  CHECK(s.burn[i] == Approx(sc.startup.burn[1]).epsilon(1e-15));
  REQUIRE(s.cap_table[i].size() == 1);
  CHECK(s.cap_table[i][0].shares == Approx(2.5 / 22.5).epsilon(1e-15));
  CHECK(s.cap_table[i][0].invested == 2.5);
  CHECK(w.funds.paid_in[seed_fund] == 2.5);
  CHECK(w.funds.holdings[seed_fund] == 1);
  CHECK(w.funds.deals[seed_fund] == 1);
  CHECK(w.recorder.current().rounds(0, kUs, kSoftware, 0) == 1);
  CHECK(w.recorder.current().capital_invested(0, kUs, kSoftware, 0, 0) == 2.5);
}

TEST_CASE("phases: a later round dilutes earlier holders by pre/post; follow-ons come first",
          "[phases][market]") {
  const Scenario sc = testing::fixture_scenario(4, 0);
  World w(sc, 0);
  w.month = 0;
  apply_events(w);
  const auto seed_fund = add_fund(w, Focus::seed, 1000);
  const auto early_fund = add_fund(w, Focus::early, 1000);
  const auto i = add_needy_startup(w);
  financing_market(w);  // seed: the seed fund wins the draw or the early fund does
  REQUIRE(w.startups.stage[i] == 1);
  const std::int32_t seed_holder = w.startups.cap_table[i][0].holder;
  const double seed_shares = w.startups.cap_table[i][0].shares;

  w.month = 1;
  apply_events(w);
  w.startups.cash[i] = 0.01;
  w.startups.needs_funding[i] = 1;
  const double reserves_before = w.funds.reserves[static_cast<std::size_t>(seed_holder)];
  financing_market(w);
  const Startups& s = w.startups;
  REQUIRE(s.stage[i] == 2);
  // Series A: R = min(11, 20 x 0.35 / 0.65) = 10.769...; pre = 20; post = pre + R.
  const double round = 20 * 0.35 / 0.65;
  const double post = 20 + round;
  CHECK(s.post_money[i] == Approx(post).epsilon(1e-14));
  const CapTable& table = s.cap_table[i];
  REQUIRE(table.size() >= 2);
  CHECK(table[0].shares == Approx(seed_shares * 20 / post).epsilon(1e-14));
  // The holder's pro-rata follow-on comes first, from reserves.
  CHECK(table[1].holder == seed_holder);
  CHECK(table[1].invested == Approx(seed_shares * round).epsilon(1e-14));
  CHECK(w.funds.reserves[static_cast<std::size_t>(seed_holder)] ==
        Approx(reserves_before - seed_shares * round).epsilon(1e-14));
  double sold = 0, invested = 0;
  for (std::size_t e = 1; e < table.size(); ++e) {
    CHECK(table[e].shares == Approx(table[e].invested / post).epsilon(1e-14));
    sold += table[e].shares;
    invested += table[e].invested;
  }
  CHECK(invested == Approx(round).epsilon(1e-14));
  CHECK(sold == Approx(round / post).epsilon(1e-14));
  // Founders keep the rest: their share was diluted by pre/post too.
  const double founders = 1 - total_shares(table);
  CHECK(founders == Approx((1 - seed_shares) * 20 / post).epsilon(1e-13));
  (void)early_fund;
  (void)seed_fund;
}

TEST_CASE("phases: a round below min_fill moves nothing and is retried", "[phases][market]") {
  Scenario sc = testing::fixture_scenario(4, 0);
  sc.market.max_check_share = 0.001;  // a check of 1 against a round of 2.5: 40 % < 60 %
  World w(sc, 0);
  w.month = 0;
  apply_events(w);
  const auto fund = add_fund(w, Focus::seed, 1000);
  const auto i = add_needy_startup(w);
  financing_market(w);
  CHECK(w.startups.stage[i] == 0);
  CHECK(w.startups.cap_table[i].empty());
  CHECK(w.funds.paid_in[fund] == 0);
  CHECK(w.startups.status[i] == Status::alive);  // cash 0.01 > 0
}

TEST_CASE("phases: a funded startup whose round fails stalls: it cuts burn and keeps seeking",
          "[phases][market]") {
  Scenario sc = testing::fixture_scenario(4, 0);
  sc.market.max_check_share = 0.001;  // every round falls short of min_fill
  const double factor = GENERATE(1.0, 0.25);
  sc.startup.stall_burn_factor = factor;
  World w(sc, 0);
  w.month = 0;
  apply_events(w);
  add_fund(w, Focus::early, 1000);
  const auto founders = add_needy_startup(w);
  const auto seeded = w.startups.add(pack_identity(0, 1), 0, kUs, kSoftware, 0, 6.0, std::log(20.0),
                                     0.01, sc.startup.burn[1]);
  w.startups.stage[seeded] = 1;
  w.startups.needs_funding[seeded] = kSeeking;
  financing_market(w);
  const Startups& s = w.startups;
  CHECK(s.stage[seeded] == 1);
  // The fixture's capital intensity is 1, so the stage's burn is burn[1].
  CHECK(s.burn[seeded] == factor * sc.startup.burn[1]);
  CHECK(s.needs_funding[seeded] == (factor < 1 ? kStalled : kSeeking));
  // Founders who never raised a round have no insiders to back a stall.
  CHECK(s.burn[founders] == 0.04);
  CHECK(s.needs_funding[founders] == kSeeking);
}
