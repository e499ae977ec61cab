// The filter of funds a seeker's candidate draws have seen (phases/seen_funds.hpp).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "phases/seen_funds.hpp"

using namespace vcsim;

namespace {

// The share of the funds in [0, count) not in `added` that the filter may contain.
double false_positive_share(const SeenFunds& seen, const std::vector<std::int32_t>& added,
                            std::int32_t count) {
  std::int32_t positives = 0, others = 0;
  for (std::int32_t fund = 0; fund < count; ++fund) {
    if (std::find(added.begin(), added.end(), fund) != added.end()) continue;
    ++others;
    positives += seen.may_contain(fund);
  }
  return static_cast<double>(positives) / others;
}

}  // namespace

TEST_CASE("market: the seen-funds filter never misses a fund added, and clears", "[market]") {
  SeenFunds seen;
  seen.clear();
  CHECK(false_positive_share(seen, {}, 200000) == 0);
  // A seeker's owners and draws: slots spread over a large fund table, and a run of
  // neighbours (funds raised in the same month sit side by side).
  std::vector<std::int32_t> added;
  for (std::int32_t k = 0; k < 12; ++k) added.push_back(7919 * k + 13);
  for (std::int32_t k = 0; k < 8; ++k) added.push_back(150000 + k);
  for (const std::int32_t fund : added) seen.add(fund);
  for (const std::int32_t fund : added) CHECK(seen.may_contain(fund));
  // 20 funds set at most 20 of the 1024 bits: about 2 % of other funds may be reported.
  CHECK(false_positive_share(seen, added, 200000) < 20.0 / SeenFunds::kBits + 0.005);
  seen.clear();
  for (const std::int32_t fund : added) CHECK_FALSE(seen.may_contain(fund));
}
