#include "phases/phases.hpp"

namespace vcsim {

// MODEL.md 3.8: counts that read the state at the end of the month, then the startups
// that ended this month leave the arrays (after their flows out of the unicorn stock
// were recorded).
void record_month(World& world) {
  world.recorder.end_of_month(world.startups, world.month);
  if (world.month % 12 == 11) world.recorder.guidance_year(world.month, world);
  world.startups.remove_ended();
}

}  // namespace vcsim
