#include "model/funds.hpp"

namespace vcsim {

double expected_lifetime_fees(double fund_size, const FundTerms& terms) {
  const double investing_years = terms.inv_period / 12.0;
  const double harvesting_years = (terms.life - terms.inv_period) / 12.0;
  return terms.fee_rate * fund_size * (investing_years + 0.5 * harvesting_years);
}

std::size_t Funds::add(const NewFund& fund, int run_years) {
  const std::size_t slot = size_count();
  for_each_column([](auto& column) { column.emplace_back(); });
  region[slot] = static_cast<std::uint8_t>(fund.region);
  kind[slot] = fund.kind;
  vintage_month[slot] = static_cast<std::int16_t>(fund.vintage_month);
  index[slot] = fund.index;
  firm[slot] = fund.firm;
  focus[slot] = fund.focus;
  sector[slot] = static_cast<std::int8_t>(fund.sector);
  sigma_skill[slot] = fund.sigma_skill;
  inv_period[slot] = static_cast<std::int16_t>(fund.terms.inv_period);
  life[slot] = static_cast<std::int16_t>(fund.terms.life);
  extension_months[slot] = static_cast<std::int16_t>(fund.terms.extension_months);
  followon_horizon[slot] = static_cast<std::int16_t>(fund.terms.followon_horizon);
  fee_rate[slot] = fund.terms.fee_rate;
  carry_rate[slot] = fund.terms.carry_rate;
  size[slot] = fund.size;
  state_commitment[slot] = fund.state_commitment;
  guidance[slot] = static_cast<std::int16_t>(fund.guidance);
  return_cap[slot] = fund.return_cap;
  phase[slot] = FundPhase::investing;
  const double investable =
      fund.size > 0 ? fund.size - expected_lifetime_fees(fund.size, fund.terms) : 0.0;
  const double positive = investable > 0 ? investable : 0.0;
  new_deal_budget[slot] = positive * (1 - fund.terms.reserve_ratio);
  new_deal_initial[slot] = new_deal_budget[slot];
  reserves[slot] = positive * fund.terms.reserve_ratio;
  liquidated_month[slot] = -1;
  yearly_lp_flows.add_fund(static_cast<std::size_t>(run_years));
  open.push_back(static_cast<std::int32_t>(slot));
  return slot;
}

}  // namespace vcsim
