#include <algorithm>

#include "phases/seeker.hpp"

namespace vcsim {

namespace {

bool early_focus(Focus f) { return f == Focus::seed || f == Focus::early; }

// Picks among the seekers still free (no guidance fund yet) and admitted by `admit`: with
// probability selection_quality the best reputation (first in order among equals),
// otherwise one at random. Returns -1 when none is left.
template <typename Admit>
int pick_seeker(const std::vector<Seeker>& seekers, Stream& draws, double selection_quality,
                Admit admit) {
  std::vector<int> free;
  for (int k = 0; k < static_cast<int>(seekers.size()); ++k)
    if (seekers[static_cast<std::size_t>(k)].guidance < 0 &&
        admit(seekers[static_cast<std::size_t>(k)]))
      free.push_back(k);
  if (free.empty()) return -1;
  const double u_mode = draws.uniform(), u_pick = draws.uniform();
  if (u_mode < selection_quality) {
    return *std::max_element(free.begin(), free.end(), [&](int a, int b) {
      return seekers[static_cast<std::size_t>(a)].reputation <
             seekers[static_cast<std::size_t>(b)].reputation;
    });
  }
  const auto k = std::min(static_cast<std::size_t>(u_pick * static_cast<double>(free.size())),
                          free.size() - 1);
  return free[k];
}

// Spends `money` on commitments of up to state_share_max of each chosen seeker's target.
template <typename Admit>
void commit_from(std::vector<Seeker>& seekers, Stream& draws, const GuidanceFundSpec& spec, int g,
                 double& money, Admit admit) {
  while (money > 1e-9) {
    const int k = pick_seeker(seekers, draws, spec.selection_quality, admit);
    if (k < 0) return;
    Seeker& s = seekers[static_cast<std::size_t>(k)];
    const double commitment = std::min(spec.state_share_max * s.target, money);
    s.guidance = g;
    s.state_share = commitment / s.target;
    s.private_part = s.target - commitment;
    money -= commitment;
  }
}

}  // namespace

void commit_guidance(World& world, int region, int month, std::vector<Seeker>& seekers) {
  const auto& specs = world.scenario.guidance_funds;
  for (std::size_t g = 0; g < specs.size(); ++g) {
    const GuidanceFundSpec& spec = specs[g];
    if (spec.region != region || month < spec.start_month) continue;
    const double offer =
        std::min(spec.size / spec.years_to_deploy, spec.size - world.guidance.offered[g]);
    if (offer <= 0) continue;
    world.guidance.offered[g] += offer;
    // The direct share funds direct stakes; the rest goes to sub-funds, of which the
    // early-stage share only to seed- and early-focus GPs (MODEL.md 3.7).
    double direct = offer * spec.direct_share;
    world.guidance.direct_budget[g] += direct;
    const double for_subfunds = offer - direct;
    double early = for_subfunds * spec.early_stage_share;
    double any = for_subfunds - early;
    Stream draws = world.key(Purpose::fundraising, static_cast<std::uint32_t>(region), 0xFFFFFFFFu,
                             static_cast<std::uint32_t>(g), static_cast<std::uint32_t>(month + 1));
    commit_from(seekers, draws, spec, static_cast<int>(g), early,
                [](const Seeker& s) { return early_focus(s.focus); });
    commit_from(seekers, draws, spec, static_cast<int>(g), any, [](const Seeker&) { return true; });
  }
}

}  // namespace vcsim
