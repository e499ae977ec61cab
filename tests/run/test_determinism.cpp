// Results are a pure function of (scenario, seed, replication): bit-identical whatever
// the thread count (MODEL.md section 4).
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "../support/fixture_scenario.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

template <typename T>
bool same_bits(const NdArray<T>& a, const NdArray<T>& b) {
  return a.shape() == b.shape() &&
         std::memcmp(a.data().data(), b.data().data(), a.size() * sizeof(T)) == 0;
}

bool same_results(const ReplicationResult& a, const ReplicationResult& b) {
  bool same = same_bits(a.births, b.births) && same_bits(a.startups_alive, b.startups_alive) &&
              same_bits(a.rounds, b.rounds) && same_bits(a.capital_invested, b.capital_invested) &&
              same_bits(a.capital_flows, b.capital_flows) && same_bits(a.fees, b.fees) &&
              same_bits(a.distributions, b.distributions) &&
              same_bits(a.cohort_counts, b.cohort_counts) &&
              same_bits(a.unicorns[0].active, b.unicorns[0].active) &&
              same_bits(a.unicorns[1].active, b.unicorns[1].active) &&
              a.funds.size() == b.funds.size() && a.agent_months == b.agent_months;
  for (std::size_t f = 0; same && f < a.funds.size(); ++f)
    same = std::memcmp(&a.funds[f].tvpi, &b.funds[f].tvpi, sizeof(double)) == 0 &&
           std::memcmp(&a.funds[f].paid_in, &b.funds[f].paid_in, sizeof(double)) == 0;
  return same;
}

std::vector<ReplicationResult> run_with_threads(const Scenario& sc, std::size_t threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  return run_replications(sc, 3);
}

}  // namespace

TEST_CASE("run: 1 and 2 threads give bit-identical replications", "[run][determinism]") {
  const Scenario sc = testing::fixture_scenario(12, 3000);
  const auto one = run_with_threads(sc, 1);
  const auto two = run_with_threads(sc, 2);
  REQUIRE(one.size() == two.size());
  for (std::size_t r = 0; r < one.size(); ++r) CHECK(same_results(one[r], two[r]));
  // Different replications are different draws.
  CHECK_FALSE(same_bits(one[0].births, one[1].births));
}

TEST_CASE("run: a replication does not depend on which others run beside it",
          "[run][determinism]") {
  const Scenario sc = testing::fixture_scenario(8, 2000);
  const auto three = run_replications(sc, 3);
  const ReplicationResult alone = run_replication(sc, 2);
  CHECK(same_results(three[2], alone));
}
