#pragma once
// The month as an explicit list of named phases (STYLE: an explicit step plan). The
// engine runs exactly this list; `vcsim plan` prints it.
#include <array>
#include <string_view>

#include "phases/phases.hpp"

namespace vcsim {

struct Phase {
  std::string_view name;
  std::string_view model_section;
  std::string_view description;
  bool january_only;
  void (*run)(World&);
};

inline constexpr std::array<Phase, 8> kMonthPlan{{
    {"events", "3.1", "read this month's parameters from the year tables, apply policy events",
     false, apply_events},
    {"births", "3.2", "Poisson births per region: sector, locality, founder quality", false,
     births},
    {"dynamics", "3.3",
     "every alive startup: milestone, value step, burn, failure, IPO, acquisition, needs funding",
     false, startup_dynamics},
    {"market", "3.4",
     "per region, in random order: follow-ons, screened new money, co-investors, close or retry",
     false, financing_market},
    {"exits", "3.5",
     "IPO and acquisition proceeds through cap tables and preferences; failures written off", false,
     exits_and_distributions},
    {"funds", "3.6", "fees, end of investment period, extension, end-of-life secondary sales",
     false, fund_lifecycle},
    {"fundraising", "3.7", "LP pool, seekers and entrants, split of the pool, closes", true,
     fundraising},
    {"record", "3.8", "alive startups, unicorn stock and flows; ended startups removed", false,
     record_month},
}};

// Before month 0, fundraising runs once with initial_pool_years of LP inflow.
inline constexpr std::string_view kBeforeFirstMonth =
    "initial fundraising: initial_pool_years x LP inflow, so funds exist at month 0";

}  // namespace vcsim
