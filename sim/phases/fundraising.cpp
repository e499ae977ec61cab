#include <algorithm>
#include <cmath>

#include "phases/phases.hpp"
#include "phases/seeker.hpp"

namespace vcsim {

namespace {

// Pooled net TVPI (weighted by paid-in) of the region's seasoned funds, vintages 10 to
// 4 years back; 1 when there are none (MODEL.md 3.7).
double trailing_tvpi(const World& w, int region, int month) {
  const Funds& f = w.funds;
  double value = 0, paid = 0;
  for (std::int32_t fund : w.region_funds[static_cast<std::size_t>(region)]) {
    const auto j = static_cast<std::size_t>(fund);
    const int age = month - f.vintage_month[j];
    if (age < 48 || age > 120 || f.paid_in[j] <= 0) continue;
    value += f.distributions[j] + f.nav[j] * (1 - f.carry_rate[j]);
    paid += f.paid_in[j];
  }
  return paid > 0 ? value / paid : 1.0;
}

// Mean net TVPI of the firm's last two funds at least 36 months old; 1 if none.
double track_record(const World& w, int firm, int month) {
  const auto& funds = w.firms.funds[static_cast<std::size_t>(firm)];
  double sum = 0;
  int count = 0;
  for (auto it = funds.rbegin(); it != funds.rend() && count < 2; ++it) {
    const auto j = static_cast<std::size_t>(*it);
    if (month - w.funds.vintage_month[j] < 36) continue;
    sum += w.funds.net_tvpi(j);
    ++count;
  }
  return count > 0 ? sum / count : 1.0;
}

bool is_seeking(const World& w, int firm, int month) {
  const auto& funds = w.firms.funds[static_cast<std::size_t>(firm)];
  if (funds.empty()) return true;
  const auto j = static_cast<std::size_t>(funds.back());
  const Funds& f = w.funds;
  const int age = month - f.vintage_month[j];
  if (age > f.inv_period[j]) return true;
  const double deployed = f.new_deal_initial[j] - f.new_deal_budget[j];
  const FundraisingParams& fr = w.scenario.fundraising;
  return deployed >= fr.seek_deployed * f.new_deal_initial[j] && age >= fr.min_fund_gap;
}

std::vector<Seeker> existing_seekers(const World& w, int region, int month) {
  const FundraisingParams& fr = w.scenario.fundraising;
  std::vector<Seeker> out;
  for (std::int32_t firm : w.region_firms[static_cast<std::size_t>(region)]) {
    const auto k = static_cast<std::size_t>(firm);
    if (!w.firms.active[k] || !is_seeking(w, firm, month)) continue;
    const double record = track_record(w, firm, month);
    Seeker s;
    s.firm = firm;
    s.focus = w.firms.focus[k];
    s.sector = w.firms.sector[k];
    s.sigma_skill = w.firms.sigma_skill[k];
    const double entry = fr.entry_size[static_cast<std::size_t>(s.focus)];
    const double last = w.firms.funds[k].empty()
                            ? entry
                            : w.funds.size[static_cast<std::size_t>(w.firms.funds[k].back())];
    s.target = std::max(last, entry / 2) * std::clamp(record, fr.size_clip_min, fr.size_clip_max);
    s.reputation = std::clamp(record, 0.25, 3.0);
    out.push_back(s);
  }
  return out;
}

int pick_index(const double* shares, int count, double u) {
  double cumulative = 0;
  for (int i = 0; i + 1 < count; ++i) {
    cumulative += shares[i];
    if (u < cumulative) return i;
  }
  return count - 1;
}

// New firms: `entrant_share` of the pool over the mean entry size, the fraction drawn.
std::vector<Seeker> entrants(const World& w, int region, int month, double pool,
                             double entrant_share) {
  const FundraisingParams& fr = w.scenario.fundraising;
  double mean_entry = 0;
  for (int k = 0; k < kFocusCount; ++k)
    mean_entry +=
        fr.focus_mix[static_cast<std::size_t>(k)] * fr.entry_size[static_cast<std::size_t>(k)];
  std::vector<Seeker> out;
  if (mean_entry <= 0 || pool <= 0) return out;
  const double expected = entrant_share * pool / mean_entry;
  Stream count_stream = w.key(Purpose::entry, static_cast<std::uint32_t>(region), 0xFFFFFFFFu, 0,
                              static_cast<std::uint32_t>(month + 1));
  const int count =
      static_cast<int>(expected) + (count_stream.uniform() < expected - std::floor(expected));
  const auto& mix = w.scenario.regions[static_cast<std::size_t>(region)].sector_mix;
  for (int n = 0; n < count; ++n) {
    Stream s = w.key(Purpose::entry, static_cast<std::uint32_t>(region),
                     static_cast<std::uint32_t>(n), 0, static_cast<std::uint32_t>(month + 1));
    Seeker e;
    e.entrant_index = n;
    e.sigma_skill = fr.sigma_skill_min + (fr.sigma_skill_max - fr.sigma_skill_min) * s.uniform();
    e.focus = static_cast<Focus>(pick_index(fr.focus_mix.data(), kFocusCount, s.uniform()));
    const double u_specialist = s.uniform(), u_sector = s.uniform();
    if (u_specialist < fr.specialist_share)
      e.sector = pick_index(mix.data(), static_cast<int>(mix.size()), u_sector);
    e.target = fr.entry_size[static_cast<std::size_t>(e.focus)];
    e.reputation = fr.new_firm_reputation;
    out.push_back(e);
  }
  return out;
}

// The private pool shared in proportion to target x reputation, capped at each
// seeker's private part, over at most four rounds of redistribution. Returns what is
// left unplaced.
double split_pool(std::vector<Seeker>& seekers, double pool) {
  double left = pool;
  for (int round = 0; round < 4 && left > 1e-9; ++round) {
    double weight = 0;
    for (const Seeker& s : seekers)
      if (s.allocated < s.private_part) weight += s.target * s.reputation;
    if (weight <= 0) break;
    const double available = left;
    for (Seeker& s : seekers) {
      if (s.allocated >= s.private_part) continue;
      const double give =
          std::min(s.private_part - s.allocated, available * s.target * s.reputation / weight);
      s.allocated += give;
      left -= give;
    }
  }
  return left;
}

struct RaiseTally {
  double raised = 0, unplaced = 0;
  int closed = 0, entered = 0, exited = 0;
};

void close_fund(World& w, Seeker& s, int region, int month, int fund_index, RaiseTally& tally) {
  const FundraisingParams& fr = w.scenario.fundraising;
  if (s.firm < 0) {
    s.firm = static_cast<int>(
        w.firms.add(region, month, s.entrant_index, s.sigma_skill, s.focus, s.sector));
    w.region_firms[static_cast<std::size_t>(region)].push_back(s.firm);
    ++tally.entered;
  }
  const auto k = static_cast<std::size_t>(s.firm);
  NewFund fund;
  fund.region = region;
  fund.kind = FundKind::private_fund;
  fund.vintage_month = month;
  fund.index = fund_index;
  fund.firm = s.firm;
  fund.focus = s.focus;
  fund.sector = s.sector;
  fund.sigma_skill = s.sigma_skill;
  // A sub-fund's state commitment scales with what private LPs put in, so the state
  // keeps its share (MODEL.md 3.7).
  const double state_share = s.guidance >= 0 ? s.state_share : 0.0;
  fund.size = state_share < 1 ? s.allocated / (1 - state_share) : s.target;
  fund.state_commitment = state_share * fund.size;
  fund.terms = w.scenario.private_funds;
  if (s.guidance >= 0) {
    const GuidanceFundSpec& spec = w.scenario.guidance_funds[static_cast<std::size_t>(s.guidance)];
    fund.kind = FundKind::guidance_backed;
    fund.guidance = s.guidance;
    fund.return_cap = spec.return_cap;
    fund.terms = w.scenario.guidance_funds_terms;
    fund.terms.life = spec.subfund_life;
    fund.terms.inv_period = std::min(fund.terms.inv_period, fund.terms.life);
    const auto g = static_cast<std::size_t>(s.guidance);
    w.guidance.committed[g] += fund.state_commitment;
    w.guidance.private_mobilised[g] += s.allocated;
  }
  const std::uint32_t firm_id =
      pack_identity(w.firms.entry_month[k], static_cast<std::uint32_t>(w.firms.index[k]));
  Stream patient = w.key(Purpose::fundraising, static_cast<std::uint32_t>(region), firm_id, 0,
                         static_cast<std::uint32_t>(month + 1));
  if (s.guidance < 0 && patient.uniform() < fr.patient_share) {
    fund.terms.life = fr.patient_life;
    fund.terms.inv_period = std::min(fund.terms.inv_period, fund.terms.life);
  }
  const auto slot = static_cast<std::int32_t>(w.funds.add(fund, w.scenario.years()));
  w.region_funds[static_cast<std::size_t>(region)].push_back(slot);
  w.firms.funds[k].push_back(slot);
  w.firms.failed_raises[k] = 0;
  tally.raised += fund.size;
  ++tally.closed;
}

void raise_region(World& w, int region, int month, double pool, double entrant_share) {
  const FundraisingParams& fr = w.scenario.fundraising;
  std::vector<Seeker> seekers = existing_seekers(w, region, month);
  for (const Seeker& e : entrants(w, region, month, pool, entrant_share)) seekers.push_back(e);
  // Guidance funds commit first (MODEL.md 3.7); the private part of a seeker they do
  // not choose is its whole target.
  for (Seeker& s : seekers) s.private_part = s.target;
  commit_guidance(w, region, month, seekers);
  RaiseTally tally;
  tally.unplaced = split_pool(seekers, pool);
  int fund_index = 0;
  for (Seeker& s : seekers) {
    // What the fund would close at: private money plus the state's matching share.
    const double total = s.state_share < 1 ? s.allocated / (1 - s.state_share) : s.target;
    if (total > 0 && total >= fr.min_close_share * s.target) {
      close_fund(w, s, region, month, fund_index++, tally);
      continue;
    }
    tally.unplaced += s.allocated;
    if (s.firm < 0) continue;  // an entrant that fails to close never enters
    const auto k = static_cast<std::size_t>(s.firm);
    if (++w.firms.failed_raises[k] >= fr.max_failed_raises) {
      w.firms.active[k] = 0;
      ++tally.exited;
    }
  }
  w.recorder.yearly_region(month / 12, region, pool, tally.unplaced, tally.raised, tally.closed,
                           tally.entered, tally.exited);
}

}  // namespace

// MODEL.md 3.7, each January: the LP pool responds to seasoned returns.
void fundraising(World& world) {
  mark_fund_nav(world);
  exercise_buyouts(world);
  for (int r = 0; r < world.region_count(); ++r) {
    const RegionMonth& rp = world.params.regions[static_cast<std::size_t>(r)];
    const double tvpi = trailing_tvpi(world, r, world.month);
    const double pool = rp.lp_inflow * std::max(0.0, 1 + rp.lp_return_elasticity * (tvpi - 1));
    raise_region(world, r, world.month, pool, world.scenario.fundraising.new_firm_share);
  }
}

// Before month 0: initial_pool_years of LP inflow, so funds exist when the run starts.
// These funds close in month -1 and invest from month 0. No firm exists yet, so the
// whole pool is offered to entrants rather than new_firm_share of it: otherwise most
// of the initial pool would stay unplaced for want of incumbents.
void initial_fundraising(World& world) {
  const MonthParams first = read_month_params(world.scenario, 0);
  for (int r = 0; r < world.region_count(); ++r) {
    const double pool = world.scenario.fundraising.initial_pool_years *
                        first.regions[static_cast<std::size_t>(r)].lp_inflow;
    raise_region(world, r, -1, pool, 1.0);
  }
}

}  // namespace vcsim
