#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "rng/first_blocks.hpp"

using namespace vcsim;

TEST_CASE("rng: batched first normals equal each stream's normal(), tail draws included", "[rng]") {
  const StreamKey key{20260101u, 3u};
  std::vector<StreamCounter> counters;
  // Batches of several Philox batches plus a remainder, over varied counters.
  for (std::uint32_t k = 0; k < 200'003; ++k)
    counters.push_back(stream_counter(Purpose::screening_firm, k % 3, k * 2654435761u, k, k % 6));
  std::vector<double> normals(counters.size());
  first_normals(key, counters, normals);

  std::size_t tail = 0;
  for (std::size_t k = 0; k < counters.size(); ++k) {
    const double expected = Stream(key.seed, key.replication, counters[k]).normal();
    REQUIRE(normals[k] == expected);
    // Beyond the ziggurat's first layer (about 3.44) a draw reads the stream's second
    // block: such draws must be among those compared.
    if (std::abs(normals[k]) > 3.45) ++tail;
  }
  CHECK(tail > 50);
}

TEST_CASE("rng: a stream given its first block draws what it would have computed", "[rng]") {
  const StreamCounter counter = stream_counter(Purpose::screening_shared, 2, 77, 0, 3);
  Stream plain(1u, 2u, counter);
  Stream reference(1u, 2u, counter);
  const std::array<std::uint32_t, 4> block = {reference(), reference(), reference(), reference()};
  Stream given(1u, 2u, counter, block);
  for (int k = 0; k < 40; ++k) REQUIRE(given() == plain());
}

TEST_CASE("rng: batched first blocks are the words each stream hands out first", "[rng]") {
  const StreamKey key{5u, 9u};
  std::vector<StreamCounter> counters;
  for (std::uint32_t k = 0; k < 1'000; ++k)
    counters.push_back(stream_counter(Purpose::market_order, 1, k * 7919u, k % 2, 300));
  std::vector<StreamBlock> blocks(counters.size());
  first_blocks(key, counters, blocks);
  for (std::size_t k = 0; k < counters.size(); ++k) {
    Stream stream(key.seed, key.replication, counters[k]);
    for (std::size_t w = 0; w < 4; ++w) REQUIRE(blocks[k][w] == stream());
  }
}

TEST_CASE("rng: a stream's later blocks, batched by nth_block_counter, are its later words",
          "[rng]") {
  // The market batches every block of a seeker's candidate draws this way.
  const StreamKey key{11u, 4u};
  constexpr std::uint32_t kBlocks = 5;
  std::vector<StreamCounter> counters;
  for (std::uint32_t k = 0; k < 300; ++k)
    for (std::uint32_t b = 0; b < kBlocks; ++b)
      counters.push_back(
          nth_block_counter(stream_counter(Purpose::market_order, 2, k * 104729u, 1, 420), b));
  std::vector<StreamBlock> blocks(counters.size());
  first_blocks(key, counters, blocks);
  for (std::uint32_t k = 0; k < 300; ++k) {
    Stream stream(key.seed, key.replication, counters[k * kBlocks]);
    for (std::uint32_t b = 0; b < kBlocks; ++b) {
      // The block index sits in the low bits of the first word (rng/streams.hpp).
      REQUIRE(counters[k * kBlocks + b][0] == (counters[k * kBlocks][0] | b));
      for (std::size_t w = 0; w < 4; ++w) REQUIRE(blocks[k * kBlocks + b][w] == stream());
    }
  }
}
