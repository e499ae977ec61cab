#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "rng/normal_quantile.hpp"

using namespace vcsim;

namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("rng: the normal quantile inverts the distribution function", "[rng]") {
  // Acklam's approximation is good to a relative 1.15e-9 in x. In p that is an error of
  // about 1.15e-9 * |x| * phi(x), which in the tails, where phi(x) / p is about |x|, is
  // a relative error of about 1.15e-9 * x^2: 3e-8 at p = 1e-6, 5e-8 at p = 1e-9.
  for (const double p : {1e-9, 1e-6, 0.001, 0.02, 0.02425, 0.0243, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975,
                         0.97575, 0.999, 1 - 1e-6}) {
    const double x = normal_quantile(p);
    CHECK(normal_cdf(x) == Approx(p).epsilon(1e-7));
  }
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-8));
  CHECK(normal_quantile(0.001) == Approx(-3.090232306167813).epsilon(1e-8));
}

TEST_CASE("rng: normal draws from words are symmetric, monotone and bounded", "[rng]") {
  CHECK(normal_of_word(0) == -normal_of_word(0xFFFFFFFFu));
  CHECK(normal_of_word(0x7FFFFFFFu) == -normal_of_word(0x80000000u));
  CHECK(normal_of_word(0) < -6.0);
  CHECK(normal_of_word(0) > -6.5);
  // Monotone across the joins of the central and tail formulas.
  const auto join = static_cast<std::uint32_t>(0.02425 * 4294967296.0);
  for (std::uint32_t w = join - 2000; w < join + 2000; ++w)
    REQUIRE(normal_of_word(w) < normal_of_word(w + 1));
}

TEST_CASE("rng: normal draws from evenly spread words have the normal's moments", "[rng]") {
  // Words on an even grid of 2^20 cells stand for uniform words: the moments of the
  // transformed grid are the normal's to within the grid's resolution (the grid sits a
  // half word off symmetric, which moves the mean by about 1e-9).
  const int n = 1 << 20;
  double sum = 0, sum2 = 0, sum4 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = normal_of_word(static_cast<std::uint32_t>(i) << 12 | 0x800u);
    sum += z, sum2 += z * z, sum4 += z * z * z * z;
  }
  CHECK(sum / n == Approx(0.0).margin(1e-7));
  CHECK(sum2 / n == Approx(1.0).margin(1e-4));
  CHECK(sum4 / n == Approx(3.0).margin(2e-3));
}

TEST_CASE("rng: normals of a batch of words equal the normals of each word", "[rng]") {
  // Words at both tail cuts, the extremes, and a spread over the whole range.
  std::vector<std::uint32_t> words;
  const auto cut = static_cast<std::uint32_t>(0.02425 * 4294967296.0);
  for (std::uint32_t d = 0; d < 8; ++d) {
    words.push_back(cut - 4 + d);
    words.push_back(~(cut - 4 + d));
    words.push_back(d);
    words.push_back(~d);
  }
  for (std::uint32_t i = 0; i < 4000; ++i) words.push_back(i * 1073741u + 12345u);
  std::vector<double> batch(words.size());
  normals_of_words(words.data(), batch.data(), words.size());
  for (std::size_t i = 0; i < words.size(); ++i) REQUIRE(batch[i] == normal_of_word(words[i]));
}
