// Micro-benchmark of writing the run output file (sim/io/output_file.hpp): 1 and 8
// replications of the baseline, as `vcsim run` writes them, to a temporary file, its
// chunks compressed on every thread the process may use (RowAppender).
// Agent-months are those of the replications written, so the rate says how much
// simulation the writer keeps up with.
//
//   build/ci/bench/bench_hdf5_writing [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "bench_world.hpp"
#include "io/output_file.hpp"
#include "run/replication.hpp"
#include "table_reporter.hpp"

namespace {

using namespace vcsim;

struct WritingFixture {
  Scenario scenario = read_scenario(bench::baseline_path());
  ReplicationResult result = run_replication(scenario, 0);
  RunLabels labels = run_labels(scenario);
};

WritingFixture& fixture() {
  static WritingFixture f;
  return f;
}

void BM_WriteRunOutput(benchmark::State& state) {
  WritingFixture& f = fixture();
  const std::vector<ReplicationResult> replications(static_cast<std::size_t>(state.range(0)),
                                                    f.result);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("vcsim_bench_" + std::to_string(getpid()) + ".h5"))
          .string();
  for (auto _ : state) write_run_output(path, f.scenario, f.labels, replications);
  state.counters["agent_months"] =
      static_cast<double>(f.result.agent_months) * static_cast<double>(replications.size());
  state.counters["threads"] = tbb::this_task_arena::max_concurrency();
  state.counters["file_MiB"] =
      static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteRunOutput)->Arg(1)->Arg(8)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  bench::run_benchmarks_with_table(&argc, argv);
  benchmark::Shutdown();
  return 0;
}
