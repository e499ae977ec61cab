#pragma once
// Records what happens each month into a ReplicationResult (MODEL.md section 5): counts
// and money by (month, region, sector), the unicorn stock and its flows under both
// definitions, the seed-cohort funnel and the capital-flow matrix.
#include <string>
#include <vector>

#include "model/cap_table.hpp"
#include "record/results.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

struct Startups;
struct Funds;
struct World;

// Nodes of the capital-flow matrix (MODEL.md section 5).
class FlowNodes {
 public:
  explicit FlowNodes(const Scenario& scenario);
  const std::vector<std::string>& names() const { return names_; }
  int private_lps(int region) const { return region; }
  int private_funds(int region) const { return regions_ + region; }
  int guidance_backed_funds(int region) const { return 2 * regions_ + region; }
  int startups(int sector) const { return 3 * regions_ + sector; }
  int coinvestors() const { return 3 * regions_ + sectors_; }
  int ipo_market() const { return coinvestors() + 1; }
  int acquirers() const { return coinvestors() + 2; }
  int secondary_buyers() const { return coinvestors() + 3; }
  int founders() const { return coinvestors() + 4; }
  int gp_fees() const { return coinvestors() + 5; }
  int gp_carry() const { return coinvestors() + 6; }
  int grant_agencies() const { return coinvestors() + 7; }
  int guidance_fund(int g) const { return coinvestors() + 8 + g; }

 private:
  int regions_ = 0, sectors_ = 0;
  std::vector<std::string> names_;
};

class Recorder {
 public:
  // `micro_data`: also keep one row per startup and per fund investment.
  Recorder(const Scenario& scenario, bool micro_data);

  void birth(int month, int region, int sector);
  void grant(int month, int region, int sector, double amount);
  void stage_reached(const Startups& s, std::size_t slot, int stage, int month);
  void round(int month, int region, int sector, int stage, const double (&by_source)[4]);
  void exit(const Startups& s, std::size_t slot, int month);  // IPO, acquisition or failure
  // A fund's stake ended (exit, failure or sale) with `proceeds` paid for it.
  void stake_ended(const CapEntry& entry, std::uint32_t startup_id, double proceeds);
  // A fund's cash of each kind, added to its region's month. Every one of these sums adds
  // amounts of at least zero, so a kind with no money is skipped: adding a zero would
  // change none of them, and a fee or a call has money of one kind only (inlined, the
  // other kinds' tests fold away).
  void fund_cash(int month, int region, double fees, double calls, double distributions,
                 double carry, double proceeds, double secondary) {
    add_if_any(r_.fees, month, region, fees);
    add_if_any(r_.calls, month, region, calls);
    add_if_any(r_.distributions, month, region, distributions);
    add_if_any(r_.carry, month, region, carry);
    add_if_any(r_.exit_proceeds_to_funds, month, region, proceeds);
    add_if_any(r_.secondary_sales, month, region, secondary);
  }
  void flow(int month, int source_node, int target_node, double amount) {
    const int year = month < 0 ? 0 : month / 12;
    r_.capital_flows(year, source_node, target_node) += amount;
  }
  void yearly_region(int year, int region, double lp_pool, double lp_unplaced, double raised,
                     int funds_closed, int firms_entered, int firms_exited);

  // End of month: alive counts and unicorn flows; must run after the month's births and
  // exits are recorded, and before ended startups are removed, since flows out of the
  // stock need them.
  void end_of_month(Startups& s, int month);
  // The state's money invested through guidance fund g in a round of `stage`.
  void guidance_investment(int month, int g, int sector, int stage, double amount);
  // December: each guidance fund's cumulative accounts and the value of its stakes.
  void guidance_year(int month, const World& world);
  // End of run: cohort survivors, medians and the per-fund table.
  ReplicationResult finish(const Startups& s, const Funds& funds, int run_months);

  const FlowNodes& nodes() const { return nodes_; }
  // What has been recorded so far (for tests and progress displays).
  const ReplicationResult& current() const { return r_; }

 private:
  std::size_t cohort_index(int seed_year, int region, int sector) const;
  void cohort_add(const Startups& s, std::size_t slot, int outcome);
  void cohort_duration(const Startups& s, std::size_t slot, int which, int months);
  void class_outcomes(const Startups& s, std::size_t slot);
  void unicorn_flags_change(Startups& s, std::size_t slot, int month);
  // This month's alive stock by cell, and its agent-months (end_of_month).
  void count_alive(int month);

  void add_startup_row(const Startups& s, std::size_t slot);

  static void add_if_any(NdArray<double>& by_month_region, int month, int region, double amount) {
    if (amount != 0) by_month_region(month, region) += amount;
  }

  const Scenario& scenario_;
  bool micro_data_;
  FlowNodes nodes_;
  ReplicationResult r_;
  // Durations observed per cohort cell and duration kind, for the medians.
  std::vector<std::vector<std::uint16_t>> durations_;
};

}  // namespace vcsim
