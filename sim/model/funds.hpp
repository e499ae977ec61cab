#pragma once
// VC funds as structure-of-arrays, with the accounting of MODEL.md section 2. Funds
// are never removed: a slot is the fund's identity within a replication, and its
// (vintage month, index) pair keys random draws.
#include <cstdint>
#include <vector>

#include "model/yearly_flows.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

enum class FundKind : std::uint8_t { private_fund = 0, guidance_backed = 1 };
enum class FundPhase : std::uint8_t { investing = 0, harvesting = 1, extended = 2, liquidated = 3 };

struct NewFund {
  int region = 0;
  FundKind kind = FundKind::private_fund;
  int vintage_month = 0;  // month of the close; it invests from the next month
  int index = 0;          // index among its region's funds of that vintage
  int firm = 0;           // firm slot
  Focus focus = Focus::seed;
  int sector = -1;  // specialist sector, -1 for generalists
  double sigma_skill = 1;
  double size = 0;  // committed, USD m
  double state_commitment = 0;
  int guidance = -1;      // the guidance fund that is its state LP; -1 for none
  double return_cap = 0;  // /year cap on the state LP's return (MODEL.md 3.5)
  FundTerms terms;
};

struct Funds {
  // Identity and terms.
  std::vector<std::uint8_t> region;
  std::vector<FundKind> kind;
  std::vector<std::int16_t> vintage_month;
  std::vector<std::int32_t> index, firm;
  std::vector<Focus> focus;
  std::vector<std::int8_t> sector;
  std::vector<double> sigma_skill;
  std::vector<std::int16_t> inv_period, life, extension_months, followon_horizon;
  std::vector<double> fee_rate, carry_rate;
  std::vector<double> size, state_commitment;
  // The state LP of a guidance-backed fund (MODEL.md 2, 3.4, 3.5).
  std::vector<std::int16_t> guidance;  // guidance fund index; -1 for private funds
  std::vector<double> return_cap, state_paid_in, state_distributions;
  std::vector<double> invested_in_targets, invested_at_home;  // for the guidance rules
  // Accounting, USD m (MODEL.md section 2).
  std::vector<FundPhase> phase;
  std::vector<double> paid_in, invested, fees, new_deal_budget, new_deal_initial, reserves;
  std::vector<double> cost_basis;  // of unrealised holdings
  std::vector<double> gross_proceeds, carry_paid, distributions, nav;
  std::vector<std::int32_t> holdings, deals;
  std::vector<std::int16_t> liquidated_month;
  std::vector<std::uint8_t> selling;  // sells every holding in this month's fund phase
  YearlyFlows yearly_lp_flows;        // net cash flows to the LPs by year, for the IRR
  // Slots of funds not yet liquidated, ascending, so monthly work skips wound-up funds.
  std::vector<std::int32_t> open;

  std::size_t size_count() const { return region.size(); }
  std::size_t add(const NewFund& fund, int run_years);

  double uncalled(std::size_t f) const { return size[f] - paid_in[f]; }
  double state_share(std::size_t f) const {
    return size[f] > 0 ? state_commitment[f] / size[f] : 0.0;
  }
  // Net TVPI = (LP distributions + NAV x (1 - carry)) / paid-in; 1 before any call.
  double net_tvpi(std::size_t f) const {
    if (paid_in[f] <= 0) return 1.0;
    return (distributions[f] + nav[f] * (1 - carry_rate[f])) / paid_in[f];
  }
  bool inside_investment_period(std::size_t f, int month) const {
    return month > vintage_month[f] && month <= vintage_month[f] + inv_period[f] &&
           phase[f] == FundPhase::investing;
  }
  // Follow-ons need the fund alive, not in extension, with followon_horizon months left.
  bool can_follow_on(std::size_t f, int month) const {
    return month > vintage_month[f] && phase[f] <= FundPhase::harvesting &&
           month <= vintage_month[f] + life[f] - followon_horizon[f];
  }

  template <typename F>
  void for_each_column(F&& f) {
    f(region), f(kind), f(vintage_month), f(index), f(firm), f(focus), f(sector);
    f(sigma_skill), f(inv_period), f(life), f(extension_months), f(followon_horizon);
    f(fee_rate), f(carry_rate), f(size), f(state_commitment), f(phase), f(paid_in);
    f(guidance), f(return_cap), f(state_paid_in), f(state_distributions);
    f(invested_in_targets), f(invested_at_home);
    f(invested), f(fees), f(new_deal_budget), f(new_deal_initial), f(reserves), f(cost_basis);
    f(gross_proceeds), f(carry_paid), f(distributions), f(nav), f(holdings), f(deals);
    f(liquidated_month), f(selling);
  }
};

// Expected lifetime fees used to size the investable capital: the committed-capital
// fee over the investment period and, after it, the fee on a cost basis assumed to
// run at half the fund's size on average while holdings are realised.
double expected_lifetime_fees(double size, const FundTerms& terms);

}  // namespace vcsim
