// Designs: the grid's combinations, the Latin hypercube's strata, the Sobol sequence's
// stratification and the Saltelli matrices' structure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "sweep/design.hpp"
#include "sweep/sobol_sequence.hpp"

namespace vcsim {
namespace {

SweepParameter range(std::string path, double lo, double hi, int steps = 0) {
  SweepParameter p;
  p.path = std::move(path);
  p.min = lo;
  p.max = hi;
  p.steps = steps;
  return p;
}

SweepParameter list(std::string path, std::vector<double> values) {
  SweepParameter p;
  p.path = std::move(path);
  p.values = std::move(values);
  return p;
}

}  // namespace

TEST_CASE("a grid holds every combination, the first parameter slowest", "[sweep]") {
  SweepSpec spec;
  spec.parameters = {list("a", {1, 2}), range("b", 0.0, 1.0, 3)};
  REQUIRE(design_size(spec) == 6);
  const Design d = make_design(spec, 0);
  REQUIRE(d.points == 6);
  const std::vector<double> expected{1, 0, 1, 0.5, 1, 1, 2, 0, 2, 0.5, 2, 1};
  CHECK(d.values == expected);
}

TEST_CASE("design sizes saturate rather than overflow", "[sweep]") {
  SweepSpec spec;
  for (int i = 0; i < 8; ++i) spec.parameters.push_back(range("p", 0, 1, 100000));
  CHECK(design_size(spec) == std::numeric_limits<std::uint64_t>::max());
  spec.design = DesignKind::saltelli;
  spec.points = 100;
  spec.parameters.resize(3);
  CHECK(design_size(spec) == 500);
}

TEST_CASE("a Latin hypercube puts one sample in each stratum of each parameter", "[sweep]") {
  SweepSpec spec;
  spec.design = DesignKind::lhs;
  spec.points = 50;
  spec.parameters = {range("a", 0, 10), range("b", -1, 1)};
  const Design d = make_design(spec, 7);
  for (std::size_t j = 0; j < 2; ++j) {
    const double lo = j == 0 ? 0 : -1, width = j == 0 ? 10 : 2;
    std::set<int> strata;
    for (std::size_t p = 0; p < d.points; ++p) {
      const double u = (d.value(p, j) - lo) / width;
      REQUIRE(u >= 0);
      REQUIRE(u < 1);
      strata.insert(static_cast<int>(u * 50));
    }
    CHECK(strata.size() == 50);
  }
  // The seed decides the pairing; the same seed gives the same design.
  CHECK(make_design(spec, 7).values == d.values);
  CHECK(make_design(spec, 8).values != d.values);
}

TEST_CASE("integer ranges sample every integer of the range", "[sweep]") {
  SweepSpec spec;
  spec.design = DesignKind::sobol;
  spec.points = 64;
  SweepParameter p = range("n", 1, 4);
  p.integer = true;
  spec.parameters = {p};
  const Design d = make_design(spec, 0);
  std::vector<int> count(5, 0);
  for (double v : d.values) {
    REQUIRE(v == std::floor(v));
    ++count.at(static_cast<std::size_t>(v));
  }
  CHECK(count == std::vector<int>{0, 16, 16, 16, 16});
}

TEST_CASE("each Sobol coordinate of the first 2^m points hits every 2^-m interval once",
          "[sweep]") {
  const SobolSequence sobol(kMaxSobolDimensions);
  constexpr std::size_t n = 1024;
  std::vector<std::set<std::uint64_t>> cells(kMaxSobolDimensions);
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto x = sobol.point(i);
    for (std::size_t d = 0; d < x.size(); ++d)
      cells[d].insert(static_cast<std::uint64_t>(x[d] * n));
  }
  for (std::size_t d = 0; d < kMaxSobolDimensions; ++d) CHECK(cells[d].size() == n);
  // And in two dimensions: the first 16 points of dimensions 1 and 2 fill a 4 x 4 grid.
  std::set<std::pair<int, int>> squares;
  for (std::uint64_t i = 0; i < 16; ++i) {
    const auto x = sobol.point(i);
    squares.insert({static_cast<int>(x[0] * 4), static_cast<int>(x[1] * 4)});
  }
  CHECK(squares.size() == 16);
  CHECK(sobol.point(0) == std::vector<double>(kMaxSobolDimensions, 0.0));
  CHECK(sobol.point(1) == std::vector<double>(kMaxSobolDimensions, 0.5));
}

TEST_CASE("Saltelli points are A, each AB_i and B for every base sample", "[sweep]") {
  SweepSpec spec;
  spec.design = DesignKind::saltelli;
  spec.points = 16;
  spec.parameters = {range("a", 0, 1), range("b", 0, 1), range("c", 0, 1)};
  const Design d = make_design(spec, 0);
  const std::size_t k = 3;
  REQUIRE(d.points == 16 * (k + 2));
  for (std::size_t j = 0; j < 16; ++j) {
    const std::size_t a = j * (k + 2), b = a + k + 1;
    CHECK(d.role[a] == 0);
    CHECK(d.role[b] == static_cast<std::int32_t>(k + 1));
    for (std::size_t i = 1; i <= k; ++i) {
      CHECK(d.sample[a + i] == static_cast<std::int32_t>(j));
      CHECK(d.role[a + i] == static_cast<std::int32_t>(i));
      for (std::size_t c = 0; c < k; ++c)
        CHECK(d.value(a + i, c) == (c + 1 == i ? d.value(b, c) : d.value(a, c)));
    }
  }
  // A and B are different columns of one Sobol sequence: they differ at most samples (all
  // coordinates of samples 0 and 1 are 0 and 1/2 in every dimension).
  int differ = 0;
  for (std::size_t j = 0; j < 16; ++j)
    differ += d.value(j * (k + 2), 0) != d.value(j * (k + 2) + k + 1, 0);
  CHECK(differ >= 12);
}

TEST_CASE("values print as TOML that reads back as the same number", "[sweep]") {
  for (double v : {0.1, 1.0 / 3.0, 2.0, -3.141592653589793, 1e-300, 6.02e23}) {
    const std::string text = value_text(v, false);
    CHECK(std::stod(text) == v);
    CHECK(text.find_first_of(".e") != std::string::npos);
  }
  CHECK(value_text(250, true) == "250");
}

}  // namespace vcsim
