#include <catch2/catch.hpp>

#include "model/cap_table.hpp"

using namespace vcsim;

namespace {
// Seed: 2 for 20 %; A: 10 for 25 % (seed diluted to 15 %); founders keep 60 %.
CapTable two_rounds() {
  return {{0, HolderKind::fund, 1, 0, 0.15, 2.0}, {1, HolderKind::fund, 2, 0, 0.25, 10.0}};
}
}  // namespace

TEST_CASE("model: an IPO pays every holder its shares of the price", "[model]") {
  const auto pay = exit_payouts(two_rounds(), 100.0, false);
  CHECK(pay[0] == Approx(15.0));
  CHECK(pay[1] == Approx(25.0));
}

TEST_CASE("model: an acquisition above invested capital pays pro rata", "[model]") {
  const auto pay = exit_payouts(two_rounds(), 40.0, true);
  CHECK(pay[0] == Approx(6.0));
  CHECK(pay[1] == Approx(10.0));
}

TEST_CASE("model: a cheap acquisition repays the last round first", "[model]") {
  auto pay = exit_payouts(two_rounds(), 11.0, true);
  CHECK(pay[1] == Approx(10.0));
  CHECK(pay[0] == Approx(1.0));
  pay = exit_payouts(two_rounds(), 6.0, true);
  CHECK(pay[1] == Approx(6.0));
  CHECK(pay[0] == 0.0);
}

TEST_CASE("model: holders of one round share its preference pro rata", "[model]") {
  const CapTable table{{0, HolderKind::fund, 2, 0, 0.2, 6.0},
                       {1, HolderKind::coinvestor, 2, 0, 0.1, 3.0},
                       {2, HolderKind::fund, 1, 0, 0.1, 1.0}};
  const auto pay = exit_payouts(table, 4.5, true);
  CHECK(pay[0] == Approx(3.0));
  CHECK(pay[1] == Approx(1.5));
  CHECK(pay[2] == 0.0);
}
