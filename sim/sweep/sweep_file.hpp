#pragma once
// The sweep output file (docs/output.md, "Sweep files"): every point of a sweep in one
// HDF5 file. The design table sits in /design; /timeseries, /yearly, /cohorts, /summary
// and /guidance hold the datasets of a run with a leading `point` dimension; /funds
// concatenates the points' fund tables with a `point` column. A shard's file has the
// same layout with only its points (the `point` coordinate gives their global indices).
//
// The file is assembled by streaming: one point at a time is read from its source and
// written into its rows, so memory does not grow with the number of points.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vcsim {

inline constexpr const char* kSweepFileKind = "vcsim.sweep";
// Versioned apart from run files: a reader refuses a major version it does not know.
inline constexpr int kSweepFormatMajor = 1, kSweepFormatMinor = 0;

// The root attributes of a sweep file.
struct SweepHeader {
  std::string scenario_name, scenario_path, scenario_text;
  std::string engine_version, git_revision;
  std::string design;  // grid, lhs, sobol, saltelli
  std::string shard;   // "K/N" in a shard's file; empty in a whole sweep
  std::int64_t seed = 0, design_seed = 0, replications = 0;
  std::int64_t points_total = 0, base_points = 0, start_year = 0, end_year = 0;
  std::vector<std::string> parameters;
};

// Where one point's arrays are read from: a run file holding that point alone (a
// checkpoint's point file), or row `row` of a sweep file (a shard).
struct PointSource {
  std::size_t point = 0;  // global index
  std::string file;
  std::optional<std::size_t> row;
  std::vector<double> design_values;      // one per parameter
  std::int32_t role = -1, sample = -1;    // saltelli only
  std::size_t fund_first = 0;             // the point's rows of the source's /funds (a shard's)
  std::optional<std::size_t> fund_count;  // unknown for a point file: all its rows
};

// Writes a sweep file whose points are `sources`, in that order, one point at a time and
// in any order: a sweep adds each point as soon as its replications are done, so copying
// overlaps the points still running and little is left for the end. The file is written
// to `temporary` (default "PATH.tmp.<pid>"), renamed by finish(), and removed if the
// writer is destroyed unfinished. Throws Hdf5Error (also when the points disagree in their arrays'
// shapes, as a sweep of run.end_year would). Not thread-safe, like the HDF5 library itself.
class SweepFileWriter {
 public:
  SweepFileWriter(std::string path, const SweepHeader& header, std::vector<PointSource> sources,
                  std::string temporary = "");
  ~SweepFileWriter();
  SweepFileWriter(const SweepFileWriter&) = delete;
  SweepFileWriter& operator=(const SweepFileWriter&) = delete;

  // Copies the arrays of sources[index], whose file must be complete now.
  void add(std::size_t index);
  // Adds every point not yet added, writes the fund tables and renames the file.
  void finish();

 private:
  struct Open;
  void lay_out(std::size_t index);
  template <typename F>
  void guarded(F&& f);

  std::string path_, temporary_;
  std::vector<PointSource> sources_;
  std::vector<std::int32_t> points_;
  std::vector<bool> added_;
  std::unique_ptr<Open> open_;
  bool finished_ = false;
};

// Writes the sweep file from the sources, in their order (a SweepFileWriter given every
// point at once).
void write_sweep_file(const std::string& path, const SweepHeader& header,
                      const std::vector<PointSource>& sources);

// The root attributes of a sweep file; throws SweepError when the file is not a sweep
// file of a major version this build knows.
SweepHeader read_sweep_header(const std::string& path);

// The sources of every point in a sweep (or shard) file, with their design rows and fund
// ranges, in the file's order.
std::vector<PointSource> sweep_file_sources(const std::string& path);

}  // namespace vcsim
