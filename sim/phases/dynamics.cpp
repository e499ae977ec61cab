#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>

#include "phases/phases.hpp"

namespace vcsim {

namespace {

double monthly_probability(double annual_hazard) { return 1.0 - std::exp(-annual_hazard / 12.0); }

// Per (region, sector) constants of this month, computed once rather than per startup.
struct CellConstants {
  bool deep_tech = false;
  double p_milestone = 0, milestone_jump = 0;
  double drift = 0, volatility = 0, quality_loading = 0, premilestone_cut = 0;
  double p_fail_before_milestone = 0, p_fail = 0;
  double sentiment = 1, ipo_bar = 0, p_ipo = 0, p_acquisition = 0;
  double acquisition_elasticity = 0, acquisition_reference = 0;  // D30
};

std::vector<CellConstants> cell_constants(const World& world) {
  const Scenario& sc = world.scenario;
  std::vector<CellConstants> out;
  for (int r = 0; r < world.region_count(); ++r) {
    const RegionMonth& rp = world.params.regions[static_cast<std::size_t>(r)];
    for (int s = 0; s < world.sector_count(); ++s) {
      const CellMonth& c = world.params.cell(r, s);
      CellConstants k;
      k.deep_tech = sc.sectors[static_cast<std::size_t>(s)].deep_tech;
      k.p_milestone = c.gestation_months > 0 ? 1.0 / c.gestation_months : 1.0;
      k.milestone_jump = c.milestone_jump;
      k.drift = c.drift + c.event_drift;
      k.volatility = c.volatility;
      k.quality_loading = c.quality_loading;
      k.premilestone_cut = sc.startup.premilestone_drift_cut;
      k.p_fail_before_milestone =
          monthly_probability(c.base_hazard + c.tech_hazard + c.event_hazard);
      k.p_fail = monthly_probability(c.base_hazard + c.event_hazard);
      k.sentiment = world.params.sentiment(r, s);
      k.ipo_bar = rp.ipo_threshold * c.ipo_threshold_factor;
      k.p_ipo = monthly_probability(rp.ipo_rate * world.params.ipo_rate_factor(r, s));
      k.p_acquisition = monthly_probability(c.ma_rate * rp.ma_factor);
      k.acquisition_elasticity = sc.market.acquisition_value_elasticity;
      k.acquisition_reference = sc.market.acquisition_reference_value;
      out.push_back(k);
    }
  }
  return out;
}

constexpr int kStageA = 2, kStageC = 4;

// Whether a startup is acquired, given its uniform draw and its value F x m (a function,
// called only when needed): MODEL.md's probability, lowered above the reference value
// when the elasticity is positive (D30).
template <typename Value>
bool acquired(double u, Value value, const CellConstants& k) {
  if (!(u < k.p_acquisition)) return false;
  if (k.acquisition_elasticity <= 0) return true;
  const double v = value();
  return v <= k.acquisition_reference ||
         u < k.p_acquisition * std::pow(k.acquisition_reference / v, k.acquisition_elasticity);
}

// exp(-age / tau_q) for every age up to this month: the fading quality premium of
// MODEL.md 3.3 b. Ages are whole months, so a table computed once per month gives every
// startup the very value it would compute itself, for one exp per age instead of one per
// startup.
std::vector<double> quality_fade_by_age(const World& world) {
  const double tau_q = world.scenario.startup.tau_q;
  std::vector<double> fade(static_cast<std::size_t>(world.month) + 1);
  for (std::size_t months = 0; months < fade.size(); ++months)
    fade[months] = std::exp(-static_cast<double>(months) / tau_q);
  return fade;
}

// MODEL.md 3.3 a-g for one startup. Each step reads its own named stream keyed by the
// startup's identity and the month, so the result does not depend on which thread or
// in which order startups are simulated.
void step_startup(Startups& s, std::size_t i, const CellConstants& k,
                  const std::vector<double>& quality_fade, const World& world) {
  const int month = world.month;
  const std::uint32_t region = s.region[i], id = s.id[i];
  const auto m = static_cast<std::uint32_t>(month);
  if (k.deep_tech && !s.milestone[i]) {
    Stream milestone = world.key(Purpose::milestone, region, id, 0, m);
    if (milestone.uniform() < k.p_milestone) {
      s.milestone[i] = 1;
      s.log_f[i] += k.milestone_jump;
    }
  }
  const bool before_milestone = k.deep_tech && !s.milestone[i];
  const auto age = static_cast<std::size_t>(month - s.birth_month[i]);
  const double mu = k.drift + k.quality_loading * s.log_q[i] * quality_fade[age] -
                    (before_milestone ? k.premilestone_cut : 0.0);
  Stream value = world.key(Purpose::value, region, id, 0, m);
  const double sigma = k.volatility;
  s.log_f[i] += (mu - 0.5 * sigma * sigma) / 12.0 + sigma / std::sqrt(12.0) * value.normal();
  s.cash[i] -= s.burn[i];

  Outcome outcome = Outcome::none;
  Stream hazard = world.key(Purpose::hazard, region, id, 0, m);
  if (hazard.uniform() < (before_milestone ? k.p_fail_before_milestone : k.p_fail)) {
    outcome = Outcome::failed;
  } else if (s.stage[i] >= kStageA) {
    // Before series A a startup can neither list nor be acquired, so its exit draws
    // would decide nothing; streams are keyed, so skipping them changes no other draw.
    Stream exit = world.key(Purpose::exit, region, id, 0, m);
    const double u_ipo = exit.uniform(), u_acquisition = exit.uniform();
    // F x m, computed only for a draw that could use it: exp is dear in this loop.
    const auto worth = [&] { return std::exp(s.log_f[i]) * k.sentiment; };
    if (s.stage[i] >= kStageC && u_ipo < k.p_ipo && worth() >= k.ipo_bar)
      outcome = Outcome::ipo;
    else if (acquired(u_acquisition, worth, k))
      outcome = Outcome::acquired;
  }
  s.outcome[i] = outcome;
  if (outcome != Outcome::none) {
    s.status[i] = static_cast<Status>(outcome);
    s.end_month[i] = static_cast<std::int16_t>(month);
  }
  // A stalled startup keeps seeking whatever its runway (D29).
  const bool stalled = s.needs_funding[i] == kStalled;
  const bool short_of_cash = s.cash[i] < world.scenario.startup.runway_months * s.burn[i];
  s.needs_funding[i] = outcome != Outcome::none ? kFunded
                       : stalled                ? kStalled
                       : short_of_cash          ? kSeeking
                                                : kFunded;
}

}  // namespace

void startup_dynamics(World& world) {
  const std::vector<CellConstants> constants = cell_constants(world);
  const std::vector<double> quality_fade = quality_fade_by_age(world);
  Startups& s = world.startups;
  const std::size_t sectors = static_cast<std::size_t>(world.sector_count());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, s.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t i = range.begin(); i != range.end(); ++i) {
                        if (s.status[i] != Status::alive) continue;
                        step_startup(s, i, constants[s.region[i] * sectors + s.sector[i]],
                                     quality_fade, world);
                      }
                    });
}

}  // namespace vcsim
