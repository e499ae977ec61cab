#include "rng/philox_batch.hpp"

namespace vcsim {

namespace {

// Random123's Philox4x32 constants: the round multipliers and the key's Weyl increments.
constexpr std::uint32_t kMultiplier0 = 0xD2511F53u, kMultiplier1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
constexpr int kRounds = 10;

}  // namespace

// Each round runs over every lane before the next: the loop over lanes has no dependence
// between lanes, and the compiler turns it into SIMD code with many multiplies in
// flight. (All ten rounds of a few lanes at a time in registers wait on each round's
// multiply instead: 13 % slower in the kernel benchmark.) The
// AVX-512 and AVX2 clones widen the lanes on machines that have them, and the default
// clone keeps the program running on any x86-64.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void philox_blocks(std::uint32_t seed, std::uint32_t replication, PhiloxLanes& lanes,
                   std::size_t n) {
  std::uint32_t* __restrict x0 = lanes.word[0];
  std::uint32_t* __restrict x1 = lanes.word[1];
  std::uint32_t* __restrict x2 = lanes.word[2];
  std::uint32_t* __restrict x3 = lanes.word[3];
  for (std::size_t i = 0; i < n; ++i) {
    x0[i] = lanes.counter[0][i], x1[i] = lanes.counter[1][i];
    x2[i] = lanes.counter[2][i], x3[i] = lanes.counter[3][i];
  }
  std::uint32_t k0 = seed, k1 = replication;
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(kMultiplier0) * x0[i];
      const std::uint64_t p1 = static_cast<std::uint64_t>(kMultiplier1) * x2[i];
      const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
      const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
      x0[i] = hi1 ^ x1[i] ^ k0;
      x1[i] = lo1;
      x2[i] = hi0 ^ x3[i] ^ k1;
      x3[i] = lo0;
    }
    k0 += kWeyl0, k1 += kWeyl1;
  }
}

}  // namespace vcsim
