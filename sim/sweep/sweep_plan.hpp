#pragma once
// Everything about a sweep known before it runs: the base scenario, the design, the
// replications per point and which points this process owns (a shard's share).
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sweep/design.hpp"
#include "sweep/sweep_spec.hpp"

namespace vcsim {

// `--shard K/N`: the K-th of N shares, K from 1 (a Slurm array index maps to it). A
// shard owns the points p with p % N == K - 1: interleaved, so that points of similar
// cost (neighbours in a grid) spread over the shards.
struct Shard {
  int index = 1, count = 1;
  bool whole() const { return count == 1; }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "K/N"; throws SweepError naming `origin` when it is not 1 <= K <= N.
Shard parse_shard(const std::string& text, const std::string& origin);

struct SweepPlan {
  std::string scenario_path;
  Scenario base;  // without overrides; replications set to the sweep's
  SweepSpec spec;
  Design design;
  int replications = 1;
  std::uint32_t design_seed = 0;
  Shard shard;
  std::vector<std::size_t> points;   // the global indices this process owns, ascending
  std::vector<std::string> origins;  // per parameter, names its override in messages
};

// Reads the scenario and its [sweep] section and builds the design. A design of more
// than kPointLimit points is refused unless `allow_large`. Throws ScenarioError (the
// scenario) or SweepError (the sweep).
SweepPlan plan_sweep(const std::string& scenario_path, Shard shard, bool allow_large);

// Point `point` of the plan: the base scenario read with the point's overrides.
Scenario point_scenario(const SweepPlan& plan, std::size_t point);

// Reads the scenario at point 0 and, for each parameter, at its lowest and highest value
// in the design (the others at point 0), so that an unknown path or a value the scenario
// refuses stops the sweep before anything runs.
void check_parameters(const SweepPlan& plan);

// A fingerprint of what determines the sweep's results (engine, scenario, design,
// replications, shard): a checkpoint folder is resumed only by the same sweep.
std::string sweep_fingerprint(const SweepPlan& plan);

}  // namespace vcsim
