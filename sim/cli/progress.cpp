#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace vcsim {

bool ProgressBar::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::string label, std::uint64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  draw(true);
}

void ProgressBar::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(200));
    if (!stop_) draw(false);
  }
}

void ProgressBar::draw(bool final_line) {
  constexpr int kWidth = 30;
  const std::uint64_t done = std::min(done_.load(std::memory_order_relaxed), total_);
  const double fraction = static_cast<double>(done) / static_cast<double>(total_);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r%s [%s] %3.0f%%  elapsed %.0fs  ETA %.0fs   ", label_.c_str(),
               bar.c_str(), 100 * fraction, elapsed, eta);
  if (final_line) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace vcsim
