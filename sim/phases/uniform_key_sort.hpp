#pragma once
// Sorting the market's seekers by their random keys in linear time.
#include <cstdint>
#include <utility>
#include <vector>

namespace vcsim {

// Sorts pairs by their distinct keys, whose high 32 bits are uniform draws, into out:
// the keys' top bits spread them over about one bucket per pair, and the few pairs of a
// bucket are put in order by insertion. The order is std::sort's, in linear time.
inline void sort_by_uniform_key(const std::vector<std::pair<std::uint64_t, std::uint32_t>>& in,
                                std::vector<std::pair<std::uint64_t, std::uint32_t>>& out) {
  out.resize(in.size());
  int bits = 0;
  while (bits < 24 && (std::size_t{1} << bits) < in.size()) ++bits;
  const auto bucket = [bits](std::uint64_t key) {
    return bits == 0 ? std::size_t{0} : static_cast<std::size_t>(key >> (64 - bits));
  };
  thread_local std::vector<std::uint32_t> starts;
  starts.assign((std::size_t{1} << bits) + 1, 0);
  for (const auto& e : in) ++starts[bucket(e.first) + 1];
  for (std::size_t b = 1; b < starts.size(); ++b) starts[b] += starts[b - 1];
  for (const auto& e : in) out[starts[bucket(e.first)]++] = e;
  // starts[b] is now the end of bucket b; order each bucket's few pairs.
  std::size_t begin = 0;
  for (std::size_t b = 0; b + 1 < starts.size(); ++b) {
    const std::size_t end = starts[b];
    for (std::size_t i = begin + 1; i < end; ++i)
      for (std::size_t j = i; j > begin && out[j].first < out[j - 1].first; --j)
        std::swap(out[j], out[j - 1]);
    begin = end;
  }
}

}  // namespace vcsim
