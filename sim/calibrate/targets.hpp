#pragma once
// A calibration's targets file (docs/calibration.md): the observed moments with their
// standard errors, the free parameters with their bounds, and the optimiser's settings.
// Read and checked at the boundary like a scenario (STYLE.md 10): every problem is a
// ScenarioError "FILE:LINE: KEY: expected ...", so the program exits with code 2.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace vcsim {

enum class MomentKind { unicorns, new_unicorns, funnel, median_months, deal_value, fund_tvpi };

// What is measured, as written in the file and resolved against the scenario's labels
// (the positions are filled by check_targets).
struct Moment {
  MomentKind kind = MomentKind::unicorns;
  std::string region = "world";  // a region of the scenario, or "world" (all of them)
  int year = 0;                  // unicorns, new_unicorns, deal_value: calendar year
  int month = 12;                // unicorns: month of the year counted (12 December, 6 June)
  int definition = 0;            // unicorns, new_unicorns: 0 all, 1 age-capped
  std::string outcome;           // funnel: an outcome; median_months: a duration
  int first_seed_year = 0, last_seed_year = 0;  // funnel, median_months: cohorts pooled
  // Resolved by check_targets.
  int region_index = -1;  // -1: all regions
  int outcome_index = -1;
};

struct Target {
  std::string name;  // the key of its table, [targets.NAME]
  Moment moment;
  double observed = 0;
  double se = 1;  // standard error (or tolerance x |observed|)
  // A range the record gives instead of one figure (band = [low, high], observed inside
  // it): a simulated mean anywhere in it is on the record, z = 0 (target_z).
  std::optional<double> band_low, band_high;
  double weight = 1;
  std::string source;  // where the observed figure comes from
  int line = 0;        // of its table in the targets file, for messages
};

// A free parameter: a dotted path into the scenario, optionally one element of an array
// ("market.threshold[1]"), or a factor on every number at the path (scale = true: a
// year table such as regions.US.lp_inflow keeps its shape).
struct FreeParameter {
  std::string name;
  std::string path;  // e.g. "regions.US.mu_q" or "market.threshold[1]"
  bool scale = false;
  double lower = 0, upper = 1;
  std::optional<double> start;  // default: the scenario's value (1 for a scale)
  int line = 0;
};

struct CalibrationSettings {
  int replications = 32;
  std::optional<std::uint32_t> seed;  // default: the scenario's seed
  int max_evaluations = 200;
  // Nelder-Mead stops when the simplex's objective values differ by at most
  // f_tolerance, or when its vertices lie within x_tolerance of the best in the unit cube.
  double f_tolerance = 1e-3;
  double x_tolerance = 1e-3;
  double initial_step = 0.2;  // of the unit cube, along each parameter
};

struct Targets {
  std::string path;
  std::string text;  // the file as read, for the fit file and the journal's fingerprint
  CalibrationSettings settings;
  std::vector<FreeParameter> parameters;
  std::vector<Target> targets;
};

// How many standard errors a simulated mean is off the target: (mean - observed) / se,
// or for a target with a band, the distance to the band's nearer edge over se (0 inside).
double target_z(const Target& target, double simulated_mean);

// Reads and checks the file on its own (keys, types, ranges, bounds in order).
Targets read_targets(const std::string& path);
Targets read_targets_text(const std::string& text, const std::string& path_for_messages);

// Checks the targets against the scenario they calibrate (regions, years and cohorts in
// its run) and resolves each moment's positions. Parameter paths are checked where the
// parameters are turned into overrides (calibrate/parameters.hpp).
void check_targets(Targets& targets, const Scenario& scenario);

// "unicorns US 2019-12", "funnel US reached_a seed 2010-2014", ...
std::string describe(const Moment& moment);

}  // namespace vcsim
