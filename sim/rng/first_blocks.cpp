#include "rng/first_blocks.hpp"

#include <algorithm>

#include "rng/philox_batch.hpp"

namespace vcsim {

namespace {

// Calls use(k, block) for the first block of every counter, a batch of lanes at a time.
template <typename Use>
void for_each_first_block(const StreamKey& key, std::span<const StreamCounter> counters,
                          Use&& use) {
  thread_local PhiloxLanes lanes;
  for (std::size_t begin = 0; begin < counters.size(); begin += PhiloxLanes::kCapacity) {
    const std::size_t n = std::min(PhiloxLanes::kCapacity, counters.size() - begin);
    for (std::size_t lane = 0; lane < n; ++lane)
      for (std::size_t w = 0; w < 4; ++w) lanes.counter[w][lane] = counters[begin + lane][w];
    philox_blocks(key.seed, key.replication, lanes, n);
    for (std::size_t lane = 0; lane < n; ++lane)
      use(begin + lane, StreamBlock{lanes.word[0][lane], lanes.word[1][lane], lanes.word[2][lane],
                                    lanes.word[3][lane]});
  }
}

}  // namespace

void first_blocks(const StreamKey& key, std::span<const StreamCounter> counters,
                  std::span<StreamBlock> out) {
  for_each_first_block(key, counters,
                       [&](std::size_t k, const StreamBlock& block) { out[k] = block; });
}

void first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                   std::span<double> out) {
  for_each_first_block(key, counters, [&](std::size_t k, const StreamBlock& block) {
    out[k] = Stream(key.seed, key.replication, counters[k], block).normal();
  });
}

}  // namespace vcsim
