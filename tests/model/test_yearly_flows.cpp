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
