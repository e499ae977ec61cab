#include "model/fund_accounting.hpp"

#include <algorithm>
#include <cmath>

namespace vcsim {

namespace {
std::size_t year_of(int month) { return month < 0 ? 0 : static_cast<std::size_t>(month / 12); }
}  // namespace

// The state LP's part of a distribution: pro rata to its commitment, but never more in
// total than its paid-in compounded at the return cap; the rest goes to the private LPs
// (MODEL.md 3.5: the return concession of guidance funds).
double FundAccounts::state_take(std::size_t f, double to_lps) {
  const int g = funds_.guidance[f];
  if (g < 0 || to_lps <= 0) return 0.0;
  const double years = std::max(0, month_ - funds_.vintage_month[f]) / 12.0;
  const double ceiling = funds_.state_paid_in[f] * std::pow(1 + funds_.return_cap[f], years);
  const double room = std::max(0.0, ceiling - funds_.state_distributions[f]);
  const double take = std::min(to_lps * funds_.state_share(f), room);
  funds_.state_distributions[f] += take;
  if (guidance_ != nullptr) {
    guidance_->distributions[static_cast<std::size_t>(g)] += take;
    guidance_->flow(static_cast<std::size_t>(g), month_, take);
  }
  return take;
}

int FundAccounts::node(std::size_t f) const {
  const int region = funds_.region[f];
  return funds_.kind[f] == FundKind::private_fund ? recorder_.nodes().private_funds(region)
                                                  : recorder_.nodes().guidance_backed_funds(region);
}

// A call is paid by the LPs pro rata to their commitments: the state's share by the
// guidance fund, the rest by private LPs.
void FundAccounts::call(std::size_t f, double amount) {
  funds_.paid_in[f] += amount;
  funds_.yearly_lp_flows.at(f, year_of(month_)) -= amount;
  const int g = funds_.guidance[f];
  const double state = g >= 0 ? amount * funds_.state_share(f) : 0.0;
  if (state > 0) {
    funds_.state_paid_in[f] += state;
    if (guidance_ != nullptr) {
      guidance_->drawn[static_cast<std::size_t>(g)] += state;
      guidance_->flow(static_cast<std::size_t>(g), month_, -state);
    }
    recorder_.flow(month_, recorder_.nodes().guidance_fund(g), node(f), state);
  }
  recorder_.flow(month_, recorder_.nodes().private_lps(funds_.region[f]), node(f), amount - state);
  recorder_.fund_cash(month_, funds_.region[f], 0, amount, 0, 0, 0, 0);
}

void FundAccounts::invest(std::size_t f, double amount, int sector) {
  call(f, amount);
  funds_.invested[f] += amount;
  funds_.cost_basis[f] += amount;
  recorder_.flow(month_, node(f), recorder_.nodes().startups(sector), amount);
}

double FundAccounts::charge_fee(std::size_t f) {
  const bool investing = funds_.phase[f] == FundPhase::investing;
  const double base = investing ? funds_.size[f] : funds_.cost_basis[f];
  const double fee = std::min(funds_.fee_rate[f] / 12.0 * base, funds_.uncalled(f));
  if (fee <= 0) return 0;
  call(f, fee);
  funds_.fees[f] += fee;
  recorder_.flow(month_, node(f), recorder_.nodes().gp_fees(), fee);
  recorder_.fund_cash(month_, funds_.region[f], fee, 0, 0, 0, 0, 0);
  return fee;
}

void FundAccounts::receive(std::size_t f, double amount, int source_node) {
  if (amount <= 0) return;
  funds_.gross_proceeds[f] += amount;
  // Cumulative carry = carry_rate x max(0, gross proceeds - paid-in), paid as proceeds
  // arrive; no hurdle, catch-up or clawback, so what was paid stays paid.
  const double owed =
      funds_.carry_rate[f] * std::max(0.0, funds_.gross_proceeds[f] - funds_.paid_in[f]);
  const double carry = std::clamp(owed - funds_.carry_paid[f], 0.0, amount);
  const double to_lps = amount - carry;
  funds_.carry_paid[f] += carry;
  funds_.distributions[f] += to_lps;
  funds_.yearly_lp_flows.at(f, year_of(month_)) += to_lps;
  const bool secondary = source_node == recorder_.nodes().secondary_buyers();
  recorder_.flow(month_, source_node, node(f), amount);
  const double to_state = state_take(f, to_lps);
  recorder_.flow(month_, node(f), recorder_.nodes().private_lps(funds_.region[f]),
                 to_lps - to_state);
  if (to_state > 0)
    recorder_.flow(month_, node(f), recorder_.nodes().guidance_fund(funds_.guidance[f]), to_state);
  if (carry > 0) recorder_.flow(month_, node(f), recorder_.nodes().gp_carry(), carry);
  recorder_.fund_cash(month_, funds_.region[f], 0, 0, to_lps, carry, amount,
                      secondary ? amount : 0);
}

}  // namespace vcsim
