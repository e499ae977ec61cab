// Micro data (MODEL.md section 5): one row per startup and per fund investment, which
// must add up to the aggregate records.
#include <catch2/catch.hpp>
#include <set>

#include "../support/fixture_scenario.hpp"
#include "run/replication.hpp"

using namespace vcsim;

TEST_CASE("record: micro data has a row per startup and adds up to the fund books",
          "[record][micro]") {
  const Scenario sc = testing::fixture_scenario(14, 1200);
  const auto runs = run_replications(sc, 2, {}, MicroData::first);
  const ReplicationResult& r = runs[0];
  CHECK(runs[1].startups.empty());
  CHECK(runs[1].investments.empty());

  long births = 0;
  for (auto b : r.births.data()) births += b;
  REQUIRE(static_cast<long>(r.startups.size()) == births);
  std::set<std::pair<std::int32_t, std::uint32_t>> ids;
  long ended = 0, unicorns = 0;
  for (const StartupRecord& s : r.startups) {
    ids.insert({s.region, s.id});
    ended += s.end_month >= 0;
    unicorns += s.unicorn_month >= 0;
    if (s.stage >= 1) CHECK(s.stage_month[0] >= s.birth_month);
  }
  CHECK(ids.size() == r.startups.size());  // (region, identity) is unique
  long exits = 0;
  for (const auto* a : {&r.ipos, &r.acquisitions, &r.failures_funded, &r.failures_unfunded})
    for (auto v : a->data()) exits += v;
  CHECK(ended == exits);
  long new_unicorns = 0;
  for (auto v : r.unicorns[0].new_.data()) new_unicorns += v;
  CHECK(unicorns == new_unicorns);

  double amount = 0, proceeds = 0, invested = 0, gross = 0;
  for (const InvestmentRecord& i : r.investments) {
    amount += i.amount;
    proceeds += i.proceeds;
    if (!i.realised) CHECK(i.proceeds == 0);
  }
  for (const FundRecord& f : r.funds) {
    invested += f.invested;
    gross += f.gross_proceeds;
  }
  CHECK(amount == Approx(invested).epsilon(1e-9));
  CHECK(proceeds == Approx(gross).epsilon(1e-9));
  CHECK(amount > 0);
}

TEST_CASE("record: micro data does not change the aggregate results", "[record][micro]") {
  const Scenario sc = testing::fixture_scenario(8, 1000);
  const ReplicationResult with = run_replication(sc, 0, {}, true);
  const ReplicationResult without = run_replication(sc, 0, {}, false);
  CHECK(with.births.data() == without.births.data());
  CHECK(with.capital_invested.data() == without.capital_invested.data());
  CHECK(with.unicorns[0].active.data() == without.unicorns[0].active.data());
  CHECK(without.startups.empty());
}
