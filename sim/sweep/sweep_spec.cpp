#include "sweep/sweep_spec.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "scenario/reader.hpp"

namespace vcsim {
namespace {

// Collects every problem of the section, each "FILE:LINE: KEY: text", so one attempt
// lists them all.
class Problems {
 public:
  explicit Problems(std::string path) : path_(std::move(path)) {}

  std::string where(const toml::node& node) const {
    return path_ + ":" + std::to_string(node.source().begin.line);
  }
  void add(const toml::node& node, const std::string& key, const std::string& text) {
    if (!messages_.empty()) messages_ += '\n';
    messages_ += where(node);
    messages_ += ": ";
    messages_ += key;
    messages_ += ": ";
    messages_ += text;
  }
  void throw_if_any() const {
    if (!messages_.empty()) throw SweepError(messages_);
  }

 private:
  std::string path_;
  std::string messages_;
};

bool is_integral(const toml::node& n) { return n.is_integer(); }

double number_of(const toml::node& n) {
  return n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
}

void read_list(const toml::array& list, const std::string& key, Problems& problems,
               SweepParameter& p) {
  if (list.empty()) {
    problems.add(list, key, "expected a non-empty list of numbers");
    return;
  }
  p.integer = true;
  for (const toml::node& v : list) {
    if (!v.is_number() || !std::isfinite(number_of(v))) {
      problems.add(v, key, "expected a list of finite numbers");
      p.values.clear();
      return;
    }
    p.integer = p.integer && is_integral(v);
    p.values.push_back(number_of(v));
  }
}

void read_range(const toml::table& range, const std::string& key, DesignKind design,
                Problems& problems, SweepParameter& p) {
  bool ok = true;
  for (const auto& [name, value] : range) {
    const std::string k(name.str());
    if (k != "min" && k != "max" && k != "steps") {
      problems.add(value, key + "." + k, "unknown key; expected min, max or steps");
      ok = false;
    }
  }
  const toml::node* lo = range.get("min");
  const toml::node* hi = range.get("max");
  for (const auto& [name, bound] : {std::pair{"min", lo}, std::pair{"max", hi}}) {
    if (bound == nullptr) {
      problems.add(range, key + "." + name, "expected a number (required in a range)");
      ok = false;
    } else if (!bound->is_number() || !std::isfinite(number_of(*bound))) {
      problems.add(*bound, key + "." + name, "expected a finite number");
      ok = false;
    }
  }
  const toml::node* steps = range.get("steps");
  if (design == DesignKind::grid) {
    if (steps == nullptr || !steps->is_integer() || steps->as_integer()->get() < 2 ||
        steps->as_integer()->get() > 100000) {
      problems.add(steps ? *steps : static_cast<const toml::node&>(range), key + ".steps",
                   "expected an integer in [2, 100000]: a grid range needs its number of values");
      ok = false;
    } else {
      p.steps = static_cast<int>(steps->as_integer()->get());
    }
  } else if (steps != nullptr) {
    problems.add(*steps, key + ".steps",
                 std::string("expected no steps: a ") + design_name(design) +
                     " design samples the range, only a grid steps through it");
    ok = false;
  }
  if (!ok) return;
  p.min = number_of(*lo);
  p.max = number_of(*hi);
  p.integer = is_integral(*lo) && is_integral(*hi);
  if (!(p.min < p.max))
    problems.add(range, key,
                 "expected min < max, got an empty range [" + std::to_string(p.min) + ", " +
                     std::to_string(p.max) + "]");
}

bool is_range_table(const toml::table& t) {
  return t.contains("min") || t.contains("max") || t.contains("steps");
}

// A parameter's entry is a list or a range; any other table continues the dotted path,
// so `market.ipo_rate = [...]` and `"market.ipo_rate" = [...]` mean the same.
void read_parameters(const toml::table& table, const std::string& prefix, DesignKind design,
                     Problems& problems, std::vector<SweepParameter>& out) {
  for (const auto& [name, value] : table) {
    const std::string path =
        prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    const std::string key = "sweep.parameters." + path;
    SweepParameter p;
    p.path = path;
    p.where = problems.where(value);
    if (const toml::array* list = value.as_array()) {
      read_list(*list, key, problems, p);
    } else if (const toml::table* t = value.as_table(); t && is_range_table(*t)) {
      read_range(*t, key, design, problems, p);
    } else if (t != nullptr) {
      read_parameters(*t, path, design, problems, out);
      continue;
    } else {
      problems.add(value, key, "expected a list of values or a range { min = a, max = b }");
      continue;
    }
    for (const auto& other : out)
      if (other.path == p.path) problems.add(value, key, "expected each parameter once");
    out.push_back(std::move(p));
  }
}

std::optional<DesignKind> design_of(std::string_view name) {
  for (DesignKind k : {DesignKind::grid, DesignKind::lhs, DesignKind::sobol, DesignKind::saltelli})
    if (name == design_name(k)) return k;
  return std::nullopt;
}

std::optional<std::int64_t> integer_in(const toml::node* n, const std::string& key, std::int64_t lo,
                                       std::int64_t hi, Problems& problems) {
  if (n == nullptr) return std::nullopt;
  if (!n->is_integer() || n->as_integer()->get() < lo || n->as_integer()->get() > hi) {
    problems.add(*n, key,
                 "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return std::nullopt;
  }
  return n->as_integer()->get();
}

void check_dimensions(const SweepSpec& spec, const toml::node& where, Problems& problems) {
  const std::size_t k = spec.parameters.size();
  if (spec.design == DesignKind::sobol && k > kMaxSobolDimensions)
    problems.add(where, "sweep.parameters",
                 "expected at most " + std::to_string(kMaxSobolDimensions) +
                     " parameters for a sobol design, got " + std::to_string(k));
  if (spec.design == DesignKind::saltelli && 2 * k > kMaxSobolDimensions)
    problems.add(where, "sweep.parameters",
                 "expected at most " + std::to_string(kMaxSobolDimensions / 2) +
                     " parameters for a saltelli design, got " + std::to_string(k));
}

SweepSpec read_section(const toml::table& sweep, const std::string& path, Problems& problems) {
  SweepSpec spec;
  for (const auto& [name, value] : sweep) {
    const std::string k(name.str());
    if (k != "design" && k != "points" && k != "replications" && k != "seed" && k != "parameters")
      problems.add(value, "sweep." + k,
                   "unknown key; expected design, points, replications, seed or parameters");
  }
  if (const toml::node* d = sweep.get("design")) {
    const auto kind = d->is_string() ? design_of(d->as_string()->get()) : std::nullopt;
    if (kind)
      spec.design = *kind;
    else
      problems.add(*d, "sweep.design",
                   "expected one of \"grid\", \"lhs\", \"sobol\", \"saltelli\"");
  }
  const toml::node* points = sweep.get("points");
  if (spec.design == DesignKind::grid) {
    if (points != nullptr)
      problems.add(*points, "sweep.points",
                   "expected no points for a grid design: its size is the product of the "
                   "parameters' value counts");
  } else if (points == nullptr) {
    problems.add(sweep, "sweep.points",
                 std::string("expected an integer >= 1 (required by a ") +
                     design_name(spec.design) + " design)");
  } else if (auto n = integer_in(points, "sweep.points", 1, 1'000'000'000, problems)) {
    spec.points = static_cast<std::uint64_t>(*n);
  }
  if (auto r = integer_in(sweep.get("replications"), "sweep.replications", 1, 100000, problems))
    spec.replications = static_cast<int>(*r);
  if (auto s = integer_in(sweep.get("seed"), "sweep.seed", 0,
                          std::numeric_limits<std::uint32_t>::max(), problems))
    spec.seed = static_cast<std::uint32_t>(*s);
  const toml::node* parameters = sweep.get("parameters");
  if (parameters == nullptr || !parameters->is_table() || parameters->as_table()->empty()) {
    problems.add(parameters ? *parameters : static_cast<const toml::node&>(sweep),
                 "sweep.parameters",
                 "expected a table of \"dotted.path\" = [values] or { min = a, max = b }, "
                 "with at least one parameter");
    return spec;
  }
  read_parameters(*parameters->as_table(), "", spec.design, problems, spec.parameters);
  check_dimensions(spec, *parameters, problems);
  (void)path;
  return spec;
}

}  // namespace

const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::lhs:
      return "lhs";
    case DesignKind::sobol:
      return "sobol";
    case DesignKind::saltelli:
      return "saltelli";
  }
  return "?";
}

std::optional<SweepSpec> parse_sweep_spec(const std::string& text, const std::string& path) {
  toml::table doc;
  try {
    check_toml_characters(text, path);
  } catch (const ScenarioError& e) {
    throw SweepError(e.what());
  }
  try {
    doc = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw SweepError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                     std::string(e.description()));
  }
  const toml::node* sweep = doc.get("sweep");
  if (sweep == nullptr) return std::nullopt;
  Problems problems(path);
  if (!sweep->is_table()) {
    problems.add(*sweep, "sweep", "expected a table [sweep]");
    problems.throw_if_any();
  }
  SweepSpec spec = read_section(*sweep->as_table(), path, problems);
  problems.throw_if_any();
  return spec;
}

std::optional<SweepSpec> read_sweep_spec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SweepError(path + ": expected a readable scenario file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sweep_spec(text.str(), path);
}

}  // namespace vcsim
