#include "calibrate/parameters.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

namespace vcsim {
namespace {

toml::node* find_node(toml::table& doc, const std::string& key) {
  toml::node* node = &doc;
  for (const auto& part : split_dotted_key(key)) {
    if (node == nullptr || !node->is_table()) return nullptr;
    node = node->as_table()->get(part);
  }
  return node;
}

double as_double(const toml::node& n) {
  return n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
}

bool all_numbers(const toml::node& n) {
  if (n.is_number()) return true;
  if (const toml::array* a = n.as_array())
    return !a->empty() &&
           std::all_of(a->begin(), a->end(), [](const toml::node& e) { return e.is_number(); });
  if (const toml::table* t = n.as_table())
    return !t->empty() &&
           std::all_of(t->begin(), t->end(), [](const auto& kv) { return kv.second.is_number(); });
  return false;
}

// Multiplies every number of an array or table by `factor`, as floats: a scaled value is
// not integral.
void scale_numbers(toml::node& n, double factor) {
  if (toml::array* a = n.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i)
      a->replace(a->begin() + static_cast<std::ptrdiff_t>(i), as_double((*a)[i]) * factor);
  } else if (toml::table* t = n.as_table()) {
    for (auto&& [k, v] : *t) t->insert_or_assign(k, as_double(v) * factor);
  }
}

std::string number_text(double v, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(std::llround(v)));
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  std::string out(buf.data(), res.ptr);
  if (out.find_first_of(".en") == std::string::npos) out += ".0";
  return out;
}

}  // namespace

std::string toml_value_text(const toml::node& n) {
  if (n.is_integer()) return number_text(as_double(n), true);
  if (n.is_floating_point()) return number_text(as_double(n), false);
  std::string out;
  if (const toml::array* a = n.as_array()) {
    for (const auto& e : *a) out += (out.empty() ? "" : ", ") + toml_value_text(e);
    return "[" + out + "]";
  }
  if (const toml::table* t = n.as_table()) {
    for (auto&& [k, v] : *t)
      out += (out.empty() ? "" : ", ") + std::string(k.str()) + " = " + toml_value_text(v);
    return "{ " + out + " }";
  }
  return "";
}

ParameterSpace::ParameterSpace(const Targets& targets, const Scenario& base)
    : parameters_(targets.parameters), targets_path_(targets.path) {
  try {
    base_ = toml::parse(base.resolved_text, std::string_view(base.source_path));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(base.source_path + ": the resolved scenario does not read back: " +
                        std::string(e.description()));
  }
  for (const FreeParameter& p : parameters_) {
    auto fail = [&](const std::string& text) {
      throw ScenarioError(targets_path_ + ":" + std::to_string(p.line) + ": parameters." + p.name +
                          ".path: " + text);
    };
    Location loc;
    loc.key = p.path;
    const std::size_t bracket = p.path.find('[');
    if (bracket != std::string::npos) {
      loc.key = p.path.substr(0, bracket);
      int index = -1;
      const char* first = p.path.data() + bracket + 1;
      const char* last = p.path.data() + p.path.size() - 1;
      const auto res = std::from_chars(first, last, index);
      if (p.path.back() != ']' || res.ptr != last || res.ec != std::errc() || index < 0)
        fail("expected KEY or KEY[INDEX] with INDEX an integer >= 0, got \"" + p.path + "\"");
      loc.index = index;
    }
    for (std::size_t k = 0; k < locations_.size(); ++k) {
      const Location& other = locations_[k];
      const bool overlap =
          other.key == loc.key && (other.index == loc.index || other.index < 0 || loc.index < 0 ||
                                   parameters_[k].scale || p.scale);
      if (overlap)
        fail("expected a value no other parameter sets; parameters." + parameters_[k].name +
             " sets " + parameters_[k].path);
    }
    const toml::node* node = find_node(base_, loc.key);
    if (node == nullptr)
      fail("expected a path into the scenario " + base.source_path + ", which has no value at " +
           loc.key);
    double value = 1.0;
    if (p.scale) {
      if (loc.index >= 0 || !all_numbers(*node))
        fail("expected a number, an array or a year table of numbers to scale at " + p.path);
    } else if (loc.index >= 0) {
      const toml::array* a = node->as_array();
      if (a == nullptr || static_cast<std::size_t>(loc.index) >= a->size() ||
          !(*a)[static_cast<std::size_t>(loc.index)].is_number())
        fail("expected an array of numbers with an element " + std::to_string(loc.index) + " at " +
             loc.key);
      value = as_double((*a)[static_cast<std::size_t>(loc.index)]);
      loc.integer = (*a)[static_cast<std::size_t>(loc.index)].is_integer();
    } else {
      if (!node->is_number())
        fail("expected a number at " + loc.key +
             (node->is_table() || node->is_array()
                  ? " (it holds a table or array: set scale = true, or name one element as KEY[i])"
                  : ""));
      value = as_double(*node);
      loc.integer = node->is_integer();
    }
    locations_.push_back(loc);
    scenario_values_.push_back(value);
  }
}

std::vector<double> ParameterSpace::start() const {
  std::vector<double> out;
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    const FreeParameter& p = parameters_[k];
    out.push_back(std::clamp(p.start.value_or(scenario_values_[k]), p.lower, p.upper));
  }
  return out;
}

Eigen::VectorXd ParameterSpace::to_unit(const std::vector<double>& values) const {
  Eigen::VectorXd x(static_cast<Eigen::Index>(size()));
  for (std::size_t k = 0; k < size(); ++k) {
    const FreeParameter& p = parameters_[k];
    x(static_cast<Eigen::Index>(k)) = (values[k] - p.lower) / (p.upper - p.lower);
  }
  return x;
}

std::vector<double> ParameterSpace::from_unit(const Eigen::VectorXd& unit) const {
  std::vector<double> out;
  for (std::size_t k = 0; k < size(); ++k) {
    const FreeParameter& p = parameters_[k];
    const double x = std::clamp(unit(static_cast<Eigen::Index>(k)), 0.0, 1.0);
    double v = p.lower + x * (p.upper - p.lower);
    if (locations_[k].integer && !p.scale)
      v = std::clamp(std::round(v), std::ceil(p.lower), std::floor(p.upper));
    out.push_back(v);
  }
  return out;
}

std::vector<Override> ParameterSpace::overrides(const std::vector<double>& values) const {
  toml::table doc = base_;
  std::vector<std::string> keys;
  std::vector<std::string> origins;
  for (std::size_t k = 0; k < size(); ++k) {
    const FreeParameter& p = parameters_[k];
    const Location& loc = locations_[k];
    toml::node* node = find_node(doc, loc.key);
    const std::size_t dot = loc.key.rfind('.');
    toml::table* parent =
        dot == std::string::npos ? &doc : find_node(doc, loc.key.substr(0, dot))->as_table();
    const std::string last = dot == std::string::npos ? loc.key : loc.key.substr(dot + 1);
    if (p.scale && node->is_number()) {
      parent->insert_or_assign(last, as_double(*node) * values[k]);
    } else if (p.scale) {
      scale_numbers(*node, values[k]);
    } else if (loc.index >= 0) {
      toml::array* a = node->as_array();
      const auto at = a->begin() + loc.index;
      if (loc.integer)
        a->replace(at, static_cast<std::int64_t>(std::llround(values[k])));
      else
        a->replace(at, values[k]);
    } else if (loc.integer) {
      parent->insert_or_assign(last, static_cast<std::int64_t>(std::llround(values[k])));
    } else {
      parent->insert_or_assign(last, values[k]);
    }
    // The override sets the whole value a file including the scenario would replace
    // (the fitted scenario is such a file): one year of a time series, say, would
    // otherwise replace the series with that year alone.
    const std::string key = include_value_key(loc.key);
    const std::string origin =
        targets_path_ + ":" + std::to_string(p.line) + ": parameters." + p.name;
    const auto known = std::find(keys.begin(), keys.end(), key);
    if (known == keys.end()) {
      keys.push_back(key);
      origins.push_back(origin);
    } else {
      origins[static_cast<std::size_t>(known - keys.begin())] += ", " + origin;
    }
  }
  std::vector<Override> out;
  for (std::size_t i = 0; i < keys.size(); ++i)
    out.push_back({keys[i], toml_value_text(*find_node(doc, keys[i])), origins[i]});
  return out;
}

}  // namespace vcsim
