#pragma once
// The teaching presets: the scenario files of one folder (scenarios/teaching/*.toml),
// known by name. A request names a preset, never a path, so nothing a request sends can
// make the server read another file.
#include <string>
#include <vector>

namespace vcsim::serve {

struct Preset {
  std::string name;         // the file's stem, e.g. "national_fund_2025"
  std::string path;         // the file
  std::string title;        // the first line of its header comment
  std::string description;  // the rest of the header comment, paragraphs kept
};

// Every *.toml directly in `folder` whose stem is a bare name ([a-z0-9_]), sorted by
// name. Throws std::runtime_error naming the folder when it cannot be read or holds none.
std::vector<Preset> find_presets(const std::string& folder);

// The preset called `name`, or nullptr.
const Preset* find_preset(const std::vector<Preset>& presets, const std::string& name);

}  // namespace vcsim::serve
