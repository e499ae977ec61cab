// Micro-benchmark of the startup-month kernel (MODEL.md 3.3: milestone, value step,
// burn, failure, IPO, acquisition, needs-funding flag) on the population of a baseline
// replication in January 2025, with 1 and 2 threads. After the fixed table it runs the
// NumPy peer (bench/peers/kernel_numpy.py) on as many startups and prints the ratio,
// then the roofline line: bytes moved per agent-month, the STREAM-triad bandwidth of
// this machine and the share of that bound the kernel reached.
//
//   build/ci/bench/bench_startup_kernel [--benchmark_repetitions=N] [--no-numpy]
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "bench_world.hpp"
#include "phases/phases.hpp"
#include "stream_triad.hpp"
#include "table_reporter.hpp"

namespace {

using namespace vcsim;

constexpr int kWarmMonths = 300;  // January 2025 in the baseline (start 2000)

// The world just before the dynamics of month kWarmMonths: its events have run.
std::unique_ptr<World> world_before_dynamics(const Scenario& scenario) {
  std::unique_ptr<World> world = bench::world_at_month(scenario, kWarmMonths);
  world->month = kWarmMonths;
  apply_events(*world);
  births(*world);
  return world;
}

struct KernelFixture {
  Scenario scenario = read_scenario(bench::baseline_path());
  std::unique_ptr<World> world = world_before_dynamics(scenario);
  Startups before = world->startups;  // the population each iteration starts from
};

KernelFixture& fixture() {
  static KernelFixture f;
  return f;
}

// The columns the kernel writes, put back so every iteration simulates the same month.
void restore_written_columns(Startups& s, const Startups& before) {
  s.milestone = before.milestone;
  s.log_f = before.log_f;
  s.cash = before.cash;
  s.status = before.status;
  s.outcome = before.outcome;
  s.end_month = before.end_month;
  s.needs_funding = before.needs_funding;
}

// Bytes the kernel moves per alive startup: each column it reads once, and twice for
// the columns it also writes back (status and end_month change only for the few that
// end, so they count as read).
double kernel_bytes_per_agent_month() {
  const Startups& s = fixture().before;
  const double read = sizeof(s.id[0]) + sizeof(s.birth_month[0]) + sizeof(s.region[0]) +
                      sizeof(s.sector[0]) + sizeof(s.log_q[0]) + sizeof(s.stage[0]) +
                      sizeof(s.burn[0]) + sizeof(s.status[0]) + sizeof(s.end_month[0]);
  const double read_write = sizeof(s.milestone[0]) + sizeof(s.log_f[0]) + sizeof(s.cash[0]);
  const double written = sizeof(s.outcome[0]) + sizeof(s.needs_funding[0]);
  return read + 2 * read_write + written;
}

void BM_StartupMonthKernel(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  KernelFixture& f = fixture();
  World& world = *f.world;
  const double alive = static_cast<double>(bench::alive_count(f.before));
  for (auto _ : state) {
    state.PauseTiming();
    restore_written_columns(world.startups, f.before);
    state.ResumeTiming();
    startup_dynamics(world);
    benchmark::DoNotOptimize(world.startups.log_f.data());
  }
  state.counters["agent_months"] = alive;
  state.counters["threads"] = threads;
}
BENCHMARK(BM_StartupMonthKernel)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// Runs the NumPy peer on `startups` startups; its rate in agent-months per second, or 0.
double numpy_kernel_rate(std::size_t startups) {
  const std::string command = "/usr/bin/python3 " + std::string(VCSIM_SOURCE_DIR) +
                              "/bench/peers/kernel_numpy.py --startups " + std::to_string(startups);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return 0;
  double rate = 0;
  char line[256];
  while (std::fgets(line, sizeof line, pipe) != nullptr)
    std::sscanf(line, "agent_months_per_second %lf", &rate);
  pclose(pipe);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  bool run_numpy = true;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--no-numpy") == 0) run_numpy = false;
  const bench::TableReporter reporter = bench::run_benchmarks_with_table(&argc, argv);

  const std::size_t alive = bench::alive_count(fixture().before);
  const double one = reporter.best_rate("BM_StartupMonthKernel/1");
  const double two = reporter.best_rate("BM_StartupMonthKernel/2");
  std::printf("\npopulation: %zu alive startups in %zu slots (baseline, January 2025)\n", alive,
              fixture().before.size());
  if (run_numpy) {
    const double numpy = numpy_kernel_rate(alive);
    if (numpy > 0)
      std::printf(
          "numpy kernel (peers/kernel_numpy.py): %.3e agent-months/s; vcsim/numpy: %.1fx "
          "(1 thread), %.1fx (2 threads)\n",
          numpy, one / numpy, two / numpy);
    else
      std::printf("numpy kernel: not run (needs /usr/bin/python3 with numpy)\n");
  }
  const double bytes = kernel_bytes_per_agent_month();
  const double bandwidth = bench::stream_triad_bandwidth(2);
  const double bound = bandwidth / bytes;
  std::printf(
      "roofline: %.0f bytes/agent-month; STREAM triad %.2f GB/s (2 threads); bound "
      "%.3e agent-months/s; reached %.1f%% (2 threads)\n",
      bytes, bandwidth / 1e9, bound, 100.0 * two / bound);
  benchmark::Shutdown();
  return 0;
}
