#pragma once
// The first Philox blocks of many streams at once, and the first normal draw of each.
//
// A phase that starts many streams (the market: one per seeker for its order key and
// its candidates, one per firm, startup and stage for screening) gives their counters
// here. Their first blocks are computed across SIMD lanes (rng/philox_batch.hpp); a
// Stream given its first block computes any later block itself (the ziggurat's rare
// rejections and tail need more than one block's words), so every draw equals the
// stream's own, bit for bit.
#include <array>
#include <cstdint>
#include <span>

#include "rng/streams.hpp"

namespace vcsim {

using StreamBlock = std::array<std::uint32_t, 4>;

// out[k] = the first block of the stream with counters[k] under key; the spans have the
// same length.
void first_blocks(const StreamKey& key, std::span<const StreamCounter> counters,
                  std::span<StreamBlock> out);

// out[k] = the first normal() of the stream with counters[k] under key.
void first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                   std::span<double> out);

}  // namespace vcsim
