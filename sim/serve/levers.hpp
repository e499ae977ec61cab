#pragma once
// The levers of the teaching page (`vcsim serve`): request parameters that become
// scenario overrides of a preset's guidance fund `policy` and of its events. The scenario
// reader validates the values it knows (type and range, naming the scenario key); the
// levers add only what the page needs and the reader cannot know: the text form of a
// request parameter, a bound on the money a request may ask the server to simulate, and
// the rule that a fund size of 0 means no fund.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/reader.hpp"

namespace vcsim::serve {

// The guidance fund a teaching preset's levers act on, and the event the export-control
// switch turns on or off (scenarios/teaching/*.toml).
inline constexpr const char* kPolicyFund = "guidance_funds.policy";
inline constexpr const char* kExportControls = "events.us_chip_export_controls";

// A request the server refuses with 400; what() names the parameter and says what was
// expected.
struct LeverError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

enum class LeverKind { number, integer, boolean, sector_list };

struct Lever {
  const char* name;          // request parameter
  const char* scenario_key;  // what it overrides
  LeverKind kind;
  double page_min, page_max, page_step;  // the page's slider (numbers only)
  const char* label;                     // what the page shows
};

// Every lever, in the page's order.
const std::vector<Lever>& levers();

// Request parameters (name -> text) to scenario overrides, in a fixed order whatever the
// request's order. `preset` and unknown names are not levers: the caller handles the
// first, and an unknown name is a LeverError.
std::vector<Override> lever_overrides(const std::map<std::string, std::string>& params);

// The overrides of the counterfactual: the same levers with the policy fund switched off.
std::vector<Override> counterfactual_overrides(std::vector<Override> policy);

}  // namespace vcsim::serve
