#include "record/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/funds.hpp"
#include "model/startups.hpp"
#include "model/world.hpp"
#include "phases/collect_in_chunks.hpp"
#include "record/irr.hpp"

namespace vcsim {

namespace {

using Dims = std::vector<std::string>;
using Shape = std::vector<std::size_t>;

enum CohortOutcome {
  kSeeded = 0,  // then reached_a .. reached_d at 1..4
  kUnicorn = 5,
  kIpo = 6,
  kAcquired = 7,
  kFailed = 8,
  kAlive = 9,
};
enum CohortDuration { kFoundingToSeed = 0, kSeedToA = 1, kAToB = 2, kFoundingToUnicorn = 3 };

double median(std::vector<std::uint16_t> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

UnicornSeries make_unicorn_series(const Shape& shape) {
  const Dims dims{"month", "region", "sector"};
  UnicornSeries u;
  for (auto* a :
       {&u.active, &u.new_, &u.reminted, &u.ipo, &u.acquired, &u.failed, &u.demoted, &u.aged_out})
    *a = NdArray<std::int32_t>(dims, shape);
  return u;
}

// The state's IRR through a guidance fund: its yearly flows to `year`, with the value
// of its stakes as if realised at the end of that year.
double state_irr(const std::vector<double>& yearly, int year, double nav) {
  std::vector<double> flows(yearly.begin(), yearly.begin() + year + 1);
  flows.back() += nav;
  while (flows.size() > 1 && flows.front() == 0) flows.erase(flows.begin());
  return net_irr(flows);
}

}  // namespace

FlowNodes::FlowNodes(const Scenario& scenario)
    : regions_(static_cast<int>(scenario.regions.size())),
      sectors_(static_cast<int>(scenario.sectors.size())) {
  for (const auto& r : scenario.regions) names_.push_back("private_lps:" + r.name);
  for (const auto& r : scenario.regions) names_.push_back("private_funds:" + r.name);
  for (const auto& r : scenario.regions) names_.push_back("guidance_backed_funds:" + r.name);
  for (const auto& s : scenario.sectors) names_.push_back("startups:" + s.name);
  for (const char* n : {"coinvestors", "ipo_market", "acquirers", "secondary_buyers", "founders",
                        "gp_fees", "gp_carry", "grant_agencies"})
    names_.emplace_back(n);
  for (const auto& g : scenario.guidance_funds) names_.push_back("guidance_fund:" + g.name);
}

Recorder::Recorder(const Scenario& scenario, bool micro_data)
    : scenario_(scenario), micro_data_(micro_data), nodes_(scenario) {
  const auto months = static_cast<std::size_t>(scenario.months());
  const auto years = static_cast<std::size_t>(scenario.years());
  const auto regions = scenario.regions.size();
  const auto sectors = scenario.sectors.size();
  const Shape mrs{months, regions, sectors};
  const Dims mrs_dims{"month", "region", "sector"};
  for (auto* a : {&r_.births, &r_.startups_alive, &r_.ipos, &r_.acquisitions, &r_.failures_unfunded,
                  &r_.failures_funded, &r_.grants})
    *a = NdArray<std::int32_t>(mrs_dims, mrs);
  r_.grant_money = NdArray<double>(mrs_dims, mrs);
  r_.unicorns_state_backed = NdArray<std::int32_t>(mrs_dims, mrs);
  for (auto& u : r_.unicorns) u = make_unicorn_series(mrs);
  r_.rounds = NdArray<std::int32_t>({"month", "region", "sector", "stage"},
                                    {months, regions, sectors, kRoundStages});
  r_.capital_invested =
      NdArray<double>({"month", "region", "sector", "stage", "source"},
                      {months, regions, sectors, kRoundStages, kSourceNames.size()});
  for (auto* a : {&r_.fees, &r_.calls, &r_.distributions, &r_.carry, &r_.exit_proceeds_to_funds,
                  &r_.secondary_sales})
    *a = NdArray<double>({"month", "region"}, {months, regions});
  for (auto* a : {&r_.lp_pool, &r_.lp_unplaced, &r_.capital_raised})
    *a = NdArray<double>({"year", "region"}, {years, regions});
  for (auto* a : {&r_.funds_closed, &r_.firms_entered, &r_.firms_exited})
    *a = NdArray<std::int32_t>({"year", "region"}, {years, regions});
  const auto nodes = nodes_.names().size();
  r_.capital_flows = NdArray<double>({"year", "source_node", "target_node"}, {years, nodes, nodes});
  r_.cohort_counts = NdArray<std::int32_t>({"seed_year", "region", "sector", "outcome"},
                                           {years, regions, sectors, kCohortOutcomeNames.size()});
  r_.cohort_median_months = NdArray<double>({"seed_year", "region", "sector", "duration"},
                                            {years, regions, sectors, kCohortDurationNames.size()});
  r_.cohort_counts_by_class = NdArray<std::int32_t>(
      {"seed_year", "region", "class", "outcome"},
      {years, regions, kStartupClassNames.size(), kCohortOutcomeNames.size()});
  r_.cohort_capital_by_class =
      NdArray<double>({"seed_year", "region", "class", "money"},
                      {years, regions, kStartupClassNames.size(), kMoneyNames.size()});
  durations_.resize(years * regions * sectors * kCohortDurationNames.size());
  if (!scenario.guidance_funds.empty()) {
    r_.guidance =
        NdArray<double>({"year", "guidance_fund", "measure"},
                        {years, scenario.guidance_funds.size(), kGuidanceMeasureNames.size()});
    r_.guidance_invested =
        NdArray<double>({"year", "guidance_fund", "sector", "stage"},
                        {years, scenario.guidance_funds.size(), sectors, kRoundStages});
  }
}

void Recorder::birth(int month, int region, int sector) { ++r_.births(month, region, sector); }

void Recorder::grant(int month, int region, int sector, double amount) {
  ++r_.grants(month, region, sector);
  r_.grant_money(month, region, sector) += amount;
  flow(month, nodes_.grant_agencies(), nodes_.startups(sector), amount);
}

std::size_t Recorder::cohort_index(int seed_year, int region, int sector) const {
  return (static_cast<std::size_t>(seed_year) * scenario_.regions.size() +
          static_cast<std::size_t>(region)) *
             scenario_.sectors.size() +
         static_cast<std::size_t>(sector);
}

void Recorder::cohort_add(const Startups& s, std::size_t slot, int outcome) {
  const int seed_month = s.stage_month[1][slot];
  if (seed_month < 0) return;  // never funded: not in a seed cohort
  ++r_.cohort_counts(seed_month / 12, s.region[slot], s.sector[slot], outcome);
}

void Recorder::cohort_duration(const Startups& s, std::size_t slot, int which, int months) {
  const int seed_month = s.stage_month[1][slot];
  if (seed_month < 0 || months < 0) return;
  const std::size_t cell = cohort_index(seed_month / 12, s.region[slot], s.sector[slot]);
  durations_[cell * kCohortDurationNames.size() + static_cast<std::size_t>(which)].push_back(
      static_cast<std::uint16_t>(months));
}

void Recorder::stage_reached(const Startups& s, std::size_t slot, int stage, int month) {
  if (stage > 5 || stage < 1) return;
  cohort_add(s, slot, kSeeded + stage - 1);
  if (stage == 1) cohort_duration(s, slot, kFoundingToSeed, month - s.birth_month[slot]);
  if (stage == 2) cohort_duration(s, slot, kSeedToA, month - s.stage_month[1][slot]);
  if (stage == 3 && s.stage_month[2][slot] >= 0)
    cohort_duration(s, slot, kAToB, month - s.stage_month[2][slot]);
}

void Recorder::round(int month, int region, int sector, int stage, const double (&by_source)[4]) {
  ++r_.rounds(month, region, sector, stage - 1);
  for (std::size_t k = 0; k < 4; ++k)
    r_.capital_invested(month, region, sector, stage - 1, k) += by_source[k];
}

void Recorder::add_startup_row(const Startups& s, std::size_t slot) {
  StartupRecord row;
  row.id = s.id[slot];
  row.region = s.region[slot];
  row.sector = s.sector[slot];
  row.locality = s.locality[slot];
  row.log_q = s.log_q[slot];
  row.birth_month = s.birth_month[slot];
  for (std::size_t k = 0; k < row.stage_month.size(); ++k)
    row.stage_month[k] = s.stage_month[k + 1][slot];
  row.unicorn_month = s.unicorn_month[slot];
  row.end_month = s.end_month[slot];
  row.status = static_cast<std::int32_t>(s.status[slot]);
  row.stage = s.stage[slot];
  row.raised_funds = s.raised_fund[slot];
  row.raised_state = s.raised_state[slot];
  row.raised_other = s.raised_other[slot];
  row.raised_private = s.raised_private[slot];
  row.raised_grants = s.raised_grants[slot];
  row.state_money = s.raised_state[slot] > 0;
  r_.startups.push_back(row);
}

void Recorder::stake_ended(const CapEntry& entry, std::uint32_t startup_id, double proceeds) {
  if (!micro_data_) return;
  r_.investments.push_back({entry.holder, startup_id, entry.round, entry.month, entry.invested,
                            proceeds, entry.invested > 0 ? proceeds / entry.invested : 0, 1});
}

// Counts every outcome the startup reached under its class, once, when its money is final.
// Counts every outcome the startup reached under its class, once, when its money is final.
void Recorder::class_outcomes(const Startups& s, std::size_t slot) {
  const int seed_month = s.stage_month[1][slot];
  if (seed_month == kNever) return;  // never funded: in no cohort and no class
  const double priv = s.raised_private[slot], grants = s.raised_grants[slot];
  // raised_state took the grants in the same order as raised_grants, so without state
  // equity the difference is exactly zero.
  const double state_equity = s.raised_state[slot] - grants;
  const std::size_t cls = state_equity <= 0 ? 0 : (priv > 0 ? 1 : 2);
  const auto year = static_cast<std::size_t>(seed_month / 12);
  const std::size_t region = s.region[slot];
  auto count = [&](int outcome) {
    ++r_.cohort_counts_by_class(year, region, cls, static_cast<std::size_t>(outcome));
  };
  for (int stage = 1; stage < kStageCount; ++stage)
    if (s.stage_month[static_cast<std::size_t>(stage)][slot] != kNever) count(kSeeded + stage - 1);
  if (s.unicorn_month[slot] != kNever) count(kUnicorn);
  switch (s.status[slot]) {
    case Status::ipo:
      count(kIpo);
      break;
    case Status::acquired:
      count(kAcquired);
      break;
    case Status::failed:
      count(kFailed);
      break;
    case Status::alive:
      count(kAlive);
      break;
  }
  r_.cohort_capital_by_class(year, region, cls, 0) += priv;
  r_.cohort_capital_by_class(year, region, cls, 1) += state_equity;
  r_.cohort_capital_by_class(year, region, cls, 2) += grants;
}

void Recorder::exit(const Startups& s, std::size_t slot, int month) {
  if (micro_data_) add_startup_row(s, slot);
  class_outcomes(s, slot);
  const int region = s.region[slot], sector = s.sector[slot];
  switch (s.status[slot]) {
    case Status::ipo:
      ++r_.ipos(month, region, sector);
      cohort_add(s, slot, kIpo);
      break;
    case Status::acquired:
      ++r_.acquisitions(month, region, sector);
      cohort_add(s, slot, kAcquired);
      break;
    case Status::failed:
      if (s.stage[slot] == 0)
        ++r_.failures_unfunded(month, region, sector);
      else
        ++r_.failures_funded(month, region, sector);
      cohort_add(s, slot, kFailed);
      break;
    case Status::alive:
      break;
  }
}

void Recorder::yearly_region(int year, int region, double lp_pool, double lp_unplaced,
                             double raised, int funds_closed, int firms_entered, int firms_exited) {
  const int y = year < 0 ? 0 : year;
  r_.lp_pool(y, region) += lp_pool;
  r_.lp_unplaced(y, region) += lp_unplaced;
  r_.capital_raised(y, region) += raised;
  r_.funds_closed(y, region) += funds_closed;
  r_.firms_entered(y, region) += firms_entered;
  r_.firms_exited(y, region) += firms_exited;
}

void Recorder::guidance_investment(int month, int g, int sector, int stage, double amount) {
  if (amount <= 0 || r_.guidance_invested.size() == 0) return;
  r_.guidance_invested(month / 12, g, sector, stage - 1) += amount;
}

void Recorder::guidance_year(int month, const World& w) {
  const std::size_t count = w.scenario.guidance_funds.size();
  if (count == 0) return;
  // The state's stakes: its share of its sub-funds' holdings and its direct stakes,
  // each marked at the last post-money.
  std::vector<double> nav(count, 0.0);
  const Startups& s = w.startups;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != Status::alive) continue;
    for (const CapEntry& e : s.cap_table[i]) {
      if (e.kind == HolderKind::state_direct) {
        nav[static_cast<std::size_t>(e.holder)] += e.shares * s.post_money[i];
      } else if (e.kind == HolderKind::fund) {
        const auto f = static_cast<std::size_t>(e.holder);
        const int g = w.funds.guidance[f];
        if (g >= 0)
          nav[static_cast<std::size_t>(g)] += e.shares * s.post_money[i] * w.funds.state_share(f);
      }
    }
  }
  const int year = month / 12;
  const GuidanceFunds& gf = w.guidance;
  for (std::size_t g = 0; g < count; ++g) {
    const double paid = gf.drawn[g] + gf.direct_invested[g];
    const double values[] = {
        gf.offered[g],
        gf.committed[g],
        gf.drawn[g],
        gf.undrawn(g),
        gf.direct_invested[g],
        gf.distributions[g],
        nav[g],
        paid > 0 ? (gf.distributions[g] + nav[g]) / paid : std::numeric_limits<double>::quiet_NaN(),
        gf.private_mobilised[g],
        gf.committed[g] > 0 ? gf.private_mobilised[g] / gf.committed[g]
                            : std::numeric_limits<double>::quiet_NaN(),
        gf.buyouts[g],
        state_irr(gf.yearly_flows[g], year, nav[g])};
    for (std::size_t k = 0; k < kGuidanceMeasureNames.size(); ++k)
      r_.guidance(year, g, k) = values[k];
  }
}

namespace {

// Whether the startup counts as a unicorn now: under the all and the age-capped
// definitions.
struct UnicornNow {
  bool all, capped;
};

UnicornNow unicorn_now(const Startups& s, std::size_t i, int month, double unicorn_value,
                       int age_cap) {
  const bool valued = s.status[i] == Status::alive && s.post_money[i] >= unicorn_value;
  return {valued, valued && month - s.birth_month[i] <= age_cap};
}

// The slots that may be in the unicorn stock this month or leave it: valued at the
// threshold (alive or not) or counted in it last month. A few hundred of tens of
// thousands, so the branch is cheap; listed in slot order by a parallel scan.
std::vector<std::size_t> unicorn_watch(const Startups& s, double unicorn_value) {
  constexpr std::uint8_t kCountedNow = kUnicornAll | kUnicornCapped;
  return collect_in_chunks<std::size_t>(
      s.size(), 16384, [&](std::size_t begin, std::size_t end, std::vector<std::size_t>& watch) {
        for (std::size_t i = begin; i < end; ++i)
          if (s.post_money[i] >= unicorn_value || (s.unicorn_flags[i] & kCountedNow) != 0)
            watch.push_back(i);
      });
}

}  // namespace

// The alive stock needs no scan: every startup enters it by a recorded birth and leaves
// it by one recorded exit, both this month's, so each cell's stock is last month's plus
// the month's births less its IPOs, acquisitions and failures (integers: exact). The
// unicorn stock and its flows come from the few startups unicorn_watch lists, in slot
// order.
void Recorder::end_of_month(Startups& s, int month) {
  count_alive(month);
  const double unicorn_value = scenario_.market.unicorn_value;
  const int age_cap = scenario_.market.unicorn_age_cap;
  for (const std::size_t i : unicorn_watch(s, unicorn_value)) {
    const UnicornNow now = unicorn_now(s, i, month, unicorn_value, age_cap);
    const int region = s.region[i], sector = s.sector[i];
    if (now.all) {
      ++r_.unicorns[0].active(month, region, sector);
      r_.unicorns[1].active(month, region, sector) += now.capped;
      r_.unicorns_state_backed(month, region, sector) += s.raised_state[i] > 0;
    }
    const std::uint8_t flags = s.unicorn_flags[i];
    if (now.all != ((flags & kUnicornAll) != 0) || now.capped != ((flags & kUnicornCapped) != 0))
      unicorn_flags_change(s, i, month);
  }
}

void Recorder::count_alive(int month) {
  const auto& shape = r_.startups_alive.shape();
  for (std::size_t region = 0; region < shape[1]; ++region)
    for (std::size_t sector = 0; sector < shape[2]; ++sector) {
      const auto m = static_cast<std::size_t>(month);
      const std::int32_t before = m > 0 ? r_.startups_alive(m - 1, region, sector) : 0;
      const std::int32_t alive = before + r_.births(m, region, sector) -
                                 r_.ipos(m, region, sector) - r_.acquisitions(m, region, sector) -
                                 r_.failures_unfunded(m, region, sector) -
                                 r_.failures_funded(m, region, sector);
      r_.startups_alive(m, region, sector) = alive;
      r_.agent_months += static_cast<std::uint64_t>(alive);
    }
}

// A startup that became a unicorn this month, under either definition, or stopped being
// one: its flows into or out of the stock, and its flags.
void Recorder::unicorn_flags_change(Startups& s, std::size_t i, int month) {
  const double unicorn_value = scenario_.market.unicorn_value;
  const int region = s.region[i], sector = s.sector[i];
  const bool alive = s.status[i] == Status::alive;
  const UnicornNow unicorn =
      unicorn_now(s, i, month, unicorn_value, scenario_.market.unicorn_age_cap);
  const bool now[2] = {unicorn.all, unicorn.capped};
  const std::uint8_t now_bit[2] = {kUnicornAll, kUnicornCapped};
  const std::uint8_t ever_bit[2] = {kEverUnicornAll, kEverUnicornCapped};
  std::uint8_t& flags = s.unicorn_flags[i];
  for (int d = 0; d < 2; ++d) {
    UnicornSeries& u = r_.unicorns[static_cast<std::size_t>(d)];
    const bool was = (flags & now_bit[d]) != 0;
    if (now[d] && !was) {
      ++((flags & ever_bit[d]) ? u.reminted : u.new_)(month, region, sector);
      if (d == 0 && !(flags & ever_bit[d])) {
        s.unicorn_month[i] = static_cast<std::int16_t>(month);
        cohort_add(s, i, kUnicorn);
        cohort_duration(s, i, kFoundingToUnicorn, month - s.birth_month[i]);
      }
      flags = static_cast<std::uint8_t>(flags | now_bit[d] | ever_bit[d]);
    } else if (!now[d] && was) {
      NdArray<std::int32_t>* flow = &u.demoted;
      if (s.status[i] == Status::ipo) flow = &u.ipo;
      if (s.status[i] == Status::acquired) flow = &u.acquired;
      if (s.status[i] == Status::failed) flow = &u.failed;
      if (alive && s.post_money[i] >= unicorn_value) flow = &u.aged_out;
      ++(*flow)(month, region, sector);
      flags = static_cast<std::uint8_t>(flags & ~now_bit[d]);
    }
  }
}

ReplicationResult Recorder::finish(const Startups& s, const Funds& funds, int run_months) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != Status::alive) continue;
    cohort_add(s, i, kAlive);
    class_outcomes(s, i);
    if (!micro_data_) continue;
    add_startup_row(s, i);
    for (const CapEntry& e : s.cap_table[i])
      if (e.kind == HolderKind::fund)
        r_.investments.push_back({e.holder, s.id[i], e.round, e.month, e.invested, 0, 0, 0});
  }
  for (std::size_t cell = 0; cell < durations_.size(); ++cell)
    r_.cohort_median_months.data()[cell] = median(durations_[cell]);

  const int last_year = (run_months - 1) / 12;
  r_.funds.reserve(funds.size_count());  // held until the file is written: no slack
  for (std::size_t f = 0; f < funds.size_count(); ++f) {
    FundRecord rec;
    rec.region = funds.region[f];
    rec.kind = static_cast<std::int32_t>(funds.kind[f]);
    rec.vintage_month = funds.vintage_month[f];
    rec.index = funds.index[f];
    rec.firm = funds.firm[f];
    rec.focus = static_cast<std::int32_t>(funds.focus[f]);
    rec.sector = funds.sector[f];
    rec.life = funds.life[f];
    rec.liquidated_month = funds.liquidated_month[f];
    rec.size = funds.size[f];
    rec.state_share = funds.size[f] > 0 ? funds.state_commitment[f] / funds.size[f] : 0;
    rec.paid_in = funds.paid_in[f];
    rec.invested = funds.invested[f];
    rec.fees = funds.fees[f];
    rec.gross_proceeds = funds.gross_proceeds[f];
    rec.carry = funds.carry_paid[f];
    rec.distributions = funds.distributions[f];
    rec.nav = funds.nav[f];
    rec.tvpi = funds.net_tvpi(f);
    rec.dpi = funds.paid_in[f] > 0 ? funds.distributions[f] / funds.paid_in[f] : 0;
    std::vector<double> flows = funds.yearly_lp_flows.of_fund(f);
    const int end_year = rec.liquidated_month >= 0 ? rec.liquidated_month / 12 : last_year;
    flows.resize(static_cast<std::size_t>(end_year + 1));
    flows.back() += funds.nav[f] * (1 - funds.carry_rate[f]);
    const int first_year = std::max(0, static_cast<int>(funds.vintage_month[f]) / 12);
    flows.erase(flows.begin(),
                flows.begin() + std::min<std::ptrdiff_t>(first_year, std::ssize(flows) - 1));
    rec.irr = net_irr(flows);
    rec.deals = funds.deals[f];
    r_.funds.push_back(rec);
  }
  return std::move(r_);
}

}  // namespace vcsim
