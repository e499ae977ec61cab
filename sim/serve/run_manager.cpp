#include "serve/run_manager.hpp"

#include <algorithm>

#include "model/world.hpp"
#include "run/replication.hpp"
#include "serve/run_events.hpp"

namespace vcsim::serve {

namespace {
// Thrown from the month callback to leave simulate() when a run is cancelled.
struct Cancelled {};
}  // namespace

Run::Run(Scenario policy, Scenario counterfactual, std::string preset)
    : scenarios_{std::move(policy), std::move(counterfactual)}, preset_(std::move(preset)) {
  events_.push_back(sse(start_event(scenarios_[0], preset_)));
}

Run::~Run() {
  cancel();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

void Run::start() {
  started_ = std::chrono::steady_clock::now();
  for (int side = 0; side < 2; ++side)
    threads_[side] = std::thread([this, side] { simulate_side(side); });
}

void Run::simulate_side(int side) {
  nlohmann::json last_year;
  bool completed = false;
  try {
    // Replication 0 of the scenario: what `vcsim run --replications 1` writes.
    World world(scenarios_[side], 0);
    simulate(world, [&] {
      if (cancelled_) throw Cancelled{};
      if (world.month % 12 != 11) return;
      last_year = year_event(world, kSideNames[static_cast<std::size_t>(side)]);
      push(sse(last_year));
    });
    completed = true;
  } catch (const Cancelled&) {
  } catch (const std::exception& e) {
    cancel();  // the other side's figures would have nothing to compare with
    push(sse({{"type", "error"}, {"message", e.what()}}));
  }
  side_over(side, std::move(last_year), completed);
}

void Run::push(std::string event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  ready_.notify_all();
}

void Run::side_over(int side, nlohmann::json last_year, bool completed) {
  {
    std::lock_guard lock(mutex_);
    last_year_[side] = std::move(last_year);
    completed_[side] = completed;
    if (sides_over_ + 1 == 2) {
      completed_all_ = completed_[0] && completed_[1];
      if (completed_all_) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        nlohmann::json done{{"type", "done"}, {"seconds", seconds}};
        for (std::size_t s = 0; s < 2; ++s) {
          nlohmann::json final_year = last_year_[s];
          final_year.erase("flows");
          done[kSideNames[s]] = final_year;
        }
        events_.push_back(sse(done));
      }
      closed_ = true;
    }
    ++sides_over_;
  }
  ready_.notify_all();
}

Run::Next Run::next_event(std::chrono::milliseconds timeout, std::string& event) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return !events_.empty() || closed_; });
  if (!events_.empty()) {
    event = std::move(events_.front());
    events_.pop_front();
    return Next::event;
  }
  return closed_ ? Next::end : Next::timeout;
}

RunManager::~RunManager() {
  std::lock_guard lock(mutex_);
  for (auto& run : runs_) run->cancel();
}

std::shared_ptr<Run> RunManager::try_start(Scenario policy, Scenario counterfactual,
                                           const std::string& preset) {
  std::lock_guard lock(mutex_);
  forget_finished_runs();
  if (static_cast<int>(runs_.size()) >= max_runs_) return nullptr;
  auto run = std::make_shared<Run>(std::move(policy), std::move(counterfactual), preset);
  run->start();
  runs_.push_back(run);
  return run;
}

void RunManager::forget_finished_runs() {
  std::erase_if(runs_, [this](const auto& run) {
    if (!run->simulation_over()) return false;
    ++(run->completed() ? completed_ : stopped_);
    return true;
  });
}

RunManager::Counts RunManager::counts() {
  std::lock_guard lock(mutex_);
  forget_finished_runs();
  return {static_cast<int>(runs_.size()), completed_, stopped_};
}

}  // namespace vcsim::serve
