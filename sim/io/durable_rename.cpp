#include "io/durable_rename.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace vcsim {
namespace {

void sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(path + ": cannot open to flush: " + std::strerror(errno));
  const bool ok = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) throw std::runtime_error(path + ": cannot flush to disk: " + std::strerror(error));
}

}  // namespace

void rename_durably(const std::string& temporary, const std::string& path) {
  sync_path(temporary);
  std::filesystem::rename(temporary, path);
  const auto folder = std::filesystem::absolute(path).parent_path();
  sync_path(folder.string());
}

}  // namespace vcsim
