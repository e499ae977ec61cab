#include "serve/levers.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace vcsim::serve {

namespace {

// The most state money (USD m of the teaching world) a request may ask for: five times
// China's 2015 guidance fund wave in that world. The reader accepts any positive size;
// the bound keeps one request from occupying the server for minutes.
constexpr double kMaxFundSize = 50000;

std::string key_of(const Lever& lever) { return lever.scenario_key; }

[[noreturn]] void refuse(const Lever& lever, const std::string& expected, const std::string& got) {
  throw LeverError(std::string(lever.name) + " (" + lever.scenario_key + "): expected " + expected +
                   ", got \"" + got + "\"");
}

double parse_number(const Lever& lever, const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value))
    refuse(lever, "a number", text);
  return value;
}

std::int64_t parse_integer(const Lever& lever, const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) refuse(lever, "an integer", text);
  return value;
}

// Shortest text that reads back as the same double, so the scenario gets exactly the
// value the request sent.
std::string number_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// "ai,semiconductors" -> "{ ai = 1, semiconductors = 1 }". Names are checked to be bare
// TOML keys here, so no request can add other TOML; the reader checks they are sectors.
std::string sector_table(const Lever& lever, const std::string& text) {
  std::string table = "{";
  std::size_t begin = 0;
  bool first = true;
  while (begin <= text.size()) {
    std::size_t comma = text.find(',', begin);
    if (comma == std::string::npos) comma = text.size();
    const std::string name = text.substr(begin, comma - begin);
    const bool bare =
        !name.empty() && name.size() <= 64 &&
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
    if (!bare) refuse(lever, "comma-separated sector names such as ai,semiconductors", text);
    table += (first ? " " : ", ") + name + " = 1";
    first = false;
    begin = comma + 1;
  }
  return table + " }";
}

Override make(const Lever& lever, std::string value) {
  return {key_of(lever), std::move(value), std::string("request parameter ") + lever.name};
}

void add_overrides(const Lever& lever, const std::string& text, std::vector<Override>& out) {
  switch (lever.kind) {
    case LeverKind::number: {
      const double value = parse_number(lever, text);
      if (std::string_view(lever.name) == "fund_size") {
        if (value < 0 || value > kMaxFundSize)
          refuse(lever, "a size in [0, " + number_text(kMaxFundSize) + "] (0: no fund)", text);
        // 0 means no guidance fund: the policy is then its own counterfactual.
        out.push_back({std::string(kPolicyFund) + ".enabled", value > 0 ? "true" : "false",
                       "request parameter fund_size"});
        if (value == 0) return;
      }
      out.push_back(make(lever, number_text(value)));
      return;
    }
    case LeverKind::integer:
      out.push_back(make(lever, std::to_string(parse_integer(lever, text))));
      return;
    case LeverKind::boolean:
      if (text != "true" && text != "false") refuse(lever, "true or false", text);
      out.push_back(make(lever, text));
      return;
    case LeverKind::sector_list:
      out.push_back(make(lever, sector_table(lever, text)));
      return;
  }
}

}  // namespace

const std::vector<Lever>& levers() {
  static const std::vector<Lever> all{
      {"fund_size", "guidance_funds.policy.size", LeverKind::number, 0, 30000, 10,
       "Guidance fund size (USD m of state money; 0 = no fund)"},
      {"state_share", "guidance_funds.policy.state_share_max", LeverKind::number, 0.05, 1, 0.05,
       "State share of each sub-fund"},
      {"subfund_life", "guidance_funds.policy.subfund_life", LeverKind::integer, 72, 360, 12,
       "Sub-fund life (months)"},
      {"failure_tolerance", "guidance_funds.policy.failure_tolerance", LeverKind::number, 0, 2, 0.1,
       "Failure tolerance (lower screening bar)"},
      {"reinvest_ratio", "guidance_funds.policy.reinvest_ratio", LeverKind::number, 0, 3, 0.1,
       "Local reinvestment ratio (x the state stake)"},
      {"return_cap", "guidance_funds.policy.return_cap", LeverKind::number, 0, 0.3, 0.01,
       "Cap on the state's return (per year)"},
      {"target_sectors", "guidance_funds.policy.target_sectors", LeverKind::sector_list, 0, 0, 0,
       "Target sectors"},
      {"export_controls", "events.us_chip_export_controls.enabled", LeverKind::boolean, 0, 0, 0,
       "US export controls on chips (from 2022)"},
      {"seed", "run.seed", LeverKind::integer, 0, 4294967295.0, 1,
       "Random seed (same seed: same draws)"},
  };
  return all;
}

std::vector<Override> lever_overrides(const std::map<std::string, std::string>& params) {
  for (const auto& [name, value] : params) {
    if (name == "preset") continue;
    bool known = false;
    for (const Lever& lever : levers()) known = known || name == lever.name;
    if (!known) {
      std::string names = "preset";
      for (const Lever& lever : levers()) names += std::string(", ") + lever.name;
      throw LeverError(name + ": unknown parameter; expected one of " + names);
    }
  }
  std::vector<Override> overrides;
  for (const Lever& lever : levers()) {
    const auto it = params.find(lever.name);
    if (it != params.end()) add_overrides(lever, it->second, overrides);
  }
  return overrides;
}

std::vector<Override> counterfactual_overrides(std::vector<Override> policy) {
  policy.push_back({std::string(kPolicyFund) + ".enabled", "false", "the counterfactual"});
  return policy;
}

}  // namespace vcsim::serve
