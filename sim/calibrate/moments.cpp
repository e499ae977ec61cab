#include "calibrate/moments.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace vcsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool in_region(const Moment& m, std::size_t region) {
  return m.region_index < 0 || static_cast<std::size_t>(m.region_index) == region;
}

// unicorns[definition].active is (month, region, sector).
double unicorns(const Moment& m, const ReplicationResult& r, int start_year) {
  const auto& active = r.unicorns[static_cast<std::size_t>(m.definition)].active;
  const auto month = static_cast<std::size_t>((m.year - start_year) * 12 + m.month - 1);
  double sum = 0;
  for (std::size_t g = 0; g < active.shape()[1]; ++g)
    if (in_region(m, g))
      for (std::size_t s = 0; s < active.shape()[2]; ++s) sum += active(month, g, s);
  return sum;
}

// new_ and reminted are (month, region, sector), as active is.
double new_unicorns(const Moment& m, const ReplicationResult& r, int start_year) {
  const UnicornSeries& series = r.unicorns[static_cast<std::size_t>(m.definition)];
  const auto first = static_cast<std::size_t>((m.year - start_year) * 12);
  const auto& shape = series.new_.shape();
  double sum = 0;
  for (std::size_t month = first; month < first + 12; ++month)
    for (std::size_t g = 0; g < shape[1]; ++g)
      if (in_region(m, g))
        for (std::size_t s = 0; s < shape[2]; ++s)
          sum += series.new_(month, g, s) + series.reminted(month, g, s);
  return sum;
}

// capital_invested is (month, region, sector, stage, source), USD m.
double deal_value(const Moment& m, const ReplicationResult& r, int start_year) {
  const auto& c = r.capital_invested;
  const auto first = static_cast<std::size_t>((m.year - start_year) * 12);
  const auto& shape = c.shape();
  double sum = 0;
  for (std::size_t month = first; month < first + 12; ++month)
    for (std::size_t g = 0; g < shape[1]; ++g)
      if (in_region(m, g))
        for (std::size_t s = 0; s < shape[2]; ++s)
          for (std::size_t k = 0; k < shape[3]; ++k)
            for (std::size_t src = 0; src < shape[4]; ++src) sum += c(month, g, s, k, src);
  return sum / 1000.0;  // USD m to USD bn
}

// Calls f(seed year, region, sector) for the cells of the moment's cohorts.
template <typename F>
void for_cohort_cells(const Moment& m, const NdArray<std::int32_t>& counts, int start_year, F f) {
  const auto first = static_cast<std::size_t>(m.first_seed_year - start_year);
  const auto last = static_cast<std::size_t>(m.last_seed_year - start_year);
  for (std::size_t y = first; y <= last && y < counts.shape()[0]; ++y)
    for (std::size_t g = 0; g < counts.shape()[1]; ++g)
      if (in_region(m, g))
        for (std::size_t s = 0; s < counts.shape()[2]; ++s) f(y, g, s);
}

// cohort_counts is (seed_year, region, sector, outcome); outcome 0 is "seeded".
double funnel(const Moment& m, const ReplicationResult& r, int start_year) {
  const auto& counts = r.cohort_counts;
  const auto outcome = static_cast<std::size_t>(m.outcome_index);
  double seeded = 0, reached = 0;
  for_cohort_cells(m, counts, start_year, [&](std::size_t y, std::size_t g, std::size_t s) {
    seeded += counts(y, g, s, 0);
    reached += counts(y, g, s, outcome);
  });
  return seeded > 0 ? reached / seeded : kNaN;
}

// The cohort outcome whose startups each duration's median is taken over.
std::size_t outcome_of_duration(int duration) {
  constexpr std::array<std::size_t, 4> kOutcome{0, 1, 2, 5};  // seeded, reached_a, _b, unicorn
  return kOutcome[static_cast<std::size_t>(duration)];
}

double median_months(const Moment& m, const ReplicationResult& r, int start_year) {
  const auto& counts = r.cohort_counts;
  const auto& medians = r.cohort_median_months;
  const auto duration = static_cast<std::size_t>(m.outcome_index);
  const std::size_t outcome = outcome_of_duration(m.outcome_index);
  double weighted = 0, total = 0;
  for_cohort_cells(m, counts, start_year, [&](std::size_t y, std::size_t g, std::size_t s) {
    const double median = medians(y, g, s, duration);
    const double n = counts(y, g, s, outcome);
    if (std::isnan(median) || n <= 0) return;
    weighted += n * median;
    total += n;
  });
  return total > 0 ? weighted / total : kNaN;
}

double fund_tvpi(const ReplicationResult& r) {
  double sum = 0;
  int n = 0;
  for (const auto& f : r.funds)
    if (f.liquidated_month >= 0) {
      sum += f.tvpi;
      ++n;
    }
  return n > 0 ? sum / n : kNaN;
}

}  // namespace

double moment_value(const Moment& m, const ReplicationResult& r, int start_year) {
  switch (m.kind) {
    case MomentKind::unicorns:
      return unicorns(m, r, start_year);
    case MomentKind::new_unicorns:
      return new_unicorns(m, r, start_year);
    case MomentKind::funnel:
      return funnel(m, r, start_year);
    case MomentKind::median_months:
      return median_months(m, r, start_year);
    case MomentKind::deal_value:
      return deal_value(m, r, start_year);
    case MomentKind::fund_tvpi:
      return fund_tvpi(r);
  }
  return kNaN;
}

MomentStats moment_stats(const Moment& m, const std::vector<ReplicationResult>& results,
                         int start_year) {
  std::vector<double> values;
  for (const auto& r : results) values.push_back(moment_value(m, r, start_year));
  return moment_stats(values);
}

MomentStats moment_stats(const std::vector<double>& replication_values) {
  MomentStats s;
  double sum = 0;
  std::vector<double> values;
  for (const double v : replication_values) {
    if (std::isnan(v)) continue;
    values.push_back(v);
    sum += v;
  }
  s.n = static_cast<int>(values.size());
  if (values.empty()) {
    s.mean = s.sd = s.min = s.max = kNaN;
    return s;
  }
  const double n = static_cast<double>(values.size());
  s.mean = sum / n;
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.sd = values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  return s;
}

double objective(const std::vector<Target>& targets, const std::vector<MomentStats>& simulated) {
  double sum = 0;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const Target& t = targets[k];
    const double z =
        std::isnan(simulated[k].mean) ? kMissingMomentZ : target_z(t, simulated[k].mean);
    sum += t.weight * z * z;
  }
  return sum;
}

}  // namespace vcsim
