// `vcsim run`: simulate a scenario's replications and write one HDF5 file.
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "io/headline.hpp"
#include "io/output_file.hpp"
#include "io/run_spool.hpp"
#include "run/interrupt.hpp"
#include "run/memory_estimate.hpp"
#include "run/replication.hpp"
#include "scenario/reader.hpp"

namespace vcsim::cli {

namespace {

struct RunArgs {
  std::string scenario, output;
  std::vector<std::string> assignments;  // --set KEY=VALUE
  std::optional<std::uint32_t> seed;
  std::optional<int> replications;
  int threads = 0;
  std::string max_memory;  // empty: what the machine has available
  bool quiet = false;
  MicroData micro_data = MicroData::none;
};

std::string default_output(const std::string& scenario_path) {
  return std::filesystem::path(scenario_path).stem().string() + ".h5";
}

// The output's folder must exist before hours of simulation, not after.
bool output_folder_ok(const std::string& output) {
  const auto folder = std::filesystem::absolute(output).parent_path();
  if (std::filesystem::is_directory(folder)) return true;
  std::cerr << "vcsim: " << output << ": output folder " << folder << " does not exist\n";
  return false;
}

// Refuses a run whose estimated peak memory exceeds --max-memory or, without it, the
// memory available now: better a clear message now than the kernel's OOM killer later.
bool memory_ok(const RunArgs& args, const Scenario& scenario, int threads) {
  const MemoryEstimate estimate =
      estimate_memory(scenario, scenario.replications, threads, args.micro_data);
  std::optional<std::uint64_t> limit;
  std::string limit_source;
  if (!args.max_memory.empty()) {
    limit = parse_memory_size(args.max_memory);
    limit_source = "--max-memory " + args.max_memory;
  } else {
    limit = available_memory();
    limit_source = "the memory available on this machine";
  }
  if (!limit || estimate.total() <= *limit) return true;
  std::cerr << "vcsim: " << args.scenario << ": refusing to run: it needs " << estimate.describe()
            << ", more than " << limit_source << " (" << format_bytes(*limit)
            << "). Run fewer replications or threads at once, or raise --max-memory.\n";
  return false;
}

// What an interrupted run lost, and that nothing was written.
int report_interrupt(const Interrupted& stop, const std::string& output, std::uint64_t done,
                     std::uint64_t total, double seconds) {
  std::fprintf(stderr,
               "\nvcsim: %s after %.1f s: stopped with %llu of %llu replication-months "
               "simulated; those results are lost and %s was not written%s\n",
               stop.what(), seconds, static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), output.c_str(),
               std::filesystem::exists(output) ? " (the existing file is unchanged)" : "");
  return interrupt_exit_code(stop.signal());
}

int run_command(const RunArgs& args) {
  std::vector<Override> overrides;
  for (const auto& a : args.assignments) overrides.push_back(parse_override(a, "--set " + a));
  Scenario scenario = read_scenario(args.scenario, overrides);
  if (args.seed) scenario.seed = *args.seed;
  if (args.replications) scenario.replications = *args.replications;
  const std::string output = args.output.empty() ? default_output(args.scenario) : args.output;
  if (!output_folder_ok(output)) return kExitBadInput;
  const int threads =
      args.threads > 0 ? args.threads : static_cast<int>(tbb::info::default_concurrency());
  if (!memory_ok(args, scenario, threads)) return kExitBadInput;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  install_interrupt_handlers();
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // Each replication's fund table and micro data go to disk as it finishes
  // (io/run_spool.hpp); the spool's files are removed when this returns, written or not.
  RunSpool spool(output, static_cast<std::size_t>(scenario.replications));
  const auto spool_tables = [&spool](std::size_t r, ReplicationResult& result) {
    spool.add(r, result);
  };
  std::vector<ReplicationResult> results;
  const auto total = static_cast<std::uint64_t>(scenario.replications) *
                     static_cast<std::uint64_t>(scenario.months());
  std::atomic<std::uint64_t> months_done{0};
  try {
    ProgressBar bar("vcsim run " + scenario.name, total,
                    !args.quiet && ProgressBar::stderr_is_terminal());
    const auto month_done = [&bar, &months_done] {
      months_done.fetch_add(1, std::memory_order_relaxed);
      bar.tick();
    };
    results = run_replications(scenario, scenario.replications, month_done, args.micro_data, 1,
                               spool_tables);
  } catch (const Interrupted& stop) {
    return report_interrupt(stop, output, months_done.load(), total, elapsed());
  }
  const double seconds = elapsed();
  write_run_output(output, scenario, run_labels(scenario), results, spool);
  if (interrupted()) {
    // The signal came while the finished results were being written: keep them.
    std::fprintf(stderr, "vcsim: %s while writing: the run was complete and %s was written\n",
                 signal_name(interrupt_signal()).c_str(), output.c_str());
    return interrupt_exit_code(interrupt_signal());
  }
  std::uint64_t agent_months = 0;
  for (const auto& r : results) agent_months += r.agent_months;
  if (!args.quiet) {
    std::cout << headline_table(output, scenario.report_years);
    std::printf("\nwrote %s: %d replications, %d threads, %.2f s, %.1f million agent-months/s\n",
                output.c_str(), scenario.replications, threads, seconds,
                static_cast<double>(agent_months) / seconds / 1e6);
  }
  return kExitOk;
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* run = app.add_subcommand("run", "simulate a scenario and write an HDF5 file");
  run->add_option("scenario", args->scenario, "scenario file (TOML)")->required();
  run->add_option("-o,--output", args->output, "output file (default: SCENARIO_STEM.h5)");
  run->add_option("--set", args->assignments,
                  "set one scenario value by its dotted path, e.g. market.ipo_rate=0.1 "
                  "(repeatable)");
  run->add_option("--seed", args->seed, "override the scenario's seed");
  run->add_option("--replications", args->replications, "override the replication count")
      ->check(CLI::Range(1, 100000));
  run->add_option("--threads", args->threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run->add_option("--max-memory", args->max_memory,
                  "refuse to run when the estimated peak memory exceeds this (e.g. 4G; "
                  "default: the memory available)")
      ->check(
          [](const std::string& text) {
            try {
              parse_memory_size(text);
              return std::string();
            } catch (const std::invalid_argument& e) {
              return std::string(e.what());
            }
          },
          "SIZE");
  run->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  const std::map<std::string, MicroData> micro_choices{
      {"none", MicroData::none}, {"first", MicroData::first}, {"all", MicroData::all}};
  run->add_option("--micro-data", args->micro_data,
                  "per-startup and per-investment tables: none, first replication, or all")
      ->transform(CLI::CheckedTransformer(micro_choices, CLI::ignore_case));
  return {run, [args] { return run_command(*args); }};
}

}  // namespace vcsim::cli
