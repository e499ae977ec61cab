#include "model/world.hpp"

#include <limits>

namespace vcsim {

World::World(const Scenario& s, std::uint32_t replication, bool micro_data)
    : scenario(s),
      key{s.seed, replication},
      guidance(s.guidance_funds.size()),
      recorder(s, micro_data),
      region_funds(s.regions.size()),
      region_firms(s.regions.size()),
      grant_budget(s.events.size(), 0.0),
      grant_cutoff(s.events.size(), -std::numeric_limits<double>::infinity()) {
  params = read_month_params(s, 0);
  guidance.yearly_flows.assign(s.guidance_funds.size(),
                               std::vector<double>(static_cast<std::size_t>(s.years()), 0.0));
}

}  // namespace vcsim
