#include "rng/normal_quantile.hpp"

namespace vcsim {

// Compiled without contracting a * b + c into fused multiply-adds (CMakeLists.txt), so
// every clone and the scalar normal_of_word round alike.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void normals_of_words(const std::uint32_t* words, double* normals, std::size_t n) {
  using namespace normal_quantile_detail;
  for (std::size_t i = 0; i < n; ++i) normals[i] = central(probability_of_word(words[i]));
  // The tails hold 4.85 % of the words. Redoing a word or two beyond the cut on each
  // side costs nothing and gives the same value: there normal_quantile takes the
  // central formula too.
  constexpr auto kTailWord = static_cast<std::uint32_t>(kLowTail * 0x1p32) + 1;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t w = words[i];
    if (w <= kTailWord || ~w <= kTailWord) normals[i] = normal_of_word(w);
  }
}

}  // namespace vcsim
