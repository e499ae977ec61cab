#pragma once
// Nelder-Mead minimisation over the unit cube [0, 1]^n, derivative-free and
// deterministic: the same objective and start give the same sequence of points. Points
// outside the cube are projected onto it before they are evaluated, so bounds hold
// without penalties. Coefficients adapt to the dimension (Gao and Han 2012, "Implementing
// the Nelder-Mead simplex algorithm with adaptive parameters"), which keeps the simplex
// from stalling with many parameters.
#include <functional>
#include <string>

#include <Eigen/Core>

namespace vcsim {

struct NelderMeadSettings {
  int max_evaluations = 200;
  // It stops when the objective values across the simplex differ by at most
  // f_tolerance, or when every vertex is within x_tolerance (max norm) of the best.
  double f_tolerance = 1e-3;
  double x_tolerance = 1e-3;
  double initial_step = 0.2;  // edge of the initial simplex along each axis
};

struct NelderMeadResult {
  Eigen::VectorXd best;
  double value = 0;
  int evaluations = 0;
  bool converged = false;  // false: the evaluation budget ran out
};

using UnitObjective = std::function<double(const Eigen::VectorXd&)>;

NelderMeadResult nelder_mead(const UnitObjective& objective, const Eigen::VectorXd& start,
                             const NelderMeadSettings& settings);

}  // namespace vcsim
