#pragma once
// The run output file (docs/output.md): every replication of a run in one HDF5 file
// that describes itself (STYLE.md 8), with named dimensions for xarray.
#include <string>
#include <vector>

#include "io/run_spool.hpp"
#include "record/results.hpp"
#include "scenario/scenario.hpp"

namespace vcsim {

// A reader refuses a file whose major version it does not know; minor versions only
// add datasets or attributes, so a 1.x reader reads any 1.y file.
inline constexpr int kFormatMajor = 1, kFormatMinor = 3;
inline constexpr const char* kRunFileKind = "vcsim.run";

// Writes all replications to `path`: written to "path.tmp.<pid>" then renamed, so a crash
// never leaves a file that looks whole; on any error the temporary is removed and Hdf5Error
// thrown. The replications must agree in every array's dimensions and shape.
void write_run_output(const std::string& path, const Scenario& scenario, const RunLabels& labels,
                      const std::vector<ReplicationResult>& replications);

// The same, with every replication's fund table and micro data read from `spool`, where
// the run put them as replications finished (the results' own are then empty and unread).
void write_run_output(const std::string& path, const Scenario& scenario, const RunLabels& labels,
                      const std::vector<ReplicationResult>& replications, RunSpool& spool);

}  // namespace vcsim
