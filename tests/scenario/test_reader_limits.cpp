// The reader refuses files it could never finish reading (devices and FIFOs as includes)
// and absurd sizes, with the file and the reason named, instead of hanging or
// exhausting memory.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "../support/temp_dir.hpp"
#include "scenario/reader.hpp"

using vcsim::read_scenario;
using vcsim::ScenarioError;

namespace {

std::string error_reading(const std::string& path) {
  try {
    read_scenario(path);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

std::string write(const vcsim::testing::TempDir& dir, const std::string& name,
                  const std::string& text) {
  std::ofstream(dir.file(name)) << text;
  return dir.file(name);
}

}  // namespace

TEST_CASE("reader limits: an include of a device is refused, not read forever", "[scenario]") {
  const vcsim::testing::TempDir dir;
  const std::string a = write(dir, "a.toml", "include = \"/dev/zero\"\n");
  CHECK(error_reading(a) == a + ":1: include: expected a readable scenario file, cannot read "
                                "/dev/zero: not a regular file");
}

TEST_CASE("reader limits: an include of a FIFO is refused, not waited on", "[scenario]") {
  const vcsim::testing::TempDir dir;
  REQUIRE(::mkfifo(dir.file("pipe.toml").c_str(), 0600) == 0);
  const std::string a = write(dir, "a.toml", "include = \"pipe.toml\"\n");
  CHECK_THAT(error_reading(a), Catch::EndsWith("pipe.toml: not a regular file"));
}

TEST_CASE("reader limits: the scenario itself may be a device, read only up to 16 MiB",
          "[scenario]") {
  // /dev/zero never ends: it is refused once 16 MiB + 1 bytes have been read.
  CHECK(error_reading("/dev/zero") ==
        "/dev/zero: expected a readable scenario file: more than the 16777216 bytes a "
        "scenario may have");
  // /dev/null is an empty scenario: read, and refused for what it lacks.
  CHECK_THAT(error_reading("/dev/null"), Catch::Contains("start_year"));
}

TEST_CASE("reader limits: a directory or a missing file is named with the reason", "[scenario]") {
  const vcsim::testing::TempDir dir;
  CHECK(error_reading(dir.path().string()) ==
        dir.path().string() + ": expected a readable scenario file: not a regular file");
  CHECK(error_reading(dir.file("none.toml")) ==
        dir.file("none.toml") + ": expected a readable scenario file: no such file");
}

TEST_CASE("reader limits: a scenario over 16 MiB is refused", "[scenario]") {
  const vcsim::testing::TempDir dir;
  const std::string big = dir.file("big.toml");
  {
    std::ofstream out(big);
    const std::string comment(1023, '#');
    for (int i = 0; i < 16 * 1024 + 1; ++i) out << comment << '\n';
  }
  CHECK(error_reading(big) == big +
                                  ": expected a readable scenario file: more than the 16777216 "
                                  "bytes a scenario may have");
  // And as an include.
  const std::string a = write(dir, "a.toml", "include = \"big.toml\"\n");
  CHECK_THAT(error_reading(a), Catch::EndsWith("big.toml: more than the 16777216 bytes a "
                                               "scenario may have"));
}
