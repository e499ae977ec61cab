#include "rng/first_blocks.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>

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

// Stream::normal() from the stream's first block when the ziggurat's first try is
// accepted (about 99 % of draws), false otherwise. The arithmetic is Boost's own
// (boost::random::normal_distribution on 32-bit words, Boost 1.74): the first word gives
// the layer and sign in its low 8 bits and the top 24 bits of the uniform, the second
// word's low 29 bits the rest, and the result is scaled by sigma 1 and shifted by mean 0
// as the distribution does, so the double is the same bit for bit
// (tests/rng/test_first_blocks.cpp compares every draw with the stream's).
bool ziggurat_first_try(const StreamBlock& block, double& out) {
  const double* const x = boost::random::detail::normal_table<double>::table_x;
  const int layer_and_sign = static_cast<int>(block[0] & 0xFFu);
  double u = static_cast<double>(block[0] >> 8) * 0x1p-24;
  u += static_cast<double>(block[1] & 0x1FFFFFFFu);
  u *= 0x1p-29;
  const int sign = (layer_and_sign & 1) * 2 - 1;
  const int layer = layer_and_sign >> 1;
  const double value = u * x[layer];
  if (!(value < x[layer + 1])) return false;
  out = value * sign * 1.0 + 0.0;
  return true;
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
    if (!ziggurat_first_try(block, out[k]))
      out[k] = Stream(key.seed, key.replication, counters[k], block).normal();
  });
}

}  // namespace vcsim
