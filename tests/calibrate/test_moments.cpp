// Moments measured on a replication built by hand, against values worked out here, and
// the objective's weighting.
#include <catch2/catch.hpp>
#include <cmath>

#include "calibrate/moments.hpp"

using vcsim::Moment;
using vcsim::moment_value;
using vcsim::MomentKind;

namespace {

constexpr int kStart = 2000;

// Two years, two regions, two sectors; every count placed by the tests.
vcsim::ReplicationResult replication() {
  vcsim::ReplicationResult r;
  for (auto& u : r.unicorns) {
    u.active = vcsim::NdArray<std::int32_t>({"month", "region", "sector"}, {24, 2, 2});
    u.new_ = u.reminted = u.active;
  }
  r.capital_invested =
      vcsim::NdArray<double>({"month", "region", "sector", "stage", "source"}, {24, 2, 2, 5, 4});
  r.cohort_counts =
      vcsim::NdArray<std::int32_t>({"seed_year", "region", "sector", "outcome"}, {2, 2, 2, 10});
  r.cohort_median_months =
      vcsim::NdArray<double>({"seed_year", "region", "sector", "duration"}, {2, 2, 2, 4});
  for (double& m : r.cohort_median_months.data()) m = NAN;
  return r;
}

Moment moment(MomentKind kind, int region_index) {
  Moment m;
  m.kind = kind;
  m.region_index = region_index;
  return m;
}

}  // namespace

TEST_CASE("Unicorn moments read the stock at the month asked, over sectors",
          "[calibrate][moments]") {
  auto r = replication();
  r.unicorns[0].active(11, 1, 0) = 3;  // December 2000, region 1
  r.unicorns[0].active(11, 1, 1) = 4;
  r.unicorns[0].active(11, 0, 1) = 10;
  r.unicorns[0].active(17, 1, 0) = 6;  // June 2001
  r.unicorns[1].active(11, 1, 0) = 2;  // age-capped
  Moment m = moment(MomentKind::unicorns, 1);
  m.year = 2000;
  CHECK(moment_value(m, r, kStart) == 7);
  m.region_index = -1;
  CHECK(moment_value(m, r, kStart) == 17);
  m.region_index = 1;
  m.definition = 1;
  CHECK(moment_value(m, r, kStart) == 2);
  m.definition = 0;
  m.year = 2001;
  m.month = 6;
  CHECK(moment_value(m, r, kStart) == 6);
}

TEST_CASE("New unicorns count the year's entries into the stock, new and reminted",
          "[calibrate][moments]") {
  auto r = replication();
  r.unicorns[0].new_(12, 1, 0) = 5;      // January 2001, region 1
  r.unicorns[0].new_(23, 1, 1) = 2;      // December 2001, the other sector
  r.unicorns[0].reminted(18, 1, 0) = 1;  // back above USD 1 bn after a demotion
  r.unicorns[0].new_(11, 1, 0) = 40;     // December 2000: another year
  r.unicorns[0].new_(15, 0, 0) = 7;      // the other region
  r.unicorns[0].active(23, 1, 0) = 99;   // the stock is not a flow
  r.unicorns[1].new_(14, 1, 0) = 3;      // age-capped
  Moment m = moment(MomentKind::new_unicorns, 1);
  m.year = 2001;
  CHECK(moment_value(m, r, kStart) == 8);
  m.region_index = -1;
  CHECK(moment_value(m, r, kStart) == 15);
  m.region_index = 1;
  m.definition = 1;
  CHECK(moment_value(m, r, kStart) == 3);
  m.definition = 0;
  m.year = 2000;
  CHECK(moment_value(m, r, kStart) == 40);
}

TEST_CASE("Deal value sums every source, stage and sector of the year, in USD bn",
          "[calibrate][moments]") {
  auto r = replication();
  r.capital_invested(12, 0, 0, 1, 0) = 500;   // January 2001, private funds
  r.capital_invested(23, 0, 1, 4, 3) = 1500;  // December 2001, co-investors
  r.capital_invested(11, 0, 0, 0, 0) = 9000;  // 2000: not counted
  r.capital_invested(13, 1, 0, 0, 2) = 250;   // the other region
  Moment m = moment(MomentKind::deal_value, 0);
  m.year = 2001;
  CHECK(moment_value(m, r, kStart) == Approx(2.0));
  m.region_index = -1;
  CHECK(moment_value(m, r, kStart) == Approx(2.25));
}

TEST_CASE("Funnel shares pool the cohorts' cells; medians are weighted by their counts",
          "[calibrate][moments]") {
  auto r = replication();
  auto& c = r.cohort_counts;
  c(0, 0, 0, 0) = 100, c(0, 0, 0, 1) = 40;  // 2000 cohort, sector 0: 100 seeded, 40 to A
  c(0, 0, 1, 0) = 50, c(0, 0, 1, 1) = 5;
  c(1, 0, 0, 0) = 50, c(1, 0, 0, 1) = 15;      // 2001 cohort
  c(0, 1, 0, 0) = 1000, c(0, 1, 0, 1) = 1000;  // the other region
  Moment m = moment(MomentKind::funnel, 0);
  m.outcome_index = 1;  // reached_a
  m.first_seed_year = m.last_seed_year = 2000;
  CHECK(moment_value(m, r, kStart) == Approx(45.0 / 150.0));
  m.last_seed_year = 2001;
  CHECK(moment_value(m, r, kStart) == Approx(60.0 / 200.0));

  auto& med = r.cohort_median_months;
  med(0, 0, 0, 1) = 20;  // seed_to_a over the 40 that reached A
  med(0, 0, 1, 1) = 30;  // over 5
  med(1, 0, 0, 1) = 26;  // over 15
  Moment d = moment(MomentKind::median_months, 0);
  d.outcome_index = 1;
  d.first_seed_year = 2000;
  d.last_seed_year = 2001;
  CHECK(moment_value(d, r, kStart) == Approx((40 * 20 + 5 * 30 + 15 * 26) / 60.0));
  d.outcome_index = 3;  // founding_to_unicorn: no unicorn, nothing to measure
  CHECK(std::isnan(moment_value(d, r, kStart)));
}

TEST_CASE("Fund TVPI averages the liquidated funds only", "[calibrate][moments]") {
  auto r = replication();
  Moment m = moment(MomentKind::fund_tvpi, -1);
  CHECK(std::isnan(moment_value(m, r, kStart)));
  vcsim::FundRecord f;
  f.tvpi = 2.0;
  f.liquidated_month = 100;
  r.funds.push_back(f);
  f.tvpi = 1.0;
  r.funds.push_back(f);
  f.tvpi = 50.0;
  f.liquidated_month = -1;  // still alive
  r.funds.push_back(f);
  CHECK(moment_value(m, r, kStart) == Approx(1.5));
}

TEST_CASE(
    "Moment statistics skip replications with nothing to measure; the objective "
    "weights squared z scores",
    "[calibrate][moments]") {
  std::vector<vcsim::ReplicationResult> reps{replication(), replication(), replication()};
  vcsim::FundRecord f;
  f.liquidated_month = 5;
  f.tvpi = 1.0;
  reps[0].funds.push_back(f);
  f.tvpi = 3.0;
  reps[2].funds.push_back(f);
  const auto s = vcsim::moment_stats(moment(MomentKind::fund_tvpi, -1), reps, kStart);
  CHECK(s.n == 2);
  CHECK(s.mean == Approx(2.0));
  CHECK(s.sd == Approx(std::sqrt(2.0)));
  CHECK(s.min == 1.0);
  CHECK(s.max == 3.0);

  std::vector<vcsim::Target> targets(2);
  targets[0].observed = 1.5, targets[0].se = 0.25, targets[0].weight = 2;
  targets[1].observed = 10, targets[1].se = 1, targets[1].weight = 1;
  vcsim::MomentStats missing;
  missing.mean = NAN;
  CHECK(vcsim::objective(targets, {s, missing}) ==
        Approx(2 * 4.0 + vcsim::kMissingMomentZ * vcsim::kMissingMomentZ));
}

TEST_CASE("A target's z is 0 inside its band and the distance to the nearer edge outside",
          "[calibrate][moments]") {
  vcsim::Target point;
  point.observed = 1.75, point.se = 0.25;
  CHECK(vcsim::target_z(point, 1.5) == Approx(-1.0));
  CHECK(vcsim::target_z(point, 2.25) == Approx(2.0));

  vcsim::Target band = point;
  band.band_low = 1.5, band.band_high = 2.0;
  CHECK(vcsim::target_z(band, 1.5) == 0.0);
  CHECK(vcsim::target_z(band, 1.6) == 0.0);
  CHECK(vcsim::target_z(band, 2.0) == 0.0);
  CHECK(vcsim::target_z(band, 1.25) == Approx(-1.0));
  CHECK(vcsim::target_z(band, 2.5) == Approx(2.0));
  CHECK(std::isnan(vcsim::target_z(band, NAN)));

  vcsim::MomentStats inside, outside;
  inside.mean = 1.9, outside.mean = 1.0;
  CHECK(vcsim::objective({band, band}, {inside, outside}) == Approx(4.0));
  CHECK(vcsim::objective({point}, {inside}) == Approx(0.36));
}
