#include "../support/temp_dir.hpp"
#include "io/hdf5.hpp"

#include <unistd.h>

#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>

namespace fs = std::filesystem;
using namespace vcsim;

namespace {

// A fresh directory per test case, removed at its end.
using testing::TempDir;

template <typename T>
NdArray<T> filled(std::vector<std::string> dims, std::vector<std::size_t> shape, T first) {
  NdArray<T> a(std::move(dims), std::move(shape));
  for (std::size_t i = 0; i < a.size(); ++i)
    a.data()[i] = static_cast<T>(first + static_cast<T>(i));
  return a;
}

void write_axes(const Group& g) {
  write_coordinate(g, "month", std::vector<std::int32_t>{0, 1, 2});
  write_coordinate(g, "region", std::vector<std::string>{"US", "China"});
  write_coordinate(g, "sector", std::vector<std::string>{"ai", "biotech", "fintech", "saas"},
                   {.strings = StringStorage::fixed});
}

}  // namespace

TEST_CASE("io: typed datasets round trip with their dimension names", "[io][hdf5]") {
  TempDir dir;
  const std::string path = dir.file("typed.h5");
  auto ints = filled<std::int32_t>({"month", "region", "sector"}, {3, 2, 4}, -5);
  auto doubles = filled<double>({"region", "month"}, {2, 3}, 0.25);
  doubles(1, 2) = std::numeric_limits<double>::quiet_NaN();
  auto big = filled<double>({"row", "col"}, {100, 60}, 1.5);  // past kCompressThreshold
  std::vector<std::uint64_t> wide{0, 1, std::numeric_limits<std::uint64_t>::max()};
  NdArray<std::string> names({"region", "sector"}, {2, 4});
  for (std::size_t i = 0; i < names.size(); ++i) names.data()[i] = "n\u00e9" + std::to_string(i);
  {
    File file = File::create(path);
    Group g = file.root().create_group("data");
    write_axes(g);
    write_coordinate(g, "row", std::vector<std::int32_t>(100, 7));
    write_coordinate(g, "col", std::vector<double>(60, 0.5));
    write_dataset(g, "ints", ints);
    write_dataset(g, "doubles", doubles);
    write_dataset(g, "big", big);
    write_dataset(g, "wide", wide, "month");
    write_dataset(g, "names_variable", names);
    write_dataset(g, "names_fixed", names, {.strings = StringStorage::fixed});
    file.close();
  }
  File file = File::open_read(path);
  Group g = file.root().open_group("data");
  auto ints_back = read_dataset<std::int32_t>(g, "ints");
  CHECK(ints_back.dims() == ints.dims());
  CHECK(ints_back.shape() == ints.shape());
  CHECK(ints_back.data() == ints.data());
  auto doubles_back = read_dataset<double>(g, "doubles");
  CHECK(doubles_back.dims() == std::vector<std::string>{"region", "month"});
  CHECK(std::isnan(doubles_back(1, 2)));
  CHECK(doubles_back(0, 1) == doubles(0, 1));
  CHECK(read_dataset<double>(g, "big").data() == big.data());
  CHECK(read_dataset<std::uint64_t>(g, "wide").data() == wide);
  CHECK(read_dataset<std::string>(g, "names_variable").data() == names.data());
  CHECK(read_dataset<std::string>(g, "names_fixed").data() == names.data());
  CHECK(read_dataset<std::string>(g, "sector").data() ==
        std::vector<std::string>{"ai", "biotech", "fintech", "saas"});
  CHECK(read_dataset<std::string>(g, "region").dims() == std::vector<std::string>{"region"});
  // Integers widen on read.
  CHECK(read_dataset<double>(g, "month").data() == std::vector<double>{0, 1, 2});
}

TEST_CASE("io: axes are attached to the coordinate of the same name", "[io][hdf5]") {
  TempDir dir;
  const std::string path = dir.file("scales.h5");
  {
    File file = File::create(path);
    Group g = file.root();
    write_axes(g);
    write_dataset(g, "x", filled<std::int32_t>({"month", "region", "sector"}, {3, 2, 4}, 0));
    file.close();
  }
  File file = File::open_read(path);
  Group g = file.root();
  Dataset x = g.open_dataset("x");
  Dataset month = g.open_dataset("month"), region = g.open_dataset("region"),
          sector = g.open_dataset("sector");
  CHECK(month.is_scale());
  CHECK_FALSE(x.is_scale());
  CHECK(x.scale_attached(month, 0));
  CHECK(x.scale_attached(region, 1));
  CHECK(x.scale_attached(sector, 2));
  CHECK_FALSE(x.scale_attached(region, 0));
  CHECK(x.dims() == std::vector<std::string>{"month", "region", "sector"});
  CHECK(g.members() == std::vector<std::string>{"month", "region", "sector", "x"});
}

TEST_CASE("io: write_rows stacks slabs along the leading axis", "[io][hdf5]") {
  TempDir dir;
  const std::string path = dir.file("rows.h5");
  {
    File file = File::create(path);
    Group g = file.root();
    write_coordinate(g, "replication", std::vector<std::int32_t>{0, 1, 2});
    write_coordinate(g, "region", std::vector<std::string>{"US", "China"});
    Dataset d = create_dataset<double>(g, "stacked", {"replication", "region"}, {3, 2});
    write_rows(d, 2, std::vector<double>{5, 6});
    write_rows(d, 0, std::vector<double>{1, 2, 3, 4});
    CHECK_THROWS_AS(write_rows(d, 2, std::vector<double>{1, 2, 3, 4}), Hdf5Error);
    CHECK_THROWS_AS(write_rows(d, 0, std::vector<double>{1, 2, 3}), Hdf5Error);
    file.close();
  }
  File file = File::open_read(path);
  CHECK(read_dataset<double>(file.root(), "stacked").data() ==
        std::vector<double>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("io: RowAppender fills compressed and plain datasets from the front", "[io][hdf5]") {
  TempDir dir;
  const std::string path = dir.file("appended.h5");
  // 100,000 doubles: three chunks of 32,768 and a partial fourth; replications of 2,000
  // months: chunks of 16 rows, the last holding 8 of the 40. Batches cross chunk ends.
  std::vector<double> column(100000);
  for (std::size_t i = 0; i < column.size(); ++i) column[i] = static_cast<double>(i % 97) * 0.25;
  std::vector<std::uint64_t> stacked(40 * 2000);
  std::iota(stacked.begin(), stacked.end(), std::uint64_t{1} << 40);
  const std::vector<std::int32_t> small{3, -1, 4, -1, 5};
  {
    File file = File::create(path);
    Group g = file.root();
    write_coordinate(g, "fund", std::vector<std::int32_t>(column.size(), 0));
    write_coordinate(g, "replication", std::vector<std::int32_t>(40, 0));
    write_coordinate(g, "month", std::vector<std::int32_t>(2000, 0));
    write_coordinate(g, "startup", std::vector<std::int32_t>(small.size(), 0));
    RowAppender<double> a(create_dataset<double>(g, "column", {"fund"}, {column.size()}));
    for (std::size_t first : {std::size_t{0}, std::size_t{1}, std::size_t{40001}}) {
      const std::size_t end = first == 0 ? 1 : first == 1 ? 40001 : column.size();
      a.append(std::vector<double>(column.begin() + static_cast<std::ptrdiff_t>(first),
                                   column.begin() + static_cast<std::ptrdiff_t>(end)));
    }
    a.finish();
    RowAppender<std::uint64_t> b(
        create_dataset<std::uint64_t>(g, "stacked", {"replication", "month"}, {40, 2000}));
    for (std::size_t r = 0; r < 40; ++r)
      b.append(std::vector<std::uint64_t>(
          stacked.begin() + static_cast<std::ptrdiff_t>(r * 2000),
          stacked.begin() + static_cast<std::ptrdiff_t>((r + 1) * 2000)));
    b.finish();
    RowAppender<std::int32_t> c(create_dataset<std::int32_t>(g, "small", {"startup"}, {5}));
    c.append(small);
    c.finish();
    file.close();
  }
  File file = File::open_read(path);
  CHECK(read_dataset<double>(file.root(), "column").data() == column);
  CHECK(read_dataset<std::uint64_t>(file.root(), "stacked").data() == stacked);
  CHECK(read_dataset<std::int32_t>(file.root(), "small").data() == small);
  // The repetitive column and the counting one compress: the file is a fraction of the
  // 1.4 MiB of raw values.
  CHECK(fs::file_size(path) < (column.size() * 8 + stacked.size() * 8) / 4);
}

TEST_CASE("io: RowAppender refuses rows that do not fit", "[io][hdf5]") {
  TempDir dir;
  File file = File::create(dir.file("misfit.h5"));
  Group g = file.root();
  write_coordinate(g, "replication", std::vector<std::int32_t>{0, 1, 2});
  write_coordinate(g, "month", std::vector<std::int32_t>(3000, 0));
  RowAppender<double> a(create_dataset<double>(g, "a", {"replication", "month"}, {3, 3000}));
  CHECK_THROWS_WITH(a.append(std::vector<double>(2999)),
                    Catch::Contains("/a") && Catch::Contains("do not fit"));
  a.append(std::vector<double>(6000));
  CHECK_THROWS_WITH(a.append(std::vector<double>(6000)), Catch::Contains("do not fit"));
  CHECK_THROWS_WITH(a.finish(), Catch::Contains("/a") && Catch::Contains("2 rows appended"));
}

TEST_CASE("io: RowAppender writes the same file whatever the thread count", "[io][hdf5]") {
  TempDir dir;
  std::vector<double> values(300000);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = std::sin(static_cast<double>(i)) * 1e3;
  const auto write = [&](const std::string& path, int threads) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      File file = File::create(path);
      write_coordinate(file.root(), "fund", std::vector<std::int32_t>(values.size(), 0));
      RowAppender<double> a(
          create_dataset<double>(file.root(), "column", {"fund"}, {values.size()}));
      for (std::size_t first = 0; first < values.size(); first += 50000)
        a.append(std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(first),
                                     values.begin() + static_cast<std::ptrdiff_t>(first + 50000)));
      a.finish();
      file.close();
    });
  };
  write(dir.file("one.h5"), 1);
  write(dir.file("two.h5"), 2);
  File one = File::open_read(dir.file("one.h5"));
  File two = File::open_read(dir.file("two.h5"));
  CHECK(read_dataset<double>(one.root(), "column").data() == values);
  CHECK(read_dataset<double>(two.root(), "column").data() == values);
  // The same compressed chunks in the same order: files of the same size.
  CHECK(fs::file_size(dir.file("one.h5")) == fs::file_size(dir.file("two.h5")));
}

TEST_CASE("io: attributes round trip", "[io][hdf5]") {
  TempDir dir;
  const std::string path = dir.file("attributes.h5");
  const std::string long_text(200000, 'x');  // past HDF5's 64 KiB compact attribute limit
  {
    File file = File::create(path);
    Group root = file.root();
    write_attribute(root, "kind", "vcsim.test");
    write_attribute(root, "text", long_text);
    write_attribute(root, "count", std::int64_t{-42});
    write_attribute(root, "seed", 7u);
    write_attribute(root, "ratio", 0.125);
    write_attribute(root, "version", std::vector<int>{1, 0});
    write_attribute(root, "ratio", 0.5);  // replaces
    file.close();
  }
  File file = File::open_read(path);
  Group root = file.root();
  CHECK(read_attribute<std::string>(root, "kind") == "vcsim.test");
  CHECK(read_attribute<std::string>(root, "text") == long_text);
  CHECK(read_attribute<std::int64_t>(root, "count") == -42);
  CHECK(read_attribute<std::int64_t>(root, "seed") == 7);
  CHECK(read_attribute<double>(root, "ratio") == 0.5);
  CHECK(read_attribute<double>(root, "count") == -42.0);
  CHECK(read_attribute<std::vector<int>>(root, "version") == std::vector<int>{1, 0});
  CHECK(has_attribute(root, "kind"));
  CHECK_FALSE(has_attribute(root, "missing"));
  CHECK_THROWS_WITH(read_attribute<std::string>(root, "missing"),
                    Catch::Contains(path) && Catch::Contains("/@missing"));
  CHECK_THROWS_AS(read_attribute<std::int64_t>(root, "kind"), Hdf5Error);
  CHECK_THROWS_AS(read_attribute<std::string>(root, "count"), Hdf5Error);
  CHECK_THROWS_AS(read_attribute<std::int64_t>(root, "version"), Hdf5Error);
}

TEST_CASE("io: errors name the file and the object", "[io][hdf5]") {
  TempDir dir;
  const std::string path = dir.file("errors.h5");
  CHECK_THROWS_WITH(File::open_read(dir.file("absent.h5")),
                    Catch::Contains("absent.h5") && Catch::Contains("no such file"));
  CHECK_THROWS_AS(File::create(dir.file("no/such/dir/x.h5")), Hdf5Error);
  {
    std::ofstream text(dir.file("text.h5"));
    text << "not hdf5\n";
  }
  CHECK_THROWS_WITH(File::open_read(dir.file("text.h5")), Catch::Contains("not an HDF5 file"));

  File file = File::create(path);
  Group g = file.root().create_group("grp");
  write_coordinate(g, "month", std::vector<std::int32_t>{0, 1});
  CHECK_THROWS_WITH(write_dataset(g, "a", NdArray<double>({"region"}, {2})),
                    Catch::Contains("/grp/a") && Catch::Contains("no coordinate 'region'"));
  CHECK_THROWS_WITH(write_dataset(g, "b", NdArray<double>({"month"}, {3})),
                    Catch::Contains("/grp/b") && Catch::Contains("length 3"));
  CHECK_THROWS_WITH(g.open_dataset("absent"), Catch::Contains("/grp/absent"));
  CHECK_THROWS_WITH(g.open_group("absent"), Catch::Contains("/grp/absent"));
  CHECK_THROWS_AS(g.create_group("month"), Hdf5Error);  // the name is taken
  CHECK_THROWS_AS(
      create_dataset<std::string>(g, "c", {"month"}, {2}, {.strings = StringStorage::fixed}),
      Hdf5Error);
}
