#include "sweep/sweep_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "scenario/reader.hpp"
#include "version.hpp"

namespace vcsim {

Shard parse_shard(const std::string& text, const std::string& origin) {
  const auto slash = text.find('/');
  Shard s{0, 0};
  bool ok = slash != std::string::npos;
  if (ok) {
    const char* end_k = text.data() + slash;
    const char* end = text.data() + text.size();
    const auto k = std::from_chars(text.data(), end_k, s.index);
    const auto n = std::from_chars(end_k + 1, end, s.count);
    ok = k.ec == std::errc() && k.ptr == end_k && n.ec == std::errc() && n.ptr == end &&
         s.count >= 1 && s.index >= 1 && s.index <= s.count;
  }
  if (!ok)
    throw SweepError(origin + ": expected K/N with 1 <= K <= N (e.g. 3/8), got \"" + text + "\"");
  return s;
}

SweepPlan plan_sweep(const std::string& scenario_path, Shard shard, bool allow_large) {
  SweepPlan plan;
  plan.scenario_path = scenario_path;
  plan.base = read_scenario(scenario_path);
  auto spec = read_sweep_spec(scenario_path);
  if (!spec)
    throw SweepError(scenario_path +
                     ": sweep: expected a [sweep] section with the parameters to vary");
  plan.spec = *spec;
  const std::uint64_t size = design_size(plan.spec);
  if (size > kPointLimit && !allow_large)
    throw SweepError(scenario_path + ": sweep: the design has " + std::to_string(size) +
                     " points, more than the limit of " + std::to_string(kPointLimit) +
                     "; pass --yes to run it anyway");
  plan.replications = plan.spec.replications.value_or(plan.base.replications);
  plan.base.replications = plan.replications;
  plan.design_seed = plan.spec.seed.value_or(plan.base.seed);
  plan.design = make_design(plan.spec, plan.design_seed);
  plan.shard = shard;
  for (std::size_t p = static_cast<std::size_t>(shard.index - 1); p < plan.design.points;
       p += static_cast<std::size_t>(shard.count))
    plan.points.push_back(p);
  for (const auto& parameter : plan.spec.parameters) plan.origins.push_back(parameter.where);
  return plan;
}

Scenario point_scenario(const SweepPlan& plan, std::size_t point) {
  Scenario s = read_scenario(plan.scenario_path, point_overrides(plan.design, point, plan.origins));
  s.replications = plan.replications;
  return s;
}

void check_parameters(const SweepPlan& plan) {
  const Design& d = plan.design;
  if (d.points == 0) return;
  (void)point_scenario(plan, 0);
  const std::size_t k = d.parameters.size();
  for (std::size_t j = 0; j < k; ++j) {
    std::size_t lowest = 0, highest = 0;
    for (std::size_t p = 1; p < d.points; ++p) {
      if (d.value(p, j) < d.value(lowest, j)) lowest = p;
      if (d.value(p, j) > d.value(highest, j)) highest = p;
    }
    for (std::size_t p : {lowest, highest}) {
      auto overrides = point_overrides(d, 0, plan.origins);
      overrides[j] = point_overrides(d, p, plan.origins)[j];
      (void)read_scenario(plan.scenario_path, overrides);
    }
  }
}

std::string sweep_fingerprint(const SweepPlan& plan) {
  // FNV-1a, 64 bits: a guard against resuming another sweep's folder, not a security
  // measure.
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](const std::string& text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  mix(kEngineVersion);
  mix(kGitRevision);
  mix(plan.base.resolved_text);
  mix(design_name(plan.design.kind));
  mix(std::to_string(plan.replications));
  mix(std::to_string(plan.design.points));
  mix(plan.shard.text());
  for (const auto& name : plan.design.parameters) mix(name);
  for (std::size_t i = 0; i < plan.design.values.size(); ++i)
    mix(value_text(plan.design.values[i], false));
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

}  // namespace vcsim
