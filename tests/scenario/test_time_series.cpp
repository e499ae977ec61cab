#include <catch2/catch.hpp>

#include "scenario/time_series.hpp"

using vcsim::TimeSeries;

TEST_CASE("scenario: a constant series reads the same every month", "[scenario]") {
  const TimeSeries s(0.25);
  CHECK(s.is_constant());
  CHECK(s.at_month(0, 2000) == 0.25);
  CHECK(s.at_month(545, 2000) == 0.25);
  CHECK(s.min_value() == 0.25);
  CHECK(s.max_value() == 0.25);
}

TEST_CASE("scenario: a year table is linear between years at month resolution", "[scenario]") {
  const TimeSeries s({{2000, 9000}, {2002, 5000}, {2015, 11000}});
  CHECK_FALSE(s.is_constant());
  // A year's value holds at its January.
  CHECK(s.at_month(0, 2000) == 9000);
  CHECK(s.at_month(24, 2000) == 5000);
  // July 2000 is a quarter of the way from 2000 to 2002.
  CHECK(s.at_month(6, 2000) == Approx(8000));
  // Each month moves by a twelfth of the year's step.
  CHECK(s.at_month(25, 2000) - s.at_month(24, 2000) == Approx(6000.0 / 13 / 12));
  CHECK(s.at_month(24 + 13 * 6, 2000) == Approx(8000));
  CHECK(s.min_value() == 5000);
  CHECK(s.max_value() == 11000);
}

TEST_CASE("scenario: a year table is flat outside its years", "[scenario]") {
  const TimeSeries s({{2010, 1.0}, {2020, 2.0}});
  CHECK(s.at_month(0, 2000) == 1.0);    // 2000, before the first year
  CHECK(s.at_month(119, 2000) == 1.0);  // December 2009
  CHECK(s.at_month(240, 2000) == 2.0);  // 2020
  CHECK(s.at_month(539, 2000) == 2.0);  // December 2044
  // The start year shifts the reading: month 0 of a run from 2015 is mid-table.
  CHECK(s.at_month(0, 2015) == Approx(1.5));
}

TEST_CASE("scenario: a one-year table is a constant", "[scenario]") {
  const TimeSeries s({{2015, 3.0}});
  CHECK(s.is_constant());
  CHECK(s.at_month(0, 2000) == 3.0);
  CHECK(s.at_month(400, 2000) == 3.0);
}
