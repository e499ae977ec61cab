#pragma once
// The state of each guidance fund of the scenario (MODEL.md 2): what it has offered to
// the market, committed to sub-funds, seen drawn and received back. Its terms stay in
// the Scenario's GuidanceFundSpec.
#include <cstddef>
#include <vector>

namespace vcsim {

struct GuidanceFunds {
  std::vector<double> offered;            // USD m offered at yearly fundraisings so far
  std::vector<double> committed;          // USD m committed to sub-funds
  std::vector<double> drawn;              // USD m called by sub-funds
  std::vector<double> distributions;      // USD m received back
  std::vector<double> private_mobilised;  // USD m of private commitments beside it
  std::vector<double> direct_budget;      // USD m set aside for direct stakes, unspent
  std::vector<double> direct_invested;    // USD m invested directly
  std::vector<double> buyouts;            // sub-fund stakes bought out by private LPs
  // The state's net cash flows by calendar year of the run (calls and direct stakes
  // negative, distributions and buy-out payments positive), for the IRR.
  std::vector<std::vector<double>> yearly_flows;

  explicit GuidanceFunds(std::size_t count = 0)
      : offered(count),
        committed(count),
        drawn(count),
        distributions(count),
        private_mobilised(count),
        direct_budget(count),
        direct_invested(count),
        buyouts(count) {}

  void flow(std::size_t g, int month, double amount) {
    if (yearly_flows.empty() || month < 0) return;
    yearly_flows[g][static_cast<std::size_t>(month / 12)] += amount;
  }
  // Offered but neither committed to sub-funds nor invested directly: money that stays
  // with the state.
  double undrawn(std::size_t g) const { return offered[g] - committed[g] - direct_invested[g]; }
};

}  // namespace vcsim
