// Whole-world invariants checked every month of a small run: ownership, cash, money
// conservation, the alive stock, the unicorn rule under both definitions and the
// unicorn flow identity.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "../support/fixture_scenario.hpp"
#include "model/world.hpp"
#include "phases/plan.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

bool close_rel(double a, double b, double rel = 1e-9) {
  return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

void check_cap_tables(const Startups& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != Status::alive) continue;
    double sum = 0;
    for (const CapEntry& e : s.cap_table[i]) {
      REQUIRE(e.shares >= 0);
      sum += e.shares;
    }
    REQUIRE(sum <= 1 + 1e-12);
    if (s.stage[i] > 0) REQUIRE(sum > 0);
  }
}

void check_fund_accounts(const Funds& f) {
  for (std::size_t j = 0; j < f.size_count(); ++j) {
    REQUIRE(close_rel(f.paid_in[j], f.invested[j] + f.fees[j]));
    REQUIRE(f.paid_in[j] <= f.size[j] * (1 + 1e-12));
    REQUIRE(close_rel(f.gross_proceeds[j], f.distributions[j] + f.carry_paid[j]));
    REQUIRE(f.carry_paid[j] <= f.carry_rate[j] * f.gross_proceeds[j] + 1e-9);
    REQUIRE(f.new_deal_budget[j] >= -1e-9);
    REQUIRE(f.reserves[j] >= -1e-9);
    REQUIRE(f.holdings[j] >= 0);
  }
}

// The stocks, read after the record phase against a count of the startups: the alive
// stock (which the recorder keeps from births and exits), and the unicorn rule: alive
// with V >= 1bn, and at most 120 months old for the age-capped definition.
// Returns the month's alive stock.
int check_stocks(const World& w) {
  const Startups& s = w.startups;
  const int sectors = w.sector_count();
  std::vector<int> alive(static_cast<std::size_t>(w.region_count() * sectors));
  std::vector<int> all(alive.size()), capped(alive.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != Status::alive) continue;
    const auto cell = static_cast<std::size_t>(s.region[i] * sectors + s.sector[i]);
    ++alive[cell];
    if (s.post_money[i] < 1000) continue;
    ++all[cell];
    if (w.month - s.birth_month[i] <= 120) ++capped[cell];
  }
  const ReplicationResult& r = w.recorder.current();
  for (int reg = 0; reg < w.region_count(); ++reg)
    for (int sec = 0; sec < sectors; ++sec) {
      const auto cell = static_cast<std::size_t>(reg * sectors + sec);
      REQUIRE(r.startups_alive(w.month, reg, sec) == alive[cell]);
      REQUIRE(r.unicorns[0].active(w.month, reg, sec) == all[cell]);
      REQUIRE(r.unicorns[1].active(w.month, reg, sec) == capped[cell]);
    }
  return std::accumulate(alive.begin(), alive.end(), 0);
}

// active(t) = active(t-1) + new + reminted - ipo - acquired - failed - demoted - aged out.
int check_flow_identity(const ReplicationResult& r) {
  int unicorn_months = 0;
  for (const UnicornSeries& u : r.unicorns) {
    const auto& shape = u.active.shape();
    for (std::size_t m = 0; m < shape[0]; ++m)
      for (std::size_t reg = 0; reg < shape[1]; ++reg)
        for (std::size_t sec = 0; sec < shape[2]; ++sec) {
          const int before = m == 0 ? 0 : u.active(m - 1, reg, sec);
          const int flows = u.new_(m, reg, sec) + u.reminted(m, reg, sec) - u.ipo(m, reg, sec) -
                            u.acquired(m, reg, sec) - u.failed(m, reg, sec) -
                            u.demoted(m, reg, sec) - u.aged_out(m, reg, sec);
          REQUIRE(u.active(m, reg, sec) == before + flows);
          unicorn_months += u.active(m, reg, sec);
        }
  }
  return unicorn_months;
}

}  // namespace

TEST_CASE("run: ownership, cash and money hold every month", "[run][invariants]") {
  const Scenario sc = testing::fixture_scenario(16, 1500);
  World world(sc, 1);
  initial_fundraising(world);
  std::uint64_t agent_months = 0;
  for (int month = 0; month < world.run_months(); ++month) {
    world.month = month;
    for (const Phase& phase : kMonthPlan) {
      if (phase.january_only && month % 12 != 0) continue;
      if (phase.name == "record") {
        // Before the record phase removes ended startups: no alive startup has
        // negative cash after the market.
        for (std::size_t i = 0; i < world.startups.size(); ++i)
          if (world.startups.status[i] == Status::alive) REQUIRE(world.startups.cash[i] > 0);
      }
      phase.run(world);
    }
    check_cap_tables(world.startups);
    agent_months += static_cast<std::uint64_t>(check_stocks(world));
    check_fund_accounts(world.funds);
  }
  // Money conserved between the two sides of every transaction.
  double invested = 0, proceeds = 0;
  for (std::size_t j = 0; j < world.funds.size_count(); ++j) {
    invested += world.funds.invested[j];
    proceeds += world.funds.gross_proceeds[j];
  }
  CHECK(close_rel(invested, world.ledger.startup_money_from_funds));
  CHECK(close_rel(proceeds, world.ledger.proceeds_paid_to_funds));
  CHECK(invested > 0);
  const ReplicationResult r =
      world.recorder.finish(world.startups, world.funds, world.run_months());
  CHECK(check_flow_identity(r) > 0);  // the identity holds, and unicorns did exist
  CHECK(r.agent_months == agent_months);
  CHECK(agent_months > 0);

  // The records agree with the funds' books: LP money in = invested + fees, and exit
  // proceeds = distributions + carry, to 1e-9 relative.
  auto sum = [](const NdArray<double>& a) {
    double total = 0;
    for (double v : a.data()) total += v;
    return total;
  };
  double paid_in = 0, fees = 0, distributions = 0, carry = 0;
  for (std::size_t j = 0; j < world.funds.size_count(); ++j) {
    paid_in += world.funds.paid_in[j];
    fees += world.funds.fees[j];
    distributions += world.funds.distributions[j];
    carry += world.funds.carry_paid[j];
  }
  CHECK(close_rel(sum(r.calls), paid_in));
  CHECK(close_rel(sum(r.calls), invested + fees));
  CHECK(close_rel(sum(r.fees), fees));
  CHECK(close_rel(sum(r.exit_proceeds_to_funds), proceeds));
  CHECK(close_rel(sum(r.distributions) + sum(r.carry), proceeds));
  double private_fund_money = 0, coinvestor_rounds = 0;
  for (std::size_t m = 0; m < r.capital_invested.shape()[0]; ++m)
    for (std::size_t reg = 0; reg < r.capital_invested.shape()[1]; ++reg)
      for (std::size_t sec = 0; sec < r.capital_invested.shape()[2]; ++sec)
        for (std::size_t st = 0; st < r.capital_invested.shape()[3]; ++st) {
          private_fund_money += r.capital_invested(m, reg, sec, st, 0);
          coinvestor_rounds += r.capital_invested(m, reg, sec, st, 3);
        }
  CHECK(close_rel(private_fund_money, invested));
  CHECK(proceeds > 0);

  // The co-investors' money, which every region's market keeps aside and adds after all
  // of them: the ledger, the rounds' "other" source and the flow matrix's co-investor
  // row into the startups agree, and no startup's raise lost any of it.
  const FlowNodes& nodes = world.recorder.nodes();
  const auto coinvestors = static_cast<std::size_t>(nodes.coinvestors());
  double coinvestor_flows = 0;
  for (std::size_t y = 0; y < r.capital_flows.shape()[0]; ++y)
    for (int sec = 0; sec < world.sector_count(); ++sec)
      coinvestor_flows +=
          r.capital_flows(y, coinvestors, static_cast<std::size_t>(nodes.startups(sec)));
  REQUIRE(world.region_count() > 1);
  CHECK(world.ledger.coinvestor_money > 0);
  CHECK(close_rel(coinvestor_rounds, world.ledger.coinvestor_money));
  CHECK(close_rel(coinvestor_flows, world.ledger.coinvestor_money));
}
