#pragma once
// What one replication records (MODEL.md section 5). Arrays carry their dimension
// names; the HDF5 writer stacks replications along a leading `replication` axis.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "record/nd_array.hpp"

namespace vcsim {

// Sources of capital in a round (MODEL.md section 5).
inline constexpr std::array<const char*, 4> kSourceNames{"private_funds", "guidance_funds",
                                                         "direct_state", "other"};
enum class Source : std::uint8_t {
  private_funds = 0,
  guidance_funds = 1,
  direct_state = 2,
  other = 3
};

// Unicorn definitions: all (alive, private, V >= 1bn) and age-capped (also <= 120 months).
inline constexpr std::array<const char*, 2> kUnicornDefinitionNames{"all", "age_capped"};

// Flows of the unicorn stock: active(t) = active(t-1) + new + reminted - ipo - acquired
// - failed - demoted - aged_out.
struct UnicornSeries {
  NdArray<std::int32_t> active, new_, reminted, ipo, acquired, failed, demoted, aged_out;
};

// Cohort outcomes by seed year x region x sector (MODEL.md section 5).
// "alive" counts startups of the cohort still alive and private at the end of the run.
inline constexpr std::array<const char*, 10> kCohortOutcomeNames{
    "seeded",  "reached_a", "reached_b", "reached_c", "reached_d",
    "unicorn", "ipo",       "acquired",  "failed",    "alive"};
inline constexpr std::array<const char*, 4> kCohortDurationNames{"founding_to_seed", "seed_to_a",
                                                                 "a_to_b", "founding_to_unicorn"};

struct FundRecord {
  std::int32_t region = 0;
  std::int32_t kind = 0;           // 0 private, 1 guidance-backed
  std::int32_t vintage_month = 0;  // month of the close (-1: initial pool)
  std::int32_t index = 0;          // index among funds of its vintage and region
  std::int32_t firm = 0;           // firm serial number in its region
  std::int32_t focus = 0;          // 0 seed, 1 early, 2 growth
  std::int32_t sector = -1;        // specialist sector, -1 generalist
  std::int32_t life = 0;           // months
  std::int32_t liquidated_month = -1;
  double size = 0, state_share = 0, paid_in = 0, invested = 0, fees = 0;
  double gross_proceeds = 0, carry = 0, distributions = 0, nav = 0;
  double tvpi = 0, dpi = 0, irr = 0;
  std::int32_t deals = 0;
};

struct ReplicationResult {
  // (month, region, sector)
  NdArray<std::int32_t> births, startups_alive, ipos, acquisitions, failures_unfunded,
      failures_funded;
  std::array<UnicornSeries, 2> unicorns;  // by definition
  // (month, region, sector, stage)
  NdArray<std::int32_t> rounds;
  // (month, region, sector, stage, source)
  NdArray<double> capital_invested;
  // (month, region)
  NdArray<double> fees, calls, distributions, carry, exit_proceeds_to_funds, secondary_sales;
  // (year, region)
  NdArray<double> lp_pool, lp_unplaced, capital_raised;
  NdArray<std::int32_t> funds_closed, firms_entered, firms_exited;
  // (year, source_node, target_node): the capital-flow matrix
  NdArray<double> capital_flows;
  // (seed_year, region, sector, outcome) and (seed_year, region, sector, duration)
  NdArray<std::int32_t> cohort_counts;
  NdArray<double> cohort_median_months;
  std::vector<FundRecord> funds;
  // Work done: alive startups summed over months.
  std::uint64_t agent_months = 0;
};

// Everything needed to describe a run's output besides the replications.
struct RunLabels {
  int start_year = 2000;
  std::vector<std::string> regions, sectors, flow_nodes;
};

}  // namespace vcsim
