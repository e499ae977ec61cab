#include "calibrate/targets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include <toml++/toml.h>

#include "record/results.hpp"
#include "scenario/reader.hpp"

namespace vcsim {
namespace {

struct MomentSpec {
  MomentKind kind;
  const char* name;
  std::vector<std::string> keys;  // the keys that say which value is measured
};

const std::array<MomentSpec, 6> kMoments{{
    {MomentKind::unicorns, "unicorns", {"region", "year", "month", "definition"}},
    {MomentKind::new_unicorns, "new_unicorns", {"region", "year", "definition"}},
    {MomentKind::funnel, "funnel", {"region", "outcome", "seed_years"}},
    {MomentKind::median_months, "median_months", {"region", "outcome", "seed_years"}},
    {MomentKind::deal_value, "deal_value", {"region", "year"}},
    {MomentKind::fund_tvpi, "fund_tvpi", {}},
}};

const std::vector<std::string> kTargetKeys{
    "moment", "observed", "band",  "se",         "tolerance", "weight",    "source",
    "region", "year",     "month", "definition", "outcome",   "seed_years"};

std::string location(const toml::source_region& where, const std::string& file) {
  return file + ":" + std::to_string(std::max<toml::source_index>(where.begin.line, 1));
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// One table of the file with its dotted path, for messages naming the key.
class Section {
 public:
  Section(const toml::table& table, std::string path, const std::string& file)
      : table_(table), path_(std::move(path)), file_(file) {}

  [[noreturn]] void fail(const toml::node* at, std::string_view key, std::string_view text) const {
    const auto& where = at != nullptr ? at->source() : table_.source();
    throw ScenarioError(location(where, file_) + ": " + key_path(key) + ": " + std::string(text));
  }

  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  void only(const std::vector<std::string>& allowed) const {
    for (auto&& [key, value] : table_)
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end())
        fail(&value, key.str(), "unknown key; expected one of " + join(allowed));
  }

  const toml::node* get(std::string_view key) const { return table_.get(key); }
  int line() const { return static_cast<int>(table_.source().begin.line); }

  std::optional<double> number(std::string_view key) const {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_number()) fail(n, key, "expected a number");
    const double v = n->is_integer() ? static_cast<double>(n->as_integer()->get())
                                     : n->as_floating_point()->get();
    if (!std::isfinite(v)) fail(n, key, "expected a finite number");
    return v;
  }
  double required_number(std::string_view key) const {
    auto v = number(key);
    if (!v) fail(nullptr, key, "expected a number (the key is missing)");
    return *v;
  }
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t lo,
                                      std::int64_t hi) const {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer()) fail(n, key, "expected an integer");
    const std::int64_t v = n->as_integer()->get();
    if (v < lo || v > hi)
      fail(n, key,
           "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
  }
  std::optional<std::string> string(std::string_view key) const {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) fail(n, key, "expected a string");
    return n->as_string()->get();
  }
  std::optional<bool> boolean(std::string_view key) const {
    const toml::node* n = get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_boolean()) fail(n, key, "expected true or false");
    return n->as_boolean()->get();
  }
  Section sub(std::string_view key, const toml::node& n) const {
    if (!n.is_table()) fail(&n, key, "expected a table");
    return Section(*n.as_table(), key_path(key), file_);
  }

 private:
  const toml::table& table_;
  std::string path_;
  const std::string& file_;
};

void read_settings(const Section& s, CalibrationSettings& out) {
  s.only({"replications", "seed", "max_evaluations", "f_tolerance", "x_tolerance", "initial_step"});
  if (auto v = s.integer("replications", 1, 100000)) out.replications = static_cast<int>(*v);
  if (auto v = s.integer("seed", 0, 4294967295LL)) out.seed = static_cast<std::uint32_t>(*v);
  if (auto v = s.integer("max_evaluations", 1, 1000000)) out.max_evaluations = static_cast<int>(*v);
  auto non_negative = [&](std::string_view key, double& field) {
    if (auto v = s.number(key)) {
      if (*v < 0) s.fail(s.get(key), key, "expected a number >= 0");
      field = *v;
    }
  };
  non_negative("f_tolerance", out.f_tolerance);
  non_negative("x_tolerance", out.x_tolerance);
  if (auto v = s.number("initial_step")) {
    if (*v <= 0 || *v > 1)
      s.fail(s.get("initial_step"), "initial_step", "expected a number in (0, 1]");
    out.initial_step = *v;
  }
}

FreeParameter read_parameter(const Section& s, const std::string& name) {
  s.only({"path", "lower", "upper", "start", "scale"});
  FreeParameter p;
  p.name = name;
  p.line = s.line();
  auto path = s.string("path");
  if (!path || path->empty())
    s.fail(s.get("path"), "path",
           "expected a dotted path into the scenario, such as regions.US.mu_q");
  p.path = *path;
  p.scale = s.boolean("scale").value_or(false);
  p.lower = s.required_number("lower");
  p.upper = s.required_number("upper");
  if (!(p.lower < p.upper))
    s.fail(
        s.get("upper"), "upper",
        "expected a bound above lower (" + number_text(p.lower) + "), got " + number_text(p.upper));
  p.start = s.number("start");
  if (p.start && (*p.start < p.lower || *p.start > p.upper))
    s.fail(s.get("start"), "start",
           "expected a value in [lower, upper] = [" + number_text(p.lower) + ", " +
               number_text(p.upper) + "]");
  return p;
}

const MomentSpec& moment_spec(const Section& s) {
  auto name = s.string("moment");
  std::vector<std::string> names;
  for (const auto& m : kMoments) names.push_back(m.name);
  if (!name) s.fail(nullptr, "moment", "expected one of " + join(names) + " (the key is missing)");
  for (const auto& m : kMoments)
    if (*name == m.name) return m;
  s.fail(s.get("moment"), "moment", "expected one of " + join(names) + ", got \"" + *name + "\"");
}

int name_index(const Section& s, std::string_view key, const std::string& value,
               const std::vector<std::string>& allowed) {
  auto it = std::find(allowed.begin(), allowed.end(), value);
  if (it == allowed.end())
    s.fail(s.get(key), key, "expected one of " + join(allowed) + ", got \"" + value + "\"");
  return static_cast<int>(it - allowed.begin());
}

void read_moment_keys(const Section& s, const MomentSpec& spec, Moment& m) {
  for (const auto& key :
       std::vector<std::string>{"region", "year", "month", "definition", "outcome", "seed_years"})
    if (s.get(key) != nullptr &&
        std::find(spec.keys.begin(), spec.keys.end(), key) == spec.keys.end())
      s.fail(s.get(key), key, std::string("not used by moment ") + spec.name);
  auto needs = [&](std::string_view key) {
    const bool used = std::find(spec.keys.begin(), spec.keys.end(), key) != spec.keys.end();
    const bool optional = key == "month" || key == "definition";
    if (used && !optional && s.get(key) == nullptr)
      s.fail(nullptr, key, std::string("expected a value: moment ") + spec.name + " needs it");
    return used;
  };
  if (needs("region")) m.region = s.string("region").value();
  if (needs("year")) m.year = static_cast<int>(s.integer("year", 1800, 2300).value());
  if (needs("month")) m.month = static_cast<int>(s.integer("month", 1, 12).value_or(12));
  if (needs("definition"))
    m.definition =
        name_index(s, "definition", s.string("definition").value_or("all"), {"all", "age_capped"});
  if (needs("outcome")) {
    m.outcome = s.string("outcome").value();
    if (spec.kind == MomentKind::funnel) {
      std::vector<std::string> outcomes(kCohortOutcomeNames.begin() + 1,
                                        kCohortOutcomeNames.end());  // not "seeded"
      m.outcome_index = 1 + name_index(s, "outcome", m.outcome, outcomes);
    } else {
      std::vector<std::string> durations(kCohortDurationNames.begin(), kCohortDurationNames.end());
      m.outcome_index = name_index(s, "outcome", m.outcome, durations);
    }
  }
  if (needs("seed_years")) {
    const toml::node* n = s.get("seed_years");
    const toml::array* a = n->as_array();
    if (a == nullptr || a->size() != 2 || !(*a)[0].is_integer() || !(*a)[1].is_integer() ||
        (*a)[0].as_integer()->get() > (*a)[1].as_integer()->get())
      s.fail(n, "seed_years", "expected [first, last], two years with first <= last");
    m.first_seed_year = static_cast<int>((*a)[0].as_integer()->get());
    m.last_seed_year = static_cast<int>((*a)[1].as_integer()->get());
  }
}

// band = [low, high]: two numbers, low < high, with the observed figure between them.
void read_band(const Section& s, Target& t) {
  const toml::node* n = s.get("band");
  if (n == nullptr) return;
  const toml::array* a = n->as_array();
  if (a == nullptr || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number())
    s.fail(n, "band", "expected [low, high], two numbers");
  const double low = (*a)[0].value<double>().value(), high = (*a)[1].value<double>().value();
  if (!(low < high)) s.fail(n, "band", "expected [low, high] with low < high");
  if (t.observed < low || t.observed > high)
    s.fail(n, "band",
           "expected a band that holds observed (" + number_text(t.observed) + "), got [" +
               number_text(low) + ", " + number_text(high) + "]");
  t.band_low = low;
  t.band_high = high;
}

Target read_target(const Section& s, const std::string& name) {
  s.only(kTargetKeys);
  Target t;
  t.name = name;
  t.line = s.line();
  const MomentSpec& spec = moment_spec(s);
  t.moment.kind = spec.kind;
  read_moment_keys(s, spec, t.moment);
  t.observed = s.required_number("observed");
  auto se = s.number("se");
  auto tolerance = s.number("tolerance");
  if (se.has_value() == tolerance.has_value())
    s.fail(s.get("tolerance"), "se",
           "expected exactly one of se (a standard error) or tolerance (a share of observed)");
  if (se && *se <= 0) s.fail(s.get("se"), "se", "expected a standard error > 0");
  if (tolerance && (*tolerance <= 0 || t.observed == 0))
    s.fail(s.get("tolerance"), "tolerance",
           "expected a share > 0 of an observed value that is not 0");
  t.se = se ? *se : *tolerance * std::abs(t.observed);
  read_band(s, t);
  if (auto w = s.number("weight")) {
    if (*w < 0) s.fail(s.get("weight"), "weight", "expected a weight >= 0");
    t.weight = *w;
  }
  t.source = s.string("source").value_or("");
  return t;
}

toml::table parse(const std::string& text, const std::string& path) {
  check_toml_characters(text, path);
  try {
    return toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(location(e.source(), path) + ": " + std::string(e.description()));
  }
}

}  // namespace

Targets read_targets_text(const std::string& text, const std::string& path) {
  const toml::table doc = parse(text, path);
  Targets out;
  out.path = path;
  out.text = text;
  const Section root(doc, "", path);
  root.only({"calibration", "parameters", "targets"});
  if (const toml::node* n = root.get("calibration"))
    read_settings(root.sub("calibration", *n), out.settings);
  const toml::node* parameters = root.get("parameters");
  if (parameters == nullptr || !parameters->is_table() || parameters->as_table()->empty())
    root.fail(parameters, "parameters", "expected at least one [parameters.NAME] table");
  const Section ps = root.sub("parameters", *parameters);
  for (auto&& [name, value] : *parameters->as_table())
    out.parameters.push_back(read_parameter(ps.sub(name.str(), value), std::string(name.str())));
  const toml::node* targets = root.get("targets");
  if (targets == nullptr || !targets->is_table() || targets->as_table()->empty())
    root.fail(targets, "targets", "expected at least one [targets.NAME] table");
  const Section ts = root.sub("targets", *targets);
  for (auto&& [name, value] : *targets->as_table())
    out.targets.push_back(read_target(ts.sub(name.str(), value), std::string(name.str())));
  return out;
}

Targets read_targets(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": expected a readable targets file");
  std::ostringstream text;
  text << in.rdbuf();
  return read_targets_text(text.str(), path);
}

namespace {

[[noreturn]] void target_error(const Targets& all, const Target& t, std::string_view key,
                               const std::string& text) {
  throw ScenarioError(all.path + ":" + std::to_string(t.line) + ": targets." + t.name + "." +
                      std::string(key) + ": " + text);
}

void check_year(const Targets& all, const Target& t, std::string_view key, int year,
                const Scenario& s) {
  if (year < s.start_year || year > s.end_year)
    target_error(all, t, key,
                 "expected a year the scenario simulates (" + std::to_string(s.start_year) + "-" +
                     std::to_string(s.end_year) + "), got " + std::to_string(year));
}

}  // namespace

void check_targets(Targets& targets, const Scenario& scenario) {
  std::vector<std::string> regions{"world"};
  for (const auto& r : scenario.regions) regions.push_back(r.name);
  for (Target& t : targets.targets) {
    Moment& m = t.moment;
    if (m.kind != MomentKind::fund_tvpi) {
      auto it = std::find(regions.begin(), regions.end(), m.region);
      if (it == regions.end())
        target_error(targets, t, "region",
                     "expected one of " + join(regions) + ", got \"" + m.region + "\"");
      m.region_index = static_cast<int>(it - regions.begin()) - 1;
    }
    if (m.kind == MomentKind::unicorns || m.kind == MomentKind::new_unicorns ||
        m.kind == MomentKind::deal_value)
      check_year(targets, t, "year", m.year, scenario);
    if (m.kind == MomentKind::funnel || m.kind == MomentKind::median_months) {
      check_year(targets, t, "seed_years", m.first_seed_year, scenario);
      check_year(targets, t, "seed_years", m.last_seed_year, scenario);
    }
  }
}

std::string describe(const Moment& m) {
  char month[8];
  switch (m.kind) {
    case MomentKind::unicorns:
      std::snprintf(month, sizeof month, "%02d", m.month);
      return std::string(m.definition == 0 ? "unicorns " : "unicorns (age-capped) ") + m.region +
             " " + std::to_string(m.year) + "-" + month;
    case MomentKind::new_unicorns:
      return std::string(m.definition == 0 ? "new unicorns " : "new unicorns (age-capped) ") +
             m.region + " " + std::to_string(m.year);
    case MomentKind::funnel:
    case MomentKind::median_months:
      return std::string(m.kind == MomentKind::funnel ? "funnel " : "median months ") + m.region +
             " " + m.outcome + ", seed " + std::to_string(m.first_seed_year) + "-" +
             std::to_string(m.last_seed_year);
    case MomentKind::deal_value:
      return "deal value USD bn " + m.region + " " + std::to_string(m.year);
    case MomentKind::fund_tvpi:
      return "mean net TVPI of liquidated funds";
  }
  return "";
}

double target_z(const Target& t, double simulated_mean) {
  if (!t.band_low) return (simulated_mean - t.observed) / t.se;
  if (simulated_mean < *t.band_low) return (simulated_mean - *t.band_low) / t.se;
  if (simulated_mean > *t.band_high) return (simulated_mean - *t.band_high) / t.se;
  return std::isnan(simulated_mean) ? simulated_mean : 0.0;
}

}  // namespace vcsim
