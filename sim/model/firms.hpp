#pragma once
// VC firms as structure-of-arrays (MODEL.md section 2). A firm raises a sequence of
// funds; it leaves after `max_failed_raises` failed raises in a row.
#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"

namespace vcsim {

struct Firms {
  std::vector<std::uint8_t> region;
  std::vector<std::int16_t> entry_month;
  std::vector<std::int32_t> index;  // index among its region's entrants that month
  std::vector<double> sigma_skill;  // screening noise: lower is better
  std::vector<Focus> focus;
  std::vector<std::int8_t> sector;               // specialist sector, -1 for generalists
  std::vector<std::vector<std::int32_t>> funds;  // fund slots, oldest first
  std::vector<std::int16_t> failed_raises;
  std::vector<std::uint8_t> active;

  std::size_t count() const { return region.size(); }

  std::size_t add(int region_index, int month, int index_in_month, double skill, Focus firm_focus,
                  int specialist_sector) {
    const std::size_t slot = count();
    region.push_back(static_cast<std::uint8_t>(region_index));
    entry_month.push_back(static_cast<std::int16_t>(month));
    index.push_back(index_in_month);
    sigma_skill.push_back(skill);
    focus.push_back(firm_focus);
    sector.push_back(static_cast<std::int8_t>(specialist_sector));
    funds.emplace_back();
    failed_raises.push_back(0);
    active.push_back(1);
    return slot;
  }
};

// Round stages (1..5) a focus invests in: seed {seed, A}, early {seed, A, B},
// growth {B, C, D+} (MODEL.md section 2).
constexpr bool focus_admits_stage(Focus focus, int stage) {
  switch (focus) {
    case Focus::seed:
      return stage <= 2;
    case Focus::early:
      return stage <= 3;
    case Focus::growth:
      return stage >= 3;
  }
  return false;
}

}  // namespace vcsim
