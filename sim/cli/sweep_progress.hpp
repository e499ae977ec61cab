#pragma once
// The progress of `vcsim sweep` on stderr: points done, replications per second and the
// ETA, redrawn as points finish, only when stderr is a terminal.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace vcsim {

class SweepProgress {
 public:
  SweepProgress(std::string label, std::uint64_t points, std::uint64_t already_done,
                int replications, bool enabled);
  ~SweepProgress();
  SweepProgress(const SweepProgress&) = delete;
  SweepProgress& operator=(const SweepProgress&) = delete;

  // Thread-safe.
  void point_done();
  std::uint64_t done_now() const { return done_now_; }

 private:
  void draw(bool final_line);

  std::string label_;
  std::uint64_t points_, already_done_, done_now_ = 0;
  int replications_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

}  // namespace vcsim
