#pragma once
// Standard normal draws from one 32-bit word by the inverse of the normal distribution
// function (Acklam's rational approximation, relative error below 1.2e-9), for phases
// that draw a whole block of words at once (rng/philox_batch.hpp). Unlike a ziggurat or
// rejection method it takes a fixed number of words, so a block's other words stay
// free for other draws, and it takes the same path for most words, so it runs fast in
// a loop over agents. A 32-bit word reaches about 6.2 standard deviations.
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace vcsim {

namespace normal_quantile_detail {

inline constexpr double kLowTail = 0.02425;  // below it (and above 1 - it), the tail formula

// x for p in the central region: a ratio of polynomials in (p - 1/2)^2.
inline double central(double p) {
  const double q = p - 0.5, r = q * q;
  const double numerator =
      (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r +
         1.383577518672690e+02) *
            r -
        3.066479806614716e+01) *
           r +
       2.506628277459239e+00) *
      q;
  const double denominator =
      ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r +
        6.680131188771972e+01) *
           r -
       1.328068155288572e+01) *
          r +
      1.0;
  return numerator / denominator;
}

// x for the lower tail, given the tail probability p < kLowTail.
inline double lower_tail(double p) {
  const double q = std::sqrt(-2.0 * std::log(p));
  const double numerator =
      ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q -
        2.549732539343734e+00) *
           q +
       4.374664141464968e+00) *
          q +
      2.938163982698783e+00;
  const double denominator =
      (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q +
       3.754408661907416e+00) *
          q +
      1.0;
  return numerator / denominator;
}

}  // namespace normal_quantile_detail

// The standard normal quantile of p in (0, 1).
inline double normal_quantile(double p) {
  using namespace normal_quantile_detail;
  if (p < kLowTail) return lower_tail(p);
  if (p > 1.0 - kLowTail) return -lower_tail(1.0 - p);
  return central(p);
}

// The probability of a 32-bit word's cell midpoint, (word + 1/2) / 2^32, computed from
// the word as a signed integer, which SIMD units convert (the value is exact either way).
inline double probability_of_word(std::uint32_t word) {
  const auto centred = static_cast<std::int32_t>(word ^ 0x80000000u);
  return (static_cast<double>(centred) + 2147483648.5) * 0x1p-32;
}

// A standard normal draw from one 32-bit word: the quantile of the word's cell midpoint,
// so the draws are symmetric about zero and never infinite.
inline double normal_of_word(std::uint32_t word) {
  return normal_quantile(probability_of_word(word));
}

// normal_of_word for n words at once, bit-identical to it: the central formula runs for
// every word across SIMD lanes, then the few words in the tails are redone one by one.
void normals_of_words(const std::uint32_t* words, double* normals, std::size_t n);

}  // namespace vcsim
