// The checkpoint folder: refused without --resume, refused for another sweep, and what
// counts as a finished point after a kill.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../support/temp_dir.hpp"
#include "io/output_file.hpp"
#include "run/replication.hpp"
#include "scenario/reader.hpp"
#include "sweep/checkpoint.hpp"
#include "sweep/sweep_spec.hpp"

namespace vcsim {

TEST_CASE("a checkpoint is resumed only by its own sweep", "[sweep]") {
  testing::TempDir dir;
  const std::string output = dir.file("s.h5");
  const Checkpoint checkpoint(output, "aaaa");
  checkpoint.start(false);
  CHECK(std::filesystem::is_directory(output + ".points"));
  CHECK_THROWS_WITH(checkpoint.start(false), Catch::Contains("pass --resume"));
  CHECK_NOTHROW(checkpoint.start(true));
  CHECK_THROWS_WITH(Checkpoint(output, "bbbb").start(true), Catch::Contains("belongs to another"));
  checkpoint.remove();
  CHECK_FALSE(std::filesystem::exists(output + ".points"));
}

TEST_CASE("only whole point files count as finished", "[sweep]") {
  testing::TempDir dir;
  const Checkpoint checkpoint(dir.file("s.h5"), "f");
  checkpoint.start(false);
  Scenario s = read_scenario(VCSIM_SOURCE_DIR "/scenarios/small.toml");
  s.end_year = s.start_year;
  write_run_output(checkpoint.point_path(1), s, run_labels(s), run_replications(s, 1));
  std::ofstream(checkpoint.point_path(2)) << "cut short by a power loss";
  std::ofstream(checkpoint.point_path(3) + ".tmp.123") << "being written when killed";
  CHECK(checkpoint.finished(4) == std::vector<bool>{false, true, false, false});
  // The broken file and the temporary are gone; the whole one stays.
  CHECK_FALSE(std::filesystem::exists(checkpoint.point_path(2)));
  CHECK_FALSE(std::filesystem::exists(checkpoint.point_path(3) + ".tmp.123"));
  CHECK(std::filesystem::exists(checkpoint.point_path(1)));
}

}  // namespace vcsim
