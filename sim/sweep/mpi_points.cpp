#include "sweep/mpi_points.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#ifdef VCSIM_HAVE_MPI
// The C API only: Open MPI's C++ bindings do not build with -Wcast-function-type.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace vcsim {

#ifdef VCSIM_HAVE_MPI

namespace {

constexpr int kTagRequest = 1, kTagReply = 2;
constexpr long long kNoMorePoints = -1;

// mpirun (Open MPI, MPICH, Slurm's PMI) sets one of these in every process it starts.
bool launched_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

// Rank 0's server thread: answers each request with the next point, or kNoMorePoints
// once all are handed out; a request carries the point its rank just finished, or
// kNoMorePoints on its first. It polls rather than blocks, so that it leaves rank 0's
// core to the simulation.
void serve(int workers, const std::vector<std::size_t>& todo, std::atomic<std::size_t>& next,
           const std::function<void(std::size_t)>& finished) {
  int stopped = 0;
  while (stopped < workers) {
    long long done = kNoMorePoints;
    MPI_Request request;
    MPI_Irecv(&done, 1, MPI_LONG_LONG, MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &request);
    MPI_Status status;
    for (int complete = 0;;) {
      MPI_Test(&request, &complete, &status);
      if (complete) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const std::size_t i = next.fetch_add(1);
    const long long reply = i < todo.size() ? static_cast<long long>(todo[i]) : kNoMorePoints;
    if (reply == kNoMorePoints) ++stopped;
    MPI_Send(&reply, 1, MPI_LONG_LONG, status.MPI_SOURCE, kTagReply, MPI_COMM_WORLD);
    // The rank has its next point before rank 0 records the finished one (which copies
    // it into the sweep file), so no rank waits on that copy.
    if (done != kNoMorePoints && finished) finished(static_cast<std::size_t>(done));
  }
}

void ask_for_points(const std::function<void(std::size_t)>& work) {
  long long done = kNoMorePoints;
  for (;;) {
    long long point = kNoMorePoints;
    MPI_Send(&done, 1, MPI_LONG_LONG, 0, kTagRequest, MPI_COMM_WORLD);
    MPI_Recv(&point, 1, MPI_LONG_LONG, 0, kTagReply, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (point == kNoMorePoints) return;
    work(static_cast<std::size_t>(point));
    done = point;
  }
}

}  // namespace

MpiSession::MpiSession() {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  // Serialized: on rank 0 the server thread makes every MPI call while the main thread
  // computes; the main thread calls MPI again only after joining it.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (active_) MPI_Finalize();
}

int MpiSession::broadcast(int status) const {
  if (active_) MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return status;
}

void MpiSession::barrier() const {
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
}

void MpiSession::abort(int code) const {
  if (active_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

void MpiSession::for_each_point(const std::vector<std::size_t>& todo,
                                const std::function<void(std::size_t)>& work,
                                const std::function<void(std::size_t)>& finished) const {
  if (!root()) {
    ask_for_points(work);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::thread server;
  if (size_ > 1) server = std::thread([&] { serve(size_ - 1, todo, next, finished); });
  for (std::size_t i; (i = next.fetch_add(1)) < todo.size();) {
    work(todo[i]);
    if (finished) finished(todo[i]);
  }
  if (server.joinable()) server.join();
}

bool built_with_mpi() { return true; }

#else  // without MPI: one rank

MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
int MpiSession::broadcast(int status) const { return status; }
void MpiSession::barrier() const {}
void MpiSession::abort(int code) const { std::exit(code); }
void MpiSession::for_each_point(const std::vector<std::size_t>& todo,
                                const std::function<void(std::size_t)>& work,
                                const std::function<void(std::size_t)>& finished) const {
  for (std::size_t point : todo) {
    work(point);
    if (finished) finished(point);
  }
}
bool built_with_mpi() { return false; }

#endif

}  // namespace vcsim
