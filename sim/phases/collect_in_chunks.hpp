#pragma once
// A scan of every startup slot in parallel whose findings must come out in slot order:
// chunks of the slots are scanned on TBB's threads, each into its own list, and the
// lists joined in chunk order, so the result is the same whatever the thread count.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace vcsim {

// Calls scan(begin, end, found) for consecutive chunks [begin, end) of [0, count), each
// `chunk` slots long, appending to its own `found`; returns every chunk's findings in
// chunk order.
template <typename T, typename Scan>
std::vector<T> collect_in_chunks(std::size_t count, std::size_t chunk, Scan&& scan) {
  std::vector<std::vector<T>> parts((count + chunk - 1) / chunk);
  tbb::parallel_for(std::size_t{0}, parts.size(), [&](std::size_t c) {
    scan(c * chunk, std::min(count, (c + 1) * chunk), parts[c]);
  });
  std::vector<T> joined;
  for (const std::vector<T>& part : parts) joined.insert(joined.end(), part.begin(), part.end());
  return joined;
}

}  // namespace vcsim
