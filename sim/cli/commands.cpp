#include "cli/commands.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "cli/progress.hpp"
#include "io/hdf5.hpp"
#include "io/headline.hpp"
#include "io/output_file.hpp"
#include "phases/plan.hpp"
#include "run/replication.hpp"
#include "scenario/reader.hpp"
#include "version.hpp"

namespace vcsim::cli {

namespace {

struct RunArgs {
  std::string scenario, output;
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
  Scenario scenario = read_scenario(args.scenario);
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

int validate_command(const std::string& path) {
  const Scenario scenario = read_scenario(path);
  std::printf("%s: valid: %zu regions, %zu sectors, %d-%d, seed %u, %d replications\n",
              path.c_str(), scenario.regions.size(), scenario.sectors.size(), scenario.start_year,
              scenario.end_year, scenario.seed, scenario.replications);
  return kExitOk;
}

int plan_command() {
  std::printf("Before month 0: %.*s\n\nEach month, in order (MODEL.md section 3):\n",
              static_cast<int>(kBeforeFirstMonth.size()), kBeforeFirstMonth.data());
  int step = 1;
  for (const Phase& p : kMonthPlan) {
    std::printf("  %d. %-12s [%.*s]%s %.*s\n", step++, std::string(p.name).c_str(),
                static_cast<int>(p.model_section.size()), p.model_section.data(),
                p.january_only ? " (January)" : "", static_cast<int>(p.description.size()),
                p.description.data());
  }
  return kExitOk;
}

int info_command(const std::string& path, const std::vector<int>& years) {
  std::cout << headline_table(path, years);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vcsim: agent-based simulation of state-guided venture capital"};
  app.set_version_flag("--version",
                       std::string("vcsim ") + kEngineVersion + " (" + kGitRevision + ")");
  app.require_subcommand(1);

  RunArgs run_args;
  auto* run = app.add_subcommand("run", "simulate a scenario and write an HDF5 file");
  run->add_option("scenario", run_args.scenario, "scenario file (TOML)")->required();
  run->add_option("-o,--output", run_args.output, "output file (default: SCENARIO_STEM.h5)");
  run->add_option("--seed", run_args.seed, "override the scenario's seed");
  run->add_option("--replications", run_args.replications, "override the replication count")
      ->check(CLI::Range(1, 100000));
  run->add_option("--threads", run_args.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run->add_flag("-q,--quiet", run_args.quiet, "print nothing on success");
  const std::map<std::string, MicroData> micro_choices{
      {"none", MicroData::none}, {"first", MicroData::first}, {"all", MicroData::all}};
  run->add_option("--micro-data", run_args.micro_data,
                  "per-startup and per-investment tables: none, first replication, or all")
      ->transform(CLI::CheckedTransformer(micro_choices, CLI::ignore_case));

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "check a scenario file without running it");
  validate->add_option("scenario", validate_path, "scenario file (TOML)")->required();

  auto* plan = app.add_subcommand("plan", "print the phases of a simulated month");

  std::string info_path;
  std::vector<int> info_years;
  auto* info = app.add_subcommand("info", "print the headline table of an output file");
  info->add_option("file", info_path, "vcsim output file (HDF5)")->required();
  info->add_option("--years", info_years, "years to show (December values)")->delimiter(',');

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    if (*run) return run_command(run_args);
    if (*validate) return validate_command(validate_path);
    if (*plan) return plan_command();
    if (*info) return info_command(info_path, info_years);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << (std::string_view(e.what()).ends_with('\n') ? "" : "\n");
    return kExitBadInput;
  } catch (const Hdf5Error& e) {
    std::cerr << "vcsim: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "vcsim: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace vcsim::cli
