#include <algorithm>
#include <cmath>
#include <vector>

#include "model/fund_accounting.hpp"
#include "phases/collect_in_chunks.hpp"
#include "phases/phases.hpp"

namespace vcsim {

namespace {

void liquidate(Funds& funds, std::size_t f, int month) {
  funds.phase[f] = FundPhase::liquidated;
  funds.liquidated_month[f] = static_cast<std::int16_t>(month);
  funds.nav[f] = 0;
  funds.selling[f] = 0;
}

// Whether a fund marked `selling` holds a stake in the startup.
bool held_by_a_seller(const Funds& funds, const CapTable& table) {
  return std::any_of(table.begin(), table.end(), [&funds](const CapEntry& e) {
    return e.kind == HolderKind::fund && funds.selling[static_cast<std::size_t>(e.holder)];
  });
}

// The alive startups in which a selling fund holds a stake, in slot order. Every alive
// startup's cap table must be read, so chunks of them are read in parallel.
std::vector<std::size_t> held_by_sellers(const World& world) {
  const Startups& s = world.startups;
  return collect_in_chunks<std::size_t>(
      s.size(), 4096, [&](std::size_t begin, std::size_t end, std::vector<std::size_t>& held) {
        for (std::size_t i = begin; i < end; ++i)
          if (s.status[i] == Status::alive && held_by_a_seller(world.funds, s.cap_table[i]))
            held.push_back(i);
      });
}

// Sells every holding of the funds marked `selling` to outside secondary buyers at
// shares x F x m x secondary_discount; the buyers keep the shares, and what they later
// receive is outside fund accounting. The sales are booked in slot order.
void sell_to_secondary_buyers(World& world) {
  Startups& s = world.startups;
  Funds& funds = world.funds;
  FundAccounts accounts(funds, world.recorder, world.month, &world.guidance);
  const double discount = world.scenario.market.secondary_discount;
  for (const std::size_t i : held_by_sellers(world)) {
    const double price =
        std::exp(s.log_f[i]) * world.params.sentiment(s.region[i], s.sector[i]) * discount;
    for (CapEntry& e : s.cap_table[i]) {
      if (e.kind != HolderKind::fund || !funds.selling[static_cast<std::size_t>(e.holder)])
        continue;
      const auto f = static_cast<std::size_t>(e.holder);
      accounts.receive(f, e.shares * price, world.recorder.nodes().secondary_buyers());
      world.ledger.proceeds_paid_to_funds += e.shares * price;
      funds.cost_basis[f] -= e.invested;
      --funds.holdings[f];
      world.recorder.stake_ended(e, s.id[i], e.shares * price);
      e.kind = HolderKind::secondary_buyer;
      e.holder = -1;
    }
  }
}

}  // namespace

// MODEL.md 3.6. Fees are charged monthly from the month after the close. At the end of
// the investment period the unspent new-deal budget moves to reserves; at `life` a
// fund with holdings runs `extension_months` more with follow-ons stopped, then sells.
void fund_lifecycle(World& world) {
  Funds& funds = world.funds;
  FundAccounts accounts(funds, world.recorder, world.month, &world.guidance);
  const int month = world.month;
  bool any_selling = false;
  for (const std::int32_t slot : funds.open) {
    const auto f = static_cast<std::size_t>(slot);
    if (funds.phase[f] == FundPhase::liquidated || month <= funds.vintage_month[f]) continue;
    const int age = month - funds.vintage_month[f];
    if (funds.phase[f] == FundPhase::investing && age > funds.inv_period[f]) {
      funds.reserves[f] += funds.new_deal_budget[f];
      funds.new_deal_budget[f] = 0;
      funds.phase[f] = FundPhase::harvesting;
    }
    accounts.charge_fee(f);
    if (funds.phase[f] != FundPhase::extended && age >= funds.life[f]) {
      if (funds.holdings[f] == 0) {
        liquidate(funds, f, month);
        continue;
      }
      funds.phase[f] = FundPhase::extended;
    }
    if (funds.phase[f] == FundPhase::extended &&
        (age >= funds.life[f] + funds.extension_months[f] || funds.holdings[f] == 0)) {
      funds.selling[f] = 1;
      any_selling = any_selling || funds.holdings[f] > 0;
    }
  }
  if (any_selling) sell_to_secondary_buyers(world);
  for (const std::int32_t slot : funds.open)
    if (funds.selling[static_cast<std::size_t>(slot)])
      liquidate(funds, static_cast<std::size_t>(slot), month);
  std::erase_if(funds.open, [&funds](std::int32_t slot) {
    return funds.phase[static_cast<std::size_t>(slot)] == FundPhase::liquidated;
  });
}

void mark_fund_nav(World& world) {
  Funds& funds = world.funds;
  for (std::size_t f = 0; f < funds.size_count(); ++f) funds.nav[f] = 0;
  const Startups& s = world.startups;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != Status::alive) continue;
    for (const CapEntry& e : s.cap_table[i])
      if (e.kind == HolderKind::fund)
        funds.nav[static_cast<std::size_t>(e.holder)] += e.shares * s.post_money[i];
  }
}

}  // namespace vcsim
