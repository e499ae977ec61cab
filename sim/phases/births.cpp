#include <tbb/parallel_for.h>
#include <boost/random/poisson_distribution.hpp>

#include <cmath>

#include "phases/phases.hpp"

namespace vcsim {

namespace {

// Index drawn from shares that sum to 1 (the last index takes rounding slack).
template <typename Weight>
int pick(const std::vector<Weight>& items, double u, double (*weight_of)(const Weight&)) {
  double cumulative = 0;
  for (std::size_t i = 0; i + 1 < items.size(); ++i) {
    cumulative += weight_of(items[i]);
    if (u < cumulative) return static_cast<int>(i);
  }
  return static_cast<int>(items.size()) - 1;
}

double share(const double& x) { return x; }
double locality_weight(const LocalitySpec& l) { return l.weight; }

// The region's sector mix scaled by talent events' births factors, renormalised; the
// total factor scales the number of births. Without such events it is the mix itself.
std::vector<double> sector_shares(const World& world, int region, double& births_factor) {
  const auto& mix = world.scenario.regions[static_cast<std::size_t>(region)].sector_mix;
  births_factor = 1;
  bool scaled = false;
  for (int s = 0; s < world.sector_count(); ++s)
    scaled = scaled || world.params.cell(region, s).births_factor != 1;
  if (!scaled) return mix;
  std::vector<double> shares(mix.size());
  double total = 0;
  for (std::size_t s = 0; s < mix.size(); ++s) {
    shares[s] = mix[s] * world.params.cell(region, static_cast<int>(s)).births_factor;
    total += shares[s];
  }
  births_factor = total;
  if (total > 0)
    for (double& x : shares) x /= total;
  return shares;
}

// One region's births this month: how many, and what their attributes are drawn from.
struct RegionBirths {
  int region;
  std::vector<double> sector_shares;
  std::size_t first, count;  // their places in the month's list of newborns
};

// A newborn's attributes, from its own stream.
Newborn draw_newborn(const World& world, const RegionBirths& births, std::uint32_t index) {
  const Scenario& sc = world.scenario;
  const int r = births.region;
  const RegionMonth& rp = world.params.regions[static_cast<std::size_t>(r)];
  const RegionSpec& spec = sc.regions[static_cast<std::size_t>(r)];
  const std::uint32_t id = pack_identity(world.month, index);
  Stream s = world.key(Purpose::births, static_cast<std::uint32_t>(r), id, 0, 0);
  const int sector = pick(births.sector_shares, s.uniform(), share);
  const int locality = pick(spec.localities, s.uniform(), locality_weight);
  const CellMonth& cell = world.params.cell(r, sector);
  const double log_q = rp.mu_q + cell.quality_shift + rp.sigma_q * s.normal();
  return {.id = id,
          .region = static_cast<std::uint8_t>(r),
          .sector = static_cast<std::uint8_t>(sector),
          .locality = static_cast<std::uint16_t>(locality),
          .log_q = log_q,
          .log_f = std::log(sc.startup.seed_value * cell.capital_intensity) + log_q,
          .cash = sc.startup.founder_cash,
          .burn = sc.startup.burn[0] * cell.capital_intensity};
}

// How many startups each region founds this month, in region order.
std::vector<RegionBirths> count_births(const World& world) {
  std::vector<RegionBirths> regions;
  std::size_t total = 0;
  for (int r = 0; r < world.region_count(); ++r) {
    const RegionMonth& rp = world.params.regions[static_cast<std::size_t>(r)];
    double births_factor = 1;
    std::vector<double> shares = sector_shares(world, r, births_factor);
    const double mean = rp.births_per_year * births_factor / 12.0;
    if (mean <= 0) continue;
    Stream count_stream = world.key(Purpose::births, static_cast<std::uint32_t>(r), 0xFFFFFFFFu, 1,
                                    static_cast<std::uint32_t>(world.month));
    const auto count = static_cast<std::size_t>(
        boost::random::poisson_distribution<int, double>(mean)(count_stream));
    regions.push_back({r, std::move(shares), total, count});
    total += count;
  }
  return regions;
}

}  // namespace

// MODEL.md 3.2. A newborn's attributes come from its own stream, keyed by its identity
// (birth month, index), so they are common random numbers across scenarios. They are
// drawn in parallel and the newborns appended in region and index order, so their slots
// are the same whatever the thread count.
void births(World& world) {
  const std::vector<RegionBirths> regions = count_births(world);
  std::vector<Newborn> newborns(regions.empty() ? 0 : regions.back().first + regions.back().count);
  for (const RegionBirths& births : regions)
    tbb::parallel_for(std::size_t{0}, births.count, [&](std::size_t j) {
      newborns[births.first + j] = draw_newborn(world, births, static_cast<std::uint32_t>(j));
    });
  world.startups.add_newborns(newborns, world.month);
  for (const Newborn& b : newborns) world.recorder.birth(world.month, b.region, b.sector);
}

}  // namespace vcsim
