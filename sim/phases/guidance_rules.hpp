#pragma once
// The rules a guidance fund sets for its sub-funds (MODEL.md 3.4): while a sub-fund's
// invested share in target sectors is below sector_quota it admits only target-sector
// deals, and while its investment at home is below reinvest_ratio x the state's
// commitment it admits only deals in the home locality.
#include "model/world.hpp"

namespace vcsim {

inline const GuidanceFundSpec* guidance_of(const World& w, std::size_t fund) {
  const int g = w.funds.guidance[fund];
  return g < 0 ? nullptr : &w.scenario.guidance_funds[static_cast<std::size_t>(g)];
}

inline bool is_target(const GuidanceFundSpec& spec, int sector) {
  return spec.sector_weights.empty() || spec.sector_weights[static_cast<std::size_t>(sector)] > 0;
}

inline bool sector_quota_binds(const World& w, std::size_t fund) {
  const GuidanceFundSpec* spec = guidance_of(w, fund);
  if (spec == nullptr || spec->sector_quota <= 0) return false;
  return w.funds.invested_in_targets[fund] < spec->sector_quota * w.funds.invested[fund] ||
         w.funds.invested[fund] <= 0;
}

inline bool home_rule_binds(const World& w, std::size_t fund) {
  const GuidanceFundSpec* spec = guidance_of(w, fund);
  if (spec == nullptr || spec->reinvest_ratio <= 0 || spec->home_locality < 0) return false;
  return w.funds.invested_at_home[fund] < spec->reinvest_ratio * w.funds.state_commitment[fund];
}

// Whether the fund's guidance rules, as they stand now, admit a deal.
inline bool guidance_admits(const World& w, std::size_t fund, int sector, int locality) {
  const GuidanceFundSpec* spec = guidance_of(w, fund);
  if (spec == nullptr) return true;
  if (sector_quota_binds(w, fund) && !is_target(*spec, sector)) return false;
  if (home_rule_binds(w, fund) && locality != spec->home_locality) return false;
  return true;
}

// Records an investment against the fund's rule counters.
inline void count_for_rules(World& w, std::size_t fund, int sector, int locality, double amount) {
  const GuidanceFundSpec* spec = guidance_of(w, fund);
  if (spec == nullptr) return;
  if (is_target(*spec, sector)) w.funds.invested_in_targets[fund] += amount;
  if (locality == spec->home_locality) w.funds.invested_at_home[fund] += amount;
}

}  // namespace vcsim
