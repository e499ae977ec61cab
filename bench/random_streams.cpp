// Micro-benchmark of the named random streams (sim/rng/streams.hpp): building a Philox
// stream from its key and drawing from it, as the market and the other phases do, and
// the draws of one startup's month in the kernel: one block of its startup-month stream,
// computed in batches across SIMD lanes (sim/rng/philox_batch.hpp), whose words give a
// normal and three uniforms; and the first normals of many streams, as screening draws
// its views.
//
//   build/ci/bench/bench_random_streams [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <vector>

#include "rng/first_blocks.hpp"
#include "rng/normal_quantile.hpp"
#include "rng/philox_batch.hpp"
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
      sum += kKey(Purpose::startup_month, 0, id, 0, 300).uniform();
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_StreamUniform)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_StreamNormal(benchmark::State& state) {
  double sum = 0;
  for (auto _ : state)
    for (std::uint32_t id = 0; id < kAgents; ++id)
      sum += kKey(Purpose::startup_month, 0, id, 0, 300).normal();
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_StreamNormal)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The draws of one agent-month as the kernel takes them: one Philox block per agent,
// computed 256 agents at a time, whose words give a normal and three uniforms.
void BM_AgentMonthDraws(benchmark::State& state) {
  double sum = 0;
  PhiloxLanes lanes{};
  double z[PhiloxLanes::kCapacity];
  for (auto _ : state) {
    for (std::uint32_t first = 0; first < kAgents; first += PhiloxLanes::kCapacity) {
      for (std::uint32_t lane = 0; lane < PhiloxLanes::kCapacity; ++lane) {
        lanes.counter[0][lane] = static_cast<std::uint32_t>(Purpose::startup_month) << 24;
        lanes.counter[1][lane] = first + lane;
        lanes.counter[2][lane] = 0;
        lanes.counter[3][lane] = 300;
      }
      philox_blocks(kKey.seed, kKey.replication, lanes, PhiloxLanes::kCapacity);
      normals_of_words(lanes.word[0], z, PhiloxLanes::kCapacity);
      for (std::size_t lane = 0; lane < PhiloxLanes::kCapacity; ++lane)
        sum += z[lane] + uniform_of_word(lanes.word[1][lane]) +
               uniform_of_word(lanes.word[2][lane]) + uniform_of_word(lanes.word[3][lane]);
    }
  }
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_AgentMonthDraws)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The screening views of the market: the first normal of one stream per (firm,
// startup, stage), a block of counters at a time (rng/first_blocks.hpp).
void BM_ScreeningNormals(benchmark::State& state) {
  std::vector<StreamCounter> counters;
  for (std::uint32_t id = 0; id < kAgents; ++id)
    counters.push_back(stream_counter(Purpose::screening_firm, 1, id * 2654435761u, id, 3));
  std::vector<double> views(counters.size());
  double sum = 0;
  for (auto _ : state) {
    first_normals(kKey, counters, views);
    sum += views[0] + views.back();
  }
  benchmark::DoNotOptimize(sum);
  state.counters["agent_months"] = kAgents;
  state.counters["threads"] = 1;
}
BENCHMARK(BM_ScreeningNormals)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  bench::run_benchmarks_with_table(&argc, argv);
  std::printf(
      "(%u agents per iteration; BM_StreamUniform and BM_StreamNormal: one stream built and one "
      "draw per agent)\n",
      kAgents);
  benchmark::Shutdown();
  return 0;
}
