#pragma once
// A startup's cap table: one entry per holder and round (MODEL.md section 2). Shares
// sum to at most 1; the rest belongs to founders and employees.
#include <cstdint>
#include <vector>

namespace vcsim {

enum class HolderKind : std::uint8_t {
  fund = 0,            // a VC fund of the simulation; `holder` is its fund slot
  coinvestor = 1,      // corporates and crossover funds ("other" capital)
  secondary_buyer = 2, // bought a fund's stake at its end of life
  state_direct = 3,    // a guidance fund investing directly
};

struct CapEntry {
  std::int32_t holder = -1;
  HolderKind kind = HolderKind::fund;
  std::uint8_t round = 0;  // stage of the round the shares were bought in (1..5)
  double shares = 0;
  double invested = 0;     // USD m paid for these shares: the liquidation preference
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

}  // namespace vcsim
