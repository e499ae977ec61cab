#include "serve/presets.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace vcsim::serve {

namespace {

bool bare_name(const std::string& name) {
  return !name.empty() &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
}

// The leading comment block: its first line is the title; blank comment lines separate
// paragraphs of the description.
void read_header(Preset& preset) {
  std::ifstream in(preset.path);
  std::string line;
  bool first = true;
  while (std::getline(in, line) && line.starts_with('#')) {
    std::string text = line.substr(1);
    if (text.starts_with(' ')) text.erase(0, 1);
    if (first) {
      preset.title = text;
      first = false;
    } else if (text.empty()) {
      preset.description += "\n\n";
    } else {
      if (!preset.description.empty() && !preset.description.ends_with('\n'))
        preset.description += ' ';
      preset.description += text;
    }
  }
  while (preset.description.starts_with('\n')) preset.description.erase(0, 1);
}

}  // namespace

std::vector<Preset> find_presets(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<Preset> presets;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file() || p.extension() != ".toml") continue;
    Preset preset{p.stem().string(), p.string(), "", ""};
    if (!bare_name(preset.name)) continue;
    read_header(preset);
    presets.push_back(std::move(preset));
  }
  if (ec) throw std::runtime_error(folder + ": cannot read the presets folder: " + ec.message());
  if (presets.empty())
    throw std::runtime_error(folder + ": expected teaching presets (*.toml), found none");
  std::sort(presets.begin(), presets.end(),
            [](const Preset& a, const Preset& b) { return a.name < b.name; });
  return presets;
}

const Preset* find_preset(const std::vector<Preset>& presets, const std::string& name) {
  for (const Preset& p : presets)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace vcsim::serve
