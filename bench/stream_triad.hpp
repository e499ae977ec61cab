#pragma once
// The machine's sustainable memory bandwidth, measured like STREAM's triad
// (a[i] = b[i] + s * c[i]) on arrays far larger than the caches, with the same TBB
// thread count as the kernel it is compared with. Bytes counted as STREAM does: three
// arrays of doubles per pass (reads of b and c, the write of a).
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace vcsim::bench {

// Bytes per second, the best of `repeat` passes.
inline double stream_triad_bandwidth(int threads, std::size_t elements = std::size_t{1} << 24,
                                     int repeat = 7) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  std::vector<double> a(elements, 0.0), b(elements, 1.0), c(elements, 2.0);
  const double scalar = 3.0;
  double best = 1e300;
  for (int k = 0; k < repeat; ++k) {
    const auto start = std::chrono::steady_clock::now();
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, elements, 1 << 16),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end(); ++i)
                          a[i] = b[i] + scalar * c[i];
                      });
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  // Keeps the stores observable so the compiler cannot drop the passes.
  volatile double sink = a[elements / 2];
  (void)sink;
  return 3.0 * sizeof(double) * static_cast<double>(elements) / best;
}

}  // namespace vcsim::bench
