#pragma once
// A startup's cap table: one entry per holder and round (MODEL.md section 2). Shares
// sum to at most 1; the rest belongs to founders and employees.
#include <cstdint>
#include <vector>

namespace vcsim {

enum class HolderKind : std::uint8_t {
  fund = 0,             // a VC fund of the simulation; `holder` is its fund slot
  coinvestor = 1,       // corporates and crossover funds ("other" capital)
  secondary_buyer = 2,  // bought a fund's stake at its end of life
  state_direct = 3,     // a guidance fund investing directly
};

struct CapEntry {
  std::int32_t holder = -1;
  HolderKind kind = HolderKind::fund;
  std::uint8_t round = 0;  // stage of the round the shares were bought in (1..5)
  std::int16_t month = 0;  // month the round closed
  double shares = 0;
  double invested = 0;  // USD m paid for these shares: the liquidation preference
};

using CapTable = std::vector<CapEntry>;

inline double total_shares(const CapTable& table) {
  double sum = 0;
  for (const auto& e : table) sum += e.shares;
  return sum;
}

inline double total_invested(const CapTable& table) {
  double sum = 0;
  for (const auto& e : table) sum += e.invested;
  return sum;
}

inline constexpr int kLastRound = 5;  // D+ rounds repeat at stage 5

// What each entry receives when the company is sold for `price` (MODEL.md 3.5). Without
// preferences (an IPO converts them) holders get their shares of the price. With a 1x
// non-participating preference (an acquisition): when the price covers all capital
// invested, everyone is paid pro rata to shares; otherwise rounds are repaid their
// invested amount, last round first and pro rata within a round, until the money runs
// out, and founders get nothing. Founders' part is price minus the sum returned.
std::vector<double> exit_payouts(const CapTable& table, double price, bool preferences);

// exit_payouts into `pay`, resized to the table's entries: a caller paying many exits
// keeps one list instead of allocating one per exit.
void exit_payouts(const CapTable& table, double price, bool preferences, std::vector<double>& pay);

}  // namespace vcsim
