#include "serve/run_events.hpp"

#include <algorithm>

#include "model/world.hpp"
#include "record/recorder.hpp"
#include "serve/levers.hpp"

namespace vcsim::serve {

namespace {

constexpr int kFlowYears = 10;  // the Sankey shows the trailing decade

int index_of_policy_fund(const Scenario& s) {
  for (std::size_t g = 0; g < s.guidance_funds.size(); ++g)
    if (s.guidance_funds[g].name == "policy") return static_cast<int>(g);
  return -1;
}

std::size_t measure(std::string_view name) {
  const auto it = std::find(kGuidanceMeasureNames.begin(), kGuidanceMeasureNames.end(), name);
  return static_cast<std::size_t>(it - kGuidanceMeasureNames.begin());
}

// Money on its way into startups: LPs and guidance funds into VC funds, and funds,
// co-investors, guidance funds (direct stakes) and grants into a sector's startups.
// Returns to investors (exit proceeds, distributions, buy-outs) are left out, so the
// diagram has no cycles.
bool investment_flow(const FlowNodes& n, int regions, int sectors, int source, int target) {
  const auto in = [](int node, int begin, int count) {
    return node >= begin && node < begin + count;
  };
  const bool target_is_fund = in(target, n.private_funds(0), 2 * regions);
  const bool target_is_startups = in(target, n.startups(0), sectors);
  const bool source_is_investor =
      in(source, n.private_lps(0), regions) || source >= n.guidance_fund(0);
  const bool source_is_backer = in(source, n.private_funds(0), 2 * regions) ||
                                source == n.coinvestors() || source == n.grant_agencies() ||
                                source >= n.guidance_fund(0);
  return (target_is_fund && source_is_investor) || (target_is_startups && source_is_backer);
}

nlohmann::json flows_of_trailing_decade(const World& w, int year) {
  const FlowNodes& nodes = w.recorder.nodes();
  const auto& flows = w.recorder.current().capital_flows;
  const int count = static_cast<int>(nodes.names().size());
  nlohmann::json links = nlohmann::json::array();
  for (int from = 0; from < count; ++from)
    for (int to = 0; to < count; ++to) {
      if (!investment_flow(nodes, w.region_count(), w.sector_count(), from, to)) continue;
      double amount = 0;
      for (int y = std::max(0, year - kFlowYears + 1); y <= year; ++y) amount += flows(y, from, to);
      if (amount > 0) links.push_back({from, to, amount});
    }
  return links;
}

}  // namespace

nlohmann::json year_event(const World& w, const std::string& side) {
  const ReplicationResult& r = w.recorder.current();
  const int month = w.month, year = month / 12;
  const auto& unicorns = r.unicorns[0].active;  // the "all" definition
  std::vector<int> by_region(static_cast<std::size_t>(w.region_count()), 0);
  std::vector<int> by_sector(static_cast<std::size_t>(w.sector_count()), 0);
  for (int region = 0; region < w.region_count(); ++region)
    for (int sector = 0; sector < w.sector_count(); ++sector) {
      const int n = unicorns(month, region, sector);
      by_region[static_cast<std::size_t>(region)] += n;
      by_sector[static_cast<std::size_t>(sector)] += n;
    }
  nlohmann::json event{{"type", "year"},
                       {"side", side},
                       {"year", w.scenario.start_year + year},
                       {"unicorns_by_region", by_region},
                       {"unicorns_by_sector", by_sector},
                       {"flows", flows_of_trailing_decade(w, year)}};
  const int g = index_of_policy_fund(w.scenario);
  if (g >= 0) {
    const auto at = [&](std::string_view m) { return r.guidance(year, g, measure(m)); };
    event["policy_fund"] = {{"offered", at("offered")},
                            {"committed", at("committed")},
                            {"drawn", at("drawn")},
                            {"undrawn", at("undrawn")},
                            {"direct_invested", at("direct_invested")},
                            {"private_mobilised", at("private_mobilised")}};
  } else {
    event["policy_fund"] = nullptr;
  }
  return event;
}

nlohmann::json start_event(const Scenario& s, const std::string& preset) {
  nlohmann::json regions = nlohmann::json::array(), sectors = nlohmann::json::array();
  for (const auto& r : s.regions) regions.push_back(r.name);
  for (const auto& x : s.sectors) sectors.push_back(x.name);
  return {{"type", "start"},
          {"preset", preset},
          {"start_year", s.start_year},
          {"end_year", s.end_year},
          {"seed", s.seed},
          {"regions", regions},
          {"sectors", sectors},
          {"flow_nodes", FlowNodes(s).names()}};
}

std::string sse(const nlohmann::json& event) { return "data: " + event.dump() + "\n\n"; }

}  // namespace vcsim::serve
