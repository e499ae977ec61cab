#include <algorithm>
#include <cmath>
#include <limits>

#include "phases/collect_in_chunks.hpp"
#include "phases/list_kept_slots.hpp"
#include "phases/phases.hpp"
#include "rng/first_blocks.hpp"

namespace vcsim {

namespace {

bool names(const std::vector<int>& list, int index) {
  return list.empty() || std::find(list.begin(), list.end(), index) != list.end();
}

// names() of every index below count, looked up once: a grant's scan of the startups
// asks it three times a startup.
std::vector<std::uint8_t> named(const std::vector<int>& list, int count) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) out[static_cast<std::size_t>(k)] = names(list, k) ? 1 : 0;
  return out;
}

// Best signals first; ties (practically impossible) by slot, which is deterministic.
bool better_grant_signal(const std::pair<double, std::size_t>& a,
                         const std::pair<double, std::size_t>& b) {
  return a.first != b.first ? a.first > b.first : a.second < b.second;
}

// How far below last month's lowest paid signal, in units of the agencies' noise, the
// grants' scan starts keeping signals (best_grant_signals). Lower keeps more signals to
// sort; higher makes a second scan likelier.
constexpr double kGrantFloorMargin = 0.5;

bool active(const EventSpec& e, int month) {
  return e.first_month <= month && month <= e.last_month;
}

// Shifts add and factors multiply, so events that overlap compose (MODEL.md 3.1); an
// IPO window sets the factor, which other events' factors then scale.
void adjust_cell(const EventSpec& e, CellMonth& c) {
  switch (e.kind) {
    case EventKind::export_control:
      c.event_hazard += e.hazard_shift;
      c.event_drift -= e.drift_shift;
      c.ipo_factor *= e.ipo_factor;
      break;
    case EventKind::crackdown:
      c.sentiment_factor *= e.sentiment_factor;
      c.ipo_factor *= e.ipo_factor;
      break;
    case EventKind::ipo_window:
      c.ipo_window = e.ipo_rate_factor;
      break;
    case EventKind::procurement:
      c.event_drift += e.drift_shift;
      break;
    case EventKind::tariff:
      c.event_drift -= e.drift_shift;
      break;
    case EventKind::talent:
      c.quality_shift += e.quality_shift;
      c.births_factor *= e.births_factor;
      break;
    case EventKind::grant:
      break;  // paid below, not a parameter
  }
}

// A grant scan's lists for one chunk of the startups, one set per thread, kept from
// month to month so that no scan allocates them again.
struct GrantScratch {
  std::vector<std::uint32_t> slots;
  std::vector<StreamCounter> counters;
  std::vector<double> noise;
};

GrantScratch& grant_scratch() {
  thread_local GrantScratch scratch;
  return scratch;
}

// Each startup eligible for the grant programme this month whose signal is at least
// `floor`, with that signal: founder quality plus the agencies' noise, the first normal
// of the startup's own stream. From chunks of the startups scanned in parallel, each
// chunk's streams' first blocks computed together (rng/first_blocks.hpp); each chunk
// keeps only its `best` signals (better_grant_signal), since no other can be among the
// month's `best`. Which startups are eligible follows no pattern, so they are listed
// without a branch (list_kept_slots).
std::vector<std::pair<double, std::size_t>> grant_signals(const World& world,
                                                          std::size_t event_index, std::size_t best,
                                                          double floor) {
  const EventSpec& e = world.scenario.events[event_index];
  const Startups& s = world.startups;
  const std::uint64_t bit = std::uint64_t{1} << event_index;
  const std::vector<std::uint8_t> region_named = named(e.regions, world.region_count());
  const std::vector<std::uint8_t> sector_named = named(e.sectors, world.sector_count());
  const std::vector<std::uint8_t> stage_named = named(e.stages, kRoundStages + 1);
  auto eligible = [&](std::size_t i) {
    return static_cast<std::size_t>(s.status[i] == Status::alive) &
           static_cast<std::size_t>((s.grants_received[i] & bit) == 0) & region_named[s.region[i]] &
           sector_named[s.sector[i]] & stage_named[s.stage[i]];
  };
  using Signal = std::pair<double, std::size_t>;
  return collect_in_chunks<Signal>(
      s.size(), 8192, [&](std::size_t begin, std::size_t end, std::vector<Signal>& found) {
        GrantScratch& scratch = grant_scratch();
        scratch.slots.resize(end - begin);
        const std::size_t count = list_kept_slots(begin, end, eligible, scratch.slots.data());
        scratch.counters.resize(count);
        for (std::size_t k = 0; k < count; ++k) {
          const std::size_t i = scratch.slots[k];
          scratch.counters[k] = stream_counter(Purpose::grants, s.region[i], s.id[i],
                                               static_cast<std::uint32_t>(event_index),
                                               static_cast<std::uint32_t>(world.month));
        }
        scratch.noise.resize(count);
        first_normals(world.key, scratch.counters, scratch.noise);
        for (std::size_t k = 0; k < count; ++k) {
          const double signal = s.log_q[scratch.slots[k]] + e.sigma_grant * scratch.noise[k];
          if (signal >= floor) found.emplace_back(signal, scratch.slots[k]);
        }
        if (found.size() > best) {
          const auto best_end = found.begin() + static_cast<std::ptrdiff_t>(best);
          std::nth_element(found.begin(), best_end, found.end(), better_grant_signal);
          found.erase(best_end, found.end());
        }
      });
}

// The month's `best` signals are all among those at least `floor` when there are at
// least `best` of those. The floor is set below last month's lowest paid signal, whose
// level moves little from month to month, so that nearly always there are: the scan
// then sorts a few times `best` signals instead of every eligible startup's. When there
// are not, the scan runs again with no floor, so the grants never depend on it.
std::vector<std::pair<double, std::size_t>> best_grant_signals(const World& world,
                                                               std::size_t event_index,
                                                               std::size_t best) {
  const EventSpec& e = world.scenario.events[event_index];
  const double floor = world.grant_cutoff[event_index] - kGrantFloorMargin * e.sigma_grant;
  std::vector<std::pair<double, std::size_t>> found =
      grant_signals(world, event_index, best, floor);
  if (found.size() >= best || floor == -std::numeric_limits<double>::infinity()) return found;
  return grant_signals(world, event_index, best, -std::numeric_limits<double>::infinity());
}

// SBIR-style grants: the month's budget (plus what earlier months could not spend in
// whole grants) buys grants of a fixed size for the eligible startups with the best
// noisy signal of founder quality. Grants are cash with no ownership, and a startup
// receives each grant programme once (as an SBIR award funds one project phase).
void pay_grants(World& world, std::size_t event_index) {
  const EventSpec& e = world.scenario.events[event_index];
  double& budget = world.grant_budget[event_index];
  budget += e.budget / 12.0;
  const auto count = static_cast<std::size_t>(std::floor(budget / e.grant_size));
  if (count == 0) return;
  Startups& s = world.startups;
  const std::uint64_t bit = std::uint64_t{1} << event_index;
  std::vector<std::pair<double, std::size_t>> eligible =
      best_grant_signals(world, event_index, count);
  const std::size_t paid = std::min(count, eligible.size());
  // The order is total, so the paid startups and their order are those of a full sort
  // of every eligible startup's signal.
  const auto paid_end = eligible.begin() + static_cast<std::ptrdiff_t>(paid);
  if (paid < eligible.size())
    std::nth_element(eligible.begin(), paid_end, eligible.end(), better_grant_signal);
  std::sort(eligible.begin(), paid_end, better_grant_signal);
  world.grant_cutoff[event_index] =
      paid == count ? eligible[paid - 1].first : -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < paid; ++k) {
    const std::size_t i = eligible[k].second;
    s.cash[i] += e.grant_size;
    s.grants_received[i] |= bit;
    s.raised_state[i] += e.grant_size;
    s.raised_grants[i] += e.grant_size;
    world.recorder.grant(world.month, s.region[i], s.sector[i], e.grant_size);
  }
  budget -= static_cast<double>(paid) * e.grant_size;
  // Money with no eligible taker lapses rather than piling up.
  if (paid < count) budget = std::fmod(budget, e.grant_size);
}

}  // namespace

// MODEL.md 3.1: this month's parameters are the scenario's year tables read at this
// month, adjusted by every active event in its regions and sectors. No other phase
// reads the event list.
void apply_events(World& world) {
  world.params = read_month_params(world.scenario, world.month);
  const auto& events = world.scenario.events;
  for (std::size_t k = 0; k < events.size(); ++k) {
    const EventSpec& e = events[k];
    if (!active(e, world.month)) continue;
    if (e.kind == EventKind::grant) {
      pay_grants(world, k);
      continue;
    }
    for (int r = 0; r < world.region_count(); ++r) {
      if (!names(e.regions, r)) continue;
      for (int sec = 0; sec < world.sector_count(); ++sec)
        if (names(e.sectors, sec)) adjust_cell(e, world.params.cell(r, sec));
    }
  }
}

}  // namespace vcsim
