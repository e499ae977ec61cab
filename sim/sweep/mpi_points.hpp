#pragma once
// Spreading a sweep's points over MPI ranks (`mpirun -n N vcsim sweep ...`), when vcsim
// is built with MPI (VCSIM_HAVE_MPI). Rank 0 hands out points one at a time to whichever
// rank asks (dynamic load balancing: points differ in cost) and computes points itself
// between requests; every rank writes its finished points into the checkpoint folder,
// which must therefore lie on a file system all ranks share (as a cluster's home or
// scratch does), and rank 0 alone writes the sweep file at the end.
#include <cstddef>
#include <functional>
#include <vector>

namespace vcsim {

class MpiSession {
 public:
  // Initialises MPI when this process was started by mpirun (and vcsim was built with
  // MPI); otherwise a session of one rank that does nothing.
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  // Rank 0's `status` on every rank.
  int broadcast(int status) const;
  void barrier() const;
  // Ends every rank at once after an error on one of them.
  [[noreturn]] void abort(int code) const;

  // Runs `work(point)` for every point of rank 0's `todo` on some rank, each exactly once.
  // `finished(point)` is called on rank 0, from any of its threads, once per point done
  // on any rank, after that rank's `work(point)` returned. Returns when every point is
  // done.
  void for_each_point(const std::vector<std::size_t>& todo,
                      const std::function<void(std::size_t)>& work,
                      const std::function<void(std::size_t)>& finished) const;

 private:
  int rank_ = 0, size_ = 1;
  bool active_ = false;
};

// Whether this vcsim was built with MPI.
bool built_with_mpi();

}  // namespace vcsim
