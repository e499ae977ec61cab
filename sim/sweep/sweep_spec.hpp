#pragma once
// The `[sweep]` section of a scenario file: which parameters vary, over which values or
// ranges, by which design, with how many replications per point (README "Parameter
// sweeps"). The scenario reader skips the section; `vcsim sweep` reads it here.
//
//   [sweep]
//   design = "saltelli"        # grid (default), lhs, sobol or saltelli
//   points = 64                # samples (lhs, sobol) or base samples N (saltelli)
//   replications = 4           # per point (default: the scenario's run.replications)
//   seed = 7                   # the design's seed (lhs; default: the scenario's seed)
//   [sweep.parameters]
//   "market.ipo_rate" = [0.05, 0.1]            # a list of values
//   "regions.CN.births" = { min = 100, max = 900 }      # a range
//   "market.max_dilution" = { min = 0.1, max = 0.4, steps = 4 }  # a grid range
//
// Errors name the file, line and key as the scenario reader's do
// ("FILE:LINE: sweep.points: expected ...") and are thrown as ScenarioError.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/reader.hpp"

namespace vcsim {

// A sweep that cannot run as asked (a bad section, a design over the point limit, a
// checkpoint of another sweep, shards that do not fit together): bad input, exit code 2.
struct SweepError : ScenarioError {
  using ScenarioError::ScenarioError;
};

enum class DesignKind { grid, lhs, sobol, saltelli };
const char* design_name(DesignKind kind);

// A design larger than this needs the user's explicit consent (`vcsim sweep --yes`).
inline constexpr std::uint64_t kPointLimit = 10000;

struct SweepParameter {
  std::string path;            // dotted path in the scenario, e.g. market.ipo_rate
  std::string where;           // "FILE:LINE" of its entry, for messages
  std::vector<double> values;  // a list, in the order written; empty for a range
  double min = 0, max = 0;     // a range, bounds included
  int steps = 0;               // a grid range: evenly spaced values from min to max
  bool integer = false;        // integral values: a list of integers, or integer bounds

  bool is_range() const { return values.empty(); }
};

struct SweepSpec {
  DesignKind design = DesignKind::grid;
  std::uint64_t points = 0;  // lhs, sobol: samples; saltelli: base samples; grid: unused
  std::optional<int> replications;
  std::optional<std::uint32_t> seed;
  std::vector<SweepParameter> parameters;  // in name order
};

// The `[sweep]` section of the file at `path`, or nullopt when it has none.
std::optional<SweepSpec> read_sweep_spec(const std::string& path);
// The same for a document held in memory; `path` names it in messages.
std::optional<SweepSpec> parse_sweep_spec(const std::string& text, const std::string& path);

// Sobol and Saltelli designs use this many dimensions at most (the direction numbers of
// sim/sweep/sobol_sequence.cpp); Saltelli needs two per parameter.
inline constexpr std::size_t kMaxSobolDimensions = 21;

}  // namespace vcsim
