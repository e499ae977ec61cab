#pragma once
// Which stages' rounds draw their candidates from the same pools (MODEL.md 3.4). A
// stage's pools hold the funds whose focus admits it, in the order of the region's
// funds, weighted by their budgets; two stages admitting the same focuses would have
// identical pools, so the market builds them once: seed and early funds write seed and
// A rounds alike, growth funds C and D+ rounds.
#include <array>

#include "model/firms.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

// The focuses whose funds write rounds of the stage, one bit per Focus.
constexpr unsigned focuses_admitting(int stage) {
  unsigned focuses = 0;
  for (const Focus focus : {Focus::seed, Focus::early, Focus::growth})
    if (focus_admits_stage(focus, stage)) focuses |= 1u << static_cast<unsigned>(focus);
  return focuses;
}

// For each stage s' of a round (1..kRoundStages; 0 unused), the first stage whose rounds
// admit the same focuses: its pools serve both.
constexpr std::array<int, kRoundStages + 1> first_stages_with_same_pools() {
  std::array<int, kRoundStages + 1> first{};
  for (int stage = 1; stage <= kRoundStages; ++stage) {
    first[static_cast<std::size_t>(stage)] = stage;
    for (int earlier = stage - 1; earlier >= 1; --earlier)
      if (focuses_admitting(earlier) == focuses_admitting(stage))
        first[static_cast<std::size_t>(stage)] = earlier;
  }
  return first;
}

inline constexpr std::array<int, kRoundStages + 1> kPoolStage = first_stages_with_same_pools();

}  // namespace vcsim
