// Guidance funds (MODEL.md 2, 3.4, 3.5, 3.7): each lever is run on and off with the
// same seeds (common random numbers), and its mechanism must move the outcome the
// expected way by a one-sided paired t test at the 1 % level.
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "../support/fixture_scenario.hpp"
#include "../support/paired_t.hpp"
#include "model/world.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

constexpr int kCn = 0;
constexpr int kBiotech = 0, kSoftware = 1, kChips = 2;
constexpr double kT1Percent5Df = 3.36;  // one-sided, 5 degrees of freedom

GuidanceFundSpec guidance_fund(double size) {
  GuidanceFundSpec g;
  g.name = "state";
  g.region = kCn;
  g.start_month = 24;
  g.size = size;
  g.years_to_deploy = 5;
  g.sector_weights = {0.0, 0.0, 1.0};  // chips only
  g.state_share_max = 0.3;
  g.sector_quota = 0.6;
  return g;
}

double paired_t(const std::vector<double>& with, const std::vector<double>& without,
                double* mean_out = nullptr) {
  const testing::Paired p = testing::paired_difference(with, without);
  if (mean_out != nullptr) *mean_out = p.mean;
  return p.t;
}

template <typename Metric>
double lever_t(const Scenario& on, const Scenario& off, Metric metric, double* mean = nullptr) {
  std::vector<double> with, without;
  for (std::uint32_t rep = 0; rep < 6; ++rep) {
    with.push_back(metric(run_replication(on, rep)));
    without.push_back(metric(run_replication(off, rep)));
  }
  return paired_t(with, without, mean);
}

double rounds_in(const ReplicationResult& r, int region, int sector) {
  double n = 0;
  for (std::size_t m = 0; m < r.rounds.shape()[0]; ++m)
    for (std::size_t st = 0; st < r.rounds.shape()[3]; ++st) n += r.rounds(m, region, sector, st);
  return n;
}

double measure(const ReplicationResult& r, const char* name, std::size_t g = 0) {
  std::size_t k = 0;
  while (std::string(kGuidanceMeasureNames[k]) != name) ++k;
  return r.guidance(r.guidance.shape()[0] - 1, g, k);
}

}  // namespace

TEST_CASE("guidance: sub-funds close with the state's share and the accounts add up",
          "[guidance]") {
  Scenario sc = testing::fixture_scenario(10, 1500);
  sc.guidance_funds = {guidance_fund(2000)};
  World world(sc, 0);
  simulate(world);
  const Funds& f = world.funds;
  int subfunds = 0;
  double committed = 0, paid_by_state = 0;
  for (std::size_t j = 0; j < f.size_count(); ++j) {
    if (f.guidance[j] < 0) continue;
    ++subfunds;
    CHECK(f.kind[j] == FundKind::guidance_backed);
    CHECK(f.state_share(j) <= 0.3 + 1e-12);
    CHECK(f.life[j] == sc.guidance_funds[0].subfund_life);
    CHECK(f.state_paid_in[j] == Approx(f.paid_in[j] * f.state_share(j)).epsilon(1e-9));
    committed += f.state_commitment[j];
    paid_by_state += f.state_paid_in[j];
  }
  REQUIRE(subfunds > 0);
  const GuidanceFunds& g = world.guidance;
  CHECK(g.committed[0] == Approx(committed).epsilon(1e-9));
  CHECK(g.drawn[0] == Approx(paid_by_state).epsilon(1e-9));
  CHECK(g.offered[0] == Approx(2000.0).epsilon(1e-12));  // five years of 400 by 2007
  CHECK(g.undrawn(0) >= -1e-9);
  CHECK(g.committed[0] <= g.offered[0] + 1e-9);

  // The state's investment by sector and stage adds up to its share of its sub-funds'
  // checks, and lands in target sectors (chips) while the quota binds.
  double through_subfunds = 0;
  for (std::size_t j = 0; j < f.size_count(); ++j)
    if (f.guidance[j] >= 0) through_subfunds += f.invested[j] * f.state_share(j);
  const ReplicationResult r =
      world.recorder.finish(world.startups, world.funds, world.run_months());
  double recorded = 0, in_chips = 0;
  for (std::size_t y = 0; y < r.guidance_invested.shape()[0]; ++y)
    for (std::size_t sec = 0; sec < r.guidance_invested.shape()[2]; ++sec)
      for (std::size_t st = 0; st < r.guidance_invested.shape()[3]; ++st) {
        recorded += r.guidance_invested(y, 0, sec, st);
        if (sec == static_cast<std::size_t>(kChips)) in_chips += r.guidance_invested(y, 0, sec, st);
      }
  CHECK(recorded == Approx(through_subfunds + g.direct_invested[0]).epsilon(1e-9));
  CHECK(in_chips >= 0.6 * recorded);
  // Unicorns that took state money are a subset of all unicorns.
  for (std::size_t k = 0; k < r.unicorns_state_backed.size(); ++k)
    REQUIRE(r.unicorns_state_backed.data()[k] <= r.unicorns[0].active.data()[k]);
}

TEST_CASE("guidance: more state capital in a sector means more rounds there", "[guidance]") {
  const Scenario off = testing::fixture_scenario(10, 1500);
  Scenario on = off;
  on.guidance_funds = {guidance_fund(6000)};
  double mean = 0;
  const double t = lever_t(
      on, off, [](const ReplicationResult& r) { return rounds_in(r, kCn, kChips); }, &mean);
  CHECK(mean > 0);
  CHECK(t > kT1Percent5Df);
}

TEST_CASE("guidance: a higher state share with a thin private pool leaves less undrawn",
          "[guidance]") {
  Scenario low = testing::fixture_scenario(10, 1500);
  low.regions[kCn].lp_inflow = TimeSeries(3000.0);  // thin private pool
  low.guidance_funds = {guidance_fund(6000)};
  Scenario high = low;
  high.guidance_funds[0].state_share_max = 0.6;
  double mean = 0;
  const double t = lever_t(
      high, low, [](const ReplicationResult& r) { return -measure(r, "undrawn"); }, &mean);
  CHECK(mean > 0);
  CHECK(t > kT1Percent5Df);
}

TEST_CASE("guidance: a binding local-reinvestment rule keeps sub-funds at home", "[guidance]") {
  Scenario off = testing::fixture_scenario(10, 1500);
  GuidanceFundSpec g = guidance_fund(4000);
  g.level = GuidanceLevel::provincial;
  g.home_locality = 0;
  g.sector_weights = {1.0 / 3, 1.0 / 3, 1.0 / 3};
  g.sector_quota = 0;
  off.guidance_funds = {g};
  Scenario on = off;
  on.guidance_funds[0].reinvest_ratio = 2.0;
  // Share of the sub-funds' investment made in the home locality.
  auto home_share = [](const Scenario& sc, std::uint32_t rep) {
    World w(sc, rep);
    simulate(w);
    double home = 0, all = 0;
    for (std::size_t j = 0; j < w.funds.size_count(); ++j) {
      if (w.funds.guidance[j] < 0) continue;
      home += w.funds.invested_at_home[j];
      all += w.funds.invested[j];
    }
    return std::pair<double, double>{all > 0 ? home / all : 0, all - home};
  };
  std::vector<double> share_on, share_off, away_on, away_off;
  for (std::uint32_t rep = 0; rep < 6; ++rep) {
    const auto a = home_share(on, rep), b = home_share(off, rep);
    share_on.push_back(a.first);
    share_off.push_back(b.first);
    away_on.push_back(a.second);
    away_off.push_back(b.second);
  }
  double mean = 0;
  CHECK(paired_t(share_on, share_off, &mean) > kT1Percent5Df);
  CHECK(mean > 0.1);
  // The rule shrinks the sub-funds' deal pool to the home locality: the money they put
  // elsewhere falls.
  CHECK(paired_t(away_off, away_on) > kT1Percent5Df);
}

TEST_CASE("guidance: longer sub-fund life raises deep-tech survival through follow-ons",
          "[guidance]") {
  // Patient capital is a mechanism, not a rule (MODEL.md 6): a 20-year sub-fund keeps
  // making follow-ons through a deep-tech startup's gestation and does not sell it at a
  // discount after 10 or 12 years. The state dominates the region's capital here.
  Scenario impatient = testing::fixture_scenario(30, 1500);
  impatient.regions[kCn].lp_inflow = TimeSeries(2000.0);
  GuidanceFundSpec g = guidance_fund(30000);
  g.start_month = 0;
  g.years_to_deploy = 10;
  g.state_share_max = 0.6;
  g.sector_weights = {0.5, 0.0, 0.5};  // biotech and chips: deep tech
  g.subfund_life = 120;
  impatient.guidance_funds = {g};
  Scenario patient = impatient;
  patient.guidance_funds[0].subfund_life = 240;
  auto deep_tech_failures = [](const ReplicationResult& r) {
    double n = 0;
    for (std::size_t m = 0; m < r.failures_funded.shape()[0]; ++m)
      n += r.failures_funded(m, kCn, kBiotech) + r.failures_funded(m, kCn, kChips);
    return n;
  };
  double mean = 0;
  const double t = lever_t(impatient, patient, deep_tech_failures, &mean);
  CHECK(mean > 0);  // more funded deep-tech failures with 10-year sub-funds
  CHECK(t > kT1Percent5Df);
}

TEST_CASE("guidance: with a buy-out option private partners buy the state out of winners",
          "[guidance]") {
  Scenario sc = testing::fixture_scenario(14, 1500);
  GuidanceFundSpec g = guidance_fund(4000);
  g.buyout_years = 5;
  g.buyout_rate = 0.0;  // any gain makes the option worth exercising
  sc.guidance_funds = {g};
  World world(sc, 0);
  simulate(world);
  const Funds& f = world.funds;
  int bought = 0;
  for (std::size_t j = 0; j < f.size_count(); ++j) {
    if (f.guidance[j] < 0 || f.state_commitment[j] > 0) continue;
    ++bought;
    // The state got at least its money back and draws nothing more.
    CHECK(f.state_distributions[j] <= world.guidance.distributions[0] + 1e-9);
    CHECK(f.state_share(j) == 0);
  }
  CHECK(bought > 0);
  CHECK(world.guidance.buyouts[0] == bought);
  CHECK(world.guidance.undrawn(0) >= -1e-9);
}
