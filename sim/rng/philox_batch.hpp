#pragma once
// Philox4x32-10 blocks for many counters at once (the generator of rng/streams.hpp).
//
// A Stream builds and runs one block at a time; a phase that needs one block per agent
// gives the counters of a batch of agents here instead, and the rounds run across the
// batch in SIMD lanes. The words are exactly those r123::Philox4x32 gives for the same
// key and counter: the rounds are integer arithmetic, so the result does not depend on
// the instruction set the machine offers.
#include <cstddef>
#include <cstdint>

namespace vcsim {

// Counters and the four words of their blocks, one entry per agent of a batch.
struct PhiloxLanes {
  static constexpr std::size_t kCapacity = 256;
  std::uint32_t counter[4][kCapacity];
  std::uint32_t word[4][kCapacity];
};

// Fills lanes.word[.][0, n) with the blocks of lanes.counter[.][0, n) under the key
// (seed, replication). n must not exceed PhiloxLanes::kCapacity.
void philox_blocks(std::uint32_t seed, std::uint32_t replication, PhiloxLanes& lanes,
                   std::size_t n);

}  // namespace vcsim
