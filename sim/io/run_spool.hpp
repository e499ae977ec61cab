#pragma once
// The parts of each replication's result that grow with the run, kept on disk from the
// moment the replication finishes until the output file is written: its fund table
// (about 118,000 funds in the baseline, 15 MiB, nearly all its results weigh) and, when
// asked for, its micro data (hundreds of MiB). Spooled, a run of thousands of
// replications holds only the tables of the replications in flight.
//
// Each table is a temporary binary file beside the output, removed when the spool is
// destroyed. Replications may be added in any order and from any thread; each is read
// back whole, by its number.
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "record/results.hpp"

namespace vcsim {

// Byte extents of each replication in one temporary file.
class SpoolFile {
 public:
  // Creates the file `path`; throws std::runtime_error naming it when it cannot (it
  // never truncates an existing file).
  SpoolFile(std::string path, std::size_t replications);
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Appends replication r's `count` records of `bytes` in all. Thread-safe; throws
  // std::runtime_error naming the file when the write fails (a full disk).
  void add(std::size_t replication, const void* data, std::uint64_t bytes, std::uint64_t count);
  bool has(std::size_t replication) const;
  std::uint64_t count(std::size_t replication) const;
  // Reads replication r's bytes into `out`, which holds them.
  void read(std::size_t replication, void* out) const;

  const std::string& path() const { return path_; }

 private:
  struct Extent {
    std::uint64_t offset = 0, bytes = 0, count = 0;
    bool added = false;
  };
  const Extent& added(std::size_t replication) const;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t end_ = 0;  // bytes written so far
  std::vector<Extent> extents_;
  mutable std::mutex mutex_;
};

// One kind of record, written as its bytes and read back by the same process.
template <typename Record>
class RecordSpool {
  static_assert(std::is_trivially_copyable_v<Record>);

 public:
  RecordSpool(std::string path, std::size_t replications) : file_(std::move(path), replications) {}

  // Appends replication r's rows and frees the vector's memory.
  void add(std::size_t replication, std::vector<Record>& rows) {
    file_.add(replication, rows.data(), rows.size() * sizeof(Record), rows.size());
    std::vector<Record>().swap(rows);
  }
  bool has(std::size_t replication) const { return file_.has(replication); }
  std::size_t count(std::size_t replication) const { return file_.count(replication); }

  // Replication r's rows as they were added: a reference to a buffer the next call
  // reuses. Not to be called while replications are still being added.
  const std::vector<Record>& load(std::size_t replication) {
    buffer_.resize(count(replication));
    file_.read(replication, buffer_.data());
    return buffer_;
  }

  const std::string& path() const { return file_.path(); }

 private:
  SpoolFile file_;
  std::vector<Record> buffer_;
};

// A run's spools, named after its output: OUTPUT.funds.tmp.PID and the micro tables'
// OUTPUT.startups.tmp.PID and OUTPUT.investments.tmp.PID.
struct RunSpool {
  RunSpool(const std::string& output, std::size_t replications);

  // Moves the replication's fund table and micro data to disk, leaving them empty.
  void add(std::size_t replication, ReplicationResult& result);

  RecordSpool<FundRecord> funds;
  RecordSpool<StartupRecord> startups;
  RecordSpool<InvestmentRecord> investments;
};

}  // namespace vcsim
