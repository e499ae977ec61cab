#pragma once
// A sweep's design: the parameter values of every point (README "Parameter sweeps").
//
// - grid: every combination of the parameters' values, the first parameter (in name
//   order) varying slowest.
// - lhs: Latin hypercube of `points` samples: each parameter's range cut into `points`
//   equal strata, one sample in each, strata paired at random (McKay et al. 1979);
//   the design's seed drives the draws.
// - sobol: the first `points` points of the Sobol sequence (sim/sweep/sobol_sequence.hpp).
// - saltelli: for Sobol sensitivity indices (Saltelli et al. 2010): the first N points of
//   a 2k-dimensional Sobol sequence give the matrices A (first k columns) and B (last k);
//   AB_i is A with column i taken from B. The points are, for each sample j in order:
//   A_j, AB_1j .. AB_kj, B_j, so N (k + 2) in all; `role` says which (0 for A, i for AB_i,
//   k + 1 for B) and `sample` gives j.
//
// A unit coordinate u in [0, 1) maps to a range as min + u (max - min), or for integer
// bounds to the integer floor(min + u (max - min + 1)); to a list as its element
// floor(u n), so a list is sampled uniformly.
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/reader.hpp"
#include "sweep/sweep_spec.hpp"

namespace vcsim {

struct Design {
  DesignKind kind = DesignKind::grid;
  std::vector<std::string> parameters;
  std::vector<bool> integer;  // per parameter: values are integers
  std::size_t points = 0;
  std::uint64_t base_points = 0;     // lhs, sobol: points; saltelli: N; grid: points
  std::vector<double> values;        // points x parameters, row-major
  std::vector<std::int32_t> role;    // saltelli only, per point
  std::vector<std::int32_t> sample;  // saltelli only, per point

  double value(std::size_t point, std::size_t parameter) const {
    return values[point * parameters.size() + parameter];
  }
};

// The number of points the spec gives, computed without building the design; saturates
// at UINT64_MAX.
std::uint64_t design_size(const SweepSpec& spec);

// Builds the design; `seed` drives the Latin hypercube (the spec's seed or the scenario's).
Design make_design(const SweepSpec& spec, std::uint32_t seed);

// A value as TOML text that reads back as the same number: an integer, or a double
// printed with the fewest digits that round-trip.
std::string value_text(double value, bool integer);

// The overrides that turn the base scenario into point `point`; `origins[j]` names
// parameter j's override in the scenario reader's messages.
std::vector<Override> point_overrides(const Design& design, std::size_t point,
                                      const std::vector<std::string>& origins);

}  // namespace vcsim
