#pragma once
// Startups as structure-of-arrays (MODEL.md section 2). Slots are compacted every
// month so the hot loops stream through alive startups only; identities (`id`) are
// stable and key every random draw, so compaction never changes a result.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "model/cap_table.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

enum class Status : std::uint8_t { alive = 0, failed = 1, ipo = 2, acquired = 3 };

// What happened to a startup in this month's dynamics (MODEL.md 3.3 d-f).
enum class Outcome : std::uint8_t { none = 0, failed = 1, ipo = 2, acquired = 3 };

// Bits of Startups::unicorn_flags.
enum UnicornBit : std::uint8_t {
  kUnicornAll = 1,         // counted under the all definition now
  kUnicornCapped = 2,      // counted under the age-capped definition now
  kEverUnicornAll = 4,     // was ever counted under the all definition
  kEverUnicornCapped = 8,  // was ever counted under the age-capped definition
};

inline constexpr std::int16_t kNever = -1;

// Values of Startups::needs_funding. A stalled startup failed to close a round, cut its
// burn and seeks every month until a round closes or its cash runs out (docs/model.md D29).
enum FundingNeed : std::uint8_t { kFunded = 0, kSeeking = 1, kStalled = 2 };

// A startup at its founding: what births draw for it (MODEL.md 3.2).
struct Newborn {
  std::uint32_t id;  // pack_identity(birth month, index in that month)
  std::uint8_t region, sector;
  std::uint16_t locality;
  double log_q, log_f, cash, burn;
};

struct Startups {
  std::vector<std::uint32_t> id;  // pack_identity(birth month, index in that month)
  std::vector<std::int16_t> birth_month;
  std::vector<std::uint8_t> region, sector;
  std::vector<std::uint16_t> locality;
  std::vector<double> log_q;
  std::vector<std::uint8_t> stage;
  std::vector<double> log_f;       // log enterprise value excluding cash, USD m
  std::vector<double> post_money;  // V: last post-money; 0 before the first round
  std::vector<double> cash, burn;  // USD m, USD m/month
  std::vector<std::uint8_t> milestone;
  std::vector<Status> status;
  std::vector<Outcome> outcome;
  std::vector<std::uint8_t> needs_funding;  // a FundingNeed
  std::vector<std::uint8_t> unicorn_flags;
  // Money raised, USD m. raised_fund: fund checks (private and guidance-backed);
  // raised_state: the state's money (its share of guidance-backed checks, direct stakes,
  // grants); raised_private: private money (the LPs' share of fund checks, co-investors);
  // raised_grants: the grants within raised_state.
  std::vector<double> raised_fund, raised_state, raised_other, raised_private, raised_grants;
  std::vector<std::uint64_t> grants_received;  // bit k: received a grant of event k
  std::array<std::vector<std::int16_t>, kStageCount> stage_month;  // month each stage was reached
  std::vector<std::int16_t> unicorn_month, end_month;
  std::vector<CapTable> cap_table;

  std::size_t size() const { return id.size(); }

  // Appends a newborn with every field at its founding value; returns its slot.
  std::size_t add(std::uint32_t identity, int month, int region_index, int sector_index,
                  int locality_index, double quality, double log_value, double founder_cash,
                  double initial_burn);

  // Appends the month's newborns in order, every field at its founding value: each
  // column grows once for all of them.
  void add_newborns(std::span<const Newborn> newborns, int month);

  // Removes startups that are no longer alive, keeping the others in order. It acts
  // once an eighth of the slots have ended; until then ended startups stay, and every
  // phase skips them by status.
  void remove_ended();

  // Calls f(column) for every column, so structural operations touch all of them.
  template <typename F>
  void for_each_column(F&& f) {
    f(id), f(birth_month), f(region), f(sector), f(locality), f(log_q), f(stage), f(log_f);
    f(post_money), f(cash), f(burn), f(milestone), f(status), f(outcome), f(needs_funding);
    f(unicorn_flags), f(raised_fund), f(raised_state), f(raised_other), f(raised_private),
        f(raised_grants), f(grants_received);
    for (auto& column : stage_month) f(column);
    f(unicorn_month), f(end_month), f(cap_table);
  }
};

}  // namespace vcsim
