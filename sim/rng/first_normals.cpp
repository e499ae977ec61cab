#include "rng/first_normals.hpp"

#include <algorithm>

#include "rng/philox_batch.hpp"

namespace vcsim {

void first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                   std::span<double> out) {
  thread_local PhiloxLanes lanes;
  for (std::size_t begin = 0; begin < counters.size(); begin += PhiloxLanes::kCapacity) {
    const std::size_t n = std::min(PhiloxLanes::kCapacity, counters.size() - begin);
    for (std::size_t lane = 0; lane < n; ++lane)
      for (std::size_t w = 0; w < 4; ++w) lanes.counter[w][lane] = counters[begin + lane][w];
    philox_blocks(key.seed, key.replication, lanes, n);
    for (std::size_t lane = 0; lane < n; ++lane) {
      const std::array<std::uint32_t, 4> block = {lanes.word[0][lane], lanes.word[1][lane],
                                                  lanes.word[2][lane], lanes.word[3][lane]};
      out[begin + lane] = Stream(key.seed, key.replication, counters[begin + lane], block).normal();
    }
  }
}

}  // namespace vcsim
