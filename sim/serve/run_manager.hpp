#pragma once
// Teaching runs in the background: each run simulates a policy and its counterfactual
// side by side, in two threads, with the same seed and replication (common random
// numbers), and queues one server-sent event per side and simulated year. At most
// `max_runs` runs simulate at once; a run whose page goes away is cancelled, and its
// threads stop at the end of the month they are in.
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "scenario/scenario.hpp"

namespace vcsim::serve {

class Run {
 public:
  enum class Next { event, timeout, end };

  Run(Scenario policy, Scenario counterfactual, std::string preset);
  ~Run();  // cancels and waits for both threads
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  void start();
  void cancel() { cancelled_ = true; }
  // Waits up to `timeout` for the next event. `end`: every event has been taken and no
  // more will come.
  Next next_event(std::chrono::milliseconds timeout, std::string& event);
  // Both sides have stopped (finished, failed or cancelled).
  bool simulation_over() const { return sides_over_ == 2; }
  // Once the simulation is over: both sides ran to the end.
  bool completed() const { return sides_over_ == 2 && completed_all_; }

 private:
  void simulate_side(int side);
  void push(std::string event);
  void side_over(int side, nlohmann::json last_year, bool completed);

  const Scenario scenarios_[2];
  const std::string preset_;
  std::atomic<bool> cancelled_{false};
  std::atomic<int> sides_over_{0};
  std::chrono::steady_clock::time_point started_;

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::string> events_;
  nlohmann::json last_year_[2];
  bool completed_[2] = {false, false};
  std::atomic<bool> completed_all_{false};
  bool closed_ = false;
  std::thread threads_[2];
};

class RunManager {
 public:
  explicit RunManager(int max_runs) : max_runs_(max_runs) {}
  ~RunManager();  // cancels every run still simulating

  // A started run, or nullptr when `max_runs` runs are simulating.
  std::shared_ptr<Run> try_start(Scenario policy, Scenario counterfactual,
                                 const std::string& preset);
  struct Counts {
    int simulating = 0;
    int completed = 0;  // since the server started
    int stopped = 0;    // cancelled (the page went away) or failed
  };
  Counts counts();
  int max_runs() const { return max_runs_; }

 private:
  void forget_finished_runs();  // with mutex_ held

  const int max_runs_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<Run>> runs_;
  int completed_ = 0, stopped_ = 0;
};

inline constexpr std::array<const char*, 2> kSideNames{"policy", "counterfactual"};

}  // namespace vcsim::serve
