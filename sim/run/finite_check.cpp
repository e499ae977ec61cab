#include "run/finite_check.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <type_traits>

#include "model/world.hpp"

namespace vcsim {
namespace {

std::string describe(std::string_view table, int column, double value, std::size_t slot) {
  char text[160];
  std::snprintf(text, sizeof text, "%.*s column %d = %g at slot %zu",
                static_cast<int>(table.size()), table.data(), column, value, slot);
  return text;
}

// Scans every floating-point column of a structure-of-arrays table (plain doubles,
// per-agent vectors of doubles, and cap tables' shares and invested money).
template <typename Table>
std::string scan(std::string_view table_name, Table& table) {
  std::string found;
  int column = 0;
  table.for_each_column([&](auto& values) {
    using Value = typename std::decay_t<decltype(values)>::value_type;
    for (std::size_t slot = 0; found.empty() && slot < values.size(); ++slot) {
      if constexpr (std::is_same_v<Value, double>) {
        if (!std::isfinite(values[slot])) found = describe(table_name, column, values[slot], slot);
      } else if constexpr (std::is_same_v<Value, std::vector<double>>) {
        for (double v : values[slot])
          if (found.empty() && !std::isfinite(v)) found = describe(table_name, column, v, slot);
      } else if constexpr (std::is_same_v<Value, CapTable>) {
        for (const CapEntry& e : values[slot])
          if (found.empty() && !std::isfinite(e.shares + e.invested))
            found = describe(table_name, column, e.shares + e.invested, slot);
      }
    }
    ++column;
  });
  return found;
}

// The guidance funds' floating-point columns, in the form scan() reads.
struct GuidanceColumns {
  GuidanceFunds& g;
  template <typename F>
  void for_each_column(F&& f) {
    f(g.offered), f(g.committed), f(g.drawn), f(g.distributions), f(g.private_mobilised);
    f(g.direct_budget), f(g.direct_invested), f(g.buyouts), f(g.yearly_flows);
  }
};

}  // namespace

std::string first_non_finite(World& world) {
  std::string found = scan("startups", world.startups);
  if (found.empty()) found = scan("funds", world.funds);
  GuidanceColumns guidance{world.guidance};
  if (found.empty()) found = scan("guidance funds", guidance);
  if (!found.empty() && world.startups.size() > 0 && found.starts_with("startups")) {
    const auto slot = std::stoul(found.substr(found.rfind(' ') + 1));
    found += " (id " + std::to_string(world.startups.id[slot]) + ")";
  }
  return found;
}

void check_finite(World& world, std::string_view after_phase) {
  const std::string found = first_non_finite(world);
  if (found.empty()) return;
  throw std::logic_error("non-finite value after phase " + std::string(after_phase) + " of month " +
                         std::to_string(world.month) + ": " + found);
}

}  // namespace vcsim
