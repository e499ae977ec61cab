#pragma once
// A Google Benchmark reporter that prints the usual console lines and then the fixed
// table of bench_table.hpp. Each benchmark sets two counters: "agent_months" (per
// iteration) and "threads" (the TBB threads it ran with); the table keeps, per
// benchmark name, the fastest of its repetitions.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_table.hpp"

namespace vcsim::bench {

class TableReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred || run.iterations == 0) continue;
      TableRow row;
      row.benchmark = run.run_name.function_name;
      if (!run.run_name.args.empty()) row.benchmark += "/" + run.run_name.args;
      row.seconds = run.real_accumulated_time / static_cast<double>(run.iterations);
      row.agent_months = counter(run, "agent_months");
      row.threads = static_cast<int>(counter(run, "threads"));
      auto same = std::find_if(rows_.begin(), rows_.end(),
                               [&row](const TableRow& r) { return r.benchmark == row.benchmark; });
      if (same == rows_.end())
        rows_.push_back(row);
      else if (row.seconds < same->seconds)
        *same = row;
    }
  }

  const std::vector<TableRow>& rows() const { return rows_; }

  // The fastest rate measured for a benchmark whose name starts with `prefix`.
  double best_rate(const std::string& prefix) const {
    double best = 0;
    for (const TableRow& r : rows_)
      if (r.benchmark.rfind(prefix, 0) == 0 && r.seconds > 0)
        best = std::max(best, r.agent_months / r.seconds);
    return best;
  }

 private:
  static double counter(const Run& run, const char* name) {
    auto it = run.counters.find(name);
    return it == run.counters.end() ? 0.0 : static_cast<double>(it->second);
  }

  std::vector<TableRow> rows_;
};

// Runs the benchmarks the command line selects (Google Benchmark's flags) and prints
// their fixed table after the console lines; returns the reporter for further lines.
// The caller ends with benchmark::Shutdown().
inline TableReporter run_benchmarks_with_table(int* argc, char** argv) {
  benchmark::Initialize(argc, argv);
  TableReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\n");
  print_table(reporter.rows());
  return reporter;
}

}  // namespace vcsim::bench
