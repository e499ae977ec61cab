#include <Random123/philox.h>

#include <catch2/catch.hpp>

#include "rng/philox_batch.hpp"
#include "rng/streams.hpp"

using namespace vcsim;

namespace {

// Counters spread over every word, including the edges of the 32-bit range.
std::uint32_t counter_word(std::size_t lane, int word) {
  const std::uint32_t base = static_cast<std::uint32_t>(lane) * 2654435761u;
  return word == 0   ? base
         : word == 1 ? ~base
         : word == 2 ? base ^ 0x80000000u
                     : base + 7u * static_cast<std::uint32_t>(lane);
}

}  // namespace

TEST_CASE("rng: batched Philox blocks equal Random123's, lane by lane", "[rng]") {
  // Batch sizes that end inside and at the edge of SIMD widths, one with a whole group
  // of 64 AVX-512 lanes and a masked remainder, and a full batch. (The sanitizer builds
  // run the portable code on the same sizes.)
  for (const std::size_t n :
       {std::size_t{1}, std::size_t{7}, std::size_t{33}, std::size_t{71}, PhiloxLanes::kCapacity}) {
    PhiloxLanes lanes{};
    for (std::size_t i = 0; i < n; ++i)
      for (int w = 0; w < 4; ++w) lanes.counter[w][i] = counter_word(i, w);
    const std::uint32_t seed = 0xFFFFFFFFu, replication = 12345;
    philox_blocks(seed, replication, lanes, n);
    for (std::size_t i = 0; i < n; ++i) {
      const r123::Philox4x32::ctr_type ctr = {
          {lanes.counter[0][i], lanes.counter[1][i], lanes.counter[2][i], lanes.counter[3][i]}};
      const r123::Philox4x32::ctr_type expected = r123::Philox4x32()(ctr, {{seed, replication}});
      for (int w = 0; w < 4; ++w) REQUIRE(lanes.word[w][i] == expected.v[w]);
    }
  }
}

TEST_CASE("rng: a batched block's first word gives a stream's first uniform", "[rng]") {
  const StreamKey key{7, 2};
  PhiloxLanes lanes{};
  const std::size_t n = 40;
  for (std::size_t i = 0; i < n; ++i) {
    lanes.counter[0][i] = (static_cast<std::uint32_t>(Purpose::milestone) << 24) | (1u << 16);
    lanes.counter[1][i] = static_cast<std::uint32_t>(1000 + i);
    lanes.counter[2][i] = 0;
    lanes.counter[3][i] = 300;
  }
  philox_blocks(key.seed, key.replication, lanes, n);
  for (std::size_t i = 0; i < n; ++i) {
    Stream stream = key(Purpose::milestone, 1, static_cast<std::uint32_t>(1000 + i), 0, 300);
    REQUIRE(uniform_of_word(lanes.word[0][i]) == stream.uniform());
  }
}
