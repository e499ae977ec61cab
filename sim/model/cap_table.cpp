#include "model/cap_table.hpp"

#include <algorithm>

namespace vcsim {

std::vector<double> exit_payouts(const CapTable& table, double price, bool preferences) {
  std::vector<double> pay;
  exit_payouts(table, price, preferences, pay);
  return pay;
}

void exit_payouts(const CapTable& table, double price, bool preferences, std::vector<double>& pay) {
  pay.assign(table.size(), 0.0);
  if (!preferences || price >= total_invested(table)) {
    for (std::size_t e = 0; e < table.size(); ++e) pay[e] = table[e].shares * price;
    return;
  }
  double left = price;
  for (int round = kLastRound; round >= 1 && left > 0; --round) {
    double owed = 0;
    for (const CapEntry& e : table)
      if (e.round == round) owed += e.invested;
    if (owed <= 0) continue;
    const double paid = std::min(owed, left);
    for (std::size_t e = 0; e < table.size(); ++e)
      if (table[e].round == round) pay[e] = table[e].invested / owed * paid;
    left -= paid;
  }
}

}  // namespace vcsim
