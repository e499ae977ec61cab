#include "sweep/checkpoint.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/durable_rename.hpp"
#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "sweep/sweep_spec.hpp"

namespace vcsim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "manifest.txt";
constexpr const char* kManifestHeader = "vcsim sweep checkpoint\nfingerprint ";

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A point file is whole when it opens and says what it is; HDF5 writes its superblock
// last on close, so a file cut short by a power loss fails here.
bool readable_point(const fs::path& path) {
  try {
    File file = File::open_read(path.string());
    return read_attribute<std::string>(file.root(), "file_kind") == kRunFileKind;
  } catch (const Hdf5Error&) {
    return false;
  }
}

// "point_000042.h5" -> 42; false for any other name.
bool point_index(const std::string& name, std::size_t& index) {
  constexpr std::string_view prefix = "point_", suffix = ".h5";
  if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(suffix))
    return false;
  const std::string digits =
      name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.find_first_not_of("0123456789") != std::string::npos) return false;
  index = std::stoull(digits);
  return true;
}

}  // namespace

Checkpoint::Checkpoint(const std::string& output, std::string fingerprint)
    : folder_(output + ".points"), fingerprint_(std::move(fingerprint)) {}

std::string Checkpoint::point_path(std::size_t point) const {
  char name[32];
  std::snprintf(name, sizeof name, "point_%06zu.h5", point);
  return (fs::path(folder_) / name).string();
}

void Checkpoint::start(bool resume) const {
  const fs::path manifest = fs::path(folder_) / kManifest;
  const std::string expected = std::string(kManifestHeader) + fingerprint_ + "\n";
  if (fs::exists(folder_)) {
    if (!resume)
      throw SweepError(folder_ +
                       ": holds the finished points of an interrupted sweep; pass --resume to "
                       "continue it, or remove the folder to start again");
    if (read_text(manifest) != expected)
      throw SweepError(folder_ +
                       ": expected the checkpoint of this sweep, but it belongs to another "
                       "(a different scenario, design, replications, shard or vcsim build); "
                       "remove it or choose another output");
    return;
  }
  fs::create_directories(folder_);
  const fs::path temporary = manifest.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary);
    out << expected;
    if (!out.flush()) throw Hdf5Error(temporary.string() + ": cannot write the manifest");
  }
  rename_durably(temporary.string(), manifest.string());
}

std::vector<bool> Checkpoint::finished(std::size_t total) const {
  std::vector<bool> done(total, false);
  if (!fs::exists(folder_)) return done;
  for (const auto& entry : fs::directory_iterator(folder_)) {
    const std::string name = entry.path().filename().string();
    std::size_t index = 0;
    if (name.find(".tmp.") != std::string::npos) {
      fs::remove(entry.path());
    } else if (point_index(name, index) && index < total) {
      if (readable_point(entry.path()))
        done[index] = true;
      else
        fs::remove(entry.path());
    }
  }
  return done;
}

void Checkpoint::remove() const { fs::remove_all(folder_); }

}  // namespace vcsim
