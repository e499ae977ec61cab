// Removing ended startups from the columns (Startups::remove_ended).
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "model/startups.hpp"

using namespace vcsim;

namespace {

// 160 startups, slot k with identity 1000 + k, a distinct value in every kind of
// column, and a cap table of k % 3 entries.
Startups numbered_startups() {
  Startups s;
  for (std::uint32_t k = 0; k < 160; ++k) {
    s.add(1000 + k, 0, static_cast<int>(k % 3), static_cast<int>(k % 8), static_cast<int>(k % 5),
          0.5 * k, 0.25 * k, 1.0 + k, 0.1 * k);
    for (std::uint32_t e = 0; e < k % 3; ++e)
      s.cap_table[k].push_back(
          {static_cast<std::int32_t>(k), HolderKind::fund, 1, 0, 0.01 * e, 1.0 * k});
  }
  return s;
}

// Ends the slots for which `ends` is true.
template <typename Ends>
void end_some(Startups& s, Ends ends) {
  for (std::size_t k = 0; k < s.size(); ++k)
    if (ends(k)) {
      s.status[k] = Status::failed;
      s.end_month[k] = 3;
    }
}

}  // namespace

TEST_CASE("model: ended startups stay until an eighth of the slots have ended", "[model]") {
  Startups s = numbered_startups();
  end_some(s, [](std::size_t k) { return k % 10 == 7; });  // 16 of 160: a tenth
  s.remove_ended();
  CHECK(s.size() == 160);
  end_some(s, [](std::size_t k) { return k >= 150 && k < 154; });  // 20 of 160
  s.remove_ended();
  CHECK(s.size() == 140);
}

TEST_CASE("model: removing ended startups keeps the others in order, every column with them",
          "[model]") {
  Startups s = numbered_startups();
  // The first slot ends too, so every kept startup moves.
  const auto ends = [](std::size_t k) { return k % 7 == 0 || k == 159; };
  end_some(s, ends);
  s.remove_ended();
  std::vector<std::uint32_t> kept;
  for (std::uint32_t k = 0; k < 160; ++k)
    if (!ends(k)) kept.push_back(k);
  REQUIRE(s.size() == kept.size());
  for (std::size_t slot = 0; slot < kept.size(); ++slot) {
    const std::uint32_t k = kept[slot];
    CHECK(s.id[slot] == 1000 + k);
    CHECK(s.status[slot] == Status::alive);
    CHECK(s.region[slot] == k % 3);
    CHECK(s.sector[slot] == k % 8);
    CHECK(s.locality[slot] == k % 5);
    CHECK(s.log_q[slot] == 0.5 * k);
    CHECK(s.log_f[slot] == 0.25 * k);
    CHECK(s.cash[slot] == 1.0 + k);
    CHECK(s.burn[slot] == 0.1 * k);
    REQUIRE(s.cap_table[slot].size() == k % 3);
    for (const CapEntry& e : s.cap_table[slot]) CHECK(e.holder == static_cast<std::int32_t>(k));
  }
}
