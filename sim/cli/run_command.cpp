// `vcsim run`: simulate a scenario's replications and write one HDF5 file.
#include <tbb/global_control.h>
#include <tbb/info.h>

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
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const auto start = std::chrono::steady_clock::now();
  std::vector<ReplicationResult> results;
  {
    const auto total = static_cast<std::uint64_t>(scenario.replications) *
                       static_cast<std::uint64_t>(scenario.months());
    ProgressBar bar("vcsim run " + scenario.name, total,
                    !args.quiet && ProgressBar::stderr_is_terminal());
    results = run_replications(
        scenario, scenario.replications, [&bar] { bar.tick(); }, args.micro_data);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_run_output(output, scenario, run_labels(scenario), results);
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
  run->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  const std::map<std::string, MicroData> micro_choices{
      {"none", MicroData::none}, {"first", MicroData::first}, {"all", MicroData::all}};
  run->add_option("--micro-data", args->micro_data,
                  "per-startup and per-investment tables: none, first replication, or all")
      ->transform(CLI::CheckedTransformer(micro_choices, CLI::ignore_case));
  return {run, [args] { return run_command(*args); }};
}

}  // namespace vcsim::cli
