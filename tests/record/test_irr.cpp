#include <catch2/catch.hpp>
#include <cmath>

#include "record/irr.hpp"

using namespace vcsim;

TEST_CASE("record: IRR of a simple investment", "[record]") {
  CHECK(net_irr({-100, 110}) == Approx(0.10).margin(1e-9));
  CHECK(net_irr({-100, 0, 121}) == Approx(0.10).margin(1e-9));
  CHECK(net_irr({-100, 50}) == Approx(-0.5).margin(1e-9));
}

TEST_CASE("record: IRR with late fees after the last distribution", "[record]") {
  // A fund that quadrupled its money but paid small fees after its last distribution:
  // the NPV is negative at both ends of the search range, yet the IRR exists.
  const std::vector<double> flows{-26.6, -1.2, -1.2, 133.95, -1.2, -0.1};
  const double r = net_irr(flows);
  REQUIRE(std::isfinite(r));
  double value = 0, discount = 1;
  for (double f : flows) {
    value += f / discount;
    discount *= 1 + r;
  }
  CHECK(value == Approx(0.0).margin(1e-6));
  CHECK(r > 0.5);
}

TEST_CASE("record: IRR of a total loss is -100% and of no investment is undefined", "[record]") {
  CHECK(net_irr({-50, -5, 0}) == -1.0);
  CHECK(std::isnan(net_irr({0, 0, 10})));
  CHECK(net_irr({-100, 100}) == 0.0);
}
