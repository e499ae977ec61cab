#pragma once
// Simulated method of moments (docs/calibration.md): each evaluation reads the scenario
// with the free parameters as overrides, runs its replications with the same seed
// (common random numbers: every evaluation shares its startups' own draws, so the
// objective changes with the parameters and not with fresh noise), and compares the
// moments' means with the targets. Nelder-Mead searches the parameters' unit cube;
// every evaluation is journalled, so a killed calibration resumes where it stopped.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calibrate/journal.hpp"
#include "calibrate/parameters.hpp"
#include "calibrate/targets.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

struct TraceEntry {
  Evaluation evaluation;
  // Taken from the journal, not simulated: a point an earlier run evaluated, or one the
  // optimiser asks for again (two points projected onto the same face of the cube).
  bool replayed = false;
  double best_so_far = 0;
};

struct CalibrationResult {
  std::vector<TraceEntry> trace;  // every evaluation asked for, in order
  std::size_t best = 0;           // position in trace of the lowest objective
  bool converged = false;         // false: the evaluation budget ran out
  const Evaluation& best_evaluation() const { return trace[best].evaluation; }
};

class Calibration {
 public:
  // Reads the scenario, checks the targets against it and the parameters' paths, and
  // reads the scenario once with every parameter at its start, its lower and its upper
  // bound, so that bounds the scenario refuses are reported before anything runs.
  // `settings` are the targets' settings with any command-line changes.
  Calibration(std::string scenario_path, Targets targets, CalibrationSettings settings);

  const Scenario& base() const { return base_; }
  const Targets& targets() const { return targets_; }
  const ParameterSpace& space() const { return space_; }
  const CalibrationSettings& settings() const { return settings_; }
  std::uint32_t seed() const { return seed_; }

  // Identifies what is calibrated, for the journal: the resolved scenario, the targets
  // file, seed, replications and the engine's version and revision.
  std::string fingerprint() const;

  // The scenario with these parameter values, seed and replication count.
  Scenario scenario_at(const std::vector<double>& values) const;

  // Simulates the replications at these values (in parallel, TBB) and measures them.
  Evaluation evaluate(const std::vector<double>& values) const;

  // Runs the optimiser from the parameters' start; `on_evaluation` is called after each
  // evaluation, replayed or simulated.
  CalibrationResult run(Journal& journal,
                        const std::function<void(const TraceEntry&)>& on_evaluation = {}) const;

 private:
  std::string scenario_path_;
  Targets targets_;
  CalibrationSettings settings_;
  Scenario base_;
  ParameterSpace space_;
  std::uint32_t seed_ = 0;
};

}  // namespace vcsim
