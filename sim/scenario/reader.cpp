#include "scenario/reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

namespace vcsim {
namespace {

namespace fs = std::filesystem;

constexpr double kInf = std::numeric_limits<double>::infinity();
// Shares in a file are rounded decimals: this is how far their sum may stray from 1.
constexpr double kShareTolerance = 1e-6;
// Enough to fix a file in one pass without burying the first problem.
constexpr std::size_t kMaxMessages = 20;
constexpr int kMinStartYear = 1900;
constexpr int kMaxStartYear = 2200;
constexpr int kMaxRunYears = 200;
constexpr int kMinTableYear = 1800;
constexpr int kMaxTableYear = 2300;
// MODEL.md 8 sizes fund lives in months; 50 years is beyond any fund ever raised.
constexpr int kMaxFundMonths = 600;

constexpr std::string_view kNumber = "expected a number";
constexpr std::string_view kInteger = "expected an integer";
constexpr std::string_view kBool = "expected true or false";
constexpr std::string_view kString = "expected a string";
constexpr std::string_view kSeries = "expected a number or a table of year = value";

enum class Need { optional, required };

// ------------------------------------------------------------------------ messages

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

std::string location(const toml::source_region& where, const std::string& fallback) {
  const std::string& file = where.path ? *where.path : fallback;
  return file + ":" + std::to_string(std::max<toml::source_index>(where.begin.line, 1));
}

std::string join_key(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

// Problems found while validating, each "FILE:LINE: KEY: text". Validation goes on
// after a problem so that one run of `vcsim validate` lists them all.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(const toml::source_region& where, std::string_view key, std::string_view text) {
    ++count_;
    if (messages_.size() < kMaxMessages)
      messages_.push_back(location(where, file_) + ": " + std::string(key) + ": " +
                          std::string(text));
  }

  void throw_if_any() const {
    if (count_ == 0) return;
    std::string all;
    for (const auto& m : messages_) all += (all.empty() ? "" : "\n") + m;
    if (count_ > messages_.size())
      all += "\n(" + std::to_string(count_ - messages_.size()) + " more problems not shown)";
    throw ScenarioError(all);
  }

 private:
  std::string file_;
  std::vector<std::string> messages_;
  std::size_t count_ = 0;
};

// A problem that stops reading at once: a file that cannot be read or parsed.
[[noreturn]] void fail(const toml::source_region& where, const std::string& fallback,
                       std::string_view key, std::string_view text) {
  throw ScenarioError(location(where, fallback) + ": " + std::string(key) + ": " +
                      std::string(text));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// ------------------------------------------------------------------------ ranges

struct Range {
  double lo = -kInf;
  double hi = kInf;
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string text() const {
    return std::string(lo_open || lo == -kInf ? "(" : "[") + format_number(lo) + ", " +
           format_number(hi) + (hi_open || hi == kInf ? ")" : "]");
  }
};

constexpr Range kFinite{};
constexpr Range kShare{0, 1};
constexpr Range at_least(double lo) { return {lo, kInf}; }
constexpr Range above(double lo) { return {lo, kInf, true}; }
constexpr Range between(double lo, double hi) { return {lo, hi}; }

struct IntRange {
  std::int64_t lo = 0;
  std::int64_t hi = INT_MAX;
};

// ------------------------------------------------------------------------ values

// Numbers may be written as TOML integers or floats.
bool to_number(const toml::node& n, const std::string& key, const Range& r, Diagnostics& d,
               double& out) {
  if (!n.is_number()) {
    d.error(n.source(), key, kNumber);
    return false;
  }
  const double v =
      n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
  if (!std::isfinite(v)) {
    d.error(n.source(), key, "expected a finite number, got " + format_number(v));
    return false;
  }
  if (!r.contains(v)) {
    d.error(n.source(), key, "expected a value in " + r.text() + ", got " + format_number(v));
    return false;
  }
  out = v;
  return true;
}

bool to_integer(const toml::node& n, const std::string& key, IntRange r, Diagnostics& d,
                std::int64_t& out) {
  if (!n.is_integer()) {
    const bool is_float = n.is_floating_point();
    d.error(n.source(), key,
            is_float
                ? std::string(kInteger) + ", got " + format_number(n.as_floating_point()->get())
                : std::string(kInteger));
    return false;
  }
  const std::int64_t v = n.as_integer()->get();
  if (v < r.lo || v > r.hi) {
    d.error(n.source(), key,
            "expected a value in [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) +
                "], got " + std::to_string(v));
    return false;
  }
  out = v;
  return true;
}

// Year-table keys are whole years written without sign or leading zeros, so that two
// keys never name the same year and key order is year order.
std::optional<int> parse_year(std::string_view s) {
  if (s.empty() || s.size() > 4 || s.front() < '1' || s.front() > '9') return std::nullopt;
  int year = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  if (year < kMinTableYear || year > kMaxTableYear) return std::nullopt;
  return year;
}

// A plain number or a year table {2000 = a, 2015 = b}; every point must lie in `r`.
bool to_series(const toml::node& n, const std::string& key, const Range& r, Diagnostics& d,
               TimeSeries& out) {
  if (n.is_number()) {
    double v = 0;
    if (!to_number(n, key, r, d, v)) return false;
    out = TimeSeries(v);
    return true;
  }
  const toml::table* table = n.as_table();
  if (table == nullptr || table->empty()) {
    d.error(
        n.source(), key,
        table ? "expected a table of year = value with at least one year" : std::string(kSeries));
    return false;
  }
  std::vector<std::pair<int, double>> points;
  bool ok = true;
  for (const auto& [year_key, value] : *table) {
    const std::string point_key = join_key(key, year_key.str());
    const auto year = parse_year(year_key.str());
    double v = 0;
    if (!year) {
      d.error(value.source(), point_key,
              "expected an integer year in [" + std::to_string(kMinTableYear) + ", " +
                  std::to_string(kMaxTableYear) + "] as the key");
      ok = false;
    } else if (to_number(value, point_key, r, d, v)) {
      points.emplace_back(*year, v);
    } else {
      ok = false;
    }
  }
  if (!ok) return false;
  std::sort(points.begin(), points.end());
  out = TimeSeries(std::move(points));
  return true;
}

// ------------------------------------------------------------------------ sections

// A table being read. It remembers every key the reader asks for, present or not, so
// that any other key is reported as unknown, with the closest known key as a hint.
class Section {
 public:
  Section(const toml::table* table, std::string path, toml::source_region where, Diagnostics& diag)
      : table_(table), path_(std::move(path)), where_(std::move(where)), diag_(&diag) {}

  const toml::table* table() const { return table_; }
  const toml::source_region& where() const { return where_; }
  Diagnostics& diag() const { return *diag_; }
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const { return join_key(path_, key); }

  // The value of `key` without marking the key as known.
  const toml::node* find(std::string_view key) const { return table_ ? table_->get(key) : nullptr; }
  // Where `key` was written, or where this table was when the key is absent.
  const toml::source_region& where_of(std::string_view key) const {
    const toml::node* n = find(key);
    return n ? n->source() : where_;
  }

  // The value of `key`, or nullptr when it is absent; an absent required key is reported
  // with the `expected` text of its type.
  const toml::node* take(std::string_view key, Need need = Need::optional,
                         std::string_view expected = {}) {
    known_.emplace_back(key);
    const toml::node* n = find(key);
    if (n == nullptr && need == Need::required)
      diag_->error(where_, key_path(key), std::string(expected) + " (required)");
    return n;
  }

  // The sub-table `key`; an absent one reads as empty, so every key takes its default.
  Section child(std::string_view key) {
    const toml::node* n = take(key);
    if (n == nullptr) return Section(nullptr, key_path(key), where_, *diag_);
    if (!n->is_table()) {
      diag_->error(n->source(), key_path(key), "expected a table");
      return Section(nullptr, key_path(key), n->source(), *diag_);
    }
    return Section(n->as_table(), key_path(key), n->source(), *diag_);
  }

  // `context` follows "unknown key", as in " for a crackdown event".
  void reject_unknown_keys(std::string_view context = {}) const {
    if (table_ == nullptr) return;
    for (const auto& [key, value] : *table_) {
      if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
      diag_->error(value.source(), key_path(key.str()),
                   "unknown key" + std::string(context) + hint(key.str()));
    }
  }

 private:
  std::string hint(std::string_view key) const {
    const std::string* best = nullptr;
    std::size_t best_distance = 3;  // further than this is no longer a typo
    for (const auto& k : known_) {
      const std::size_t dist = edit_distance(key, k);
      if (dist < best_distance) {
        best = &k;
        best_distance = dist;
      }
    }
    return best ? " (did you mean " + *best + "?)" : "";
  }

  const toml::table* table_;
  std::string path_;
  toml::source_region where_;
  Diagnostics* diag_;
  std::vector<std::string> known_;
};

// The readers below leave `out` unchanged when the key is absent or its value wrong, and
// return whether the value now in `out` is valid (a default is), so cross-field checks
// run only on values that passed their own.

bool read_number(Section& s, std::string_view key, const Range& r, double& out) {
  const toml::node* n = s.take(key);
  return n == nullptr || to_number(*n, s.key_path(key), r, s.diag(), out);
}

bool read_integer(Section& s, std::string_view key, IntRange r, std::int64_t& out,
                  Need need = Need::optional) {
  const toml::node* n = s.take(key, need, kInteger);
  if (n == nullptr) return need == Need::optional;
  return to_integer(*n, s.key_path(key), r, s.diag(), out);
}

bool read_int(Section& s, std::string_view key, IntRange r, int& out, Need need = Need::optional) {
  std::int64_t v = out;
  if (!read_integer(s, key, r, v, need)) return false;
  out = static_cast<int>(v);  // r lies within int's range
  return true;
}

bool read_bool(Section& s, std::string_view key, bool& out) {
  const toml::node* n = s.take(key);
  if (n == nullptr) return true;
  if (!n->is_boolean()) {
    s.diag().error(n->source(), s.key_path(key), kBool);
    return false;
  }
  out = n->as_boolean()->get();
  return true;
}

bool read_series(Section& s, std::string_view key, const Range& r, TimeSeries& out,
                 Need need = Need::optional) {
  const toml::node* n = s.take(key, need, kSeries);
  if (n == nullptr) return need == Need::optional;
  return to_series(*n, s.key_path(key), r, s.diag(), out);
}

template <std::size_t N>
bool read_numbers(Section& s, std::string_view key, const Range& r, std::array<double, N>& out) {
  const toml::node* n = s.take(key);
  if (n == nullptr) return true;
  const std::string path = s.key_path(key);
  const toml::array* a = n->as_array();
  if (a == nullptr || a->size() != N) {
    std::string text = "expected an array of " + std::to_string(N) + " numbers";
    if (a) text += ", got " + std::to_string(a->size());
    s.diag().error(n->source(), path, text);
    return false;
  }
  std::array<double, N> values{};
  bool ok = true;
  for (std::size_t i = 0; i < N; ++i)
    ok = to_number((*a)[i], path + "[" + std::to_string(i) + "]", r, s.diag(), values[i]) && ok;
  if (ok) out = values;
  return ok;
}

// [lo, hi] with lo <= hi, both in `r`.
bool read_interval(Section& s, std::string_view key, const Range& r, double& lo, double& hi) {
  std::array<double, 2> v{lo, hi};
  if (!read_numbers(s, key, r, v)) return false;
  if (v[0] > v[1]) {
    s.diag().error(s.where_of(key), s.key_path(key),
                   "expected [lo, hi] with lo <= hi, got [" + format_number(v[0]) + ", " +
                       format_number(v[1]) + "]");
    return false;
  }
  lo = v[0];
  hi = v[1];
  return true;
}

// Names become keys of output datasets and command-line arguments, so they are kept to
// identifiers.
bool valid_name(std::string_view name, bool upper_case_allowed) {
  const auto letter = [&](char c) {
    return (c >= 'a' && c <= 'z') || (upper_case_allowed && c >= 'A' && c <= 'Z');
  };
  if (name.empty() || !letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return letter(c) || (c >= '0' && c <= '9') || c == '_'; });
}

std::string name_rule(bool upper_case_allowed) {
  return upper_case_allowed ? "a name of letters, digits and _, starting with a letter"
                            : "a name of lower-case letters, digits and _, starting with a letter";
}

// ------------------------------------------------------------------------ [run]

void read_report_years(Section& run, Scenario& s, bool years_ok) {
  const toml::node* n = run.take("report_years");
  if (!years_ok) return;
  if (n == nullptr) {
    for (int y = s.start_year; y <= s.end_year; y += 5) s.report_years.push_back(y);
    if (s.report_years.back() != s.end_year) s.report_years.push_back(s.end_year);
    return;
  }
  const std::string key = run.key_path("report_years");
  const toml::array* years = n->as_array();
  if (years == nullptr) {
    run.diag().error(n->source(), key, "expected an array of years");
    return;
  }
  for (std::size_t i = 0; i < years->size(); ++i) {
    std::int64_t y = 0;
    if (to_integer((*years)[i], key + "[" + std::to_string(i) + "]", {s.start_year, s.end_year},
                   run.diag(), y))
      s.report_years.push_back(static_cast<int>(y));
  }
  std::sort(s.report_years.begin(), s.report_years.end());
  s.report_years.erase(std::unique(s.report_years.begin(), s.report_years.end()),
                       s.report_years.end());
}

// Returns whether start_year and end_year are valid: births_growth and report_years
// depend on them.
bool read_run(Section& root, Scenario& s) {
  Section run = root.child("run");
  const bool start_ok =
      read_int(run, "start_year", {kMinStartYear, kMaxStartYear}, s.start_year, Need::required);
  const IntRange end_range = start_ok ? IntRange{s.start_year, s.start_year + kMaxRunYears - 1}
                                      : IntRange{kMinStartYear, kMaxStartYear + kMaxRunYears - 1};
  const bool end_ok = read_int(run, "end_year", end_range, s.end_year, Need::required);
  std::int64_t seed = s.seed;
  if (read_integer(run, "seed", {0, UINT32_MAX}, seed)) s.seed = static_cast<std::uint32_t>(seed);
  read_int(run, "replications", {1, 100000}, s.replications);
  read_report_years(run, s, start_ok && end_ok);
  run.reject_unknown_keys();
  return start_ok && end_ok;
}

// ------------------------------------------------------------------------ globals

void read_startup(Section& root, StartupParams& p) {
  Section t = root.child("startup");
  read_number(t, "tau_q", above(0), p.tau_q);
  read_number(t, "premilestone_drift_cut", at_least(0), p.premilestone_drift_cut);
  read_number(t, "seed_value", above(0), p.seed_value);
  read_number(t, "founder_cash", at_least(0), p.founder_cash);
  read_number(t, "runway_months", at_least(0), p.runway_months);
  read_number(t, "runway_sentiment_elasticity", between(0, 10), p.runway_sentiment_elasticity);
  read_number(t, "stall_burn_factor", {0, 1, true, false}, p.stall_burn_factor);
  read_number(t, "soft_landing_share", kShare, p.soft_landing_share);
  read_number(t, "break_even_rate", at_least(0), p.break_even_rate);
  read_numbers(t, "hazard_stage_factor", between(0, 10), p.hazard_stage_factor);
  read_number(t, "unicorn_hazard_factor", kShare, p.unicorn_hazard_factor);
  read_numbers(t, "burn", at_least(0), p.burn);
  t.reject_unknown_keys();
}

void read_market(Section& root, MarketParams& p) {
  Section t = root.child("market");
  read_numbers(t, "round_size", above(0), p.round_size);
  read_numbers(t, "benchmark_pre", above(0), p.benchmark_pre);
  read_numbers(t, "threshold", kFinite, p.threshold);
  read_number(t, "max_dilution", {0, 1, true, true}, p.max_dilution);
  read_number(t, "min_fill", {0, 1, true, false}, p.min_fill);
  read_number(t, "late_round_share", kShare, p.late_round_share);
  read_number(t, "traction_weight", at_least(0), p.traction_weight);
  read_number(t, "rho", kShare, p.rho);
  read_int(t, "deal_flow", {1, 1000}, p.deal_flow);
  read_number(t, "max_check_share", {0, 1, true, false}, p.max_check_share);
  read_number(t, "acquisition_discount", kShare, p.acquisition_discount);
  read_number(t, "acquisition_value_elasticity", between(0, 10), p.acquisition_value_elasticity);
  read_number(t, "acquisition_reference_value", above(0), p.acquisition_reference_value);
  read_number(t, "secondary_discount", kShare, p.secondary_discount);
  read_number(t, "unicorn_value", above(0), p.unicorn_value);
  read_number(t, "unicorn_down_round_floor", between(0, 2), p.unicorn_down_round_floor);
  read_int(t, "unicorn_age_cap", {1, INT_MAX}, p.unicorn_age_cap);
  t.reject_unknown_keys();
}

void read_fund_terms(Section& t, FundTerms& f) {
  const bool period_ok = read_int(t, "inv_period", {1, kMaxFundMonths}, f.inv_period);
  const bool life_ok = read_int(t, "life", {1, kMaxFundMonths}, f.life);
  if (period_ok && life_ok && f.life < f.inv_period)
    t.diag().error(t.where_of("life"), t.key_path("life"),
                   "expected a value in [" + std::to_string(f.inv_period) + ", " +
                       std::to_string(kMaxFundMonths) + "] (at least inv_period), got " +
                       std::to_string(f.life));
  read_int(t, "extension_months", {0, kMaxFundMonths}, f.extension_months);
  read_int(t, "followon_horizon", {0, kMaxFundMonths}, f.followon_horizon);
  read_number(t, "fee_rate", between(0, 0.2), f.fee_rate);
  read_number(t, "carry_rate", kShare, f.carry_rate);
  read_number(t, "reserve_ratio", kShare, f.reserve_ratio);
  t.reject_unknown_keys();
}

void read_funds(Section& root, Scenario& s) {
  Section funds = root.child("funds");
  Section private_terms = funds.child("private");
  read_fund_terms(private_terms, s.private_funds);
  Section guidance_terms = funds.child("guidance_backed");
  read_fund_terms(guidance_terms, s.guidance_funds_terms);
  funds.reject_unknown_keys();
}

// A table {seed = , early = , growth = }: all three keys, as Focus orders them.
void read_focus_table(Section& parent, std::string_view key, const Range& r,
                      std::array<double, kFocusCount>& out, bool sums_to_one) {
  Section t = parent.child(key);
  if (t.table() == nullptr) return;
  std::array<double, kFocusCount> values{};
  bool ok = true;
  const std::array<std::string_view, kFocusCount> names{"seed", "early", "growth"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    const toml::node* n = t.take(names[i], Need::required, kNumber);
    ok = n != nullptr && to_number(*n, t.key_path(names[i]), r, t.diag(), values[i]) && ok;
  }
  t.reject_unknown_keys();
  if (!ok) return;
  const double sum = values[0] + values[1] + values[2];
  if (sums_to_one && std::abs(sum - 1) > kShareTolerance) {
    t.diag().error(t.where(), parent.key_path(key),
                   "expected shares summing to 1, got " + format_number(sum));
    return;
  }
  out = values;
}

void read_fundraising(Section& root, FundraisingParams& p) {
  Section t = root.child("fundraising");
  read_focus_table(t, "focus_mix", kShare, p.focus_mix, true);
  read_focus_table(t, "entry_size", above(0), p.entry_size, false);
  read_number(t, "specialist_share", kShare, p.specialist_share);
  read_interval(t, "sigma_skill_range", at_least(0), p.sigma_skill_min, p.sigma_skill_max);
  read_number(t, "new_firm_share", kShare, p.new_firm_share);
  read_number(t, "new_firm_reputation", above(0), p.new_firm_reputation);
  read_number(t, "seek_deployed", kShare, p.seek_deployed);
  read_int(t, "min_fund_gap", {0, INT_MAX}, p.min_fund_gap);
  read_interval(t, "size_clip", above(0), p.size_clip_min, p.size_clip_max);
  read_number(t, "min_close_share", kShare, p.min_close_share);
  read_int(t, "max_failed_raises", {1, INT_MAX}, p.max_failed_raises);
  read_number(t, "initial_pool_years", at_least(0), p.initial_pool_years);
  read_number(t, "patient_share", kShare, p.patient_share);
  read_int(t, "patient_life", {1, kMaxFundMonths}, p.patient_life);
  t.reject_unknown_keys();
}

// ------------------------------------------------------------------------ collections

// Agents store their region and sector in one byte and random keys hold the region in
// eight bits: 64 of each is far beyond any study and well inside those limits.
constexpr std::size_t kMaxCollection = 64;

// The tables of `key` ([sectors.<name>], [regions.<name>], ...), at most kMaxCollection
// of them and, when `need` is required, at least one; calls read(name, section) for
// each, in alphabetical order of the names.
template <typename ReadOne>
void read_collection(Section& root, std::string_view key, bool upper_case_allowed, ReadOne read_one,
                     Need need = Need::required) {
  const std::string plural(key);
  const toml::node* n = root.take(key);
  const toml::table* all = n ? n->as_table() : nullptr;
  if (need == Need::optional && (n == nullptr || (all != nullptr && all->empty()))) return;
  if (all == nullptr || all->empty()) {
    root.diag().error(n ? n->source() : root.where(), plural,
                      "expected at least one [" + plural + ".<name>] table");
    return;
  }
  if (all->size() > kMaxCollection) {
    root.diag().error(n->source(), plural,
                      "expected at most " + std::to_string(kMaxCollection) + " tables, got " +
                          std::to_string(all->size()));
    return;
  }
  Section collection(all, plural, n->source(), root.diag());
  for (const auto& [name, value] : *all) {
    if (!valid_name(name.str(), upper_case_allowed)) {
      root.diag().error(value.source(), collection.key_path(name.str()),
                        "expected " + name_rule(upper_case_allowed));
      continue;
    }
    Section one = collection.child(name.str());
    if (one.table() != nullptr) read_one(std::string(name.str()), one);
  }
}

void read_sector(Section& t, SectorSpec& s) {
  read_bool(t, "deep_tech", s.deep_tech);
  const bool gestation_ok = read_series(t, "gestation_months", at_least(0), s.gestation_months);
  // Deep tech waits 1/gestation_months a month for its milestone (MODEL.md 3.3a).
  if (gestation_ok && s.deep_tech && s.gestation_months.min_value() <= 0)
    t.diag().error(t.where_of("gestation_months"), t.key_path("gestation_months"),
                   "expected a value in (0, inf) for a deep-tech sector, got " +
                       format_number(s.gestation_months.min_value()));
  read_series(t, "tech_hazard", at_least(0), s.tech_hazard);
  read_series(t, "base_hazard", at_least(0), s.base_hazard);
  read_series(t, "drift", kFinite, s.drift);
  read_series(t, "volatility", at_least(0), s.volatility);
  read_series(t, "quality_loading", kFinite, s.quality_loading);
  read_series(t, "capital_intensity", above(0), s.capital_intensity);
  read_series(t, "ma_rate", at_least(0), s.ma_rate);
  read_series(t, "milestone_jump", kFinite, s.milestone_jump);
  read_series(t, "ipo_threshold_factor", above(0), s.ipo_threshold_factor);
  t.reject_unknown_keys();
}

void read_sectors(Section& root, Scenario& s) {
  read_collection(root, "sectors", false, [&](std::string name, Section& t) {
    SectorSpec spec;
    spec.name = std::move(name);
    read_sector(t, spec);
    s.sectors.push_back(std::move(spec));
  });
}

// births is a year table, or a number that grows by births_growth a year from
// start_year, expanded to one point a year (MODEL.md 1: both at once is an error).
void read_births(Section& t, const Scenario& s, RegionSpec& r, bool years_ok) {
  // Identities hold 2^20 births per region and month: 5 million a year stays far below.
  const bool births_ok = read_series(t, "births", between(0, 5e6), r.births, Need::required);
  const toml::node* g = t.take("births_growth");
  if (g == nullptr) return;
  const std::string key = t.key_path("births_growth");
  const toml::node* births = t.find("births");
  if (births != nullptr && births->is_table()) {
    t.diag().error(g->source(), key, "expected only with a plain-number births");
    return;
  }
  double growth = 0;
  if (!to_number(*g, key, {-1, 1, true, false}, t.diag(), growth)) return;
  if (!births_ok || !years_ok) return;
  const double first = r.births.at_month(0, s.start_year);
  std::vector<std::pair<int, double>> points;
  for (int y = s.start_year; y <= s.end_year; ++y) {
    points.emplace_back(y, first * std::pow(1 + growth, y - s.start_year));
    if (points.back().second > 5e6) {
      t.diag().error(g->source(), key,
                     "expected a growth that keeps births at most 5e6 a year, reached in " +
                         std::to_string(y));
      return;
    }
  }
  r.births = TimeSeries(std::move(points));
}

std::string sector_names(const Scenario& s) {
  std::string out;
  for (const auto& sector : s.sectors) out += (out.empty() ? "" : ", ") + sector.name;
  return out;
}

void read_sector_mix(Section& t, const Scenario& s, RegionSpec& r) {
  constexpr std::string_view kMix = "expected a table of sector = share";
  r.sector_mix.assign(s.sectors.size(), 0.0);
  const toml::node* n = t.take("sector_mix", Need::required, kMix);
  if (n == nullptr || s.sectors.empty()) return;  // no sectors: reported already
  const std::string key = t.key_path("sector_mix");
  const toml::table* mix = n->as_table();
  if (mix == nullptr) {
    t.diag().error(n->source(), key, kMix);
    return;
  }
  bool ok = true;
  double sum = 0;
  for (const auto& [name, value] : *mix) {
    const std::string share_key = join_key(key, name.str());
    const int i = s.sector_index(std::string(name.str()));
    double share = 0;
    if (i < 0) {
      t.diag().error(value.source(), share_key,
                     "unknown sector; expected one of " + sector_names(s));
      ok = false;
    } else if (to_number(value, share_key, kShare, t.diag(), share)) {
      r.sector_mix[static_cast<std::size_t>(i)] = share;
      sum += share;
    } else {
      ok = false;
    }
  }
  if (ok && std::abs(sum - 1) > kShareTolerance)
    t.diag().error(n->source(), key, "expected shares summing to 1, got " + format_number(sum));
}

// Weights are normalised to sum to 1; without a table the region is one locality.
void read_localities(Section& t, RegionSpec& r) {
  constexpr std::string_view kTable = "expected a table of locality = weight";
  const toml::node* n = t.take("localities");
  if (n == nullptr) {
    r.localities = {LocalitySpec{r.name, 1.0}};
    return;
  }
  const std::string key = t.key_path("localities");
  const toml::table* table = n->as_table();
  if (table == nullptr || table->empty()) {
    std::string text(kTable);
    if (table != nullptr) text += " with at least one locality";
    t.diag().error(n->source(), key, text);
    return;
  }
  double sum = 0;
  for (const auto& [name, value] : *table) {
    const std::string weight_key = join_key(key, name.str());
    double weight = 0;
    if (!valid_name(name.str(), true)) {
      t.diag().error(value.source(), weight_key, "expected " + name_rule(true));
    } else if (to_number(value, weight_key, above(0), t.diag(), weight)) {
      r.localities.push_back({std::string(name.str()), weight});
      sum += weight;
    }
  }
  for (auto& locality : r.localities) locality.weight /= sum;
}

void read_region(Section& t, const Scenario& s, RegionSpec& r, bool years_ok) {
  read_births(t, s, r, years_ok);
  read_sector_mix(t, s, r);
  read_localities(t, r);
  read_series(t, "mu_q", kFinite, r.mu_q);
  read_series(t, "sigma_q", at_least(0), r.sigma_q);
  read_series(t, "lp_inflow", at_least(0), r.lp_inflow, Need::required);
  read_series(t, "lp_return_elasticity", at_least(0), r.lp_return_elasticity);
  read_series(t, "m", above(0), r.sentiment);
  read_series(t, "ipo_rate_factor", kShare, r.ipo_rate_factor);
  read_series(t, "ipo_threshold", above(0), r.ipo_threshold);
  read_series(t, "ipo_rate", at_least(0), r.ipo_rate);
  read_series(t, "round_scale", above(0), r.round_scale);
  read_series(t, "round_index", above(0), r.round_index);
  read_series(t, "ma_factor", at_least(0), r.ma_factor);
  read_numbers(t, "coinvest_share", between(0, 10), r.coinvest_share);
  read_series(t, "coinvest_index", at_least(0), r.coinvest_index);
  t.reject_unknown_keys();
}

void read_regions(Section& root, Scenario& s, bool years_ok) {
  read_collection(root, "regions", true, [&](std::string name, Section& t) {
    RegionSpec spec;
    spec.name = std::move(name);
    read_region(t, s, spec, years_ok);
    s.regions.push_back(std::move(spec));
  });
}

// ------------------------------------------------------------------------ months

constexpr std::string_view kMonth = "expected a year or a month \"YYYY-MM\"";

// A month as a count from January of year 0, so that months of any year compare and
// subtract as integers.
int absolute_month(int year, int month_of_year) { return year * 12 + month_of_year - 1; }

std::string format_month(int absolute) {
  const int month_of_year = absolute % 12 + 1;
  return std::to_string(absolute / 12) + (month_of_year < 10 ? "-0" : "-") +
         std::to_string(month_of_year);
}

// "YYYY-MM": a year as year tables write it, a dash, and the month 01-12 in two digits.
std::optional<int> parse_year_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  const auto year = parse_year(text.substr(0, 4));
  int month_of_year = 0;
  const std::string_view mm = text.substr(5);
  const auto [end, ec] = std::from_chars(mm.data(), mm.data() + mm.size(), month_of_year);
  if (!year || ec != std::errc() || end != mm.data() + mm.size() || month_of_year < 1 ||
      month_of_year > 12)
    return std::nullopt;
  return absolute_month(*year, month_of_year);
}

enum class YearMeans { january, december };

// A month written as a whole year (its January or December, as `year_means` says) or as
// "YYYY-MM"; `out` is the absolute month. The year must lie in the range of year tables.
bool read_month(Section& t, std::string_view key, YearMeans year_means, int& out) {
  const toml::node* n = t.take(key, Need::required, kMonth);
  if (n == nullptr) return false;
  const std::string path = t.key_path(key);
  if (n->is_integer()) {
    const std::int64_t year = n->as_integer()->get();
    if (year < kMinTableYear || year > kMaxTableYear) {
      t.diag().error(n->source(), path,
                     "expected a year in [" + std::to_string(kMinTableYear) + ", " +
                         std::to_string(kMaxTableYear) + "], got " + std::to_string(year));
      return false;
    }
    out = absolute_month(static_cast<int>(year), year_means == YearMeans::january ? 1 : 12);
    return true;
  }
  if (!n->is_string()) {
    t.diag().error(n->source(), path, kMonth);
    return false;
  }
  const std::string& text = n->as_string()->get();
  const auto month = parse_year_month(text);
  if (!month) {
    t.diag().error(n->source(), path,
                   std::string(kMonth) + " with MM in 01-12 and the year in [" +
                       std::to_string(kMinTableYear) + ", " + std::to_string(kMaxTableYear) +
                       "], got \"" + text + "\"");
    return false;
  }
  out = *month;
  return true;
}

// ------------------------------------------------------------------------ names

std::string region_names(const Scenario& s) {
  std::string out;
  for (const auto& region : s.regions) out += (out.empty() ? "" : ", ") + region.name;
  return out;
}

std::string locality_names(const RegionSpec& r) {
  std::string out;
  for (const auto& locality : r.localities) out += (out.empty() ? "" : ", ") + locality.name;
  return out;
}

// The value of a string key, or nullopt when it is absent or not a string (reported,
// with `required_text` after the type when a required key is absent).
std::optional<std::string> read_string(Section& t, std::string_view key, Need need,
                                       std::string_view required_text = " (required)") {
  const toml::node* n = t.take(key);
  if (n == nullptr) {
    if (need == Need::required)
      t.diag().error(t.where(), t.key_path(key), std::string(kString) + std::string(required_text));
    return std::nullopt;
  }
  if (!n->is_string()) {
    t.diag().error(n->source(), t.key_path(key), kString);
    return std::nullopt;
  }
  return n->as_string()->get();
}

// `key` = ["name", ...]: each a name that `index_of` knows. Absent, `out` stays empty
// (all); present, it holds the sorted indices without duplicates.
template <typename IndexOf>
bool read_name_list(Section& t, std::string_view key, std::string_view what,
                    const std::string& known, IndexOf index_of, std::vector<int>& out) {
  const toml::node* n = t.take(key);
  if (n == nullptr) return true;
  const std::string path = t.key_path(key);
  const toml::array* a = n->as_array();
  if (a == nullptr || a->empty()) {
    t.diag().error(n->source(), path,
                   "expected an array of at least one " + std::string(what) + " name");
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::node& item = (*a)[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.is_string()) {
      t.diag().error(item.source(), item_path, kString);
      ok = false;
      continue;
    }
    const std::string& name = item.as_string()->get();
    const int index = index_of(name);
    if (index < 0) {
      std::string text = "unknown " + std::string(what) + " \"";
      text += name + "\"; expected one of " + known;
      t.diag().error(item.source(), item_path, text);
      ok = false;
      continue;
    }
    out.push_back(index);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return ok;
}

// ------------------------------------------------------------------------ guidance funds

constexpr std::array<std::string_view, 3> kLevelNames{"national", "provincial", "municipal"};

bool read_level(Section& t, GuidanceLevel& out) {
  const auto text = read_string(t, "level", Need::required);
  if (!text) return false;
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (*text != kLevelNames[i]) continue;
    out = static_cast<GuidanceLevel>(i);
    return true;
  }
  t.diag().error(t.where_of("level"), t.key_path("level"),
                 "expected \"national\", \"provincial\" or \"municipal\", got \"" + *text + "\"");
  return false;
}

// The region and the home locality.
void read_home(Section& t, const Scenario& s, GuidanceFundSpec& g, bool level_ok) {
  bool region_ok = false;
  if (const auto name = read_string(t, "region", Need::required)) {
    g.region = s.region_index(*name);
    region_ok = g.region >= 0;
    if (!region_ok)
      t.diag().error(t.where_of("region"), t.key_path("region"),
                     "unknown region \"" + *name + "\"; expected one of " + region_names(s));
  }
  const bool national = g.level == GuidanceLevel::national;
  if (national && t.find("home_locality") != nullptr) {
    t.take("home_locality");
    if (level_ok)
      t.diag().error(t.where_of("home_locality"), t.key_path("home_locality"),
                     "expected no home_locality for a national fund");
    return;
  }
  const std::string level(kLevelNames[static_cast<std::size_t>(g.level)]);
  const auto name =
      read_string(t, "home_locality", level_ok && !national ? Need::required : Need::optional,
                  " (required for a " + level + " fund)");
  if (!name || !region_ok) return;
  const RegionSpec& r = s.regions[static_cast<std::size_t>(g.region)];
  for (std::size_t i = 0; i < r.localities.size(); ++i) {
    if (r.localities[i].name != *name) continue;
    g.home_locality = static_cast<int>(i);
    return;
  }
  t.diag().error(
      t.where_of("home_locality"), t.key_path("home_locality"),
      "unknown locality \"" + *name + "\" of " + r.name + "; expected one of " + locality_names(r));
}

// {sector = weight}, normalised to sum 1; without it every sector weighs the same.
void read_target_sectors(Section& t, const Scenario& s, GuidanceFundSpec& g) {
  constexpr std::string_view kTable = "expected a table of sector = weight";
  const std::size_t count = s.sectors.size();
  g.sector_weights.assign(count, count ? 1.0 / static_cast<double>(count) : 0.0);
  const toml::node* n = t.take("target_sectors");
  if (n == nullptr) return;
  const std::string key = t.key_path("target_sectors");
  const toml::table* table = n->as_table();
  if (table == nullptr) {
    t.diag().error(n->source(), key, kTable);
    return;
  }
  std::vector<double> weights(count, 0.0);
  bool ok = true;
  double sum = 0;
  for (const auto& [name, value] : *table) {
    const std::string weight_key = join_key(key, name.str());
    const int i = s.sector_index(std::string(name.str()));
    double weight = 0;
    if (i < 0) {
      t.diag().error(value.source(), weight_key,
                     "unknown sector; expected one of " + sector_names(s));
      ok = false;
    } else if (to_number(value, weight_key, at_least(0), t.diag(), weight)) {
      weights[static_cast<std::size_t>(i)] = weight;
      sum += weight;
    } else {
      ok = false;
    }
  }
  if (!ok) return;
  if (sum <= 0) {
    t.diag().error(n->source(), key, "expected at least one weight above 0");
    return;
  }
  for (auto& w : weights) w /= sum;
  g.sector_weights = std::move(weights);
}

// buyout = {years, rate}: both keys.
void read_buyout(Section& t, GuidanceFundSpec& g) {
  Section b = t.child("buyout");
  if (b.table() == nullptr) return;
  int years = 0;
  double rate = 0;
  const bool years_ok = read_int(b, "years", {1, 30}, years, Need::required);
  const toml::node* n = b.take("rate", Need::required, kNumber);
  const bool rate_ok = n != nullptr && to_number(*n, b.key_path("rate"), kShare, b.diag(), rate);
  b.reject_unknown_keys();
  if (!years_ok || !rate_ok) return;
  g.buyout_years = years;
  g.buyout_rate = rate;
}

void read_guidance_fund(Section& t, const Scenario& s, GuidanceFundSpec& g, bool years_ok) {
  const bool level_ok = read_level(t, g.level);
  read_home(t, s, g, level_ok);
  int start = 0;
  // A fund may start before the run (it deploys from the first January) or after it
  // (it never acts), so that a shorter scenario can include a longer one.
  if (read_month(t, "start", YearMeans::january, start) && years_ok)
    g.start_month = std::max(0, start - absolute_month(s.start_year, 1));
  const toml::node* size_node = t.take("size", Need::required, kNumber);
  if (size_node != nullptr) to_number(*size_node, t.key_path("size"), above(0), t.diag(), g.size);
  read_number(t, "years_to_deploy", {0, 100, true, false}, g.years_to_deploy);
  read_target_sectors(t, s, g);
  read_number(t, "state_share_max", {0, 1, true, false}, g.state_share_max);
  read_number(t, "sector_quota", kShare, g.sector_quota);
  // The rule reinvests in the home locality, which a national fund does not have.
  if (read_number(t, "reinvest_ratio", between(0, 10), g.reinvest_ratio) && g.reinvest_ratio > 0 &&
      level_ok && g.level == GuidanceLevel::national)
    t.diag().error(t.where_of("reinvest_ratio"), t.key_path("reinvest_ratio"),
                   "expected 0 without a home_locality (a national fund has none), got " +
                       format_number(g.reinvest_ratio));
  read_number(t, "return_cap", kShare, g.return_cap);
  read_number(t, "selection_quality", kShare, g.selection_quality);
  read_number(t, "failure_tolerance", between(0, 5), g.failure_tolerance);
  // The sub-funds take the terms of [funds.guidance_backed] with this life, which must
  // cover their investment period.
  const int inv_period = s.guidance_funds_terms.inv_period;
  if (read_int(t, "subfund_life", {12, kMaxFundMonths}, g.subfund_life) &&
      g.subfund_life < inv_period)
    t.diag().error(t.where_of("subfund_life"), t.key_path("subfund_life"),
                   "expected a value in [" + std::to_string(inv_period) + ", " +
                       std::to_string(kMaxFundMonths) +
                       "] (at least funds.guidance_backed.inv_period), got " +
                       std::to_string(g.subfund_life));
  read_number(t, "early_stage_share", kShare, g.early_stage_share);
  read_number(t, "direct_share", kShare, g.direct_share);
  read_number(t, "sigma_direct", at_least(0), g.sigma_direct);
  read_number(t, "max_direct_check", {0, 1, true, false}, g.max_direct_check);
  read_buyout(t, g);
  t.reject_unknown_keys();
}

void read_guidance_funds(Section& root, Scenario& s, bool years_ok) {
  read_collection(
      root, "guidance_funds", false,
      [&](std::string name, Section& t) {
        GuidanceFundSpec spec;
        spec.name = std::move(name);
        // `enabled = false` lets a scenario switch off a fund it includes (a
        // counterfactual); the fund is still checked.
        bool enabled = true;
        read_bool(t, "enabled", enabled);
        read_guidance_fund(t, s, spec, years_ok);
        if (enabled) s.guidance_funds.push_back(std::move(spec));
      },
      Need::optional);
}

// ------------------------------------------------------------------------ events

constexpr std::array<std::string_view, 7> kEventKindNames{
    "export_control", "crackdown", "ipo_window", "procurement", "tariff", "talent", "grant"};

std::optional<EventKind> read_event_kind(Section& t) {
  const auto text = read_string(t, "kind", Need::required);
  if (!text) return std::nullopt;
  for (std::size_t i = 0; i < kEventKindNames.size(); ++i)
    if (*text == kEventKindNames[i]) return static_cast<EventKind>(i);
  std::string known;
  for (const auto& k : kEventKindNames) known += (known.empty() ? "" : ", ") + std::string(k);
  t.diag().error(t.where_of("kind"), t.key_path("kind"),
                 "unknown event kind \"" + *text + "\"; expected one of " + known);
  return std::nullopt;
}

// stages = [0, 1, ...]: round stages 0-5, sorted without duplicates.
void read_stages(Section& t, std::vector<int>& out) {
  const toml::node* n = t.take("stages");
  if (n == nullptr) return;
  const std::string path = t.key_path("stages");
  const toml::array* a = n->as_array();
  if (a == nullptr || a->empty()) {
    t.diag().error(n->source(), path, "expected an array of at least one stage in [0, 5]");
    return;
  }
  std::vector<int> stages;
  for (std::size_t i = 0; i < a->size(); ++i) {
    std::int64_t stage = 0;
    if (to_integer((*a)[i], path + "[" + std::to_string(i) + "]", {0, kStageCount - 1}, t.diag(),
                   stage))
      stages.push_back(static_cast<int>(stage));
  }
  if (stages.size() != a->size()) return;
  std::sort(stages.begin(), stages.end());
  stages.erase(std::unique(stages.begin(), stages.end()), stages.end());
  out = std::move(stages);
}

// The keys of each kind (MODEL.md 3.1); any other key is unknown for that kind.
void read_event_values(Section& t, EventKind kind, EventSpec& e) {
  const toml::node* n = nullptr;
  switch (kind) {
    case EventKind::export_control:
      read_number(t, "hazard_shift", between(0, 5), e.hazard_shift);
      read_number(t, "drift_shift", between(0, 5), e.drift_shift);
      read_number(t, "ipo_factor", kShare, e.ipo_factor);
      break;
    case EventKind::crackdown:
      read_number(t, "sentiment_factor", {0, 1, true, false}, e.sentiment_factor);
      read_number(t, "ipo_factor", kShare, e.ipo_factor);
      break;
    case EventKind::ipo_window:
      n = t.take("ipo_rate_factor", Need::required, kNumber);
      if (n != nullptr)
        to_number(*n, t.key_path("ipo_rate_factor"), kShare, t.diag(), e.ipo_rate_factor);
      break;
    case EventKind::procurement:
    case EventKind::tariff:
      read_number(t, "drift_shift", between(0, 5), e.drift_shift);
      break;
    case EventKind::talent:
      read_number(t, "quality_shift", between(-3, 3), e.quality_shift);
      read_number(t, "births_factor", {0, 10, true, false}, e.births_factor);
      break;
    case EventKind::grant:
      n = t.take("budget", Need::required, kNumber);
      if (n != nullptr) to_number(*n, t.key_path("budget"), above(0), t.diag(), e.budget);
      n = t.take("grant_size", Need::required, kNumber);
      if (n != nullptr) to_number(*n, t.key_path("grant_size"), above(0), t.diag(), e.grant_size);
      read_stages(t, e.stages);
      read_number(t, "sigma_grant", at_least(0), e.sigma_grant);
      break;
  }
}

// first_month and last_month are clipped to the run: an event wholly before or after
// it keeps last_month = first_month - 1 and never acts.
void read_event(Section& t, const Scenario& s, EventSpec& e, bool years_ok) {
  const auto kind = read_event_kind(t);
  int first = 0, last = 0;
  const bool first_ok = read_month(t, "start", YearMeans::january, first);
  const bool last_ok = read_month(t, "end", YearMeans::december, last);
  if (first_ok && last_ok && last < first)
    t.diag().error(t.where_of("end"), t.key_path("end"),
                   "expected a month not before start (" + format_month(first) + "), got " +
                       format_month(last));
  if (years_ok) {
    const int run_first = absolute_month(s.start_year, 1);
    e.first_month = std::clamp(first - run_first, 0, s.months());
    e.last_month = std::clamp(last - run_first, -1, s.months() - 1);
    if (e.last_month < e.first_month) e.last_month = e.first_month - 1;
  }
  read_name_list(
      t, "regions", "region", region_names(s),
      [&](const std::string& n) { return s.region_index(n); }, e.regions);
  read_name_list(
      t, "sectors", "sector", sector_names(s),
      [&](const std::string& n) { return s.sector_index(n); }, e.sectors);
  if (!kind) return;  // which keys belong to the event is not known
  e.kind = *kind;
  read_event_values(t, *kind, e);
  t.reject_unknown_keys(" for a " + std::string(kEventKindNames[static_cast<std::size_t>(*kind)]) +
                        " event");
}

// After the guidance funds: a name stands for one policy, so an event may not take a
// guidance fund's name.
void read_events(Section& root, Scenario& s, bool years_ok) {
  read_collection(
      root, "events", false,
      [&](std::string name, Section& t) {
        EventSpec spec;
        spec.name = std::move(name);
        const bool shared =
            std::any_of(s.guidance_funds.begin(), s.guidance_funds.end(),
                        [&](const GuidanceFundSpec& g) { return g.name == spec.name; });
        if (shared)
          t.diag().error(t.where(), t.path(), "expected a name not used by a guidance fund");
        bool enabled = true;
        read_bool(t, "enabled", enabled);
        read_event(t, s, spec, years_ok);
        if (enabled) s.events.push_back(std::move(spec));
      },
      Need::optional);
}

// ------------------------------------------------------------------------ document

void read_name(Section& root, std::string& name) {
  const toml::node* n = root.take("name");
  if (n == nullptr) return;
  if (!n->is_string() || n->as_string()->get().empty()) {
    root.diag().error(n->source(), "name", std::string(kString) + " that is not empty");
    return;
  }
  name = n->as_string()->get();
}

Scenario build_scenario(const toml::table& doc, const std::string& path) {
  Diagnostics diag(path);
  Section root(&doc, "", doc.source(), diag);
  Scenario s;
  s.source_path = path;
  s.name = fs::path(path).stem().string();
  read_name(root, s.name);
  const bool years_ok = read_run(root, s);
  read_startup(root, s.startup);
  read_market(root, s.market);
  read_funds(root, s);
  read_fundraising(root, s.fundraising);
  read_sectors(root, s);  // before regions: sector_mix names sectors
  read_regions(root, s, years_ok);
  read_guidance_funds(root, s, years_ok);  // they name regions, localities and sectors
  read_events(root, s, years_ok);          // after guidance funds: names must differ
  root.take("sweep");                      // read by sim/sweep/sweep_spec.cpp, for `vcsim sweep`
  root.reject_unknown_keys();
  diag.throw_if_any();
  return s;
}

// ------------------------------------------------------------------------ includes

// A scenario is a small text written by hand; anything above this is a mistake (a data
// file or a device named by accident) and is refused rather than read whole.
constexpr std::size_t kMaxScenarioBytes = 16u << 20;

// Which files may be read: the scenario named on the command line may be a pipe
// (`vcsim run <(generate)`), but an include must be a regular file, since a FIFO or a
// terminal named in a file would wait for input forever.
enum class FileKind { any, regular };

// The file's text, or nothing with the reason in `why`. Reads at most
// kMaxScenarioBytes + 1 bytes, so /dev/zero is refused as too large, not read forever.
std::optional<std::string> read_file(const std::string& path, FileKind kind, std::string& why) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    why = "no such file";
    return std::nullopt;
  }
  if (fs::is_directory(status) || (kind == FileKind::regular && !fs::is_regular_file(status))) {
    why = "not a regular file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = "cannot open it";
    return std::nullopt;
  }
  // Read in chunks, so memory follows the file's size, not the limit: a server reads
  // scenarios for many requests at once.
  std::string text;
  std::array<char, 64 * 1024> chunk{};
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes) {
      why = "more than the " + std::to_string(kMaxScenarioBytes) + " bytes a scenario may have";
      return std::nullopt;
    }
  }
  return text;
}

toml::table parse_document(std::string_view text, const std::string& path) {
  check_toml_characters(text, path);
  try {
    return toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(location(e.source(), path) + ": " + std::string(e.description()));
  }
}

// Top-level tables and the tables of the collections merge key by key; anything else
// is a parameter value and is replaced whole.
bool merges_children(std::string_view table_path) {
  return table_path.empty() || table_path == "funds" || table_path == "sectors" ||
         table_path == "regions" || table_path == "guidance_funds" || table_path == "events";
}

}  // namespace

std::string include_value_key(const std::string& key) {
  std::string table;  // the table the next part is a key of
  for (const std::string& part : split_dotted_key(key)) {
    const std::string child = join_key(table, part);
    if (!merges_children(table)) return child;
    table = child;
  }
  return table;
}

namespace {

// births_growth describes the births it is written with: a file that sets a region's
// births drops the births_growth of the file it includes.
bool dropped_with_births(std::string_view table_path, std::string_view key,
                         const toml::table& over) {
  const std::string_view prefix = "regions.";
  const bool in_region = table_path.substr(0, prefix.size()) == prefix &&
                         table_path.find('.', prefix.size()) == std::string_view::npos;
  return in_region && key == "births_growth" && over.contains("births");
}

// Moves every key of `base` that `over` lacks into `over`. Moving (not copying) keeps
// each value's source region, so errors point into the file that wrote the value.
void merge_base(toml::table& over, toml::table&& base, const std::string& path) {
  for (auto&& [key, value] : base) {
    toml::node* mine = over.get(key.str());
    if (mine == nullptr && dropped_with_births(path, key.str(), over)) continue;
    if (mine == nullptr)
      over.insert(key, std::move(value));
    else if (merges_children(path) && mine->is_table() && value.is_table())
      merge_base(*mine->as_table(), std::move(*value.as_table()), join_key(path, key.str()));
  }
}

fs::path identity(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? fs::absolute(path).lexically_normal() : p;
}

class IncludeResolver {
 public:
  // The document at `path` with its includes merged in, without `include` keys and
  // with `name` only from this file.
  toml::table load(std::string_view text, const std::string& path) {
    toml::table doc = parse_document(text, path);
    const toml::node* include = doc.get("include");
    if (include == nullptr) return doc;
    open_.push_back({identity(path), path});
    const std::string target = target_of(*include, path);
    std::string why;
    const auto target_text = read_file(target, FileKind::regular, why);
    if (!target_text)
      fail(include->source(), path, "include",
           "expected a readable scenario file, cannot read " + target + ": " + why);
    toml::table base = load(*target_text, target);
    open_.pop_back();
    doc.erase("include");
    base.erase("name");
    merge_base(doc, std::move(base), "");
    return doc;
  }

 private:
  struct OpenFile {
    fs::path identity;
    std::string name;
  };

  std::string target_of(const toml::node& include, const std::string& path) const {
    if (!include.is_string())
      fail(include.source(), path, "include",
           "expected a string: a scenario file, relative to this one");
    const fs::path target =
        (fs::path(path).parent_path() / include.as_string()->get()).lexically_normal();
    const fs::path id = identity(target.string());
    for (std::size_t i = 0; i < open_.size(); ++i) {
      if (open_[i].identity != id) continue;
      std::string cycle;
      for (std::size_t j = i; j < open_.size(); ++j) cycle += open_[j].name + " -> ";
      fail(
          include.source(), path, "include",
          "expected a file that does not include itself, got the cycle " + cycle + target.string());
    }
    return target.string();
  }

  std::vector<OpenFile> open_;  // files being loaded, outermost first
};

// ------------------------------------------------------------------------ resolved text

// Where the string starting at text[i] (a quote) ends, one past its closing quote.
std::size_t skip_string(std::string_view text, std::size_t i) {
  const char quote = text[i];
  const bool triple = text.substr(i, 3) == std::string(3, quote);
  const std::string_view close = triple ? text.substr(i, 3) : text.substr(i, 1);
  for (std::size_t j = i + close.size(); j < text.size(); ++j) {
    if (quote == '"' && text[j] == '\\')
      ++j;  // an escape; literal strings have none
    else if (text.substr(j, close.size()) == close)
      return j + close.size();
  }
  return text.size();
}

// toml++ as packaged prints floats with 17 significant digits (0.1 as
// 0.10000000000000001). The stored scenario is read by people, so floats are rewritten
// in their shortest form that reads back to the same double. Only validated documents
// come here: keys are names and whole years, so a token starting with a digit or sign
// outside a string is a value.
std::string shorten_floats(std::string_view text) {
  const auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+' ||
           c == '-';
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      const std::size_t end = skip_string(text, i);
      out += text.substr(i, end - i);
      i = end;
      continue;
    }
    if (!is_word(c)) {
      out += c;
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word(text[end])) ++end;
    const std::string_view token = text.substr(i, end - i);
    double v = 0;
    const auto parsed = std::from_chars(token.data(), token.data() + token.size(), v);
    const bool is_float = token.find_first_of(".eE") != std::string_view::npos;
    if (!is_float || parsed.ec != std::errc() || parsed.ptr != token.data() + token.size()) {
      out += token;
    } else {
      const std::string shortest = format_number(v);
      out += shortest;
      if (shortest.find_first_of(".e") == std::string::npos) out += ".0";
    }
    i = end;
  }
  return out;
}

// ------------------------------------------------------------------------ overrides

[[noreturn]] void override_error(const Override& o, std::string_view text) {
  throw ScenarioError(o.origin + ": " + o.key + ": " + std::string(text));
}

// The override's value parsed into `holder`; it remembers where it came from, so that
// validation errors name the override rather than a line of the scenario file.
toml::node& parsed_value(toml::table& holder, const Override& o) {
  try {
    check_toml_characters("value = " + o.value, o.origin);
    holder = toml::parse("value = " + o.value, std::string_view(o.origin));
  } catch (const toml::parse_error&) {
    override_error(o,
                   "expected a TOML value (a number, true/false, a quoted string or an "
                   "array), got " +
                       o.value);
  }
  return *holder.get("value");
}

void apply_override(toml::table& doc, const Override& o) {
  const std::vector<std::string> parts = split_dotted_key(o.key);
  toml::table* table = &doc;
  std::string path;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    path = join_key(path, parts[i]);
    toml::node* next = table->get(parts[i]);
    if (next == nullptr || !next->is_table())
      override_error(o, "expected a path into the scenario, but it has no table " + path);
    table = next->as_table();
  }
  const std::string& last = parts.back();
  if (last.empty()) override_error(o, "expected a dotted key such as market.ipo_rate");
  toml::table holder;
  toml::node& value = parsed_value(holder, o);
  const toml::node* existing = table->get(last);
  const bool make_integer =
      existing != nullptr && existing->is_integer() && value.is_floating_point() &&
      std::nearbyint(value.as_floating_point()->get()) == value.as_floating_point()->get();
  if (make_integer)
    table->insert_or_assign(last, static_cast<std::int64_t>(value.as_floating_point()->get()));
  else
    table->insert_or_assign(last, std::move(value));
}

}  // namespace

// TOML allows non-ASCII characters only in comments and strings, and toml++ 3.3 reaches
// undefined behaviour (an "unreachable" branch of its whitespace test) on some of them
// elsewhere, e.g. U+00A1..U+0499 in a key. So the text is scanned first, with TOML's
// rules for comments and strings, and a non-ASCII byte anywhere else is refused.
void check_toml_characters(std::string_view text, const std::string& path) {
  std::size_t line = 1;
  std::size_t i = 0;
  auto starts = [&](std::string_view token) { return text.substr(i, token.size()) == token; };
  // In a multi-line basic string, after a backslash (i is past it) toml++ 3.3 asks
  // whether the next character is a blank (a line-ending backslash) and, after a run of
  // blanks, asks again of the first other character: for some non-ASCII characters that
  // question reaches undefined behaviour, so one there is refused. Skips the blanks, or
  // the escaped character.
  auto skip_after_backslash = [&] {
    std::size_t j = i;
    while (j < text.size() &&
           (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) {
      if (text[j] == '\n') ++line;
      ++j;
    }
    if (j < text.size() && static_cast<unsigned char>(text[j]) >= 0x80)
      throw ScenarioError(path + ":" + std::to_string(line) +
                          ": expected an ASCII character after a backslash in a multi-line "
                          "string (the TOML parser mishandles others there), got a non-ASCII "
                          "character");
    i = j > i ? j : std::min(j + 1, text.size());
  };
  // Skips to the end of a string opened at i by `quote` (one or three characters).
  auto skip_string = [&](std::string_view quote, bool escapes) {
    i += quote.size();
    const bool multi_line = quote.size() == 3;
    while (i < text.size()) {
      if (escapes && text[i] == '\\') {
        ++i;
        if (multi_line) {
          skip_after_backslash();
        } else if (i < text.size() && text[i] != '\n') {
          ++i;  // the escaped character
        }
        continue;
      }
      if (starts(quote)) {
        i += quote.size();
        return;
      }
      if (text[i] == '\n') {
        if (!multi_line) return;  // unterminated: the parser reports it
        ++line;
      }
      ++i;
    }
  };
  // The last character on the line that was not a blank ('\n' at the start of a line).
  // TOML opens a string only at the start of a line (a quoted key) or after one of
  // = [ , { . ; toml++ does not read a quote elsewhere as a string, and scanning on
  // it reaches the undefined behaviour this check keeps out, so such a quote opens
  // nothing here either.
  char previous = '\n';
  auto opens_string = [&] {
    return std::string_view("\n=[,{.").find(previous) != std::string_view::npos;
  };
  while (i < text.size()) {
    const char c = text[i];
    const bool quote = c == '"' || c == '\'';
    if (c == '\n') {
      ++line;
      ++i;
      previous = '\n';
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (quote && opens_string()) {
      const bool basic = c == '"';
      const std::string_view triple = basic ? "\"\"\"" : "'''";
      skip_string(starts(triple) ? triple : triple.substr(0, 1), basic);
      previous = c;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      throw ScenarioError(path + ":" + std::to_string(line) +
                          ": expected ASCII outside comments and strings (keys, numbers, "
                          "dates), got a non-ASCII character");
    } else {
      if (c != ' ' && c != '\t') previous = c;
      ++i;
    }
  }
}

std::vector<std::string> split_dotted_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = key.find('.', begin);
    parts.push_back(key.substr(begin, dot - begin));
    if (dot == std::string::npos) return parts;
    begin = dot + 1;
  }
}

Override parse_override(const std::string& assignment, const std::string& origin) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError(origin + ": " + assignment + ": expected KEY=VALUE, such as " +
                        "market.ipo_rate=0.1");
  auto trim = [](std::string t) {
    const auto first = t.find_first_not_of(" \t");
    const auto last = t.find_last_not_of(" \t");
    return first == std::string::npos ? std::string() : t.substr(first, last - first + 1);
  };
  return {trim(assignment.substr(0, eq)), trim(assignment.substr(eq + 1)), origin};
}

Scenario read_scenario_text(const std::string& text, const std::string& path_for_messages,
                            const std::vector<Override>& overrides) {
  toml::table doc = IncludeResolver().load(text, path_for_messages);
  for (const Override& o : overrides) apply_override(doc, o);
  Scenario s = build_scenario(doc, path_for_messages);
  // The stored text must read back into the same scenario on its own.
  doc.insert_or_assign("name", s.name);
  std::ostringstream resolved;
  resolved << toml::toml_formatter(doc);
  s.resolved_text = shorten_floats(resolved.str());
  return s;
}

Scenario read_scenario(const std::string& path, const std::vector<Override>& overrides) {
  std::string why;
  const auto text = read_file(path, FileKind::any, why);
  if (!text) throw ScenarioError(path + ": expected a readable scenario file: " + why);
  return read_scenario_text(*text, path, overrides);
}

}  // namespace vcsim
