#pragma once
// Wall seconds spent in each phase of the month plan over a run, summed over its months:
// where a replication's time goes, without a profiler (`bench_baseline_replication
// --phases`). Timing a phase changes nothing it computes.
#include <array>
#include <chrono>

#include "phases/plan.hpp"

namespace vcsim {

struct PhaseTimes {
  double initial_fundraising = 0;
  std::array<double, kMonthPlan.size()> month_phases{};  // in the order of kMonthPlan

  double total() const {
    double sum = initial_fundraising;
    for (const double seconds : month_phases) sum += seconds;
    return sum;
  }
};

// Runs `work`; given `seconds`, adds its wall seconds there, and reads no clock without.
template <typename Work>
void run_timed(double* seconds, Work&& work) {
  if (seconds == nullptr) return work();
  const auto start = std::chrono::steady_clock::now();
  work();
  *seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace vcsim
