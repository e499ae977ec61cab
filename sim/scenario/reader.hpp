#pragma once
// Reading a scenario file into a validated, immutable Scenario (STYLE.md point 10,
// MODEL.md sections 0, 1 and 8).
//
// Includes: a top-level `include = "other.toml"` (relative to the including file)
// loads the other file first; this file then overrides it. Chains are allowed, cycles
// are errors. Sections (top-level tables, `funds.<kind>`, `sectors.<name>`,
// `regions.<name>`) merge key by key; a parameter value (number, array, year table,
// `sector_mix`, `localities`) is replaced whole, so a child can change one value with a
// dotted key such as `regions.US.lp_inflow = 50000` or add a region or sector. A region's
// births_growth goes with its births: a file that sets births drops the included
// births_growth.
// `name` belongs to the file that is read, not to the files it includes: without its
// own `name` a scenario is named after its file stem.
//
// Regions and sectors are stored in alphabetical (byte) order of their names, the order
// in which TOML tables keep their keys, so indices do not depend on how a file was
// written or which file of an include chain defined them.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"

namespace vcsim {

// what() is one line per problem found, the first always in the form
// "FILE:LINE: KEY: expected ...", where FILE is the file the offending value was
// written in and KEY its full dotted path (e.g. regions.US.lp_inflow).
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One value set by its dotted path after includes are resolved and before validation,
// as `vcsim run --set`, a sweep point, a calibration step or the web demo does. The value
// is TOML text ("0.5", "true", "\"name\"", "[1, 2]") and replaces the value at the path
// whole. Every table on the path must exist in the scenario; the last key need not (a
// default may be overridden), and validation refuses it when the scenario has no such key.
// An integral number given where the scenario has an integer stays an integer.
struct Override {
  std::string key;     // e.g. "guidance_funds.cn_national.state_share_max"
  std::string value;   // TOML value text
  std::string origin;  // names the override in error messages, e.g. "--set"
};

// Reads the file, resolves its includes, applies the overrides in order and validates
// every value.
Scenario read_scenario(const std::string& path, const std::vector<Override>& overrides = {});

// As read_scenario, for a document held in memory; includes are resolved relative to
// `path_for_messages`, which also names the document in error messages.
Scenario read_scenario_text(const std::string& text, const std::string& path_for_messages,
                            const std::vector<Override>& overrides = {});

// Throws ScenarioError naming the file and line of a non-ASCII character outside TOML
// comments and strings. Every TOML text vcsim parses goes through it first: TOML allows
// none there, and toml++ 3.3 reaches undefined behaviour on some of them.
void check_toml_characters(std::string_view text, const std::string& path);

// "a.b.c" as {"a", "b", "c"}: the parts of a dotted key (an empty part stays empty).
std::vector<std::string> split_dotted_key(const std::string& key);

// The part of a dotted key whose value a file that includes another replaces whole: a
// key of a top-level table ("market.threshold") or of a collection's member
// ("regions.US.m" of "regions.US.m.2021"); only the tables above it merge key by key.
std::string include_value_key(const std::string& key);

// Splits "key=value" (the form of `--set`) into an Override; throws ScenarioError naming
// `origin` when there is no '=' or no key.
Override parse_override(const std::string& assignment, const std::string& origin);

}  // namespace vcsim
