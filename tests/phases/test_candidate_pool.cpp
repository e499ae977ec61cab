#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "phases/candidate_pool.hpp"

using namespace vcsim;

namespace {

// The fund a weighted draw x must find: the first whose cumulative weight exceeds x.
std::int32_t searched(const CandidatePool& pool, double x) {
  const auto it =
      std::upper_bound(pool.entries.begin(), pool.entries.end(), x,
                       [](double value, const PoolEntry& e) { return value < e.cumulative; });
  const auto k = static_cast<std::size_t>(it - pool.entries.begin());
  return pool.entries[std::min(k, pool.entries.size() - 1)].candidate.fund;
}

}  // namespace

TEST_CASE("market: a candidate pool's draws find the fund a search finds", "[market]") {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> budget(0.0, 2.5);  // as uneven as funds' budgets
  for (const std::size_t size : {1, 2, 5, 100, 5'000}) {
    CandidatePool pool;
    for (std::size_t k = 0; k < size; ++k) {
      const auto fund = static_cast<std::int32_t>(1000 + k);
      pool.add({fund, static_cast<std::uint32_t>(7 * fund)}, budget(random));
    }
    pool.build_guide();
    REQUIRE(pool.guide.size() == size * CandidatePool::kSlicesPerFund);

    std::vector<double> draws;
    std::uniform_real_distribution<double> uniform(0.0, pool.total());
    for (int d = 0; d < 20'000; ++d) draws.push_back(uniform(random));
    // Draws exactly at a fund's cumulative weight belong to the next fund.
    for (std::size_t k = 0; k + 1 < size; ++k) draws.push_back(pool.entries[k].cumulative);
    draws.push_back(0.0);
    draws.push_back(std::nextafter(pool.total(), 0.0));
    // Draws at and beside each guide slice's start, where the slice a draw is put in
    // depends on rounding.
    const auto slices = static_cast<double>(pool.guide.size());
    for (std::size_t b = 0; b < pool.guide.size(); ++b) {
      const double start = pool.total() * static_cast<double>(b) / slices;
      for (const double x : {std::nextafter(start, 0.0), start, std::nextafter(start, 1e300)})
        if (x >= 0 && x < pool.total()) draws.push_back(x);
    }

    std::vector<Candidate> picked(draws.size());
    pool.pick_many(draws.data(), draws.size(), picked.data());
    for (std::size_t d = 0; d < draws.size(); ++d) {
      const Candidate one = pool.pick(draws[d]);
      REQUIRE(one.fund == searched(pool, draws[d]));
      REQUIRE(one.viewer == static_cast<std::uint32_t>(7 * one.fund));  // the fund's own
      REQUIRE(picked[d].fund == one.fund);
      REQUIRE(picked[d].viewer == one.viewer);
    }
  }
}
