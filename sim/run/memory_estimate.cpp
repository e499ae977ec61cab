#include "run/memory_estimate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <type_traits>

#include "model/funds.hpp"
#include "model/startups.hpp"
#include "record/recorder.hpp"

namespace vcsim {
namespace {

// Constants measured with /usr/bin/time -v (peak RSS) on the small and baseline
// scenarios; docs/reliability.md has the measurements and the estimate's accuracy.
//
// The program before any world: code, HDF5, TBB, the scenario and allocator arenas.
constexpr double kProgramBytes = 16e6;
// Per thread: its stack and its allocator arena.
constexpr double kThreadBytes = 2e6;
// A startup's months alive, on average, weighted as the stock sees them: the stock is
// births a month times this. Most startups never raise a round and fail within their
// runway; the funded few live for years. Measured: 20 (small), 21 (baseline).
constexpr double kMeanLifeMonths = 22;
// Funds are never removed, so a world ends with every fund of the run: about the run's
// LP money over the mean size of a new firm's first fund, times this (measured: 0.74 on
// small, 0.90 on the seventh fit's baseline, where follow-on funds grow).
constexpr double kFundsPerEntrySize = 0.9;
// Slots per alive startup: ended startups are compacted away only once an eighth of the
// slots have ended, and vectors grow by doubling, so capacity runs ahead of the stock.
constexpr double kSlotSlack = 1.8;
// The allocator's header of a heap block.
constexpr double kHeapBlockBytes = 16;
// Capacity per element of a vector that only grows (funds, micro-data rows): doubling
// leaves it between 1 and 2, about 1.4 on average.
constexpr double kGrowthSlack = 1.4;
// Heap bytes of a cap table (its entries and the allocator's header), per startup.
constexpr double kCapTableHeapBytes = 64;
// Investment rows per startup born, for micro data (most startups raise no round).
constexpr double kInvestmentsPerStartup = 1.0;

// Bytes of one startup's slot over all structure-of-arrays columns.
double startup_slot_bytes() {
  Startups columns;
  double bytes = 0;
  columns.for_each_column([&bytes](auto& column) {
    bytes += sizeof(typename std::decay_t<decltype(column)>::value_type);
  });
  return bytes + kCapTableHeapBytes;
}

// Bytes of one fund in a world: its structure-of-arrays slot and its yearly LP flows,
// counted for every year of the run (a fund has them from its vintage on: an upper bound).
double fund_world_bytes(const Scenario& scenario) {
  Funds columns;
  double bytes = 0;
  columns.for_each_column([&bytes](auto& column) {
    bytes += sizeof(typename std::decay_t<decltype(column)>::value_type);
  });
  return bytes + scenario.years() * static_cast<double>(sizeof(double)) + kHeapBlockBytes;
}

template <typename T>
double array_bytes(const NdArray<T>& a) {
  return static_cast<double>(a.size() * sizeof(T));
}

// Bytes of the arrays a replication records, from a recorder built for the scenario.
double result_bytes(const Scenario& scenario) {
  const Recorder recorder(scenario, false);
  const ReplicationResult& r = recorder.current();
  double bytes = 0;
  for (const auto* a :
       {&r.births, &r.startups_alive, &r.ipos, &r.acquisitions, &r.failures_unfunded,
        &r.failures_funded, &r.grants, &r.unicorns_state_backed, &r.rounds, &r.funds_closed,
        &r.firms_entered, &r.firms_exited, &r.cohort_counts})
    bytes += array_bytes(*a);
  for (const auto& u : r.unicorns)
    for (const auto* a :
         {&u.active, &u.new_, &u.reminted, &u.ipo, &u.acquired, &u.failed, &u.demoted, &u.aged_out})
      bytes += array_bytes(*a);
  for (const auto* a : {&r.grant_money, &r.capital_invested, &r.fees, &r.calls, &r.distributions,
                        &r.carry, &r.exit_proceeds_to_funds, &r.secondary_sales, &r.lp_pool,
                        &r.lp_unplaced, &r.capital_raised, &r.capital_flows,
                        &r.cohort_median_months, &r.guidance, &r.guidance_invested})
    bytes += array_bytes(*a);
  return bytes;
}

// A talent event can multiply births; the estimate takes the largest factor for the
// whole run, erring high.
double largest_births_factor(const Scenario& scenario) {
  double factor = 1;
  for (const auto& e : scenario.events) factor = std::max(factor, e.births_factor);
  return factor;
}

// Funds over the run: LP money (with the initial pool) over the mean first-fund size.
double expected_funds(const Scenario& scenario) {
  double lp_money = 0;
  for (const auto& region : scenario.regions) {
    lp_money += scenario.fundraising.initial_pool_years * region.lp_inflow.at_month(0, 0);
    for (int month = 0; month < scenario.months(); ++month)
      lp_money += region.lp_inflow.at_month(month, scenario.start_year) / 12.0;
  }
  double entry_size = 0;
  for (int k = 0; k < kFocusCount; ++k) {
    const auto focus = static_cast<std::size_t>(k);
    entry_size += scenario.fundraising.focus_mix[focus] * scenario.fundraising.entry_size[focus];
  }
  return entry_size > 0 ? kFundsPerEntrySize * lp_money / entry_size : 0;
}

struct Births {
  double total = 0;       // startups born over the run, all regions
  double peak_stock = 0;  // largest expected stock of alive startups
};

// The stock follows births with a mean life of kMeanLifeMonths: each month it keeps
// exp(-1 / life) of itself and gains the month's births.
Births expected_births(const Scenario& scenario) {
  const double factor = largest_births_factor(scenario);
  const double keep = std::exp(-1.0 / kMeanLifeMonths);
  Births b;
  double stock = 0;
  for (int month = 0; month < scenario.months(); ++month) {
    double born = 0;
    for (const auto& region : scenario.regions)
      born += region.births.at_month(month, scenario.start_year) / 12.0 * factor;
    b.total += born;
    stock = stock * keep + born;
    b.peak_stock = std::max(b.peak_stock, stock);
  }
  return b;
}

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The first number on the line of /proc/meminfo that starts with `key`, in bytes.
std::optional<std::uint64_t> meminfo(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> name >> kib >> unit)
    if (name == key + ":") return kib * 1024;
  return std::nullopt;
}

// A one-number cgroup v2 file (memory.max, memory.current); nothing for "max" or absent.
std::optional<std::uint64_t> cgroup_number(const std::string& name) {
  std::ifstream in("/sys/fs/cgroup/" + name);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

MemoryEstimate estimate_memory(const Scenario& scenario, int replications, int threads,
                               MicroData micro_data) {
  MemoryEstimate e;
  e.concurrent = std::max(1, std::min(threads, replications));
  const Births births = expected_births(scenario);
  e.peak_startups = static_cast<std::uint64_t>(births.peak_stock);
  e.program = static_cast<std::uint64_t>(kProgramBytes + kThreadBytes * threads);
  const double funds = expected_funds(scenario);
  e.funds = static_cast<std::uint64_t>(funds);
  // A world ends by copying its funds into its fund table, which is spooled to disk as
  // the replication finishes (io/run_spool.hpp): tables are held by worlds in flight.
  const double fund_table_bytes = funds * static_cast<double>(sizeof(FundRecord));
  e.worlds = static_cast<std::uint64_t>(
      e.concurrent * (births.peak_stock * kSlotSlack * startup_slot_bytes() +
                      funds * kGrowthSlack * fund_world_bytes(scenario) + fund_table_bytes));
  e.results = static_cast<std::uint64_t>(replications * result_bytes(scenario));
  // Micro rows, like the fund tables, are spooled as each replication finishes: only
  // the worlds in flight hold theirs.
  const int micro_reps = micro_data == MicroData::all     ? e.concurrent
                         : micro_data == MicroData::first ? 1
                                                          : 0;
  const double micro_row_bytes =
      sizeof(StartupRecord) + kInvestmentsPerStartup * sizeof(InvestmentRecord);
  e.micro_data =
      static_cast<std::uint64_t>(micro_reps * births.total * kGrowthSlack * micro_row_bytes);
  return e;
}

std::string MemoryEstimate::describe() const {
  std::string text = "about " + format_bytes(total()) + " (" + std::to_string(concurrent) +
                     (concurrent == 1 ? " world" : " worlds") + " at once of about " +
                     thousands(peak_startups) + " startups and " + thousands(funds) +
                     " funds each: " + format_bytes(worlds) +
                     "; recorded arrays: " + format_bytes(results);
  if (micro_data > 0) text += "; micro data: " + format_bytes(micro_data);
  return text + "; program: " + format_bytes(program) + ")";
}

std::optional<std::uint64_t> available_memory() {
  std::optional<std::uint64_t> available = meminfo("MemAvailable");
  const auto limit = cgroup_number("memory.max");
  const auto used = cgroup_number("memory.current");
  if (limit) {
    const std::uint64_t left = used && *used < *limit ? *limit - *used : 0;
    available = available ? std::min(*available, left) : left;
  }
  return available;
}

std::uint64_t parse_memory_size(const std::string& text) {
  const auto bad = [&text] {
    return std::invalid_argument("memory size '" + text +
                                 "': expected a number with an optional unit K, M, G or T "
                                 "(e.g. 512M, 8G)");
  };
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw bad();
  }
  std::string unit = text.substr(used);
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.ends_with("B")) unit.pop_back();
  if (unit.ends_with("I")) unit.pop_back();
  const std::string units = "KMGT";
  double scale = 1;
  if (unit.size() > 1) throw bad();
  if (unit.size() == 1) {
    const auto power = units.find(unit[0]);
    if (power == std::string::npos) throw bad();
    scale = std::pow(1024.0, static_cast<double>(power + 1));
  }
  if (!std::isfinite(value) || value <= 0 || value * scale > 1.8e19) throw bad();
  return static_cast<std::uint64_t>(value * scale);
}

std::string format_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 || value >= 100 ? "%.0f %s" : "%.1f %s", value,
                units[unit]);
  return text;
}

}  // namespace vcsim
