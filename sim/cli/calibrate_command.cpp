// `vcsim calibrate`: fit a scenario's free parameters to observed moments (simulated
// method of moments, docs/calibration.md).
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "calibrate/calibration.hpp"
#include "calibrate/fit_output.hpp"
#include "cli/commands.hpp"

namespace vcsim::cli {

namespace {

struct CalibrateArgs {
  std::string scenario, targets, output, fitted;
  std::optional<int> replications, max_evaluations;
  std::optional<std::uint32_t> seed;
  int threads = 0;
  bool resume = false, quiet = false;
};

// FIT.h5 -> FIT_fitted.toml beside it: never the name of a file the user gave.
std::string fitted_default(const std::string& output) {
  std::filesystem::path p(output);
  return (p.parent_path() / (p.stem().string() + "_fitted.toml")).string();
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ignored;
  return std::filesystem::weakly_canonical(a, ignored) ==
         std::filesystem::weakly_canonical(b, ignored);
}

bool folder_exists(const std::string& path) {
  const auto folder = std::filesystem::absolute(path).parent_path();
  if (std::filesystem::is_directory(folder)) return true;
  std::cerr << "vcsim: " << path << ": output folder " << folder << " does not exist\n";
  return false;
}

// One line per evaluation on stderr, with its wall time: a fit of the baseline runs for
// hours, and the user needs to see it move.
void print_progress(const TraceEntry& e, std::size_t number, double seconds, bool quiet) {
  if (quiet) return;
  std::fprintf(stderr, "evaluation %zu: objective %.6g (best %.6g), %.1f s%s\n", number,
               e.evaluation.objective, e.best_so_far, seconds,
               e.replayed ? " [from the journal]" : "");
}

int calibrate_command(const CalibrateArgs& args) {
  Targets targets = read_targets(args.targets);
  CalibrationSettings settings = targets.settings;
  if (args.replications) settings.replications = *args.replications;
  if (args.max_evaluations) settings.max_evaluations = *args.max_evaluations;
  if (args.seed) settings.seed = *args.seed;
  const std::string output = args.output.empty()
                                 ? std::filesystem::path(args.scenario).stem().string() + "_fit.h5"
                                 : args.output;
  const std::string fitted = args.fitted.empty() ? fitted_default(output) : args.fitted;
  if (!folder_exists(output) || !folder_exists(fitted)) return kExitBadInput;
  for (const std::string& input : {args.scenario, args.targets})
    for (const std::string& written : {output, fitted, output + ".evals"})
      if (same_file(input, written)) {
        std::cerr << "vcsim: " << written << ": would overwrite the input " << input << "\n";
        return kExitBadInput;
      }
  const Calibration calibration(args.scenario, std::move(targets), settings);

  const int threads =
      args.threads > 0 ? args.threads : static_cast<int>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  Journal journal(output + ".evals", calibration.fingerprint(), calibration.space().size(),
                  calibration.targets().targets.size(), args.resume);
  if (!args.quiet && journal.stored() > 0)
    std::fprintf(stderr, "resuming: %zu evaluations in %s\n", journal.stored(),
                 journal.path().c_str());
  std::size_t count = 0;
  auto last = std::chrono::steady_clock::now();
  const CalibrationResult result = calibration.run(journal, [&](const TraceEntry& e) {
    const auto now = std::chrono::steady_clock::now();
    print_progress(e, ++count, std::chrono::duration<double>(now - last).count(), args.quiet);
    last = now;
  });

  write_fitted_scenario(fitted, fitted_scenario_text(calibration, result, fitted));
  write_fit_file(output, calibration, result);
  if (!args.quiet) {
    std::cout << fit_table(calibration, result.best_evaluation(), calibration.space().start());
    std::size_t replayed = 0;
    for (const auto& e : result.trace) replayed += e.replayed ? 1 : 0;
    std::printf("\n%s after %zu evaluations (%zu from the journal); wrote %s and %s\n",
                result.converged ? "converged" : "stopped at the evaluation budget",
                result.trace.size(), replayed, output.c_str(), fitted.c_str());
  }
  return kExitOk;
}

int guarded(const CalibrateArgs& args) {
  try {
    return calibrate_command(args);
  } catch (const JournalError& e) {
    std::cerr << "vcsim: " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace

Command add_calibrate_command(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand(
      "calibrate", "fit a scenario's free parameters to observed moments (docs/calibration.md)");
  cmd->add_option("scenario", args->scenario, "scenario file (TOML)")->required();
  cmd->add_option("--targets", args->targets, "targets file (TOML): moments and free parameters")
      ->required();
  cmd->add_option("-o,--output", args->output,
                  "fit file (HDF5; default SCENARIO_STEM_fit.h5); its journal is FILE.evals");
  cmd->add_option("--fitted", args->fitted,
                  "fitted scenario to write (default: FIT_fitted.toml beside the fit file)");
  cmd->add_option("--replications", args->replications,
                  "replications per evaluation (default: the targets file's)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--max-evaluations", args->max_evaluations,
                  "evaluation budget (default: the targets file's; 1 evaluates the start)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", args->seed, "seed of every evaluation (default: the scenario's)");
  cmd->add_option("--threads", args->threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--resume", args->resume,
                "continue the calibration journalled in FILE.evals, replaying its evaluations");
  cmd->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  return {cmd, [args] { return guarded(*args); }};
}

}  // namespace vcsim::cli
