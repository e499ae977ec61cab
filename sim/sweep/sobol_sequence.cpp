#include "sweep/sobol_sequence.hpp"

#include <stdexcept>
#include <string>

#include "sweep/sweep_spec.hpp"

namespace vcsim {
namespace {

// Joe and Kuo's primitive polynomial (degree s, coefficients a) and initial direction
// numbers m_1..m_s for dimensions 2 to 21; dimension 1 is the van der Corput sequence.
struct Primitive {
  int s;
  std::uint32_t a;
  std::uint32_t m[7];
};

constexpr Primitive kJoeKuo[] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
};
static_assert(std::size(kJoeKuo) + 1 == kMaxSobolDimensions);

// Bratley and Fox (1988): v_k = m_k 2^(32-k) for k <= s, then the recurrence of the
// primitive polynomial for the rest.
std::vector<std::uint32_t> directions(const Primitive& p, int bits) {
  std::vector<std::uint32_t> v(static_cast<std::size_t>(bits));
  for (int k = 0; k < bits; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    if (k < p.s) {
      v[uk] = p.m[k] << (bits - 1 - k);
      continue;
    }
    std::uint32_t x = v[uk - static_cast<std::size_t>(p.s)];
    x ^= x >> p.s;
    for (int j = 1; j < p.s; ++j)
      if ((p.a >> (p.s - 1 - j)) & 1u) x ^= v[uk - static_cast<std::size_t>(j)];
    v[uk] = x;
  }
  return v;
}

}  // namespace

SobolSequence::SobolSequence(std::size_t dimensions) {
  if (dimensions == 0 || dimensions > kMaxSobolDimensions)
    throw std::invalid_argument("Sobol sequence: " + std::to_string(dimensions) +
                                " dimensions; expected 1 to " +
                                std::to_string(kMaxSobolDimensions));
  std::vector<std::uint32_t> first(kBits);
  for (int k = 0; k < kBits; ++k) first[static_cast<std::size_t>(k)] = 1u << (kBits - 1 - k);
  directions_.push_back(first);
  for (std::size_t d = 1; d < dimensions; ++d)
    directions_.push_back(directions(kJoeKuo[d - 1], kBits));
}

std::vector<double> SobolSequence::point(std::uint64_t index) const {
  if (index >> kBits) throw std::invalid_argument("Sobol sequence: index beyond 2^32");
  // Gray-code order (Antonov and Saleev 1979), as scipy and most libraries generate.
  const std::uint64_t gray = index ^ (index >> 1);
  std::vector<double> x(directions_.size());
  for (std::size_t d = 0; d < directions_.size(); ++d) {
    std::uint32_t bits = 0;
    for (std::size_t k = 0; k < static_cast<std::size_t>(kBits); ++k)
      if ((gray >> k) & 1u) bits ^= directions_[d][k];
    x[d] = static_cast<double>(bits) / 4294967296.0;
  }
  return x;
}

}  // namespace vcsim
