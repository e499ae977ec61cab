#pragma once
// The message the scenario reader gives for a document, for tests of its errors.
#include <string>

#include "scenario/reader.hpp"

namespace vcsim::testing {

// The message read_scenario_text throws for `text`, or "" when it reads.
inline std::string error_of(const std::string& text, const std::string& path = "mem.toml") {
  try {
    read_scenario_text(text, path);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace vcsim::testing
