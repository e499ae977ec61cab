// Fees and the carry waterfall (MODEL.md section 2).
#include <catch2/catch.hpp>

#include "../support/fixture_scenario.hpp"
#include "model/fund_accounting.hpp"
#include "model/world.hpp"
#include "phases/phases.hpp"

using namespace vcsim;

namespace {
std::size_t add_fund(World& world, double size, int vintage) {
  NewFund fund;
  fund.vintage_month = vintage;
  fund.size = size;
  fund.terms = world.scenario.private_funds;
  const auto slot = world.funds.add(fund, world.scenario.years());
  world.region_funds[0].push_back(static_cast<std::int32_t>(slot));
  return slot;
}
}  // namespace

TEST_CASE("model: fees are fee_rate x size during the investment period, then on cost basis",
          "[model]") {
  const Scenario sc = testing::fixture_scenario(15, 0);
  World world(sc, 0);
  const std::size_t f = add_fund(world, 100.0, 0);
  const FundTerms& t = sc.private_funds;
  for (int m = 0; m <= t.inv_period; ++m) {
    world.month = m;
    fund_lifecycle(world);
  }
  // Fees run from the month after the close: months 1..inv_period.
  CHECK(world.funds.fees[f] == Approx(t.fee_rate * 100.0 * t.inv_period / 12.0).epsilon(1e-12));
  CHECK(world.funds.paid_in[f] == Approx(world.funds.fees[f]).epsilon(1e-12));
  CHECK(world.funds.phase[f] == FundPhase::investing);
  // With no holdings, the cost basis is zero: no more fees, and the fund is wound up
  // at the end of its life without an extension.
  for (int m = t.inv_period + 1; m <= t.life; ++m) {
    world.month = m;
    fund_lifecycle(world);
  }
  CHECK(world.funds.fees[f] == Approx(t.fee_rate * 100.0 * t.inv_period / 12.0).epsilon(1e-12));
  CHECK(world.funds.phase[f] == FundPhase::liquidated);
  CHECK(world.funds.liquidated_month[f] == t.life);
}

TEST_CASE("model: the new-deal budget moves to reserves when the investment period ends",
          "[model]") {
  const Scenario sc = testing::fixture_scenario(15, 0);
  World world(sc, 0);
  const std::size_t f = add_fund(world, 100.0, 0);
  const double investable = 100.0 - expected_lifetime_fees(100.0, sc.private_funds);
  CHECK(world.funds.new_deal_budget[f] + world.funds.reserves[f] == Approx(investable));
  CHECK(world.funds.reserves[f] == Approx(investable * sc.private_funds.reserve_ratio));
  for (int m = 0; m <= sc.private_funds.inv_period + 1; ++m) {
    world.month = m;
    fund_lifecycle(world);
  }
  CHECK(world.funds.new_deal_budget[f] == 0.0);
  CHECK(world.funds.reserves[f] == Approx(investable));
}

TEST_CASE("model: carry is 20% of cumulative profit, paid as proceeds arrive", "[model]") {
  const Scenario sc = testing::fixture_scenario(15, 0);
  World world(sc, 0);
  const std::size_t f = add_fund(world, 100.0, 0);
  FundAccounts accounts(world.funds, world.recorder, 10);
  accounts.invest(f, 80.0, 0);
  world.funds.paid_in[f] += 0;  // paid-in is now 80 (no fees charged in this test)
  accounts.receive(f, 60.0, world.recorder.nodes().ipo_market());
  CHECK(world.funds.carry_paid[f] == 0.0);  // still below paid-in
  CHECK(world.funds.distributions[f] == Approx(60.0));
  accounts.receive(f, 70.0, world.recorder.nodes().acquirers());
  // Gross 130 against paid-in 80: carry 0.2 x 50 = 10 of this payment.
  CHECK(world.funds.carry_paid[f] == Approx(10.0));
  CHECK(world.funds.distributions[f] == Approx(120.0));
  accounts.receive(f, 20.0, world.recorder.nodes().acquirers());
  CHECK(world.funds.carry_paid[f] == Approx(14.0));
  CHECK(world.funds.gross_proceeds[f] ==
        Approx(world.funds.distributions[f] + world.funds.carry_paid[f]).epsilon(1e-12));
}
