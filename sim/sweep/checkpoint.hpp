#pragma once
// A sweep's checkpoint: the folder OUTPUT.points/ beside the output, holding one run
// file per finished point (point_<index>.h5, each written to a temporary name and
// renamed when whole, by sim/io/output_file.cpp) and a manifest naming the sweep. A
// killed sweep (SIGINT, SIGTERM, SIGKILL, power loss) keeps every point that finished;
// `--resume` runs only the others. The folder is removed once the sweep file is written.
#include <cstddef>
#include <string>
#include <vector>

namespace vcsim {

class Checkpoint {
 public:
  Checkpoint(const std::string& output, std::string fingerprint);

  const std::string& folder() const { return folder_; }
  std::string point_path(std::size_t point) const;

  // Creates the folder. Without `resume` an existing folder is refused (it holds the
  // finished points of an interrupted sweep); with `resume` an existing folder must
  // belong to the same sweep (its manifest's fingerprint). Throws SweepError.
  void start(bool resume) const;

  // Which of points 0..total-1 have a whole point file. Leftover temporaries of points
  // that were being written when the sweep was killed, and files that cannot be read
  // (a power loss before the data reached the disk), are removed.
  std::vector<bool> finished(std::size_t total) const;


  void remove() const;

 private:
  std::string folder_, fingerprint_;
};

}  // namespace vcsim
