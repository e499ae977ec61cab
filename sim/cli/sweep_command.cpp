// `vcsim sweep`: run every point of a scenario's [sweep] design and write one HDF5 file;
// across threads (TBB), MPI ranks (mpirun) or shards (--shard K/N, joined by vcsim merge).
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/sweep_progress.hpp"
#include "sweep/mpi_points.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_runner.hpp"

namespace vcsim::cli {

namespace {

struct SweepArgs {
  std::string scenario, output, shard;
  int threads = 0;
  bool resume = false, yes = false, dry_run = false, quiet = false;
};

std::string default_output(const SweepArgs& args) {
  const std::string stem = std::filesystem::path(args.scenario).stem().string();
  return stem + "_sweep.h5";
}

// Ctrl-C or SIGTERM end the sweep at once; the points already in the checkpoint stay
// (a point being written is left as a temporary that --resume removes). The handler only
// says so, with what is async-signal-safe: write(2) and _exit(2).
char interrupted_message[512];

extern "C" void on_interrupt(int signal) {
  const ssize_t ignored =
      ::write(STDERR_FILENO, interrupted_message, std::strlen(interrupted_message));
  (void)ignored;
  ::_exit(128 + signal);
}

void say_how_to_resume(const std::string& output) {
  std::snprintf(interrupted_message, sizeof interrupted_message,
                "\nvcsim sweep: interrupted; the finished points are kept in %s.points/: run "
                "the same command with --resume to finish\n",
                output.c_str());
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

// The design as CSV on stdout: what `--dry-run` shows before anything runs.
void print_design(const SweepPlan& plan) {
  const Design& d = plan.design;
  std::cout << "point";
  for (const auto& name : d.parameters) std::cout << ',' << name;
  if (!d.role.empty()) std::cout << ",role,sample";
  std::cout << '\n';
  for (std::size_t p : plan.points) {
    std::cout << p;
    for (std::size_t j = 0; j < d.parameters.size(); ++j)
      std::cout << ',' << value_text(d.value(p, j), d.integer[j]);
    if (!d.role.empty()) std::cout << ',' << d.role[p] << ',' << d.sample[p];
    std::cout << '\n';
  }
}

// Runs `step` on rank 0 and tells every rank whether it threw, so that none waits for
// points that will never come: rank 0 rethrows its error, the others stop quietly.
template <typename F>
void on_rank_0(const MpiSession& mpi, F&& step) {
  std::exception_ptr error;
  if (mpi.root()) {
    try {
      step();
    } catch (...) {
      error = std::current_exception();
    }
  }
  if (mpi.broadcast(error ? 1 : 0) != 0) {
    if (error) std::rethrow_exception(error);
    throw SweepError("");  // rank 0 reports it
  }
}

// Rank 0 opens the checkpoint and finds what is left to run.
std::vector<std::size_t> points_to_run(const MpiSession& mpi, const SweepPlan& plan,
                                       const Checkpoint& checkpoint, bool resume) {
  std::vector<std::size_t> todo;
  on_rank_0(mpi, [&] {
    checkpoint.start(resume);
    const auto done = checkpoint.finished(plan.design.points);
    for (std::size_t p : plan.points)
      if (!done[p]) todo.push_back(p);
  });
  return todo;
}

// Rank 0 opens the sweep file it will fill (in the checkpoint folder until it is whole).
std::unique_ptr<SweepFileWriter> open_sweep_file(const MpiSession& mpi, const SweepPlan& plan,
                                                 const Checkpoint& checkpoint,
                                                 const std::string& output) {
  std::unique_ptr<SweepFileWriter> writer;
  on_rank_0(mpi, [&] {
    writer = std::make_unique<SweepFileWriter>(
        output, sweep_header(plan), checkpoint_sources(plan, checkpoint),
        (std::filesystem::path(checkpoint.folder()) / "sweep.h5.tmp.0").string());
  });
  return writer;
}

int sweep_command(const SweepArgs& args) {
  const MpiSession mpi;
  const Shard shard = args.shard.empty() ? Shard{} : parse_shard(args.shard, "--shard");
  const SweepPlan plan = plan_sweep(args.scenario, shard, args.yes);
  if (args.dry_run) {
    if (mpi.root()) print_design(plan);
    return kExitOk;
  }
  check_parameters(plan);
  const std::string output = args.output.empty() ? default_output(args) : args.output;
  const auto folder = std::filesystem::absolute(output).parent_path();
  if (!std::filesystem::is_directory(folder))
    throw SweepError(output + ": output folder " + folder.string() + " does not exist");
  const int threads =
      args.threads > 0 ? args.threads : static_cast<int>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const Checkpoint checkpoint(output, sweep_fingerprint(plan));
  const auto todo = points_to_run(mpi, plan, checkpoint, args.resume);
  if (mpi.root()) say_how_to_resume(output);
  // Rank 0 copies each point into the sweep file as soon as it is done, on whichever
  // rank; the points resumed from the checkpoint are copied at the end.
  const auto writer = open_sweep_file(mpi, plan, checkpoint, output);
  std::vector<std::size_t> row_of(plan.design.points, 0);
  for (std::size_t i = 0; i < plan.points.size(); ++i) row_of[plan.points[i]] = i;
  const PointDone written = [&](std::size_t point) {
    if (writer) writer->add(row_of[point]);
  };
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t ran = 0;
  {
    SweepProgress progress("vcsim sweep " + plan.base.name, plan.points.size(),
                           plan.points.size() - todo.size(), plan.replications,
                           mpi.root() && !args.quiet && ProgressBar::stderr_is_terminal());
    if (mpi.size() > 1) {
      std::mutex hdf5;  // rank 0's server thread copies points while its main thread runs
      mpi.for_each_point(
          todo,
          [&](std::size_t point) {
            try {
              run_point(plan, point, checkpoint, hdf5);
            } catch (const std::exception& e) {
              std::cerr << "vcsim sweep: rank " << mpi.rank() << ", point " << point << ": "
                        << e.what() << "\n";
              mpi.abort(kExitFailure);
            }
          },
          [&](std::size_t point) {
            try {
              std::lock_guard<std::mutex> lock(hdf5);
              written(point);
            } catch (const std::exception& e) {
              std::cerr << "vcsim sweep: " << e.what() << "\n";
              mpi.abort(kExitFailure);
            }
            progress.point_done();
          });
    } else {
      run_points(
          plan, todo, checkpoint, [&](std::size_t) { progress.point_done(); }, written);
    }
    ran = progress.done_now();
  }
  mpi.barrier();
  if (!mpi.root()) return kExitOk;
  writer->finish();
  checkpoint.remove();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!args.quiet) {
    const double replications = static_cast<double>(ran) * plan.replications;
    std::printf(
        "wrote %s: %zu points x %d replications (%llu points run now, %zu resumed), %d ranks x "
        "%d threads, %.2f s, %.2f replications/s\n",
        output.c_str(), plan.points.size(), plan.replications, static_cast<unsigned long long>(ran),
        plan.points.size() - todo.size(), mpi.size(), threads, seconds,
        seconds > 0 ? replications / seconds : 0.0);
  }
  return kExitOk;
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto args = std::make_shared<SweepArgs>();
  auto* sweep =
      app.add_subcommand("sweep", "run every point of a scenario's [sweep] design into one file");
  sweep->add_option("scenario", args->scenario, "scenario file with a [sweep] section")->required();
  sweep->add_option("-o,--output", args->output, "output file (default: SCENARIO_STEM_sweep.h5)");
  sweep->add_option("--threads", args->threads, "worker threads per process (default: all cores)")
      ->check(CLI::Range(1, 1024));
  sweep->add_option("--shard", args->shard,
                    "run only share K of N (K from 1, e.g. a Slurm array index) into its own "
                    "file; join the shards with vcsim merge");
  sweep->add_flag("--resume", args->resume,
                  "continue an interrupted sweep: run only the points its checkpoint lacks");
  sweep->add_flag("--yes", args->yes, "run a design of more than 10000 points");
  sweep->add_flag("--dry-run", args->dry_run, "print the design as CSV and run nothing");
  sweep->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  return {sweep, [args] { return sweep_command(*args); }};
}

}  // namespace vcsim::cli
