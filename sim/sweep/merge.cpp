#include "sweep/merge.hpp"

#include <algorithm>

#include "sweep/sweep_file.hpp"
#include "sweep/sweep_spec.hpp"

namespace vcsim {
namespace {

// The first root attribute in which `b` differs from `a`, or "" when they agree on all
// that makes them parts of one sweep.
std::string first_difference(const SweepHeader& a, const SweepHeader& b) {
  if (a.engine_version != b.engine_version || a.git_revision != b.git_revision)
    return "vcsim build (" + a.engine_version + " " + a.git_revision + " against " +
           b.engine_version + " " + b.git_revision + ")";
  if (a.seed != b.seed) return "seed";
  if (a.scenario_text != b.scenario_text) return "scenario";
  if (a.design != b.design || a.design_seed != b.design_seed || a.base_points != b.base_points ||
      a.points_total != b.points_total)
    return "design";
  if (a.parameters != b.parameters) return "parameters";
  if (a.replications != b.replications) return "replications";
  if (a.start_year != b.start_year || a.end_year != b.end_year) return "years";
  return "";
}

std::string listed(const std::vector<std::size_t>& points) {
  std::string text;
  for (std::size_t i = 0; i < points.size() && i < 10; ++i)
    text += (i ? ", " : "") + std::to_string(points[i]);
  if (points.size() > 10) text += ", ...";
  return text;
}

}  // namespace

void merge_shards(const std::vector<std::string>& shards, const std::string& output) {
  if (shards.empty()) throw SweepError("vcsim merge: expected at least one shard file");
  const SweepHeader first = read_sweep_header(shards.front());
  std::vector<PointSource> sources;
  std::vector<std::string> owner(static_cast<std::size_t>(first.points_total));
  for (const auto& shard : shards) {
    const SweepHeader header = read_sweep_header(shard);
    if (const auto what = first_difference(first, header); !what.empty())
      throw SweepError(shard + ": a shard of another sweep than " + shards.front() + ": its " +
                       what + " differs");
    for (auto& s : sweep_file_sources(shard)) {
      if (s.point >= owner.size())
        throw SweepError(shard + ": point " + std::to_string(s.point) + " lies outside the " +
                         std::to_string(owner.size()) + " points of the sweep");
      if (!owner[s.point].empty())
        throw SweepError(shard + ": point " + std::to_string(s.point) + " is also in " +
                         owner[s.point] + "; each point must come from one shard");
      owner[s.point] = shard;
      sources.push_back(std::move(s));
    }
  }
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < owner.size(); ++p)
    if (owner[p].empty()) missing.push_back(p);
  if (!missing.empty())
    throw SweepError("vcsim merge: " + std::to_string(missing.size()) + " of " +
                     std::to_string(owner.size()) + " points are in no shard given (points " +
                     listed(missing) + "); is a shard file missing?");
  std::sort(sources.begin(), sources.end(),
            [](const PointSource& a, const PointSource& b) { return a.point < b.point; });
  SweepHeader merged = first;
  merged.shard.clear();
  write_sweep_file(output, merged, sources);
}

}  // namespace vcsim
