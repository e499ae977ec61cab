#pragma once
// The headline table of a run: a plain-text summary read back from its output file, so
// that what is shown is what was stored.
#include <string>
#include <vector>

namespace vcsim {

// Summarises the run output file `path`: the run's identity; unicorns (all definition,
// December) per region and world at `years` as mean [min-max] across replications, and
// the age-capped count in the last of them; the funnel of mature seed cohorts; capital
// invested by source (USD bn); mean fund TVPI. Empty `years`: every 5th year and the
// last. Throws Hdf5Error for a file that is not a vcsim output file, is damaged, or has
// an unknown major format version; std::invalid_argument for a year outside the run.
std::string headline_table(const std::string& path, const std::vector<int>& years);

}  // namespace vcsim
