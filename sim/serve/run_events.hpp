#pragma once
// The JSON of a teaching run as the page receives it, one server-sent event each:
//   start  labels (years, regions, sectors, flow nodes) and the resolved levers;
//   year   one side's December figures: unicorns by region and by sector, the policy
//          fund's drawn and undrawn money, and the capital flows of the trailing decade;
//   done   both sides' final figures, once both have finished;
//   error  a run that failed.
// Every figure is read from the recorder of the run's World, so the page shows what an
// output file of the same scenario and seed would hold.
#include <nlohmann/json.hpp>
#include <string>

#include "scenario/scenario.hpp"

namespace vcsim {
struct World;
}

namespace vcsim::serve {

// The "year" event of one side at the end of December of `world.month`.
nlohmann::json year_event(const World& world, const std::string& side);

// The "start" event: labels shared by both sides.
nlohmann::json start_event(const Scenario& policy, const std::string& preset);

// One server-sent event: "data: <json>\n\n" (the type is inside the JSON).
std::string sse(const nlohmann::json& event);

}  // namespace vcsim::serve
