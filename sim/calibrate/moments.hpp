#pragma once
// The moments a calibration compares with the record (docs/calibration.md), computed
// from what one replication records (MODEL.md section 5), and their spread across the
// replications of an evaluation.
#include <vector>

#include "calibrate/targets.hpp"
#include "record/results.hpp"

namespace vcsim {

// The moment's value in one replication; NaN where there is nothing to measure (no
// seeded startup in the cohorts, no liquidated fund). `start_year` is the run's first year.
//   unicorns       stock (definition as asked) at the end of the month, summed over sectors
//   new_unicorns   unicorns that entered the stock in the year, summed over sectors: first
//                  valued at USD 1 bn or more (new) or back above it after a demotion
//                  (reminted), as an index counts the companies that joined its list
//   funnel         share of the cohorts' seeded startups that reached the outcome
//   median_months  mean of the cohort cells' (seed year x region x sector) medians,
//                  weighted by how many startups each median is taken over: the pooled
//                  median is not recorded, and this tracks it closely when cells are alike
//   deal_value     capital invested in rounds in the year, every source (funds, state,
//                  co-investors), USD bn
//   fund_tvpi      mean net TVPI of the funds liquidated by the end of the run
double moment_value(const Moment& moment, const ReplicationResult& result, int start_year);

// Mean, sample standard deviation, min and max across replications, NaN values left
// out; n counts the values kept (mean is NaN when n is 0).
struct MomentStats {
  double mean = 0, sd = 0, min = 0, max = 0;
  int n = 0;
};

MomentStats moment_stats(const Moment& moment, const std::vector<ReplicationResult>& results,
                         int start_year);

// The same from the moment's value in each replication, in replication order.
MomentStats moment_stats(const std::vector<double>& replication_values);

// A NaN simulated mean counts as this many standard errors off, so that an evaluation
// where a moment cannot be measured is worse than any where it can be measured nearby.
inline constexpr double kMissingMomentZ = 10.0;

// sum over targets of weight * z^2, z = target_z(target, simulated mean) (calibrate/targets.hpp).
double objective(const std::vector<Target>& targets, const std::vector<MomentStats>& simulated);

}  // namespace vcsim
