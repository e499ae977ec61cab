#pragma once
// Runs replications of a scenario: one World per replication, months in the order of
// the plan. Replications run in parallel with TBB; each is a pure function of
// (scenario, seed, replication), so results do not depend on the thread count.
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "record/results.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

struct World;
struct PhaseTimes;

// Called after every simulated month of any replication, from worker threads.
using MonthDone = std::function<void()>;

// Which replications keep micro data (one row per startup and per fund investment).
enum class MicroData { none, first, all };

// Runs the initial fundraising and every month of the plan on `world`. Throws
// Interrupted (run/interrupt.hpp) before a month once an interrupt was requested.
// With `times`, each phase's wall seconds are added to it (run/phase_times.hpp).
void simulate(World& world, const MonthDone& month_done = {}, PhaseTimes* times = nullptr);

ReplicationResult run_replication(const Scenario& scenario, std::uint32_t replication,
                                  const MonthDone& month_done = {}, bool micro_data = false);

// Called once per replication as it finishes, from the worker thread that ran it, with
// its number and its result, which it may empty of what it keeps elsewhere.
using ReplicationDone = std::function<void(std::size_t replication, ReplicationResult&)>;

// Replications 0..count-1, in parallel; results in replication order. An interrupt
// cancels every replication and throws Interrupted. `side_by_side` says how many such
// calls run at once (a sweep's points): when the replications of all of them fill the
// threads, each replication runs on one thread instead of splitting its months.
std::vector<ReplicationResult> run_replications(const Scenario& scenario, int count,
                                                const MonthDone& month_done = {},
                                                MicroData micro_data = MicroData::none,
                                                long side_by_side = 1,
                                                const ReplicationDone& replication_done = {});

RunLabels run_labels(const Scenario& scenario);

}  // namespace vcsim
