#include <cmath>

#include "phases/phases.hpp"

namespace vcsim {

// MODEL.md 2 (Yozma's buy-out option): within `buyout_years` of a sub-fund's close, its
// private partners may buy the state's stake at cost compounded at `buyout_rate`. They
// do so each January when the stake, valued at the fund's net TVPI, is worth more than
// that price. The state is paid its price, its remaining commitment passes to the
// private LPs, and from then on every call and distribution is theirs.
void exercise_buyouts(World& world) {
  Funds& f = world.funds;
  const auto& specs = world.scenario.guidance_funds;
  for (const std::int32_t slot : f.open) {
    const auto j = static_cast<std::size_t>(slot);
    const int g = f.guidance[j];
    if (g < 0 || f.state_commitment[j] <= 0 || f.state_paid_in[j] <= 0) continue;
    const GuidanceFundSpec& spec = specs[static_cast<std::size_t>(g)];
    const int age = world.month - f.vintage_month[j];
    if (spec.buyout_years <= 0 || age > spec.buyout_years * 12) continue;
    const double growth = std::pow(1 + spec.buyout_rate, age / 12.0);
    if (f.net_tvpi(j) <= growth) continue;
    const double price = f.state_paid_in[j] * growth - f.state_distributions[j];
    if (price > 0) {
      world.guidance.distributions[static_cast<std::size_t>(g)] += price;
      world.guidance.flow(static_cast<std::size_t>(g), world.month, price);
      world.recorder.flow(world.month, world.recorder.nodes().private_lps(f.region[j]),
                          world.recorder.nodes().guidance_fund(g), price);
    }
    // The uncommitted part of the state's commitment was never drawn: it returns to the
    // guidance fund's undrawn money.
    world.guidance.committed[static_cast<std::size_t>(g)] -=
        f.state_commitment[j] - f.state_paid_in[j];
    f.state_commitment[j] = 0;
    ++world.guidance.buyouts[static_cast<std::size_t>(g)];
  }
}

}  // namespace vcsim
