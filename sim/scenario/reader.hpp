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

#include "scenario/scenario.hpp"

namespace vcsim {

// what() is one line per problem found, the first always in the form
// "FILE:LINE: KEY: expected ...", where FILE is the file the offending value was
// written in and KEY its full dotted path (e.g. regions.US.lp_inflow).
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads the file, resolves its includes and validates every value.
Scenario read_scenario(const std::string& path);

// As read_scenario, for a document held in memory; includes are resolved relative to
// `path_for_messages`, which also names the document in error messages.
Scenario read_scenario_text(const std::string& text, const std::string& path_for_messages);

}  // namespace vcsim
