// Planning a sweep: the design over the base scenario, shards, the point limit, and the
// parameter check that runs before anything else.
#include <catch2/catch.hpp>

#include <fstream>

#include "../support/temp_dir.hpp"
#include "sweep/sweep_plan.hpp"

namespace vcsim {
namespace {

std::string write_scenario(const testing::TempDir& dir, const std::string& sweep) {
  const std::string path = dir.file("sweep.toml");
  std::ofstream(path)
      << "include = \"" VCSIM_SOURCE_DIR "/scenarios/small.toml\"\n"
      << "[run]\nend_year = 2001\nreport_years = [2001]\nreplications = 3\nseed = 5\n"
      << sweep;
  return path;
}

std::string error_of(const std::string& path, Shard shard = {}, bool allow_large = false) {
  try {
    check_parameters(plan_sweep(path, shard, allow_large));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a plan takes replications and seed from the sweep or the scenario", "[sweep]") {
  testing::TempDir dir;
  const auto path = write_scenario(dir,
                                   "[sweep]\n[sweep.parameters]\n\"market.max_dilution\" "
                                   "= [0.2, 0.3]\n\"regions.US.births\" = [100, 200, 300]\n");
  const SweepPlan plan = plan_sweep(path, {}, false);
  CHECK(plan.replications == 3);
  CHECK(plan.base.replications == 3);
  CHECK(plan.design_seed == 5u);
  CHECK(plan.design.points == 6);
  CHECK(plan.points == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  const Scenario point = point_scenario(plan, 5);
  CHECK(point.market.max_dilution == 0.3);
  CHECK(point.replications == 3);
  CHECK_NOTHROW(check_parameters(plan));
  // Shards interleave the points and together hold each once.
  CHECK(plan_sweep(path, {1, 4}, false).points == std::vector<std::size_t>{0, 4});
  CHECK(plan_sweep(path, {4, 4}, false).points == std::vector<std::size_t>{3});
  // The fingerprint follows what decides the results.
  CHECK(sweep_fingerprint(plan) == sweep_fingerprint(plan_sweep(path, {}, false)));
  CHECK(sweep_fingerprint(plan) != sweep_fingerprint(plan_sweep(path, {1, 2}, false)));
}

TEST_CASE("an unknown path or a refused value stops the plan, naming the line", "[sweep]") {
  testing::TempDir dir;
  auto path = write_scenario(dir, "[sweep]\n[sweep.parameters]\n\"market.nope\" = [1.0, 2.0]\n");
  CHECK(error_of(path) == path + ":9:1: market.nope: unknown key");
  path = write_scenario(dir, "[sweep]\n[sweep.parameters]\n\"market.max_dilution\" = [0.2, 7.0]\n");
  CHECK(error_of(path).starts_with(path + ":9:1: market.max_dilution: expected"));
  path = write_scenario(dir,
                        "[sweep]\ndesign = \"sobol\"\npoints = 10001\n[sweep.parameters]\n"
                        "\"market.max_dilution\" = { min = 0.1, max = 0.3 }\n");
  CHECK(error_of(path) == path +
                              ": sweep: the design has 10001 points, more than the limit of "
                              "10000; pass --yes to run it anyway");
  CHECK(plan_sweep(path, {}, true).design.points == 10001);
}

TEST_CASE("shards are K/N with K from 1 to N", "[sweep]") {
  CHECK(parse_shard("3/8", "--shard").index == 3);
  CHECK(parse_shard("3/8", "--shard").count == 8);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/2x", ""})
    CHECK_THROWS_WITH(parse_shard(bad, "--shard"),
                      Catch::StartsWith("--shard: expected K/N with 1 <= K <= N"));
}

}  // namespace vcsim
