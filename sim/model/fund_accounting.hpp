#pragma once
// The money moves of a fund (MODEL.md section 2): capital calls for checks and fees,
// and proceeds through the European whole-fund carry waterfall. Each move updates the
// fund, the month's records and the capital-flow matrix together, so the accounting
// identities (paid-in = invested + fees; proceeds = distributions + carry) hold by
// construction and are tested.
#include <cstddef>

#include "model/funds.hpp"
#include "model/guidance_funds.hpp"
#include "record/recorder.hpp"

namespace vcsim {

class FundAccounts {
 public:
  // `guidance` receives the state LPs' calls and distributions; it may be null when no
  // fund has a state LP.
  FundAccounts(Funds& funds, Recorder& recorder, int month, GuidanceFunds* guidance = nullptr)
      : funds_(funds), recorder_(recorder), month_(month), guidance_(guidance) {}

  // Node of the fund in the capital-flow matrix.
  int node(std::size_t f) const;

  // Calls `amount` from the LPs for an investment into a startup of `sector`. The
  // caller has already limited the amount to the uncalled commitment.
  void invest(std::size_t f, double amount, int sector);
  // Charges the month's management fee; a fee never calls more than is uncalled.
  // Returns the fee charged.
  double charge_fee(std::size_t f);
  // Pays `amount` of exit or sale proceeds to the fund from `source_node`: carry to
  // the GP, the rest to the LPs.
  void receive(std::size_t f, double amount, int source_node);

 private:
  void call(std::size_t f, double amount);
  double state_take(std::size_t f, double to_lps);

  Funds& funds_;
  Recorder& recorder_;
  int month_;
  GuidanceFunds* guidance_;
};

}  // namespace vcsim
