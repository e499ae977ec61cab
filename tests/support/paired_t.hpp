#pragma once
// Paired comparisons of a lever on and off with the same seeds (common random numbers):
// the mean of the differences and its t statistic.
#include <cmath>
#include <numeric>
#include <vector>

namespace vcsim::testing {

struct Paired {
  double mean = 0;
  double t = 0;
};

inline Paired paired_difference(const std::vector<double>& with,
                                const std::vector<double>& without) {
  std::vector<double> d(with.size());
  for (std::size_t k = 0; k < d.size(); ++k) d[k] = with[k] - without[k];
  const double n = static_cast<double>(d.size());
  const double mean = std::accumulate(d.begin(), d.end(), 0.0) / n;
  double ss = 0;
  for (double x : d) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (n - 1));
  return {mean, sd > 0 ? mean / (sd / std::sqrt(n)) : (mean > 0 ? 1e9 : -1e9)};
}

}  // namespace vcsim::testing
