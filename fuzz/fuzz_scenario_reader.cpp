// libFuzzer target for the scenario reader: any text must either read into a Scenario
// or be refused with a ScenarioError; a crash, a sanitizer report, another exception
// type, a hang or runaway memory is a bug. Built by fuzz/CMakeLists.txt with clang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scenario/reader.hpp"

namespace {

// Includes resolve next to the input's name: in VCSIM_FUZZ_INCLUDE_DIR (the scenario
// library, so that `include = "baseline.toml"` reaches deep validation), or else in a
// folder that does not exist, where only absolute paths reach real files.
std::string input_name() {
  const char* folder = std::getenv("VCSIM_FUZZ_INCLUDE_DIR");
  return std::string(folder != nullptr ? folder : "/nonexistent-vcsim-fuzz") + "/fuzz_input.toml";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string name = input_name();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    vcsim::read_scenario_text(text, name);
  } catch (const vcsim::ScenarioError&) {
    // Refused with a message: what hostile input should get.
  }
  return 0;
}
