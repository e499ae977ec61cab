#include <catch2/catch.hpp>
#include <cmath>

#include "rng/streams.hpp"

using namespace vcsim;

TEST_CASE("rng: a stream is a pure function of its key and counter", "[rng]") {
  StreamKey key{42, 3};
  Stream a = key(Purpose::startup_month, 1, 1000, 0, 17);
  Stream b = key(Purpose::startup_month, 1, 1000, 0, 17);
  for (int i = 0; i < 50; ++i) REQUIRE(a() == b());
}

TEST_CASE("rng: streams differing in any key part differ", "[rng]") {
  const StreamKey key{42, 3};
  const std::uint32_t reference = key(Purpose::startup_month, 1, 1000, 0, 17)();
  CHECK(key(Purpose::milestone, 1, 1000, 0, 17)() != reference);
  CHECK(key(Purpose::startup_month, 2, 1000, 0, 17)() != reference);
  CHECK(key(Purpose::startup_month, 1, 1001, 0, 17)() != reference);
  CHECK(key(Purpose::startup_month, 1, 1000, 1, 17)() != reference);
  CHECK(key(Purpose::startup_month, 1, 1000, 0, 18)() != reference);
  CHECK(StreamKey{43, 3}(Purpose::startup_month, 1, 1000, 0, 17)() != reference);
  CHECK(StreamKey{42, 4}(Purpose::startup_month, 1, 1000, 0, 17)() != reference);
}

TEST_CASE("rng: consecutive blocks of one stream do not repeat", "[rng]") {
  Stream s = StreamKey{1, 0}(Purpose::births, 0, 5, 0, 0);
  std::vector<std::uint32_t> words;
  for (int i = 0; i < 64; ++i) words.push_back(s());
  std::sort(words.begin(), words.end());
  CHECK(std::adjacent_find(words.begin(), words.end()) == words.end());
}

TEST_CASE("rng: uniform and normal draws have the right moments", "[rng]") {
  // 200k draws: the standard error of the mean is 0.00065 (uniform) and 0.0022
  // (normal); tolerances are about 5 standard errors.
  const int n = 200000;
  double su = 0, su2 = 0, sn = 0, sn2 = 0;
  const StreamKey key{2026, 0};
  for (int i = 0; i < n; ++i) {
    Stream s = key(Purpose::startup_month, 0, static_cast<std::uint32_t>(i), 0, 0);
    const double u = s.uniform(), z = s.normal();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    su += u, su2 += u * u, sn += z, sn2 += z * z;
  }
  CHECK(su / n == Approx(0.5).margin(0.0035));
  CHECK(su2 / n - (su / n) * (su / n) == Approx(1.0 / 12).margin(0.002));
  CHECK(sn / n == Approx(0.0).margin(0.012));
  CHECK(sn2 / n == Approx(1.0).margin(0.02));
}

TEST_CASE("rng: identities pack month and index without collisions", "[rng]") {
  CHECK(pack_identity(0, 0) != pack_identity(-1, 0));
  CHECK(pack_identity(5, 1) != pack_identity(6, 1));
  CHECK(pack_identity(5, 1) != pack_identity(5, 2));
  CHECK(pack_identity(2399, 1048575) == ((2400u << 20) | 1048575u));
}

// The market orders needers by their stream's first word instead of its uniform
// (phases/market.cpp); that is the same order only while uniform() is word x 2^-32.
TEST_CASE("rng: a uniform is the stream's next word times 2^-32", "[rng]") {
  const StreamKey key{42, 3};
  for (std::uint32_t id = 0; id < 1000; ++id) {
    Stream words = key(Purpose::market_order, 1, id, 0, 17);
    Stream uniforms = key(Purpose::market_order, 1, id, 0, 17);
    for (int draw = 0; draw < 5; ++draw)
      REQUIRE(uniforms.uniform() == std::ldexp(static_cast<double>(words()), -32));
  }
}
