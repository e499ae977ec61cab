// Micro-benchmark of the financing market (MODEL.md 3.4: per region, needers in random
// order, follow-ons, screened new money, direct state stakes, co-investors, closes) on
// the world of a baseline replication in January 2025, just after that month's
// dynamics. Every iteration starts from a copy of that world. Agent-months are the
// alive startups of the month, so the rate compares with the kernel's.
//
// BM_CandidateDraws times the market's candidate draws alone, in a tight loop: each
// region's funds of that month with a new-deal budget, in one pool weighted by their
// budgets, and deal_flow draws a seeker from uniforms made beforehand. It is the
// cheapest a draw can be, the floor bench/README.md's "Targets" weighs the market by;
// its agent-months are draws.
//
//   build/ci/bench/bench_financing_market [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_world.hpp"
#include "phases/candidate_pool.hpp"
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

// Every fund of the region inside its investment period with a new-deal budget, as the
// market's pool for a round that every fund admits.
CandidatePool region_pool(const World& world, int region) {
  CandidatePool pool;
  const Funds& f = world.funds;
  for (const std::int32_t fund : world.region_funds[static_cast<std::size_t>(region)]) {
    const auto j = static_cast<std::size_t>(fund);
    if (f.inside_investment_period(j, world.month) && f.new_deal_budget[j] > 0)
      pool.add({fund, static_cast<std::uint32_t>(fund)}, f.new_deal_budget[j]);
  }
  pool.build_guide();
  return pool;
}

void BM_CandidateDraws(benchmark::State& state) {
  const World& world = *fixture().before;
  const CandidatePool pool = region_pool(world, static_cast<int>(state.range(0)));
  constexpr std::size_t kSeekers = 1 << 14;
  const auto deal_flow = static_cast<std::size_t>(world.scenario.market.deal_flow);
  std::mt19937_64 random(2025);
  std::uniform_real_distribution<double> uniform(0.0, pool.total());
  std::vector<double> draws(kSeekers * deal_flow);
  for (double& x : draws) x = uniform(random);
  std::vector<Candidate> picked(deal_flow);
  std::int64_t sum = 0;
  for (auto _ : state)
    for (std::size_t k = 0; k < kSeekers; ++k) {
      pool.pick_many(&draws[k * deal_flow], deal_flow, picked.data());
      sum += picked[0].fund;
    }
  benchmark::DoNotOptimize(sum);
  state.SetLabel(std::to_string(pool.entries.size()) + " funds");
  state.counters["agent_months"] = static_cast<double>(draws.size());
  state.counters["threads"] = 1;
}
BENCHMARK(BM_CandidateDraws)->Arg(0)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  bench::run_benchmarks_with_table(&argc, argv);
  const Startups& s = fixture().before->startups;
  std::printf("\nmarket of January 2025: %zu alive startups, %zu need funding, %zu funds\n",
              bench::alive_count(s), needers(s), fixture().before->funds.size_count());
  benchmark::Shutdown();
  return 0;
}
