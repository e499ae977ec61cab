#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "phases/monthly_probability.hpp"
#include "phases/phases.hpp"
#include "rng/normal_quantile.hpp"
#include "rng/philox_batch.hpp"
#include "rng/streams.hpp"

namespace vcsim {

namespace {

// This month's constants of one (region, sector) cell, computed once rather than per
// startup.
struct CellConstants {
  bool deep_tech = false;
  double p_milestone = 0;
  // The value step per month (MODEL.md 3.3 b), divided by 12 once here:
  // log F += jump + step_drift + step_quality x log q x fade - cut + step_sigma x z,
  // where jump and cut are indexed by whether the startup reaches its milestone this
  // month and whether it is still before it (0 where not): an index, where a choice
  // between two values would be a branch the processor mispredicts half the time.
  double milestone_jump[2] = {0, 0}, step_cut[2] = {0, 0};
  double step_drift = 0, step_quality = 0, step_sigma = 0;
  // By the stage reached (D33), then [1]: before the milestone, with the technology hazard.
  double p_fail[kStageCount][2] = {};
  // The same for a unicorn, whose base hazard is scaled by unicorn_hazard_factor (D37):
  // never above p_fail, so only a startup whose draw is below p_fail needs its value.
  double p_fail_unicorn[kStageCount][2] = {};
  double sentiment = 1, ipo_bar = 0, p_ipo = 0, p_acquisition = 0;
  double runway_months = 0;  // months of burn left at which a startup seeks (D36)
};

struct MonthConstants {
  std::vector<CellConstants> cells;  // indexed by region x sectors + sector
  double unicorn_value = 0;          // D37: the last post-money that makes a unicorn
  double acquisition_elasticity = 0, acquisition_reference = 0;  // D30
};

// The runway at which a startup seeks its next round: MODEL.md's runway_months, longer
// when prices are above fundamentals (m > 1), since founders then raise before they must
// and investors pre-empt rounds (docs/model.md D36). A cold market does not shorten it.
double runway_months(const StartupParams& p, double sentiment) {
  if (p.runway_sentiment_elasticity <= 0) return p.runway_months;
  return p.runway_months * std::pow(std::max(1.0, sentiment), p.runway_sentiment_elasticity);
}

MonthConstants month_constants(const World& world) {
  const Scenario& sc = world.scenario;
  MonthConstants out;
  for (int r = 0; r < world.region_count(); ++r) {
    const RegionMonth& rp = world.params.regions[static_cast<std::size_t>(r)];
    for (int s = 0; s < world.sector_count(); ++s) {
      const CellMonth& c = world.params.cell(r, s);
      CellConstants k;
      k.deep_tech = sc.sectors[static_cast<std::size_t>(s)].deep_tech;
      k.p_milestone = c.gestation_months > 0 ? 1.0 / c.gestation_months : 1.0;
      k.milestone_jump[1] = c.milestone_jump;
      const double drift = c.drift + c.event_drift, sigma = c.volatility;
      k.step_drift = (drift - 0.5 * sigma * sigma) / 12.0;
      k.step_quality = c.quality_loading / 12.0;
      k.step_cut[1] = sc.startup.premilestone_drift_cut / 12.0;
      k.step_sigma = sigma / std::sqrt(12.0);
      for (std::size_t stage = 0; stage < kStageCount; ++stage) {
        const double base = c.base_hazard * sc.startup.hazard_stage_factor[stage];
        k.p_fail[stage][0] = monthly_probability(base + c.event_hazard);
        k.p_fail[stage][1] = monthly_probability(base + c.tech_hazard + c.event_hazard);
        const double unicorn_base = base * sc.startup.unicorn_hazard_factor;
        k.p_fail_unicorn[stage][0] = monthly_probability(unicorn_base + c.event_hazard);
        k.p_fail_unicorn[stage][1] =
            monthly_probability(unicorn_base + c.tech_hazard + c.event_hazard);
      }
      k.sentiment = world.params.sentiment(r, s);
      k.runway_months = runway_months(sc.startup, k.sentiment);
      k.ipo_bar = rp.ipo_threshold * c.ipo_threshold_factor;
      k.p_ipo = monthly_probability(rp.ipo_rate * world.params.ipo_rate_factor(r, s));
      k.p_acquisition = monthly_probability(c.ma_rate * rp.ma_factor);
      out.cells.push_back(k);
    }
  }
  out.unicorn_value = sc.market.unicorn_value;
  out.acquisition_elasticity = sc.market.acquisition_value_elasticity;
  out.acquisition_reference = sc.market.acquisition_reference_value;
  return out;
}

constexpr int kStageA = 2, kStageC = 4;

// Whether a startup is acquired, given its uniform draw, the cell's probability and its
// value F x m (a function, called only when needed): MODEL.md's probability, lowered
// above the reference value when the elasticity is positive (D30).
template <typename Value>
bool acquired(double u, double p_acquisition, Value value, const MonthConstants& k) {
  if (!(u < p_acquisition)) return false;
  if (k.acquisition_elasticity <= 0) return true;
  const double v = value();
  return v <= k.acquisition_reference ||
         u < p_acquisition * std::pow(k.acquisition_reference / v, k.acquisition_elasticity);
}

// Whether a startup fails, given its uniform draw and the failure probabilities of its
// cell and stage for a startup and for a unicorn (D37). The unicorn's is never the
// larger, so the last post-money is read only for the few whose draw falls below the
// startup's: the kernel's bytes per agent-month stay as they were.
bool fails(const double* post_money, std::size_t i, double u, double p_fail, double p_fail_unicorn,
           const MonthConstants& k) {
  if (!(u < p_fail)) return false;
  return post_money[i] < k.unicorn_value || u < p_fail_unicorn;
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

// The columns the kernel reads and writes, as plain pointers taken once per range of
// slots. Through the Startups object, every store to a byte column (milestone, status,
// needs_funding) could alias the columns' own pointers, so the compiler would load each
// column's pointer again for every startup; local copies stay in registers.
struct KernelColumns {
  explicit KernelColumns(Startups& s)
      : id(s.id.data()),
        birth_month(s.birth_month.data()),
        end_month(s.end_month.data()),
        region(s.region.data()),
        sector(s.sector.data()),
        stage(s.stage.data()),
        milestone(s.milestone.data()),
        needs_funding(s.needs_funding.data()),
        status(s.status.data()),
        outcome(s.outcome.data()),
        log_q(s.log_q.data()),
        log_f(s.log_f.data()),
        post_money(s.post_money.data()),
        cash(s.cash.data()),
        burn(s.burn.data()) {}
  const std::uint32_t* id;
  const std::int16_t* birth_month;
  std::int16_t* end_month;
  const std::uint8_t *region, *sector, *stage;
  std::uint8_t *milestone, *needs_funding;
  Status* status;
  Outcome* outcome;
  const double* log_q;
  double* log_f;
  const double* post_money;
  double* cash;
  const double* burn;
};

// The draws of a batch of startups. Every alive startup draws one Philox block of its
// startup-month stream, whose four words give the value step's normal and the uniforms
// of failure, IPO and acquisition; a deep-tech startup before its milestone also draws
// the first word of its milestone stream. Both are keyed by the startup's identity and
// the month, so the result does not depend on which thread or in which order startups
// are simulated. The blocks are computed for the whole batch across SIMD lanes.
struct BatchDraws {
  static constexpr std::size_t kSize = PhiloxLanes::kCapacity;
  std::size_t size = 0;
  std::array<std::uint32_t, kSize> slot, cell;
  std::array<std::uint8_t, kSize> awaits_milestone;
  PhiloxLanes month_blocks;
  PhiloxLanes milestone_blocks{};  // zeroed: lanes past the batch's draws are read, unused
  std::array<double, kSize> z;
};

// The counter Stream gives the first block of a startup's stream for `purpose` this
// month (rng/streams.hpp) is (purpose << 24 | region << 16, id, 0, month). The last two
// words are the same for every startup of a month: set once for every lane here, and
// set_counter sets the first two for each startup.
void set_month(PhiloxLanes& lanes, std::uint32_t month) {
  for (std::size_t lane = 0; lane < PhiloxLanes::kCapacity; ++lane) {
    lanes.counter[2][lane] = 0;
    lanes.counter[3][lane] = month;
  }
}

void set_counter(PhiloxLanes& lanes, std::size_t lane, Purpose purpose, std::uint32_t region,
                 std::uint32_t id) {
  lanes.counter[0][lane] = counter_head(purpose, region);
  lanes.counter[1][lane] = id;
}

// Fills the draws of the next batch of alive startups from slot `i` on, before `end`;
// returns the slot after the batch's last.
std::size_t draw_batch(const World& world, const KernelColumns& s, const MonthConstants& k,
                       std::size_t i, std::size_t end, BatchDraws& d) {
  const std::size_t sectors = static_cast<std::size_t>(world.sector_count());
  std::size_t n = 0, milestones = 0;
  for (; i < end && n < BatchDraws::kSize; ++i) {
    if (s.status[i] != Status::alive) continue;
    d.slot[n] = static_cast<std::uint32_t>(i);
    d.cell[n] = static_cast<std::uint32_t>(s.region[i] * sectors + s.sector[i]);
    set_counter(d.month_blocks, n, Purpose::startup_month, s.region[i], s.id[i]);
    d.awaits_milestone[n] = k.cells[d.cell[n]].deep_tech & !s.milestone[i];
    // Written for every startup and kept only for those that draw (no branch).
    set_counter(d.milestone_blocks, milestones, Purpose::milestone, s.region[i], s.id[i]);
    milestones += d.awaits_milestone[n];
    ++n;
  }
  d.size = n;
  philox_blocks(world.key.seed, world.key.replication, d.month_blocks, n);
  if (milestones > 0)
    philox_blocks(world.key.seed, world.key.replication, d.milestone_blocks, milestones);
  normals_of_words(d.month_blocks.word[0], d.z.data(), n);
  return i;
}

// MODEL.md 3.3 a-g for one startup, given its draws. Conditions that go either way at
// random are selected rather than branched on: the loop branches only on rare events.
void step_startup(const KernelColumns& s, std::size_t i, const CellConstants& c,
                  const MonthConstants& k, double z, const PhiloxLanes& blocks, std::size_t lane,
                  bool awaits_milestone, double u_milestone,
                  const std::vector<double>& quality_fade, int month) {
  const bool reaches_milestone = awaits_milestone & (u_milestone < c.p_milestone);
  s.milestone[i] = static_cast<std::uint8_t>(s.milestone[i] | reaches_milestone);
  const bool before_milestone = awaits_milestone & !reaches_milestone;
  const auto age = static_cast<std::size_t>(month - s.birth_month[i]);
  s.log_f[i] += c.milestone_jump[reaches_milestone] + c.step_drift +
                c.step_quality * s.log_q[i] * quality_fade[age] - c.step_cut[before_milestone] +
                c.step_sigma * z;
  s.cash[i] -= s.burn[i];

  Outcome outcome = Outcome::none;
  const double u_fail = uniform_of_word(blocks.word[1][lane]);
  const double u_ipo = uniform_of_word(blocks.word[2][lane]);
  const double u_acquisition = uniform_of_word(blocks.word[3][lane]);
  // Before series A a startup can neither list nor be acquired; an exit needs one of
  // its exit draws to succeed.
  const int stage = s.stage[i];
  const bool exit_drawn =
      (stage >= kStageA) & ((u_ipo < c.p_ipo) | (u_acquisition < c.p_acquisition));
  if (fails(s.post_money, i, u_fail, c.p_fail[stage][before_milestone],
            c.p_fail_unicorn[stage][before_milestone], k)) {
    outcome = Outcome::failed;
  } else if (exit_drawn) {
    // F x m, computed only for a draw that could use it: exp is dear in this loop.
    const auto worth = [&] { return std::exp(s.log_f[i]) * c.sentiment; };
    if (stage >= kStageC && u_ipo < c.p_ipo && worth() >= c.ipo_bar)
      outcome = Outcome::ipo;
    else if (acquired(u_acquisition, c.p_acquisition, worth, k))
      outcome = Outcome::acquired;
  }
  s.outcome[i] = outcome;
  if (outcome != Outcome::none) {
    s.status[i] = static_cast<Status>(outcome);
    s.end_month[i] = static_cast<std::int16_t>(month);
  }
  // A stalled startup keeps seeking whatever its runway (D29).
  const bool stalled = s.needs_funding[i] == kStalled;
  const bool short_of_cash = s.cash[i] < c.runway_months * s.burn[i];
  const int need = stalled ? kStalled : short_of_cash * kSeeking;
  s.needs_funding[i] = static_cast<std::uint8_t>(need * (outcome == Outcome::none));
}

// Steps the alive startups of slots [begin, end) in batches: each batch's draws first,
// then each startup's step.
void step_slots(std::size_t begin, std::size_t end, const MonthConstants& k,
                const std::vector<double>& quality_fade, World& world) {
  const KernelColumns s(world.startups);
  BatchDraws d;
  set_month(d.month_blocks, static_cast<std::uint32_t>(world.month));
  set_month(d.milestone_blocks, static_cast<std::uint32_t>(world.month));
  for (std::size_t i = begin; i < end;) {
    i = draw_batch(world, s, k, i, end, d);
    for (std::size_t lane = 0, milestone = 0; lane < d.size; ++lane) {
      const bool awaits = d.awaits_milestone[lane];
      const double u_milestone = uniform_of_word(d.milestone_blocks.word[0][milestone]);
      milestone += awaits;
      step_startup(s, d.slot[lane], k.cells[d.cell[lane]], k, d.z[lane], d.month_blocks, lane,
                   awaits, u_milestone, quality_fade, world.month);
    }
  }
}

}  // namespace

void startup_dynamics(World& world) {
  const MonthConstants constants = month_constants(world);
  const std::vector<double> quality_fade = quality_fade_by_age(world);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, world.startups.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      step_slots(range.begin(), range.end(), constants, quality_fade, world);
                    });
}

}  // namespace vcsim
