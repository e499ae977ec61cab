#include "calibrate/calibration.hpp"

#include <limits>

#include "calibrate/nelder_mead.hpp"
#include "run/replication.hpp"
#include "scenario/reader.hpp"
#include "version.hpp"

namespace vcsim {
namespace {

Targets checked(Targets targets, const Scenario& base) {
  check_targets(targets, base);
  return targets;
}

std::vector<double> bound_values(const std::vector<FreeParameter>& parameters, bool upper) {
  std::vector<double> out;
  for (const auto& p : parameters) out.push_back(upper ? p.upper : p.lower);
  return out;
}

}  // namespace

Calibration::Calibration(std::string scenario_path, Targets targets, CalibrationSettings settings)
    : scenario_path_(std::move(scenario_path)),
      settings_(settings),
      base_(read_scenario(scenario_path_)),
      space_(targets, base_) {
  targets_ = checked(std::move(targets), base_);
  seed_ = settings_.seed.value_or(base_.seed);
  for (const auto& values : {space_.start(), bound_values(targets_.parameters, false),
                             bound_values(targets_.parameters, true)})
    (void)read_scenario(scenario_path_, space_.overrides(values));
}

std::string Calibration::fingerprint() const {
  return fingerprint_of(base_.resolved_text + '\0' + targets_.text + '\0' + std::to_string(seed_) +
                        '\0' + std::to_string(settings_.replications) + '\0' + kEngineVersion +
                        '\0' + kGitRevision);
}

Scenario Calibration::scenario_at(const std::vector<double>& values) const {
  Scenario s = read_scenario(scenario_path_, space_.overrides(values));
  s.seed = seed_;
  s.replications = settings_.replications;
  return s;
}

// Each replication's moments are taken as it finishes and its result is let go: an
// evaluation holds the results of the replications in flight only, not its fund tables
// and recorded arrays of all of them (about 19 MiB a baseline replication).
Evaluation Calibration::evaluate(const std::vector<double>& values) const {
  const Scenario s = scenario_at(values);
  const std::size_t targets = targets_.targets.size();
  // by_target[k][r]: target k's moment in replication r.
  std::vector<std::vector<double>> by_target(
      targets, std::vector<double>(static_cast<std::size_t>(s.replications)));
  auto take_moments = [&](std::size_t r, ReplicationResult& result) {
    for (std::size_t k = 0; k < targets; ++k)
      by_target[k][r] = moment_value(targets_.targets[k].moment, result, s.start_year);
    result = ReplicationResult();
  };
  run_replications(s, s.replications, {}, MicroData::none, 1, take_moments);
  Evaluation e;
  e.values = values;
  for (const std::vector<double>& moment_values : by_target)
    e.moments.push_back(moment_stats(moment_values));
  e.objective = objective(targets_.targets, e.moments);
  return e;
}

CalibrationResult Calibration::run(
    Journal& journal, const std::function<void(const TraceEntry&)>& on_evaluation) const {
  CalibrationResult result;
  double best = std::numeric_limits<double>::infinity();
  auto f = [&](const Eigen::VectorXd& unit) {
    const std::vector<double> values = space_.from_unit(unit);
    TraceEntry entry;
    if (const Evaluation* stored = journal.find(values)) {
      entry.evaluation = *stored;
      entry.replayed = true;
    } else {
      entry.evaluation = evaluate(values);
      journal.append(entry.evaluation);
    }
    if (entry.evaluation.objective < best) {
      best = entry.evaluation.objective;
      result.best = result.trace.size();
    }
    entry.best_so_far = best;
    result.trace.push_back(entry);
    if (on_evaluation) on_evaluation(result.trace.back());
    return entry.evaluation.objective;
  };
  NelderMeadSettings nm{settings_.max_evaluations, settings_.f_tolerance, settings_.x_tolerance,
                        settings_.initial_step};
  result.converged = nelder_mead(f, space_.to_unit(space_.start()), nm).converged;
  return result;
}

}  // namespace vcsim
