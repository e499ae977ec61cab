// Startup dynamics (MODEL.md 3.3) against their analytic expectations.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <utility>

#include "../support/fixture_scenario.hpp"
#include "../support/same_bits.hpp"
#include "model/world.hpp"
#include "phases/phases.hpp"
#include "phases/plan.hpp"
#include "rng/normal_quantile.hpp"
#include "rng/streams.hpp"

using namespace vcsim;
using testing::same_bits;

namespace {

// One region, one sector, no money anywhere: startups only live, grow and die.
Scenario lone_sector(bool deep_tech, double hazard, double drift, double volatility) {
  Scenario s = testing::fixture_scenario(10, 0);
  s.regions.resize(1);
  s.regions[0].sector_mix = {1.0};
  s.regions[0].lp_inflow = TimeSeries(0.0);
  SectorSpec& sector = s.sectors[0];
  s.sectors = {sector};
  s.sectors[0].deep_tech = deep_tech;
  s.sectors[0].gestation_months = TimeSeries(deep_tech ? 40.0 : 0.0);
  s.sectors[0].tech_hazard = TimeSeries(0.0);
  s.sectors[0].base_hazard = TimeSeries(hazard);
  s.sectors[0].drift = TimeSeries(drift);
  s.sectors[0].volatility = TimeSeries(volatility);
  s.sectors[0].quality_loading = TimeSeries(0.0);
  s.sectors[0].ma_rate = TimeSeries(0.0);
  s.sectors[0].milestone_jump = TimeSeries(0.0);
  s.startup.premilestone_drift_cut = 0;
  s.startup.founder_cash = 1e9;  // never runs out of cash
  return s;
}

void populate(World& world, int count) {
  for (int j = 0; j < count; ++j)
    world.startups.add(pack_identity(0, static_cast<std::uint32_t>(j)), 0, 0, 0, 0, 0.0, 0.0,
                       world.scenario.startup.founder_cash, 0.0);
}

void run_dynamics(World& world, int months) {
  for (int m = 0; m < months; ++m) {
    world.month = m;
    apply_events(world);
    startup_dynamics(world);
  }
}

}  // namespace

TEST_CASE("phases: survival under a constant hazard is exp(-h t)", "[phases]") {
  const double h = 0.3;
  const int n = 40000, months = 24;
  const Scenario sc = lone_sector(false, h, 0.1, 0.5);
  World world(sc, 0);
  populate(world, n);
  run_dynamics(world, months);
  int alive = 0;
  for (std::size_t i = 0; i < world.startups.size(); ++i)
    alive += world.startups.status[i] == Status::alive;
  const double expected = std::exp(-h * months / 12.0);
  const double standard_error = std::sqrt(expected * (1 - expected) / n);
  // Tolerance: 4 binomial standard errors (about 0.01).
  CHECK(alive / static_cast<double>(n) == Approx(expected).margin(4 * standard_error));
}

TEST_CASE("phases: the base hazard falls by the stage reached, as hazard_stage_factor says (D33)",
          "[phases]") {
  const double h = 0.3, late_factor = 0.25;
  const int n = 40000, months = 24;
  Scenario sc = lone_sector(false, h, 0.1, 0.5);
  sc.regions[0].ipo_rate = TimeSeries(0.0);
  sc.startup.hazard_stage_factor = {1, 1, 1, 1, 1, late_factor};
  World world(sc, 0);
  populate(world, n);
  // Every other startup has reached the last stage; the others never raised.
  for (std::size_t i = 0; i < world.startups.size(); i += 2) world.startups.stage[i] = 5;
  run_dynamics(world, months);
  int alive[2] = {0, 0};  // [1]: the last stage
  for (std::size_t i = 0; i < world.startups.size(); ++i)
    alive[world.startups.stage[i] == 5] += world.startups.status[i] == Status::alive;
  for (const int late : {0, 1}) {
    const double expected = std::exp(-h * (late ? late_factor : 1.0) * months / 12.0);
    const double standard_error = std::sqrt(expected * (1 - expected) / (n / 2));
    // Tolerance: 4 binomial standard errors (about 0.01); the two survivals are 0.55
    // and 0.86, far apart.
    CHECK(alive[late] / (n / 2.0) == Approx(expected).margin(4 * standard_error));
  }
}

TEST_CASE("phases: a unicorn's base hazard is scaled by unicorn_hazard_factor (D37)", "[phases]") {
  const double h = 0.3, unicorn_factor = 0.25;
  const int n = 40000, months = 24;
  Scenario sc = lone_sector(false, h, 0.1, 0.5);
  sc.regions[0].ipo_rate = TimeSeries(0.0);
  sc.startup.unicorn_hazard_factor = unicorn_factor;
  World world(sc, 0);
  populate(world, n);
  // Every other startup was last priced at the unicorn value; the others just below it.
  const double unicorn_value = sc.market.unicorn_value;
  for (std::size_t i = 0; i < world.startups.size(); ++i)
    world.startups.post_money[i] = i % 2 == 0 ? unicorn_value : 0.999 * unicorn_value;
  run_dynamics(world, months);
  int alive[2] = {0, 0};  // [1]: the unicorns
  for (std::size_t i = 0; i < world.startups.size(); ++i)
    alive[i % 2 == 0] += world.startups.status[i] == Status::alive;
  for (const int unicorn : {0, 1}) {
    const double expected = std::exp(-h * (unicorn ? unicorn_factor : 1.0) * months / 12.0);
    const double standard_error = std::sqrt(expected * (1 - expected) / (n / 2));
    // Tolerance: 4 binomial standard errors (about 0.01); the two survivals are 0.55
    // and 0.86, far apart.
    CHECK(alive[unicorn] / (n / 2.0) == Approx(expected).margin(4 * standard_error));
  }
}

TEST_CASE("phases: with unicorn_hazard_factor 1 a unicorn's draws end it as before (D37)",
          "[phases]") {
  // The factor only spares unicorns whose draw fell below the startup's probability, so
  // at 1 the same startups fail in the same months whatever their value.
  Scenario sc = lone_sector(false, 0.3, 0.1, 0.5);
  sc.regions[0].ipo_rate = TimeSeries(0.0);
  World low(sc, 0), high(sc, 0);
  populate(low, 2000);
  populate(high, 2000);
  for (double& v : high.startups.post_money) v = 10 * sc.market.unicorn_value;
  run_dynamics(low, 24);
  run_dynamics(high, 24);
  CHECK(low.startups.status == high.startups.status);
  CHECK(low.startups.end_month == high.startups.end_month);
}

TEST_CASE("phases: log value has the drift and variance of the model", "[phases]") {
  const double mu = 0.12, sigma = 0.8;
  const int n = 40000, months = 36;
  const Scenario sc = lone_sector(false, 0.0, mu, sigma);
  World world(sc, 0);
  populate(world, n);
  run_dynamics(world, months);
  double sum = 0, sum2 = 0;
  for (double x : world.startups.log_f) sum += x, sum2 += x * x;
  const double mean = sum / n, variance = sum2 / n - mean * mean;
  const double t = months / 12.0;
  const double expected_mean = (mu - sigma * sigma / 2) * t;
  const double expected_variance = sigma * sigma * t;
  // Standard errors: sqrt(var/n) = 0.0069 for the mean; var*sqrt(2/n) = 0.0135 for the
  // variance. Tolerances are 5 of each.
  CHECK(mean == Approx(expected_mean).margin(5 * std::sqrt(expected_variance / n)));
  CHECK(variance == Approx(expected_variance).margin(5 * expected_variance * std::sqrt(2.0 / n)));
}

TEST_CASE("phases: deep-tech milestones arrive at rate 1/gestation", "[phases]") {
  const int n = 20000, months = 20;
  const Scenario sc = lone_sector(true, 0.0, 0.0, 0.1);
  World world(sc, 0);
  populate(world, n);
  run_dynamics(world, months);
  int reached = 0;
  for (auto m : world.startups.milestone) reached += m;
  const double expected = 1 - std::pow(1 - 1.0 / 40, months);
  CHECK(reached / static_cast<double>(n) ==
        Approx(expected).margin(4 * std::sqrt(expected * (1 - expected) / n)));
}

TEST_CASE("phases: startups are not funded when no money exists, and fail when cash ends",
          "[phases]") {
  Scenario sc = lone_sector(false, 0.0, 0.1, 0.5);
  sc.startup.founder_cash = 0.5;
  World world(sc, 0);
  for (int j = 0; j < 100; ++j)
    world.startups.add(pack_identity(0, static_cast<std::uint32_t>(j)), 0, 0, 0, 0, 0.0, 1.0, 0.5,
                       0.125);
  for (int m = 0; m < 6; ++m) {
    world.month = m;
    apply_events(world);
    startup_dynamics(world);
    financing_market(world);
    int alive = 0;
    for (std::size_t i = 0; i < world.startups.size(); ++i)
      alive += world.startups.status[i] == Status::alive;
    // Cash 0.5 burning 0.125 a month (exact in binary): zero after month 3's burn.
    CHECK(alive == (m < 3 ? 100 : 0));
  }
}

TEST_CASE(
    "phases: a funded startup out of cash is bought with probability soft_landing_share (D32)",
    "[phases]") {
  const double share = GENERATE(0.0, 0.3);
  Scenario sc = lone_sector(false, 0.0, 0.1, 0.5);
  sc.startup.soft_landing_share = share;
  World world(sc, 0);
  const int n = 20000;
  for (int j = 0; j < n; ++j) {
    const auto slot = world.startups.add(pack_identity(0, static_cast<std::uint32_t>(j)), 0, 0, 0,
                                         0, 0.0, 1.0, 0.5, 0.125);
    world.startups.stage[slot] = static_cast<std::uint8_t>(j % 2);  // odd ones raised a seed round
  }
  for (int m = 0; m < 4; ++m) {
    world.month = m;
    apply_events(world);
    startup_dynamics(world);
    financing_market(world);
  }
  // No money anywhere: cash 0.5 at 0.125 a month is zero after month 3's burn.
  int bought = 0;
  for (std::size_t i = 0; i < world.startups.size(); ++i) {
    const Status status = world.startups.status[i];
    REQUIRE(world.startups.end_month[i] == 3);
    if (world.startups.stage[i] == 0) {
      REQUIRE(status == Status::failed);  // no investors to broker a sale
      continue;
    }
    // The draw is the startup's own soft-landing stream for the month its cash ran out.
    const bool drawn =
        world.key(Purpose::soft_landing, world.startups.region[i], world.startups.id[i], 0, 3)
            .uniform() < share;
    REQUIRE(status == (drawn ? Status::acquired : Status::failed));
    REQUIRE(world.startups.outcome[i] == (drawn ? Outcome::acquired : Outcome::failed));
    bought += drawn;
  }
  // Tolerance: 4 binomial standard errors of the n / 2 funded startups.
  const double funded = n / 2.0;
  CHECK(bought / funded == Approx(share).margin(4 * std::sqrt(share * (1 - share) / funded)));
}

TEST_CASE("phases: a stalled startup seeks every month and lives 1 / stall_burn_factor as long",
          "[phases]") {
  Scenario sc = lone_sector(false, 0.0, 0.1, 0.5);
  sc.startup.burn[1] = 0.125;
  sc.startup.stall_burn_factor = 0.25;
  sc.sectors[0].capital_intensity = TimeSeries(1.0);
  World world(sc, 0);
  for (int j = 0; j < 100; ++j) {
    const auto slot = world.startups.add(pack_identity(0, static_cast<std::uint32_t>(j)), 0, 0, 0,
                                         0, 0.0, 1.0, 0.5, 0.125);
    world.startups.stage[slot] = 1;  // a seed round raised: its insiders back a stall
  }
  for (int m = 0; m < 16; ++m) {
    world.month = m;
    apply_events(world);
    startup_dynamics(world);
    financing_market(world);
    int alive = 0, stalled = 0;
    for (std::size_t i = 0; i < world.startups.size(); ++i) {
      alive += world.startups.status[i] == Status::alive;
      stalled +=
          world.startups.status[i] == Status::alive && world.startups.needs_funding[i] == kStalled;
    }
    // Month 0 burns 0.125, leaving 0.375 < 6 x 0.125: each startup seeks, finds no
    // money and stalls at 0.03125 a month. Cash 0.375 lasts 12 such months (all exact in
    // binary) where it would have lasted 3 at full burn.
    CHECK(alive == (m < 12 ? 100 : 0));
    CHECK(stalled == alive);
  }
}

TEST_CASE("phases: a stalled startup reaches break-even at break_even_rate and lives on (D39)",
          "[phases]") {
  const double rate = GENERATE(0.0, 0.6);
  Scenario sc = lone_sector(false, 0.0, 0.1, 0.5);
  sc.startup.burn[1] = 0.125;
  sc.startup.stall_burn_factor = 0.25;
  sc.startup.break_even_rate = rate;
  sc.sectors[0].capital_intensity = TimeSeries(1.0);
  World world(sc, 0);
  const int n = 10000;
  for (int j = 0; j < n; ++j) {
    const auto slot = world.startups.add(pack_identity(0, static_cast<std::uint32_t>(j)), 0, 0, 0,
                                         0, 0.0, 1.0, 0.5, 0.125);
    world.startups.stage[slot] = 1;
  }
  for (int m = 0; m < 16; ++m) {
    world.month = m;
    apply_events(world);
    startup_dynamics(world);
    financing_market(world);
  }
  // As in the stall test above, each startup stalls in month 0 and has cash until month
  // 12. In each month 0-11 its own break-even stream decides; from the first month that
  // says yes it burns nothing, stops seeking and keeps 0.375 - 0.03125 x month of cash.
  const double p = 1 - std::exp(-rate / 12);
  int lived = 0;
  for (std::size_t i = 0; i < world.startups.size(); ++i) {
    const Startups& s = world.startups;
    int month = -1;
    for (int m = 0; m < 12 && month < 0; ++m)
      if (world.key(Purpose::break_even, s.region[i], s.id[i], 0, static_cast<std::uint32_t>(m))
              .uniform() < p)
        month = m;
    if (month < 0) {
      REQUIRE(s.status[i] == Status::failed);
      continue;
    }
    REQUIRE(s.status[i] == Status::alive);
    REQUIRE(s.burn[i] == 0);
    REQUIRE(s.needs_funding[i] == kFunded);
    REQUIRE(s.cash[i] == 0.375 - 0.03125 * month);
    ++lived;
  }
  // Tolerance: 4 binomial standard errors around 1 - exp(-rate) over twelve months.
  const double expected = 1 - std::exp(-rate);
  CHECK(lived / double(n) ==
        Approx(expected).margin(4 * std::sqrt(expected * (1 - expected) / n) + 1e-12));
}

TEST_CASE("phases: a hot market lengthens the runway at which startups seek (D36)", "[phases]") {
  // (m, elasticity): the runway is 6 x max(1, m)^elasticity months of burn.
  const auto [m, elasticity] =
      GENERATE(table<double, double>({{1.5, 0.0}, {1.5, 1.0}, {1.5, 2.0}, {2.0, 2.0}, {0.5, 2.0}}));
  Scenario sc = lone_sector(false, 0.0, 0.0, 0.01);
  sc.regions[0].sentiment = TimeSeries(m);
  sc.startup.runway_sentiment_elasticity = elasticity;
  World world(sc, 0);
  // Cash for 4 to 30 months at a burn of 1 after this month's: one startup per month count.
  for (int months = 4; months <= 30; ++months)
    world.startups.add(pack_identity(0, static_cast<std::uint32_t>(months)), 0, 0, 0, 0, 0.0, 0.0,
                       months + 1.0, 1.0);
  run_dynamics(world, 1);
  const double runway = 6 * std::pow(std::max(1.0, m), elasticity);
  for (std::size_t i = 0; i < world.startups.size(); ++i) {
    const double cash = world.startups.cash[i];
    INFO("m " << m << ", elasticity " << elasticity << ", cash " << cash);
    CHECK(world.startups.needs_funding[i] == (cash < runway ? kSeeking : kFunded));
  }
  // The thresholds the table spans: 6 months at m <= 1 or elasticity 0, then 9, 13.5, 24.
  int seeking = 0;
  for (std::size_t i = 0; i < world.startups.size(); ++i)
    seeking += world.startups.needs_funding[i] == kSeeking;
  CHECK(seeking == static_cast<int>(std::ceil(runway)) - 4);
}

TEST_CASE("phases: acquisitions fall as (reference / value)^elasticity above the reference",
          "[phases]") {
  const double elasticity = GENERATE(0.0, 1.0, 2.0);
  Scenario sc = lone_sector(false, 0.0, 0.0, 0.01);  // values move by about 0.3 % a month
  sc.sectors[0].ma_rate = TimeSeries(1.2);
  sc.regions[0].sentiment = TimeSeries(1.0);
  sc.market.acquisition_value_elasticity = elasticity;
  sc.market.acquisition_reference_value = 1000;
  const int n = 40000;
  World world(sc, 0);
  for (int j = 0; j < n; ++j) {
    // Half the startups are worth 250 (below the reference), half 4000 (four times it).
    const double value = j % 2 == 0 ? 250.0 : 4000.0;
    const auto slot = world.startups.add(pack_identity(0, static_cast<std::uint32_t>(j)), 0, 0, 0,
                                         0, 0.0, std::log(value), 1e9, 0.0);
    world.startups.stage[slot] = 2;  // series A: it may be acquired
  }
  run_dynamics(world, 1);
  int small = 0, large = 0;
  for (std::size_t i = 0; i < world.startups.size(); ++i)
    if (world.startups.status[i] == Status::acquired) (i % 2 == 0 ? small : large) += 1;
  const double p = 1 - std::exp(-1.2 / 12);
  const double p_large = p * std::pow(0.25, elasticity);
  const auto share = [&](int count) { return count / (n / 2.0); };
  // Tolerance: 4 binomial standard errors of each half.
  CHECK(share(small) == Approx(p).margin(4 * std::sqrt(p * (1 - p) / (n / 2.0))));
  CHECK(share(large) == Approx(p_large).margin(4 * std::sqrt(p_large * (1 - p_large) / (n / 2.0))));
}

TEST_CASE("phases: a startup's month draws the words of its startup-month block (D31)",
          "[phases]") {
  // Word 0 gives the value step's normal by the inverse distribution function, word 1
  // the failure uniform: the kernel's outcome for each startup is recomputed here from
  // its own stream, keyed as docs/model.md section 4 says.
  const double hazard = 8.0, drift = 0.2, sigma = 0.6;  // about half fail in a month
  const Scenario sc = lone_sector(false, hazard, drift, sigma);
  World world(sc, 3);
  const int n = 2000;
  populate(world, n);
  world.month = 5;
  apply_events(world);
  const Startups before = world.startups;
  startup_dynamics(world);
  const double p_fail = 1.0 - std::exp(-hazard / 12.0);
  int failed = 0;
  for (std::size_t i = 0; i < world.startups.size(); ++i) {
    Stream stream = world.key(Purpose::startup_month, before.region[i], before.id[i], 0, 5);
    const std::uint32_t words[4] = {stream(), stream(), stream(), stream()};
    const double z = normal_of_word(words[0]);
    const double expected =
        before.log_f[i] + ((drift - 0.5 * sigma * sigma) / 12.0 + sigma / std::sqrt(12.0) * z);
    REQUIRE(world.startups.log_f[i] == Approx(expected).epsilon(1e-12));
    const bool fails = words[1] * 0x1p-32 < p_fail;
    REQUIRE((world.startups.status[i] == Status::failed) == fails);
    failed += fails;
  }
  // Binomial(2000, 0.49): the failures are the draws', not a constant outcome.
  CHECK(failed == Approx(n * p_fail).margin(4 * std::sqrt(n * p_fail * (1 - p_fail))));
}

namespace {

// The fixture world with `sectors` sectors (copies of its three, deep tech and not) in
// `regions` regions.
Scenario widened_fixture(std::size_t regions, std::size_t sectors) {
  Scenario s = testing::fixture_scenario(12, 2400);
  const std::vector<SectorSpec> base = s.sectors;
  s.sectors.clear();
  for (std::size_t k = 0; k < sectors; ++k) {
    s.sectors.push_back(base[k % base.size()]);
    s.sectors.back().name = base[k % base.size()].name;
    s.sectors.back().name += std::to_string(k);
  }
  const RegionSpec region = s.regions[1];
  s.regions.resize(regions, region);
  for (std::size_t r = 0; r < regions; ++r) {
    s.regions[r].name = region.name;
    s.regions[r].name += std::to_string(r);
    s.regions[r].sector_mix.assign(sectors, 1.0 / static_cast<double>(sectors));
  }
  return s;
}

}  // namespace

// Where the processor has AVX-512 the kernel steps eight startups at a time in its
// registers; everywhere else, and for the lanes that do not fill a group of eight, it
// runs the portable step. Both must give the same bits. On a processor without AVX-512
// both runs take the portable path and the test holds trivially.
TEST_CASE("phases: the kernel's fastest and portable paths give the same bits", "[phases]") {
  // Six cells (the fixture), 36 cells (beyond the 32 whose constants the fast path holds
  // in registers, so it gathers them) and 40 sectors (beyond its 32-sector mask, so the
  // portable step runs for all).
  for (const auto& [regions, sectors] :
       {std::pair<std::size_t, std::size_t>{2, 3}, {3, 12}, {1, 40}}) {
    const Scenario sc = widened_fixture(regions, sectors);
    World world(sc, 0);
    initial_fundraising(world);
    std::size_t compared = 0, ended = 0;
    for (int month = 0; month < 96; ++month) {
      world.month = month;
      for (const Phase& phase : kMonthPlan) {
        if (phase.january_only && month % 12 != 0) continue;
        if (phase.name != "dynamics") {
          phase.run(world);
          continue;
        }
        const Startups before = world.startups;
        startup_dynamics(world, KernelPath::portable);
        const Startups portable = world.startups;
        world.startups = before;
        startup_dynamics(world, KernelPath::fastest);
        const Startups& fast = world.startups;
        INFO(regions << " regions, " << sectors << " sectors, month " << month);
        REQUIRE(same_bits(fast.log_f, portable.log_f));
        REQUIRE(same_bits(fast.cash, portable.cash));
        REQUIRE(same_bits(fast.milestone, portable.milestone));
        REQUIRE(same_bits(fast.needs_funding, portable.needs_funding));
        REQUIRE(same_bits(fast.status, portable.status));
        REQUIRE(same_bits(fast.outcome, portable.outcome));
        REQUIRE(same_bits(fast.end_month, portable.end_month));
        compared += fast.size();
        for (const Outcome o : fast.outcome) ended += o != Outcome::none;
      }
    }
    // The months compared held many startups, some of which ended in the step.
    CHECK(compared > 50'000);
    CHECK(ended > 100);
  }
}
