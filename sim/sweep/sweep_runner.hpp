#pragma once
// Running a sweep's points: each point's replications run as `vcsim run` would run them
// (sim/run/replication.hpp), with the scenario's seed and replication indices 0..R-1 at
// every point (common random numbers across points), and the point's run file goes into
// the checkpoint. A point's data depend on (scenario, design, point) alone, so the sweep
// file is the same whatever the threads, ranks or shards that computed it.
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "sweep/checkpoint.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_plan.hpp"

namespace vcsim {

// Runs point `point` and writes its file into the checkpoint. `hdf5` serialises the
// writing: the HDF5 library vcsim links is not thread-safe. `points_side_by_side`: how
// many points run at once in this process (see run_replications).
// Called once per finished point, from any thread.
using PointDone = std::function<void(std::size_t point)>;

// `written`, when given, is called with the point while `hdf5` is still held, once its
// file is complete: the sweep copies the point into the sweep file there.
void run_point(const SweepPlan& plan, std::size_t point, const Checkpoint& checkpoint,
               std::mutex& hdf5, long points_side_by_side = 1, const PointDone& written = {});

// Runs the points in parallel with TBB: points, and inside each point its replications,
// share the threads of the calling arena, so a few points with many replications and
// many points with few both keep every thread busy.
void run_points(const SweepPlan& plan, const std::vector<std::size_t>& points,
                const Checkpoint& checkpoint, const PointDone& done = {},
                const PointDone& written = {});

// The sweep file's root attributes for this plan.
SweepHeader sweep_header(const SweepPlan& plan);

// The plan's points, each read from its file in the checkpoint.
std::vector<PointSource> checkpoint_sources(const SweepPlan& plan, const Checkpoint& checkpoint);

}  // namespace vcsim
