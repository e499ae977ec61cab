#pragma once
// The free parameters of a calibration as values, points of the unit cube the optimiser
// searches, and scenario overrides (scenario/reader.hpp) an evaluation reads the
// scenario with.
#include <string>
#include <vector>

#include <toml++/toml.h>
#include <Eigen/Core>

#include "calibrate/targets.hpp"
#include "scenario/reader.hpp"

namespace vcsim {

class ParameterSpace {
 public:
  // Checks every parameter's path against the resolved scenario: it must hold a number
  // (an integer parameter is rounded), an array of numbers for "path[i]", or for
  // scale = true a number, array or year table of numbers. Throws ScenarioError naming
  // the targets file, line and parameters.NAME.path.
  ParameterSpace(const Targets& targets, const Scenario& base);

  std::size_t size() const { return parameters_.size(); }
  const std::vector<FreeParameter>& parameters() const { return parameters_; }

  // The start values: `start` where given, else the scenario's value (1 for a scale),
  // clamped into the bounds.
  std::vector<double> start() const;

  // Unit cube <-> values; from_unit clamps into the cube and rounds integer parameters,
  // so every point the optimiser tries maps to a value the scenario can hold.
  Eigen::VectorXd to_unit(const std::vector<double>& values) const;
  std::vector<double> from_unit(const Eigen::VectorXd& unit) const;

  // One override per distinct scenario key touched, in the order of the parameters; two
  // elements of one array become one override of the whole array.
  std::vector<Override> overrides(const std::vector<double>& values) const;

 private:
  struct Location {
    std::string key;  // dotted path without the index
    int index = -1;   // array element, or -1
    bool integer = false;
  };

  std::vector<FreeParameter> parameters_;
  std::vector<Location> locations_;
  std::vector<double> scenario_values_;  // the value at each path (1 for a scale)
  toml::table base_;                     // the resolved scenario
  std::string targets_path_;
};

// TOML text of a value node: a number, an array or an inline table of numbers.
std::string toml_value_text(const toml::node& node);

}  // namespace vcsim
