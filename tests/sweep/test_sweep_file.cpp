// The sweep file writer: points copied in any order give the same file as points copied
// in order, and a writer that does not finish leaves nothing behind.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>

#include "../support/temp_dir.hpp"
#include "io/hdf5.hpp"
#include "io/output_file.hpp"
#include "run/replication.hpp"
#include "scenario/reader.hpp"
#include "sweep/sweep_file.hpp"

namespace vcsim {
namespace {

// Three point files of a two-year small world, one seed each.
std::vector<PointSource> three_points(const testing::TempDir& dir) {
  Scenario s = read_scenario(VCSIM_SOURCE_DIR "/scenarios/small.toml");
  s.end_year = s.start_year + 1;
  std::vector<PointSource> sources;
  for (std::size_t p = 0; p < 3; ++p) {
    s.seed = static_cast<std::uint32_t>(11 + p);
    PointSource source;
    source.point = p;
    source.file = dir.file("point_" + std::to_string(p) + ".h5");
    source.design_values = {static_cast<double>(s.seed)};
    write_run_output(source.file, s, run_labels(s), run_replications(s, 2));
    sources.push_back(source);
  }
  return sources;
}

SweepHeader header_for_test() {
  SweepHeader h;
  h.scenario_name = "small";
  h.design = "grid";
  h.replications = 2;
  h.points_total = 3;
  h.parameters = {"seed"};
  return h;
}

// The raw bytes of a numeric dataset, or its strings joined, for an exact comparison.
std::vector<char> contents(const Dataset& d) {
  std::vector<char> bytes;
  auto append = [&](const auto& values) {
    const char* data = reinterpret_cast<const char*>(values.data());
    bytes.insert(bytes.end(), data, data + values.size() * sizeof(values[0]));
  };
  switch (element_kind(d)) {
    case ElementKind::int32:
      append(read_dataset<std::int32_t>(d).data());
      break;
    case ElementKind::uint64:
      append(read_dataset<std::uint64_t>(d).data());
      break;
    case ElementKind::float64:
      append(read_dataset<double>(d).data());
      break;
    case ElementKind::string: {
      const auto texts = read_dataset<std::string>(d);
      for (const auto& text : texts.data()) {
        bytes.insert(bytes.end(), text.begin(), text.end());
        bytes.push_back('\0');
      }
      break;
    }
    case ElementKind::other:
      FAIL(d.path() << ": unexpected element type");
  }
  return bytes;
}

// Every dataset under every group of `a` equals the one of the same path in `b`.
std::size_t require_same_datasets(const std::string& a, const std::string& b) {
  const File fa = File::open_read(a), fb = File::open_read(b);
  std::size_t compared = 0;
  for (const auto& group : fa.root().members()) {
    const Group ga = fa.root().open_group(group), gb = fb.root().open_group(group);
    REQUIRE(ga.members() == gb.members());
    for (const auto& name : ga.members()) {
      INFO(group << "/" << name);
      const Dataset da = ga.open_dataset(name), db = gb.open_dataset(name);
      REQUIRE(da.shape() == db.shape());
      REQUIRE(contents(da) == contents(db));
      ++compared;
    }
  }
  return compared;
}

}  // namespace

TEST_CASE("a sweep file's points can be copied in any order", "[sweep]") {
  testing::TempDir dir;
  const auto sources = three_points(dir);
  write_sweep_file(dir.file("in_order.h5"), header_for_test(), sources);
  {
    SweepFileWriter writer(dir.file("any_order.h5"), header_for_test(), sources);
    writer.add(2);
    writer.add(0);
    writer.finish();  // adds point 1
  }
  // Timeseries, yearly, cohorts, summary, funds and design: dozens of datasets.
  CHECK(require_same_datasets(dir.file("in_order.h5"), dir.file("any_order.h5")) > 40);
  // The points really differ, so equal files are not equal by accident.
  const File file = File::open_read(dir.file("in_order.h5"));
  const auto funds =
      read_dataset<std::int32_t>(file.root().open_group("funds").open_dataset("point"));
  CHECK(funds.data().front() == 0);
  CHECK(funds.data().back() == 2);
}

TEST_CASE("an unfinished sweep file leaves nothing behind", "[sweep]") {
  testing::TempDir dir;
  const auto sources = three_points(dir);
  const std::string output = dir.file("sweep.h5"), temporary = dir.file("sweep.h5.tmp.0");
  {
    SweepFileWriter writer(output, header_for_test(), sources, temporary);
    writer.add(1);
    CHECK(std::filesystem::exists(temporary));
    CHECK_THROWS_WITH(writer.add(1), Catch::Contains("added twice"));
  }
  CHECK_FALSE(std::filesystem::exists(temporary));
  CHECK_FALSE(std::filesystem::exists(output));
}

}  // namespace vcsim
