#pragma once
// Replacing a file so that a crash or a power loss leaves either the old file or the
// new one, whole: never a name that points at data still in the page cache.
#include <string>

namespace vcsim {

// Forces `temporary`'s data to disk, renames it to `path`, then forces the folder's
// entry to disk. Throws std::filesystem::filesystem_error or std::runtime_error.
void rename_durably(const std::string& temporary, const std::string& path);

}  // namespace vcsim
