#pragma once
// The Sobol low-discrepancy sequence in up to kMaxSobolDimensions dimensions, with the
// direction numbers of Joe and Kuo (2008, "new-joe-kuo-6.21201"), unscrambled, in Gray-code
// order: point i is the same as scipy.stats.qmc.Sobol(d, scramble=False).random(i + 1)[i].
#include <cstdint>
#include <vector>

namespace vcsim {

class SobolSequence {
 public:
  explicit SobolSequence(std::size_t dimensions);
  std::size_t dimensions() const { return directions_.size(); }
  // Point `index` (0 is the origin), each coordinate in [0, 1).
  std::vector<double> point(std::uint64_t index) const;

 private:
  static constexpr int kBits = 32;
  std::vector<std::vector<std::uint32_t>> directions_;  // [dimension][bit]
};

}  // namespace vcsim
