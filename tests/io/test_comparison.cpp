#include "io/comparison.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "../support/fixture_scenario.hpp"
#include "../support/temp_dir.hpp"
#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

// A short fixture run with `replications` replications and `seed`, written to `path`.
void write_fixture_run(const std::string& path, std::uint32_t seed, int replications) {
  Scenario s = testing::fixture_scenario(4, 300);
  s.seed = seed;
  s.replications = replications;
  write_run_output(path, s, run_labels(s), run_replications(s, replications));
}

const ComparisonRow& row(const std::vector<ComparisonRow>& rows, const std::string& figure) {
  for (const auto& r : rows)
    if (r.figure == figure) return r;
  FAIL("no row " << figure);
  return rows.front();
}

}  // namespace

TEST_CASE("comparison: paired interval is the t interval of the differences", "[io][compare]") {
  // d = 1, 2, 3, 4: mean 2.5, sd 1.2910; t(0.95, 3) = 2.353363 from the printed tables.
  const PairedInterval p = paired_interval({10, 10, 10, 10}, {11, 12, 13, 14});
  const double half = 2.353363 * std::sqrt(5.0 / 3.0) / 2.0;
  CHECK(p.n == 4);
  CHECK(p.mean == Approx(2.5));
  CHECK(p.low == Approx(2.5 - half).margin(1e-5));
  CHECK(p.high == Approx(2.5 + half).margin(1e-5));

  const PairedInterval one = paired_interval({1, NAN, 3}, {2, 5, NAN});  // one whole pair
  CHECK(one.n == 1);
  CHECK(one.mean == 1.0);
  CHECK(std::isnan(one.low));
  CHECK(paired_interval({NAN}, {NAN}).n == 0);
}

TEST_CASE("comparison: a run against itself differs by exactly zero", "[io][compare]") {
  testing::TempDir dir;
  const std::string path = dir.file("run.h5");
  write_fixture_run(path, 11, 3);
  const auto rows = compare_runs(path, path, {2002, 2003});
  REQUIRE(rows.size() > 20);
  std::size_t compared = 0;
  for (const auto& r : rows) {
    INFO(r.figure);
    if (!r.note.empty() || r.difference.n == 0) continue;
    ++compared;
    CHECK(r.difference.mean == 0.0);
    if (r.difference.n > 1) CHECK(r.difference.low == 0.0);  // one pair: no interval
    CHECK(r.base == r.policy);
  }
  CHECK(compared > 20);
  CHECK(row(rows, "unicorns 2002 CN").difference.n == 3);
  // Runs of format 1.3 carry the startup classes: the pure-private rates are compared.
  CHECK(row(rows, "failure rate pure_private").note.empty());
  CHECK(row(rows, "failure rate pure_private").difference.n == 3);

  // The capital row equals the file's yearly capital summed by hand.
  File file = File::open_read(path);
  auto invested =
      read_dataset<double>(file.root().open_group("summary"), "capital_invested_yearly");
  double sum = 0;
  for (double v : invested.data()) sum += v;
  CHECK(row(rows, "capital invested total").base == Approx(sum / 3 / 1000.0));

  const std::string table = comparison_table(rows);
  CHECK_THAT(table, Catch::Contains("unicorns 2003 world") && Catch::Contains("90% interval") &&
                        Catch::Contains("failure rate pure_private"));
  CHECK_THAT(comparison_csv(rows), Catch::StartsWith("figure,units,base,policy,difference"));
  CHECK_THROWS_AS(compare_runs(path, path, {1990}), std::invalid_argument);
}

TEST_CASE("comparison: runs that cannot be paired are refused", "[io][compare]") {
  testing::TempDir dir;
  write_fixture_run(dir.file("base.h5"), 11, 2);
  write_fixture_run(dir.file("seed.h5"), 12, 2);
  write_fixture_run(dir.file("reps.h5"), 11, 3);
  CHECK_THROWS_WITH(compare_runs(dir.file("base.h5"), dir.file("seed.h5"), {}),
                    Catch::Contains("cannot be paired: seed differs (11 vs 12)"));
  CHECK_THROWS_AS(compare_runs(dir.file("base.h5"), dir.file("reps.h5"), {}), ComparisonError);
  CHECK_THROWS_WITH(compare_runs(dir.file("base.h5"), dir.file("absent.h5"), {}),
                    Catch::Contains("no such file"));
  {
    File file = File::create(dir.file("future.h5"));
    write_attribute(file.root(), "file_kind", kRunFileKind);
    write_attribute(file.root(), "format_version", std::vector<int>{kFormatMajor + 1, 0});
    file.close();
  }
  CHECK_THROWS_WITH(compare_runs(dir.file("base.h5"), dir.file("future.h5"), {}),
                    Catch::Contains("is not supported"));
}
