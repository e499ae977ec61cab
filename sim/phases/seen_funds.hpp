#pragma once
// A one-hash Bloom filter of fund slots: says for certain that a fund has not been seen,
// so that a seeker's candidate draws need scan the funds kept so far only when a draw
// may repeat one (MODEL.md 3.4: the first appearance of each fund is kept, and funds
// already holding the startup are dropped). With 15 draws and a few owners in 1024 bits,
// at most about 2 fresh draws in 100 have to be checked by the scan.
#include <array>
#include <cstdint>

namespace vcsim {

class SeenFunds {
 public:
  void clear() { bits_.fill(0); }

  void add(std::int32_t fund) {
    const std::uint32_t b = bit(fund);
    bits_[b / 64] |= std::uint64_t{1} << (b % 64);
  }

  // False only if the fund was never added since the last clear().
  bool may_contain(std::int32_t fund) const {
    const std::uint32_t b = bit(fund);
    return (bits_[b / 64] >> (b % 64) & 1) != 0;
  }

  static constexpr std::uint32_t kBitsLog2 = 10;
  static constexpr std::uint32_t kBits = 1u << kBitsLog2;

 private:
  // Fibonacci hashing: the top kBitsLog2 bits of the slot times 2^32 / phi, so that funds
  // raised together (neighbouring slots) fall on scattered bits.
  static std::uint32_t bit(std::int32_t fund) {
    return (static_cast<std::uint32_t>(fund) * 0x9E3779B1u) >> (32 - kBitsLog2);
  }

  std::array<std::uint64_t, kBits / 64> bits_{};
};

}  // namespace vcsim
