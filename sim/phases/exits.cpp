#include <algorithm>
#include <cmath>
#include <vector>

#include "model/fund_accounting.hpp"
#include "phases/collect_in_chunks.hpp"
#include "phases/phases.hpp"

namespace vcsim {

namespace {

// The startups that ended this month, in slot order. A serial scan of every slot was
// most of the phase: few startups end in a month, and with two threads the columns it
// reads were last written on the other core. Chunks of the slots are scanned in
// parallel instead.
std::vector<std::size_t> ended_this_month(const Startups& s, int month) {
  return collect_in_chunks<std::size_t>(
      s.size(), 4096, [&](std::size_t begin, std::size_t end, std::vector<std::size_t>& ended) {
        for (std::size_t i = begin; i < end; ++i)
          if (s.status[i] != Status::alive && s.end_month[i] == month) ended.push_back(i);
      });
}

}  // namespace

// MODEL.md 3.5: proceeds of this month's IPOs and acquisitions reach the holders; a
// failure writes the holdings off. Funds' cost basis and holdings shrink in every case.
void exits_and_distributions(World& world) {
  Startups& s = world.startups;
  Funds& funds = world.funds;
  FundAccounts accounts(funds, world.recorder, world.month, &world.guidance);
  const FlowNodes& nodes = world.recorder.nodes();
  const Scenario& sc = world.scenario;
  std::vector<double> pay;
  for (const std::size_t i : ended_this_month(s, world.month)) {
    world.recorder.exit(s, i, world.month);
    const CapTable& table = s.cap_table[i];
    const bool ipo = s.status[i] == Status::ipo;
    const bool acquired = s.status[i] == Status::acquired;
    int market_node = -1;
    double price = 0;
    if (ipo || acquired) {
      const double value = std::exp(s.log_f[i]) * world.params.sentiment(s.region[i], s.sector[i]);
      price = ipo ? value : value * sc.market.acquisition_discount;
      exit_payouts(table, price, acquired, pay);
      market_node = ipo ? nodes.ipo_market() : nodes.acquirers();
    } else {
      pay.assign(table.size(), 0.0);  // a failure pays no one
    }
    double paid_out = 0;
    for (std::size_t e = 0; e < table.size(); ++e) {
      const CapEntry& entry = table[e];
      paid_out += pay[e];
      if (entry.kind == HolderKind::fund) {
        const auto f = static_cast<std::size_t>(entry.holder);
        funds.cost_basis[f] -= entry.invested;
        --funds.holdings[f];
        world.recorder.stake_ended(entry, s.id[i], pay[e]);
        if (pay[e] > 0) {
          accounts.receive(f, pay[e], market_node);
          world.ledger.proceeds_paid_to_funds += pay[e];
        }
      } else if (entry.kind == HolderKind::state_direct) {
        world.guidance.distributions[static_cast<std::size_t>(entry.holder)] += pay[e];
        world.guidance.flow(static_cast<std::size_t>(entry.holder), world.month, pay[e]);
        if (pay[e] > 0)
          world.recorder.flow(world.month, market_node, nodes.guidance_fund(entry.holder), pay[e]);
      } else if (pay[e] > 0) {
        const int holder_node = entry.kind == HolderKind::secondary_buyer ? nodes.secondary_buyers()
                                                                          : nodes.coinvestors();
        world.recorder.flow(world.month, market_node, holder_node, pay[e]);
      }
    }
    if (price - paid_out > 0)
      world.recorder.flow(world.month, market_node, nodes.founders(), price - paid_out);
  }
}

}  // namespace vcsim
