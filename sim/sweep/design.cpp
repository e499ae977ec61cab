#include "sweep/design.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "rng/streams.hpp"
#include "sweep/sobol_sequence.hpp"

namespace vcsim {
namespace {

std::uint64_t saturating_multiply(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
    return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

std::size_t value_count(const SweepParameter& p) {
  return p.is_range() ? static_cast<std::size_t>(p.steps) : p.values.size();
}

// The grid's values of one parameter: the list, or `steps` evenly spaced values.
double grid_value(const SweepParameter& p, std::size_t i) {
  if (!p.is_range()) return p.values[i];
  const double t = static_cast<double>(i) / static_cast<double>(p.steps - 1);
  const double v = i + 1 == static_cast<std::size_t>(p.steps) ? p.max : p.min + t * (p.max - p.min);
  return p.integer ? std::round(v) : v;
}

double from_unit(const SweepParameter& p, double u) {
  if (!p.is_range()) {
    const auto n = p.values.size();
    return p.values[std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
  }
  if (p.integer) return std::min(p.max, std::floor(p.min + u * (p.max - p.min + 1)));
  return p.min + u * (p.max - p.min);
}

void fill_grid(const SweepSpec& spec, Design& d) {
  const std::size_t k = spec.parameters.size();
  std::vector<std::size_t> index(k, 0);
  for (std::size_t point = 0; point < d.points; ++point) {
    for (std::size_t j = 0; j < k; ++j)
      d.values.push_back(grid_value(spec.parameters[j], index[j]));
    for (std::size_t j = k; j-- > 0;) {  // the last parameter varies fastest
      if (++index[j] < value_count(spec.parameters[j])) break;
      index[j] = 0;
    }
  }
}

void fill_lhs(const SweepSpec& spec, std::uint32_t seed, Design& d) {
  const std::size_t k = spec.parameters.size(), n = d.points;
  d.values.assign(n * k, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    // One stream per parameter: adding a parameter leaves the others' columns alone.
    Stream stream(seed, 0, Purpose::sweep_design, 0, static_cast<std::uint32_t>(j), 0, 0);
    std::vector<std::size_t> strata(n);
    for (std::size_t i = 0; i < n; ++i) strata[i] = i;
    for (std::size_t i = n; i-- > 1;) {  // Fisher-Yates
      const auto pick = static_cast<std::size_t>(stream.uniform() * static_cast<double>(i + 1));
      std::swap(strata[i], strata[std::min(pick, i)]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(strata[i]) + stream.uniform()) / static_cast<double>(n);
      d.values[i * k + j] = from_unit(spec.parameters[j], u);
    }
  }
}

void fill_sobol(const SweepSpec& spec, Design& d) {
  const std::size_t k = spec.parameters.size();
  SobolSequence sobol(k);
  for (std::size_t i = 0; i < d.points; ++i) {
    const auto u = sobol.point(i);
    for (std::size_t j = 0; j < k; ++j) d.values.push_back(from_unit(spec.parameters[j], u[j]));
  }
}

void fill_saltelli(const SweepSpec& spec, Design& d) {
  const std::size_t k = spec.parameters.size();
  SobolSequence sobol(2 * k);
  for (std::uint64_t j = 0; j < d.base_points; ++j) {
    const auto u = sobol.point(j);
    for (std::size_t role = 0; role <= k + 1; ++role) {
      for (std::size_t c = 0; c < k; ++c) {
        // A takes columns 0..k-1, B columns k..2k-1; AB_i is A with column i of B.
        const bool from_b = role == k + 1 || role == c + 1;
        d.values.push_back(from_unit(spec.parameters[c], u[from_b ? k + c : c]));
      }
      d.role.push_back(static_cast<std::int32_t>(role));
      d.sample.push_back(static_cast<std::int32_t>(j));
    }
  }
}

}  // namespace

std::uint64_t design_size(const SweepSpec& spec) {
  switch (spec.design) {
    case DesignKind::grid: {
      std::uint64_t n = 1;
      for (const auto& p : spec.parameters) n = saturating_multiply(n, value_count(p));
      return n;
    }
    case DesignKind::lhs:
    case DesignKind::sobol:
      return spec.points;
    case DesignKind::saltelli:
      return saturating_multiply(spec.points, spec.parameters.size() + 2);
  }
  return 0;
}

Design make_design(const SweepSpec& spec, std::uint32_t seed) {
  Design d;
  d.kind = spec.design;
  for (const auto& p : spec.parameters) {
    d.parameters.push_back(p.path);
    d.integer.push_back(p.integer);
  }
  const std::uint64_t size = design_size(spec);
  if (size > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("sweep design of " + std::to_string(size) + " points is too large");
  d.points = static_cast<std::size_t>(size);
  d.base_points = spec.design == DesignKind::grid ? size : spec.points;
  d.values.reserve(d.points * d.parameters.size());
  switch (spec.design) {
    case DesignKind::grid:
      fill_grid(spec, d);
      break;
    case DesignKind::lhs:
      fill_lhs(spec, seed, d);
      break;
    case DesignKind::sobol:
      fill_sobol(spec, d);
      break;
    case DesignKind::saltelli:
      fill_saltelli(spec, d);
      break;
  }
  return d;
}

std::string value_text(double value, bool integer) {
  if (integer) return std::to_string(static_cast<long long>(value));
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  // TOML needs a '.' or an exponent to read a float as a float.
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::vector<Override> point_overrides(const Design& design, std::size_t point,
                                      const std::vector<std::string>& origins) {
  std::vector<Override> out;
  for (std::size_t j = 0; j < design.parameters.size(); ++j)
    out.push_back(
        {design.parameters[j], value_text(design.value(point, j), design.integer[j]), origins[j]});
  return out;
}

}  // namespace vcsim
