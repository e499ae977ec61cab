#include "model/fund_accounting.hpp"

#include <algorithm>

namespace vcsim {

namespace {
std::size_t year_of(int month) { return month < 0 ? 0 : static_cast<std::size_t>(month / 12); }
}  // namespace

int FundAccounts::node(std::size_t f) const {
  const int region = funds_.region[f];
  return funds_.kind[f] == FundKind::private_fund ? recorder_.nodes().private_funds(region)
                                                  : recorder_.nodes().guidance_backed_funds(region);
}

void FundAccounts::call(std::size_t f, double amount) {
  funds_.paid_in[f] += amount;
  funds_.yearly_lp_flows[f][year_of(month_)] -= amount;
  recorder_.flow(month_, recorder_.nodes().private_lps(funds_.region[f]), node(f), amount);
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
  funds_.yearly_lp_flows[f][year_of(month_)] += to_lps;
  const bool secondary = source_node == recorder_.nodes().secondary_buyers();
  recorder_.flow(month_, source_node, node(f), amount);
  recorder_.flow(month_, node(f), recorder_.nodes().private_lps(funds_.region[f]), to_lps);
  if (carry > 0) recorder_.flow(month_, node(f), recorder_.nodes().gp_carry(), carry);
  recorder_.fund_cash(month_, funds_.region[f], 0, 0, to_lps, carry, amount,
                      secondary ? amount : 0);
}

}  // namespace vcsim
