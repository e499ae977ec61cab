#pragma once
// The first normal draw of many streams at once.
//
// A phase that draws one normal from each of many streams (the market's screening: one
// stream per firm, startup and stage) gives their counters here. Their first Philox
// blocks are computed across SIMD lanes (rng/philox_batch.hpp) and handed to the
// streams, which compute any later block themselves (the ziggurat's rare rejections and
// tail need more than one block's words): every value equals Stream::normal() bit for
// bit.
#include <array>
#include <cstdint>
#include <span>

#include "rng/streams.hpp"

namespace vcsim {

using StreamCounter = std::array<std::uint32_t, 4>;

// The counter of a stream's first block: what Stream(key, purpose, region, a, b, m)
// starts from.
inline StreamCounter stream_counter(Purpose purpose, std::uint32_t region, std::uint32_t id_a,
                                    std::uint32_t id_b, std::uint32_t month_or_stage) {
  return {counter_head(purpose, region), id_a, id_b, month_or_stage};
}

// out[k] = the first normal() of the stream with counters[k] under key; the spans have
// the same length.
void first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                   std::span<double> out);

}  // namespace vcsim
