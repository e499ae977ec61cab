// The memory estimate grows as the run does (replications, threads, births, micro
// data), reads sizes as people write them, and the machine's available memory is read.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "../support/fixture_scenario.hpp"
#include "run/memory_estimate.hpp"

using namespace vcsim;

TEST_CASE("memory estimate: sizes are read in binary units", "[memory]") {
  CHECK(parse_memory_size("100") == 100);
  CHECK(parse_memory_size("512M") == 512ull << 20);
  CHECK(parse_memory_size("8G") == 8ull << 30);
  CHECK(parse_memory_size("8g") == 8ull << 30);
  CHECK(parse_memory_size("1.5GiB") == 3ull << 29);
  CHECK(parse_memory_size("2TB") == 2ull << 40);
  CHECK(parse_memory_size("64k") == 64ull << 10);
  for (const char* bad : {"", "G", "-1G", "0", "8X", "8GG", "nan", "inf", "1e30"})
    CHECK_THROWS_AS(parse_memory_size(bad), std::invalid_argument);
  CHECK_THROWS_WITH(parse_memory_size("lots"), Catch::Contains("memory size 'lots'"));
  CHECK(format_bytes(100) == "100 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(300ull << 20) == "300 MiB");
  CHECK(format_bytes(5ull << 30) == "5.0 GiB");
}

TEST_CASE("memory estimate: grows with replications, threads, births and micro data", "[memory]") {
  const Scenario sc = testing::fixture_scenario(12, 600);
  const auto base = estimate_memory(sc, 4, 2, MicroData::none);
  CHECK(base.concurrent == 2);
  CHECK(base.micro_data == 0);
  CHECK(base.total() == base.program + base.worlds + base.results);

  const auto more_reps = estimate_memory(sc, 8, 2, MicroData::none);
  CHECK(more_reps.results == Approx(2 * base.results).epsilon(1e-6));
  CHECK(more_reps.worlds == base.worlds);

  const auto more_threads = estimate_memory(sc, 4, 4, MicroData::none);
  CHECK(more_threads.concurrent == 4);
  CHECK(more_threads.worlds == Approx(2 * base.worlds).epsilon(1e-6));
  // Threads beyond the replications simulate nothing.
  CHECK(estimate_memory(sc, 1, 8, MicroData::none).concurrent == 1);

  const Scenario busy = testing::fixture_scenario(12, 6000);
  const auto busier = estimate_memory(busy, 4, 2, MicroData::none);
  CHECK(busier.peak_startups == Approx(10 * base.peak_startups).epsilon(0.01));
  CHECK(busier.worlds > 9 * base.worlds);

  const auto first = estimate_memory(sc, 4, 2, MicroData::first);
  const auto all = estimate_memory(sc, 4, 2, MicroData::all);
  CHECK(first.micro_data > 0);
  // Micro rows go to disk as replications finish: only the two in flight hold theirs.
  CHECK(all.micro_data == Approx(2 * first.micro_data).epsilon(1e-6));
  CHECK(estimate_memory(sc, 40, 2, MicroData::all).micro_data == all.micro_data);

  // Funds: the run's LP money (600 x 8 a year per region, 12 years, plus one initial
  // year) over the mean first-fund size, times 0.9.
  const double lp_money = 2 * 600 * 8 * 13.0;
  const double entry = 0.65 * 60 + 0.27 * 200 + 0.08 * 600;
  CHECK(base.funds == Approx(0.9 * lp_money / entry).epsilon(0.01));
  CHECK_THAT(all.describe(), Catch::StartsWith("about ") && Catch::Contains("micro data"));
}

TEST_CASE("memory estimate: the stock of startups follows births and their mean life", "[memory]") {
  // 600 a year in each of two regions: 100 a month. A steady stock of births a month
  // times the mean life (22 months) is reached well within 12 years.
  const Scenario sc = testing::fixture_scenario(12, 600);
  const auto e = estimate_memory(sc, 1, 1, MicroData::none);
  CHECK(e.peak_startups == Approx(100.0 / (1 - std::exp(-1.0 / 22))).epsilon(0.02));
}

TEST_CASE("memory estimate: the machine's available memory is read", "[memory]") {
  const auto available = available_memory();
  REQUIRE(available.has_value());
  CHECK(*available > (16ull << 20));
}
