#include "sweep/sweep_runner.hpp"

#include <tbb/parallel_for.h>

#include "io/output_file.hpp"
#include "io/run_spool.hpp"
#include "run/replication.hpp"
#include "version.hpp"

namespace vcsim {

void run_point(const SweepPlan& plan, std::size_t point, const Checkpoint& checkpoint,
               std::mutex& hdf5, long points_side_by_side, const PointDone& written) {
  const Scenario scenario = point_scenario(plan, point);
  const std::string path = checkpoint.point_path(point);
  // As in `vcsim run`, each replication's fund table waits on disk (io/run_spool.hpp).
  RunSpool spool(path, static_cast<std::size_t>(plan.replications));
  const auto results = run_replications(
      scenario, plan.replications, {}, MicroData::none, points_side_by_side,
      [&spool](std::size_t r, ReplicationResult& result) { spool.add(r, result); });
  std::lock_guard<std::mutex> lock(hdf5);
  write_run_output(path, scenario, run_labels(scenario), results, spool);
  if (written) written(point);
}

void run_points(const SweepPlan& plan, const std::vector<std::size_t>& points,
                const Checkpoint& checkpoint, const PointDone& done, const PointDone& written) {
  std::mutex hdf5;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, points.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          run_point(plan, points[i], checkpoint, hdf5, static_cast<long>(points.size()), written);
          if (done) done(points[i]);
        }
      },
      tbb::simple_partitioner());
}

SweepHeader sweep_header(const SweepPlan& plan) {
  SweepHeader h;
  h.scenario_name = plan.base.name;
  h.scenario_path = plan.base.source_path;
  h.scenario_text = plan.base.resolved_text;
  h.engine_version = kEngineVersion;
  h.git_revision = kGitRevision;
  h.design = design_name(plan.design.kind);
  h.shard = plan.shard.whole() ? "" : plan.shard.text();
  h.seed = plan.base.seed;
  h.design_seed = plan.design_seed;
  h.replications = plan.replications;
  h.points_total = static_cast<std::int64_t>(plan.design.points);
  h.base_points = static_cast<std::int64_t>(plan.design.base_points);
  h.start_year = plan.base.start_year;
  h.end_year = plan.base.end_year;
  h.parameters = plan.design.parameters;
  return h;
}

std::vector<PointSource> checkpoint_sources(const SweepPlan& plan, const Checkpoint& checkpoint) {
  const Design& d = plan.design;
  const std::size_t k = d.parameters.size();
  std::vector<PointSource> sources;
  for (std::size_t p : plan.points) {
    PointSource s;
    s.point = p;
    s.file = checkpoint.point_path(p);
    s.design_values.assign(d.values.begin() + static_cast<std::ptrdiff_t>(p * k),
                           d.values.begin() + static_cast<std::ptrdiff_t>((p + 1) * k));
    if (!d.role.empty()) {
      s.role = d.role[p];
      s.sample = d.sample[p];
    }
    sources.push_back(std::move(s));
  }
  return sources;
}

}  // namespace vcsim
