// Micro-benchmark of compaction (Startups::remove_ended) on the population of a baseline
// replication in January 2025, with 1 and 2 threads: an eighth of the slots, alive
// startups chosen by a hash of their identity, end, as many as compaction waits for
// (about every fourth month of a replication), and every column moves the others down.
// Until 225627d compaction waited for a sixteenth, and this benchmark ended a sixteenth.
//
//   build/release/bench/bench_compaction [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "bench_world.hpp"
#include "table_reporter.hpp"

namespace {

using namespace vcsim;

constexpr int kWarmMonths = 300;  // January 2025 in the baseline (start 2000)

// The January 2025 population with an eighth of its slots ended: the alive startups
// whose identities hash (Fibonacci hashing) lowest.
Startups population_to_compact() {
  const Scenario scenario = read_scenario(bench::baseline_path());
  Startups s = bench::world_at_month(scenario, kWarmMonths)->startups;
  auto hash = [&s](std::size_t i) { return s.id[i] * 0x9E3779B1u; };
  std::vector<std::uint32_t> hashes;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.status[i] == Status::alive) hashes.push_back(hash(i));
  const std::size_t ended = std::min(hashes.size(), (s.size() + 7) / 8);
  if (ended == 0) return s;
  const auto last = hashes.begin() + static_cast<std::ptrdiff_t>(ended - 1);
  std::nth_element(hashes.begin(), last, hashes.end());
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s.status[i] == Status::alive && hash(i) <= *last) s.status[i] = Status::failed;
  return s;
}

const Startups& fixture() {
  static const Startups before = population_to_compact();
  return before;
}

void BM_RemoveEnded(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const Startups& before = fixture();
  for (auto _ : state) {
    state.PauseTiming();
    Startups s = before;
    state.ResumeTiming();
    s.remove_ended();
    benchmark::DoNotOptimize(s.id.data());
    state.PauseTiming();
    if (s.size() == before.size()) {
      // Compaction waited: the timed part would be empty, and the untimed copies would
      // repeat without end.
      state.SkipWithError("compaction removed nothing: the fixture ends too few startups");
      break;
    }
    s = Startups();  // its cap tables freed outside the timing
    state.ResumeTiming();
  }
  // The startups kept: each one's slot moved for the month (the table's agent-months).
  state.counters["agent_months"] = static_cast<double>(bench::alive_count(before));
  state.counters["threads"] = threads;
}
BENCHMARK(BM_RemoveEnded)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  bench::run_benchmarks_with_table(&argc, argv);
  std::printf("\npopulation: %zu startups kept of %zu slots (baseline, January 2025)\n",
              bench::alive_count(fixture()), fixture().size());
  benchmark::Shutdown();
  return 0;
}
