#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "phases/uniform_key_sort.hpp"

using namespace vcsim;

TEST_CASE("market: seekers sorted by uniform keys in std::sort's order", "[market]") {
  std::mt19937_64 random(12345);
  // Sizes around powers of two, and keys whose high words collide (the identity in the
  // low word breaks the tie) as well as keys spread uniformly.
  for (const std::size_t n : {0, 1, 2, 3, 255, 256, 257, 20'000}) {
    for (const bool collide : {false, true}) {
      std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed, sorted;
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint64_t high = collide ? random() % 7 : random() >> 32;
        keyed.emplace_back(high << 32 | static_cast<std::uint32_t>(k * 2654435761u),
                           static_cast<std::uint32_t>(k));
      }
      sort_by_uniform_key(keyed, sorted);
      auto expected = keyed;
      std::sort(expected.begin(), expected.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      REQUIRE(sorted == expected);
    }
  }
}
