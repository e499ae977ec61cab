#pragma once
// The checkpoint of a calibration: one line per evaluation, appended and fsynced as soon
// as it is done, so a calibration killed at any moment loses at most the evaluation it
// was running. Because the optimiser is deterministic, a resumed calibration asks for the
// same points in the same order; those the journal holds are replayed from it (bit-exact:
// numbers are stored as hexadecimal floats) and the run continues where it stopped.
//
// Format (text): a header line "vcsim calibration journal 1 <fingerprint> <parameters>
// <targets>", then per evaluation "eval" followed by the parameter values, the objective
// and mean, sd, min, max, n of each target's simulated moment. A last line without its
// newline (cut off by a kill) is dropped.
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibrate/moments.hpp"

namespace vcsim {

// A journal that cannot be used: it exists and --resume was not given, or it was written
// for another scenario, targets file, seed or engine. Bad input: exit code 2.
struct JournalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Evaluation {
  std::vector<double> values;  // the free parameters
  double objective = 0;
  std::vector<MomentStats> moments;  // one per target
};

class Journal {
 public:
  // A new journal at `path` (refused if the file exists and `resume` is false), or the
  // existing one reopened for appending when `resume` is true. `fingerprint` identifies
  // what was calibrated; a journal with another one is refused.
  Journal(const std::string& path, const std::string& fingerprint, std::size_t parameters,
          std::size_t targets, bool resume);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The stored evaluation at exactly these values, or nullptr.
  const Evaluation* find(const std::vector<double>& values) const;
  std::size_t stored() const { return stored_.size(); }

  // Appends the line and fsyncs it before returning.
  void append(const Evaluation& evaluation);

  const std::string& path() const { return path_; }

 private:
  void load(const std::string& fingerprint);

  std::string path_;
  std::size_t parameters_, targets_;
  std::map<std::vector<double>, Evaluation> stored_;
  int fd_ = -1;
};

// A 64-bit FNV-1a hash of the text, as 16 hex digits: stable across builds and machines.
std::string fingerprint_of(const std::string& text);

}  // namespace vcsim
