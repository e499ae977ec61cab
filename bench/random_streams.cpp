// Micro-benchmark of the named random streams (sim/rng/streams.hpp): building a Philox
// stream from its key and drawing from it, as the kernel does for every startup and
// month. One agent-month here is the draws of one startup's month in the kernel: a
// normal from the value stream, a uniform from the hazard stream and two uniforms from
// the exit stream, each stream built from (seed, replication, purpose, region, id, month).
//
//   build/ci/bench/bench_random_streams [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>

#include <cstdio>

#include "rng/streams.hpp"
#include "table_reporter.hpp"

namespace {

using namespace vcsim;

constexpr std::uint32_t kAgents = 1u << 16;
constexpr StreamKey kKey{2025, 0};

void BM_StreamUniform(benchmark::State& state) {
  double sum = 0;
  for (auto _ : state)
    for (std::uint32_t id = 0; id < kAgents; ++id)
      sum += kKey(Purpose::hazard, 0, id, 0, 300).uniform();
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_StreamUniform)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_StreamNormal(benchmark::State& state) {
  double sum = 0;
  for (auto _ : state)
    for (std::uint32_t id = 0; id < kAgents; ++id)
      sum += kKey(Purpose::value, 0, id, 0, 300).normal();
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_StreamNormal)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_AgentMonthDraws(benchmark::State& state) {
  double sum = 0;
  for (auto _ : state) {
    for (std::uint32_t id = 0; id < kAgents; ++id) {
      sum += kKey(Purpose::value, 0, id, 0, 300).normal();
      sum += kKey(Purpose::hazard, 0, id, 0, 300).uniform();
      Stream exit = kKey(Purpose::exit, 0, id, 0, 300);
      sum += exit.uniform() + exit.uniform();
    }
  }
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_AgentMonthDraws)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  bench::TableReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\n");
  bench::print_table(reporter.rows());
  std::printf(
      "(%u agents per iteration; BM_StreamUniform and BM_StreamNormal: one stream built and one "
      "draw per agent)\n",
      kAgents);
  benchmark::Shutdown();
  return 0;
}
