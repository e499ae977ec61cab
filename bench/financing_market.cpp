// Micro-benchmark of the financing market (MODEL.md 3.4: per region, needers in random
// order, follow-ons, screened new money, direct state stakes, co-investors, closes) on
// the world of a baseline replication in January 2025, just after that month's
// dynamics. Every iteration starts from a copy of that world. Agent-months are the
// alive startups of the month, so the rate compares with the kernel's.
//
//   build/ci/bench/bench_financing_market [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <cstdio>
#include <memory>

#include "bench_world.hpp"
#include "phases/phases.hpp"
#include "table_reporter.hpp"

namespace {

using namespace vcsim;

constexpr int kWarmMonths = 300;  // January 2025 in the baseline (start 2000)

std::unique_ptr<World> world_before_market(const Scenario& scenario) {
  std::unique_ptr<World> world = bench::world_at_month(scenario, kWarmMonths);
  world->month = kWarmMonths;
  apply_events(*world);
  births(*world);
  startup_dynamics(*world);
  return world;
}

struct MarketFixture {
  Scenario scenario = read_scenario(bench::baseline_path());
  std::unique_ptr<World> before = world_before_market(scenario);
};

MarketFixture& fixture() {
  static MarketFixture f;
  return f;
}

std::size_t needers(const Startups& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    n += s.status[i] == Status::alive && s.needs_funding[i];
  return n;
}

void BM_FinancingMarket(benchmark::State& state) {
  const World& before = *fixture().before;
  const double alive = static_cast<double>(bench::alive_count(before.startups));
  for (auto _ : state) {
    state.PauseTiming();
    auto world = std::make_unique<World>(before);
    state.ResumeTiming();
    financing_market(*world);
    benchmark::DoNotOptimize(world->startups.cash.data());
    state.PauseTiming();
    world.reset();
    state.ResumeTiming();
  }
  state.counters["agent_months"] = alive;
  // The first passes and the pools run on every thread TBB has; the second passes on one.
  state.counters["threads"] = tbb::this_task_arena::max_concurrency();
}
BENCHMARK(BM_FinancingMarket)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  bench::run_benchmarks_with_table(&argc, argv);
  const Startups& s = fixture().before->startups;
  std::printf("\nmarket of January 2025: %zu alive startups, %zu need funding, %zu funds\n",
              bench::alive_count(s), needers(s), fixture().before->funds.size_count());
  benchmark::Shutdown();
  return 0;
}
