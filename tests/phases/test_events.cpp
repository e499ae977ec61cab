// Policy events (MODEL.md 3.1): how each adjusts this month's parameters, how they
// compose, and that their mechanisms move outcomes the expected way in paired runs
// (same seeds, so the startups' own draws are common random numbers).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "../support/fixture_scenario.hpp"
#include "../support/paired_t.hpp"
#include "model/world.hpp"
#include "phases/phases.hpp"
#include "run/replication.hpp"

using namespace vcsim;

namespace {

constexpr int kCn = 0, kUs = 1;
constexpr int kBiotech = 0, kSoftware = 1, kChips = 2;

EventSpec event(EventKind kind, int first, int last, std::vector<int> regions,
                std::vector<int> sectors) {
  EventSpec e;
  e.name = "e" + std::to_string(static_cast<int>(kind)) + "_" + std::to_string(first);
  e.kind = kind;
  e.first_month = first;
  e.last_month = last;
  e.regions = std::move(regions);
  e.sectors = std::move(sectors);
  return e;
}

MonthParams params_at(const Scenario& sc, int month) {
  World w(sc, 0);
  w.month = month;
  apply_events(w);
  return w.params;
}

std::pair<double, double> paired(const std::vector<double>& with,
                                 const std::vector<double>& without) {
  const testing::Paired p = testing::paired_difference(with, without);
  return {p.mean, p.t};
}

}  // namespace

TEST_CASE("phases: events adjust their cells in their months only, and compose",
          "[phases][events]") {
  Scenario sc = testing::fixture_scenario(4, 0);
  EventSpec controls = event(EventKind::export_control, 12, 23, {kCn}, {kChips});
  controls.hazard_shift = 0.1;
  controls.drift_shift = 0.05;
  controls.ipo_factor = 0.5;
  EventSpec crackdown = event(EventKind::crackdown, 0, 47, {kCn}, {});
  crackdown.sentiment_factor = 0.8;
  crackdown.ipo_factor = 0.5;
  EventSpec window = event(EventKind::ipo_window, 12, 47, {kCn}, {kChips});
  window.ipo_rate_factor = 0.3;
  EventSpec procurement = event(EventKind::procurement, 12, 47, {kCn}, {kChips});
  procurement.drift_shift = 0.02;
  EventSpec talent = event(EventKind::talent, 0, 47, {kUs}, {kSoftware});
  talent.quality_shift = 0.25;
  talent.births_factor = 2;
  sc.events = {controls, crackdown, window, procurement, talent};

  const MonthParams before = params_at(sc, 11);
  CHECK(before.cell(kCn, kChips).event_hazard == 0);
  CHECK(before.sentiment(kCn, kChips) == Approx(0.8));
  CHECK(before.ipo_rate_factor(kCn, kChips) == Approx(0.5));  // crackdown only
  CHECK(before.sentiment(kUs, kChips) == 1.0);

  const MonthParams during = params_at(sc, 12);
  const CellMonth& chips = during.cell(kCn, kChips);
  CHECK(chips.event_hazard == Approx(0.1));
  CHECK(chips.event_drift == Approx(-0.05 + 0.02));                       // shifts add
  CHECK(during.ipo_rate_factor(kCn, kChips) == Approx(0.3 * 0.5 * 0.5));  // set, then factors
  CHECK(during.ipo_rate_factor(kCn, kSoftware) == Approx(0.5));
  CHECK(during.cell(kUs, kSoftware).quality_shift == Approx(0.25));
  CHECK(during.cell(kUs, kSoftware).births_factor == Approx(2));
  CHECK(during.cell(kUs, kChips).births_factor == 1);

  const MonthParams after = params_at(sc, 24);
  CHECK(after.cell(kCn, kChips).event_hazard == 0);
  CHECK(after.cell(kCn, kChips).event_drift == Approx(0.02));
}

TEST_CASE("phases: a talent event scales births in its sector", "[phases][events]") {
  Scenario sc = testing::fixture_scenario(6, 1200);
  EventSpec talent = event(EventKind::talent, 0, 1000, {kUs}, {kSoftware});
  talent.births_factor = 2;
  sc.events = {talent};
  const ReplicationResult r = run_replication(sc, 0);
  double software = 0, chips = 0;
  for (std::size_t m = 0; m < r.births.shape()[0]; ++m) {
    software += r.births(m, kUs, kSoftware);
    chips += r.births(m, kUs, kChips);
  }
  // Software has 0.6 of the mix and chips 0.2: 3:1 without the event, 6:1 with it.
  // With ~8,600 and ~1,400 births, 6 +- 0.4 is more than 5 standard errors wide.
  CHECK(software / chips == Approx(6.0).margin(0.4));
}

TEST_CASE("phases: export controls raise failures in their sectors (paired runs)",
          "[phases][events]") {
  const Scenario base = testing::fixture_scenario(8, 1500);
  Scenario lever = base;
  EventSpec controls = event(EventKind::export_control, 24, 1000, {kCn}, {kChips});
  controls.hazard_shift = 0.15;
  controls.drift_shift = 0.05;
  lever.events = {controls};
  std::vector<double> with, without, other_with, other_without;
  for (std::uint32_t rep = 0; rep < 6; ++rep) {
    auto failures = [](const ReplicationResult& r, int sector) {
      double n = 0;
      for (std::size_t m = 24; m < r.births.shape()[0]; ++m)
        n += r.failures_funded(m, kCn, sector) + r.failures_unfunded(m, kCn, sector);
      return n;
    };
    const ReplicationResult a = run_replication(lever, rep), b = run_replication(base, rep);
    with.push_back(failures(a, kChips));
    without.push_back(failures(b, kChips));
    other_with.push_back(failures(a, kBiotech));
    other_without.push_back(failures(b, kBiotech));
  }
  const auto [mean, t] = paired(with, without);
  // One-sided paired t test at the 1 % level with 5 degrees of freedom: t > 3.36.
  CHECK(mean > 0);
  CHECK(t > 3.36);
  // Sectors outside the event keep their own hazards (their financing can change).
  const auto [other_mean, other_t] = paired(other_with, other_without);
  CHECK(std::abs(other_mean) < mean);
  (void)other_t;
}

TEST_CASE("phases: grants lengthen the lives of their recipients (paired runs)",
          "[phases][events]") {
  // Grants in years 2-7 to unfunded deep-tech US startups, then 13 years for their
  // careers to play out. The same startups exist in both runs (common random numbers),
  // so the recipients of the lever run can be followed in the run without grants. A
  // grant buys runway: a recipient lives longer before it fails or raises. (Whether it
  // then raises more venture rounds is a small effect either way: about +1 % of the
  // recipients' seed rounds with these grants, a paired t of 1.5 over 32 replications,
  // and fewer rounds with grants four times as large, which replace venture money.)
  Scenario base = testing::fixture_scenario(20, 1500);
  for (SectorSpec& sector : base.sectors) {
    sector.drift = TimeSeries(0.28);
    sector.quality_loading = TimeSeries(0.3);
  }
  for (RegionSpec& region : base.regions) region.lp_inflow = TimeSeries(45000.0);
  Scenario lever = base;
  // SBIR-like: grants of 0.5 to unfunded deep-tech startups, 20 a month.
  EventSpec grant = event(EventKind::grant, 12, 72, {kUs}, {kBiotech, kChips});
  grant.budget = 120;
  grant.grant_size = 0.5;
  grant.stages = {0};
  lever.events = {grant};
  std::vector<double> with, without;
  double paid = 0;
  const int end_month = 20 * 12;
  for (std::uint32_t rep = 0; rep < 8; ++rep) {
    const ReplicationResult a = run_replication(lever, rep, {}, true);
    const ReplicationResult b = run_replication(base, rep, {}, true);
    std::set<std::uint32_t> recipients;
    for (const StartupRecord& s : a.startups)
      if (s.region == kUs && s.raised_state > 0) recipients.insert(s.id);
    // Months the recipients lived, to their end or the end of the run.
    auto months_lived = [&](const ReplicationResult& r) {
      double months = 0;
      for (const StartupRecord& s : r.startups)
        if (s.region == kUs && recipients.count(s.id))
          months += (s.end_month >= 0 ? s.end_month : end_month) - s.birth_month;
      return months;
    };
    with.push_back(months_lived(a));
    without.push_back(months_lived(b));
    for (double x : a.grant_money.data()) paid += x;
  }
  // The budget is spent in whole grants: 10 a month for 61 months in each replication.
  CHECK(paid == Approx(8 * 61 * 10.0).epsilon(1e-9));
  const auto [mean, t] = paired(with, without);
  // 610 grants a replication, each of 0.5: a few months of an unfunded startup's
  // burn. Measured: about 6,800 more months a replication, a paired t of 86
  // over 16 replications.
  CHECK(mean > 610);
  CHECK(t > 3.00);  // one-sided paired t test, 1 % level, 7 degrees of freedom
}

namespace {

// The slots of the `count` eligible startups (US, stage 0, no grant yet) with the best
// signals this month, as MODEL.md 3.1 defines them, by a full sort.
std::set<std::size_t> best_signals(const World& w, const EventSpec& grant, std::size_t count) {
  std::vector<std::pair<double, std::size_t>> signals;
  const Startups& s = w.startups;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.region[i] != kUs || s.stage[i] != 0 || (s.grants_received[i] & 1) != 0) continue;
    const StreamCounter counter = stream_counter(Purpose::grants, s.region[i], s.id[i], 0,
                                                 static_cast<std::uint32_t>(w.month));
    const double noise = Stream(w.key.seed, w.key.replication, counter).normal();
    signals.emplace_back(s.log_q[i] + grant.sigma_grant * noise, i);
  }
  std::sort(signals.begin(), signals.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::set<std::size_t> best;
  for (std::size_t k = 0; k < std::min(count, signals.size()); ++k) best.insert(signals[k].second);
  return best;
}

std::set<std::size_t> granted(const World& w) {
  std::set<std::size_t> paid;
  for (std::size_t i = 0; i < w.startups.size(); ++i)
    if (w.startups.grants_received[i] & 1) paid.insert(i);
  return paid;
}

// More startups than one chunk of the parallel scan (8,192 slots), so the chunks' own
// shortlists are put to the test; a quarter are ineligible (another region, or funded).
void add_grant_seekers(World& w, std::uint32_t count) {
  for (std::uint32_t j = 0; j < count; ++j) {
    const int region = j % 8 == 0 ? kCn : kUs;
    const auto slot = w.startups.add(pack_identity(0, j), 0, region, kSoftware, 0,
                                     0.001 * static_cast<double>(j % 997), 0.0, 1.0, 0.1);
    if (j % 8 == 1) w.startups.stage[slot] = 1;
  }
}

EventSpec grants_of_300_a_month() {
  EventSpec grant = event(EventKind::grant, 0, 23, {kUs}, {});
  grant.budget = 12 * 150;  // 300 grants of 0.5 a month
  grant.grant_size = 0.5;
  grant.stages = {0};
  grant.sigma_grant = 1.0;
  return grant;
}

}  // namespace

TEST_CASE("phases: a month's grants go to the eligible startups with the best signals",
          "[phases][events]") {
  Scenario sc = testing::fixture_scenario(2, 0);
  const EventSpec grant = grants_of_300_a_month();
  sc.events = {grant};
  World w(sc, 0);
  add_grant_seekers(w, 20000);
  // Month after month: from the second month on, the scan keeps only signals near last
  // month's lowest paid one (World::grant_cutoff), and must still find the best.
  std::set<std::size_t> paid_before;
  for (int month = 5; month < 11; ++month) {
    w.month = month;
    const std::set<std::size_t> best = best_signals(w, grant, 300);
    apply_events(w);
    std::set<std::size_t> paid_now;
    for (const std::size_t i : granted(w))
      if (!paid_before.count(i)) paid_now.insert(i);
    CHECK(paid_now.size() == 300);
    CHECK(paid_now == best);
    paid_before = granted(w);
    CHECK(std::isfinite(w.grant_cutoff[0]));
  }
}

TEST_CASE("phases: a month's grants do not depend on where the scan starts keeping signals",
          "[phases][events]") {
  Scenario sc = testing::fixture_scenario(2, 0);
  const EventSpec grant = grants_of_300_a_month();
  sc.events = {grant};
  World hinted(sc, 0), too_high(sc, 0), none(sc, 0);
  for (World* w : {&hinted, &too_high, &none}) add_grant_seekers(*w, 20000);
  for (int month = 5; month < 9; ++month) {
    // A floor above every signal leaves too few, so the scan must run again without one.
    too_high.grant_cutoff[0] = 1e6;
    none.grant_cutoff[0] = -std::numeric_limits<double>::infinity();
    for (World* w : {&hinted, &too_high, &none}) {
      w->month = month;
      apply_events(*w);
    }
    CHECK(granted(hinted) == granted(none));
    CHECK(granted(too_high) == granted(none));
    CHECK(hinted.grant_budget[0] == none.grant_budget[0]);
    CHECK(too_high.grant_budget[0] == none.grant_budget[0]);
  }
}
