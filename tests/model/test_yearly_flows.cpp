#include <catch2/catch.hpp>

#include "model/yearly_flows.hpp"

using namespace vcsim;

TEST_CASE("funds: yearly LP flows are kept per fund and year, funds added at any time", "[funds]") {
  YearlyFlows flows;
  flows.add_fund(4);
  flows.at(0, 0) -= 10;
  flows.at(0, 3) += 25;
  flows.add_fund(4);  // a later vintage: its rows start at zero
  flows.at(1, 2) -= 5;
  flows.at(0, 2) += 1.5;
  flows.add_fund(4);

  CHECK(flows.of_fund(0) == std::vector<double>{-10, 0, 1.5, 25});
  CHECK(flows.of_fund(1) == std::vector<double>{0, 0, -5, 0});
  CHECK(flows.of_fund(2) == std::vector<double>{0, 0, 0, 0});
}

TEST_CASE("funds: yearly LP flows of many funds added over the years, as a run adds them",
          "[funds]") {
  // Funds added every year, each with flows in its vintage year and later ones, written
  // month by month as the fund phase writes them; checked against a full matrix.
  constexpr std::size_t kYears = 12, kFundsPerYear = 40;
  YearlyFlows flows;
  std::vector<std::vector<double>> expected;  // [fund][year]
  for (std::size_t year = 0; year < kYears; ++year) {
    for (std::size_t k = 0; k < kFundsPerYear; ++k) {
      flows.add_fund(kYears);
      expected.emplace_back(kYears, 0.0);
    }
    for (int month = 0; month < 12; ++month)
      for (std::size_t f = 0; f < expected.size(); ++f) {
        const double amount = static_cast<double>((f * 7 + year * 3 + month) % 11) - 5.0;
        flows.at(f, year) += amount;
        expected[f][year] += amount;
      }
  }
  for (std::size_t f = 0; f < expected.size(); ++f) REQUIRE(flows.of_fund(f) == expected[f]);
}
