#pragma once
// A firm raising a fund at this January's fundraising (MODEL.md 3.7): an existing firm
// (firm >= 0) or an entrant, with what guidance funds and private LPs commit to it.
#include <vector>

#include "model/world.hpp"

namespace vcsim {

struct Seeker {
  int firm = -1;
  Focus focus = Focus::seed;
  int sector = -1;
  double sigma_skill = 1;
  double target = 0;  // USD m
  double reputation = 1;
  double private_part = 0;  // the part of the target private LPs are asked for
  double allocated = 0;     // private money allocated
  int entrant_index = 0;
  int guidance = -1;       // the guidance fund committing to it, if any
  double state_share = 0;  // the state's share of the fund
};

// Guidance funds act first: each active guidance fund of the region offers its yearly
// deployment and commits up to state_share_max of chosen seekers' targets. Sets each
// chosen seeker's guidance, state_share and private_part.
void commit_guidance(World& world, int region, int month, std::vector<Seeker>& seekers);

}  // namespace vcsim
