#pragma once
// The phases of one simulated month, in the order of MODEL.md section 3. Each is a
// function of the World alone; the plan (phases/plan.hpp) is the one place that says
// in which order they run.
#include "model/world.hpp"

namespace vcsim {

void apply_events(World& world);             // 3.1: this month's parameters
void births(World& world);                   // 3.2
void startup_dynamics(World& world);         // 3.3
void financing_market(World& world);         // 3.4
void exits_and_distributions(World& world);  // 3.5
void fund_lifecycle(World& world);           // 3.6
void fundraising(World& world);              // 3.7 (each January)
void initial_fundraising(World& world);      // 3.7 once before month 0
void record_month(World& world);             // 3.8

// Private partners' buy-outs of the state's stakes (Yozma), each January.
void exercise_buyouts(World& world);

// Marks every fund's NAV at its holdings' last post-money (industry practice).
void mark_fund_nav(World& world);

// The startup-month kernel's code path: the fastest the processor runs (AVX-512 where
// it has it), or the portable one that runs everywhere. Both give the same results bit
// for bit; tests compare them.
enum class KernelPath { fastest, portable };
void startup_dynamics(World& world, KernelPath path);

}  // namespace vcsim
