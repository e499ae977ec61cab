#include "io/run_spool.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace vcsim {

namespace {

// errno is 0 when a read found the file shorter than its extents say.
std::runtime_error spool_error(const std::string& path, const std::string& what) {
  const std::string reason = errno != 0 ? std::strerror(errno) : "the file is shorter than written";
  return std::runtime_error(path + ": cannot " + what + " a temporary table of the run (" + reason +
                            ")");
}

std::string spool_path(const std::string& output, const char* table) {
  return output + "." + table + ".tmp." + std::to_string(::getpid());
}

}  // namespace

SpoolFile::SpoolFile(std::string path, std::size_t replications)
    : path_(std::move(path)), extents_(replications) {
  // "x": never truncate a file someone else owns.
  file_ = std::fopen(path_.c_str(), "w+bx");
  if (file_ == nullptr) throw spool_error(path_, "create");
}

SpoolFile::~SpoolFile() {
  std::fclose(file_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void SpoolFile::add(std::size_t replication, const void* data, std::uint64_t bytes,
                    std::uint64_t count) {
  const std::lock_guard lock(mutex_);
  Extent& extent = extents_.at(replication);
  if (extent.added)
    throw std::logic_error(path_ + ": replication " + std::to_string(replication) +
                           " spooled twice");
  if (fseeko(file_, static_cast<off_t>(end_), SEEK_SET) != 0 ||
      (bytes > 0 && std::fwrite(data, 1, bytes, file_) != bytes) || std::fflush(file_) != 0)
    throw spool_error(path_, "write");
  extent = {end_, bytes, count, true};
  end_ += bytes;
}

const SpoolFile::Extent& SpoolFile::added(std::size_t replication) const {
  const Extent& extent = extents_.at(replication);
  if (!extent.added)
    throw std::logic_error(path_ + ": replication " + std::to_string(replication) +
                           " was never spooled");
  return extent;
}

bool SpoolFile::has(std::size_t replication) const {
  const std::lock_guard lock(mutex_);
  return extents_.at(replication).added;
}

std::uint64_t SpoolFile::count(std::size_t replication) const {
  const std::lock_guard lock(mutex_);
  return added(replication).count;
}

void SpoolFile::read(std::size_t replication, void* out) const {
  const std::lock_guard lock(mutex_);
  const Extent& extent = added(replication);
  errno = 0;
  if (fseeko(file_, static_cast<off_t>(extent.offset), SEEK_SET) != 0 ||
      std::fread(out, 1, extent.bytes, file_) != extent.bytes)
    throw spool_error(path_, "read");
}

RunSpool::RunSpool(const std::string& output, std::size_t replications)
    : funds(spool_path(output, "funds"), replications),
      startups(spool_path(output, "startups"), replications),
      investments(spool_path(output, "investments"), replications) {}

void RunSpool::add(std::size_t replication, ReplicationResult& result) {
  funds.add(replication, result.funds);
  startups.add(replication, result.startups);
  investments.add(replication, result.investments);
}

}  // namespace vcsim
