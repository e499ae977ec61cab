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
// Seeded startups by where their equity came from, judged when they end (or at the end
// of the run): private money only, both, or state money only (guidance funds' share of
// checks and direct stakes), as the literature on government-sponsored venture capital
// splits them. Grants buy no stake and do not decide the class; they are money of their own.
inline constexpr std::array<const char*, 3> kStartupClassNames{"pure_private", "mixed",
                                                               "pure_state"};
inline constexpr std::array<const char*, 3> kMoneyNames{"private", "state", "grants"};
inline constexpr std::array<const char*, 4> kCohortDurationNames{"founding_to_seed", "seed_to_a",
                                                                 "a_to_b", "founding_to_unicorn"};

// Per guidance fund and year, at December (MODEL.md section 5), cumulative USD m except
// the ratios.
inline constexpr std::array<const char*, 12> kGuidanceMeasureNames{
    "offered",       "committed", "drawn", "undrawn",           "direct_invested",
    "distributions", "nav",       "tvpi",  "private_mobilised", "private_per_state_dollar",
    "buyouts",       "irr"};

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
  std::int32_t deals = 0;
  // The doubles after the ten 32-bit fields, which fill whole 8-byte words: no padding
  // in a record held for every fund of every replication until the file is written.
  double size = 0, state_share = 0, paid_in = 0, invested = 0, fees = 0;
  double gross_proceeds = 0, carry = 0, distributions = 0, nav = 0;
  double tvpi = 0, dpi = 0, irr = 0;
};
static_assert(sizeof(FundRecord) == 10 * 4 + 12 * 8);

// Micro data (MODEL.md section 5, on request): one row per startup, written when it
// ends or at the end of the run.
struct StartupRecord {
  std::uint32_t id = 0;  // identity: (birth month + 1) << 20 | index in that month
  std::int32_t region = 0, sector = 0, locality = 0;
  double log_q = 0;
  std::int32_t birth_month = 0;
  std::array<std::int32_t, 5> stage_month{};  // seed, A, B, C, D+; -1 if never
  std::int32_t unicorn_month = -1, end_month = -1;
  std::int32_t status = 0;  // 0 alive, 1 failed, 2 ipo, 3 acquired
  std::int32_t stage = 0;
  double raised_funds = 0, raised_state = 0, raised_other = 0, raised_private = 0,
         raised_grants = 0;
  std::int32_t state_money = 0;  // 1 if state money took part in any round
};

// One row per investment of a fund (a cap-table entry it bought), written when the
// fund's stake ends (exit, failure, end-of-life sale) or at the end of the run.
struct InvestmentRecord {
  std::int32_t fund = 0;      // the fund's row in /funds of the same replication
  std::uint32_t startup = 0;  // the startup's identity
  std::int32_t round = 0;     // stage of the round, 1..5
  std::int32_t month = 0;     // month of the round
  double amount = 0;          // USD m invested
  double proceeds = 0;        // USD m received so far
  double multiple = 0;        // proceeds / amount
  std::int32_t realised = 0;  // 1 once the stake has ended
};

struct ReplicationResult {
  // (month, region, sector)
  NdArray<std::int32_t> births, startups_alive, ipos, acquisitions, failures_unfunded,
      failures_funded, grants;
  NdArray<double> grant_money;  // (month, region, sector): non-dilutive state grants, USD m
  // (month, region, sector): unicorns (all definition) that have taken state money
  NdArray<std::int32_t> unicorns_state_backed;
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
  // (seed_year, region, class, outcome) and (seed_year, region, class, money): the
  // cohorts split by class, and the money the class raised (USD m)
  NdArray<std::int32_t> cohort_counts_by_class;
  NdArray<double> cohort_capital_by_class;
  std::vector<FundRecord> funds;
  // (year, guidance_fund, measure); empty when the scenario has no guidance fund
  NdArray<double> guidance;
  // (year, guidance_fund, sector, stage): the state's money invested through each
  // guidance fund (its share of sub-fund checks, and direct stakes), USD m
  NdArray<double> guidance_invested;
  std::vector<StartupRecord> startups;        // empty unless micro data was asked for
  std::vector<InvestmentRecord> investments;  // likewise
  // Work done: alive startups summed over months.
  std::uint64_t agent_months = 0;
};

// Everything needed to describe a run's output besides the replications.
struct RunLabels {
  int start_year = 2000;
  std::vector<std::string> regions, sectors, flow_nodes, guidance_funds;
};

}  // namespace vcsim
