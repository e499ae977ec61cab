#pragma once
// A progress bar with an ETA on stderr, drawn only when stderr is a terminal so logs
// and pipelines stay quiet. Worker threads call tick(); a background thread redraws.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace vcsim {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::uint64_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void tick() { done_.fetch_add(1, std::memory_order_relaxed); }
  // Whether stderr is an interactive terminal.
  static bool stderr_is_terminal();

 private:
  void draw(bool final_line);
  void loop();

  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vcsim
