#include "cli/sweep_progress.hpp"

#include <cstdio>

namespace vcsim {

SweepProgress::SweepProgress(std::string label, std::uint64_t points, std::uint64_t already_done,
                             int replications, bool enabled)
    : label_(std::move(label)),
      points_(points),
      already_done_(already_done),
      replications_(replications),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) draw(false);
}

SweepProgress::~SweepProgress() {
  if (enabled_) draw(true);
}

void SweepProgress::point_done() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_now_;
  if (enabled_) draw(false);
}

void SweepProgress::draw(bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_now_) * replications_ / elapsed : 0;
  const std::uint64_t done = already_done_ + done_now_;
  const std::uint64_t left = points_ > done ? points_ - done : 0;
  const double eta =
      done_now_ > 0 ? elapsed / static_cast<double>(done_now_) * static_cast<double>(left) : 0;
  std::fprintf(stderr, "\r%s: points %llu/%llu  %.2f replications/s  elapsed %.0fs  ETA %.0fs   ",
               label_.c_str(), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(points_), rate, elapsed, eta);
  if (final_line) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace vcsim
