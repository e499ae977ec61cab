#include "sweep/sweep_file.hpp"

#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <numeric>
#include <type_traits>
#include <variant>

#include "io/durable_rename.hpp"
#include "io/hdf5.hpp"
#include "io/timestamp.hpp"
#include "sweep/sweep_spec.hpp"

namespace vcsim {
namespace {

// The groups whose datasets gain a leading point dimension; /funds is concatenated.
const char* const kStackedGroups[] = {"timeseries", "yearly", "cohorts", "summary", "guidance"};

// Calls f with a value of the C++ type that `kind` is stored as.
template <typename F>
void with_type(ElementKind kind, const Object& where, F&& f) {
  switch (kind) {
    case ElementKind::int32:
      f(std::int32_t{});
      return;
    case ElementKind::uint64:
      f(std::uint64_t{});
      return;
    case ElementKind::float64:
      f(double{});
      return;
    case ElementKind::string:
      f(std::string{});
      return;
    case ElementKind::other:
      break;
  }
  throw Hdf5Error(where.file_path() + ": " + where.path() + ": an element type sweeps do not copy");
}

// The attributes the run writer puts on datasets (sim/io/output_file.cpp).
void copy_attributes(const Object& from, const Object& to) {
  for (const char* name : {"units", "description"})
    if (has_attribute(from, name))
      write_attribute(to, name, read_attribute<std::string>(from, name));
  for (const char* name : {"first_seed_year", "last_seed_year"})
    if (has_attribute(from, name))
      write_attribute(to, name, read_attribute<std::int64_t>(from, name));
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ")";
}

// One source file, open while its point is copied.
class OpenSource {
 public:
  explicit OpenSource(const PointSource& source)
      : source_(source), file_(File::open_read(source.file)) {}

  // The point's values of `group/name`, row-major without the point axis.
  template <Hdf5Element T>
  std::vector<T> slab(const std::string& group, const std::string& name,
                      const std::vector<std::size_t>& expected) const {
    Dataset d = file_.root().open_group(group).open_dataset(name);
    std::vector<std::size_t> shape = d.shape();
    if (source_.row && !shape.empty()) shape.erase(shape.begin());
    if (shape != expected)
      throw Hdf5Error(source_.file + ": " + d.path() + ": point " + std::to_string(source_.point) +
                      " has shape " + shape_text(shape) + ", the sweep's first point " +
                      shape_text(expected) +
                      " (a sweep cannot vary what sets the output's shape, such as run.end_year)");
    if (source_.row) return read_rows<T>(d, *source_.row, 1);
    return read_dataset<T>(d).data();
  }

  template <Hdf5Element T>
  std::vector<T> fund_rows(const std::string& name, std::size_t count) const {
    return read_rows<T>(file_.root().open_group("funds").open_dataset(name), source_.fund_first,
                        count);
  }

  std::size_t fund_count() const {
    if (source_.fund_count) return *source_.fund_count;
    return file_.root().open_group("funds").open_dataset("replication").shape().at(0);
  }

 private:
  const PointSource& source_;
  File file_;
};

struct StackedDataset {
  std::string group, name;
  ElementKind kind;
  std::vector<std::size_t> point_shape;
  Dataset out;
};

// A column of the fund table, filled point after point (finish).
struct FundColumn {
  std::string name;
  std::variant<RowAppender<std::int32_t>, RowAppender<std::uint64_t>, RowAppender<double>> out;
};

void describe(const Object& object, const char* units, const char* description) {
  write_attribute(object, "units", units);
  write_attribute(object, "description", description);
}

void copy_coordinate(const Group& to, const std::string& name, const Dataset& from) {
  with_type(element_kind(from), from, [&](auto type) {
    using T = decltype(type);
    Dataset d = write_coordinate(to, name, read_dataset<T>(from).data());
    copy_attributes(from, d);
  });
}

// Creates `group` in the output like the source's, every dataset with a leading point
// axis, and adds them to `stacked`.
void lay_out_group(const Group& out_root, const Group& source_root, bool source_is_sweep,
                   const std::string& group, const std::vector<std::int32_t>& points,
                   std::vector<StackedDataset>& stacked) {
  const Group source = source_root.open_group(group);
  const Group out = out_root.create_group(group);
  describe(write_coordinate(out, "point", points), "index", "the point's index in the design");
  const auto members = source.members();
  for (const auto& name : members) {
    Dataset d = source.open_dataset(name);
    if (d.is_scale() && name != "point") copy_coordinate(out, name, d);
  }
  for (const auto& name : members) {
    Dataset d = source.open_dataset(name);
    if (d.is_scale()) continue;
    std::vector<std::string> dims = d.dims();
    std::vector<std::size_t> shape = d.shape();
    if (source_is_sweep) {
      dims.erase(dims.begin());
      shape.erase(shape.begin());
    }
    std::vector<std::string> out_dims{"point"};
    out_dims.insert(out_dims.end(), dims.begin(), dims.end());
    std::vector<std::size_t> out_shape{points.size()};
    out_shape.insert(out_shape.end(), shape.begin(), shape.end());
    const ElementKind kind = element_kind(d);
    with_type(kind, d, [&](auto type) {
      using T = decltype(type);
      Dataset o = create_dataset<T>(out, name, out_dims, out_shape);
      copy_attributes(d, o);
      stacked.push_back({group, name, kind, shape, std::move(o)});
    });
  }
}

std::vector<FundColumn> lay_out_funds(const Group& out_root, const Group& source_root,
                                      std::size_t funds) {
  const Group source = source_root.open_group("funds");
  const Group out = out_root.create_group("funds");
  std::vector<std::int32_t> rows(funds);
  std::iota(rows.begin(), rows.end(), 0);
  write_coordinate(out, "fund", rows);
  std::vector<FundColumn> columns;
  RowAppender<std::int32_t> point(create_dataset<std::int32_t>(out, "point", {"fund"}, {funds}));
  describe(point.dataset(), "index", "the point the fund belongs to");
  columns.push_back({"point", std::move(point)});
  for (const auto& name : source.members()) {
    Dataset d = source.open_dataset(name);
    if (d.is_scale() || name == "point") continue;
    with_type(element_kind(d), d, [&](auto type) {
      using T = decltype(type);
      if constexpr (Hdf5Number<T>) {
        RowAppender<T> o(create_dataset<T>(out, name, {"fund"}, {funds}));
        copy_attributes(d, o.dataset());
        columns.push_back({name, std::move(o)});
      } else {
        throw Hdf5Error(d.file_path() + ": " + d.path() +
                        ": a column of strings, where fund tables hold numbers");
      }
    });
  }
  return columns;
}

void write_design(const Group& root, const SweepHeader& header,
                  const std::vector<PointSource>& sources,
                  const std::vector<std::int32_t>& points) {
  const Group design = root.create_group("design");
  describe(write_coordinate(design, "point", points), "index", "the point's index in the design");
  write_coordinate(design, "parameter", header.parameters);
  std::vector<double> values;
  for (const auto& s : sources)
    values.insert(values.end(), s.design_values.begin(), s.design_values.end());
  Dataset v = create_dataset<double>(design, "values", {"point", "parameter"},
                                     {sources.size(), header.parameters.size()});
  write_rows(v, 0, values);
  describe(v, "as the parameter", "each point's value of each parameter");
  if (header.design != "saltelli") return;
  std::vector<std::int32_t> role, sample;
  for (const auto& s : sources) {
    role.push_back(s.role);
    sample.push_back(s.sample);
  }
  describe(write_dataset(design, "role", role, "point"), "code",
           "Saltelli matrix of the point: 0 A, i AB_i (column i from B), k + 1 B");
  describe(write_dataset(design, "sample", sample, "point"), "index",
           "row of the Saltelli matrices (base sample)");
}

void write_root_attributes(const Group& root, const SweepHeader& h, std::size_t points) {
  write_attribute(root, "file_kind", kSweepFileKind);
  write_attribute(root, "format_version", std::vector<int>{kSweepFormatMajor, kSweepFormatMinor});
  write_attribute(root, "engine_version", h.engine_version);
  write_attribute(root, "git_revision", h.git_revision);
  write_attribute(root, "seed", h.seed);
  write_attribute(root, "replications", h.replications);
  write_attribute(root, "points", static_cast<std::int64_t>(points));
  write_attribute(root, "points_total", h.points_total);
  write_attribute(root, "base_points", h.base_points);
  write_attribute(root, "design", h.design);
  write_attribute(root, "design_seed", h.design_seed);
  write_attribute(root, "start_year", h.start_year);
  write_attribute(root, "end_year", h.end_year);
  write_attribute(root, "created", utc_timestamp());
  write_attribute(root, "scenario_name", h.scenario_name);
  write_attribute(root, "scenario_path", h.scenario_path);
  write_attribute(root, "scenario", h.scenario_text);
  if (!h.shard.empty()) write_attribute(root, "shard", h.shard);
}

void copy_point(const OpenSource& source, std::size_t row, std::vector<StackedDataset>& stacked) {
  for (auto& s : stacked)
    with_type(s.kind, s.out, [&](auto type) {
      using T = decltype(type);
      write_rows(s.out, row, source.slab<T>(s.group, s.name, s.point_shape));
    });
}

void copy_funds(const OpenSource& source, std::size_t point, std::size_t count,
                std::vector<FundColumn>& columns) {
  for (auto& c : columns)
    std::visit(
        [&](auto& out) {
          using T = typename std::remove_reference_t<decltype(out)>::value_type;
          if (c.name == "point")
            out.append(std::vector<T>(count, static_cast<T>(point)));
          else
            out.append(source.fund_rows<T>(c.name, count));
        },
        c.out);
}

std::size_t fund_count(const PointSource& source) {
  return source.fund_count ? *source.fund_count : OpenSource(source).fund_count();
}

}  // namespace

struct SweepFileWriter::Open {
  File file;
  std::vector<StackedDataset> stacked;  // empty until the first point lays the groups out
};

SweepFileWriter::SweepFileWriter(std::string path, const SweepHeader& header,
                                 std::vector<PointSource> sources, std::string temporary)
    : path_(std::move(path)),
      temporary_(temporary.empty() ? path_ + ".tmp." + std::to_string(::getpid())
                                   : std::move(temporary)),
      sources_(std::move(sources)),
      added_(sources_.size(), false) {
  if (sources_.empty()) throw Hdf5Error(path_ + ": no points to write");
  for (const auto& s : sources_) points_.push_back(static_cast<std::int32_t>(s.point));
  guarded([&] {
    open_ = std::make_unique<Open>(Open{File::create(temporary_), {}});
    Group root = open_->file.root();
    write_root_attributes(root, header, sources_.size());
    write_design(root, header, sources_, points_);
  });
}

SweepFileWriter::~SweepFileWriter() {
  if (finished_) return;
  open_.reset();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void SweepFileWriter::add(std::size_t index) {
  guarded([&] {
    if (added_.at(index))
      throw Hdf5Error(path_ + ": point " + std::to_string(index) + " added twice");
    const OpenSource source(sources_[index]);
    if (open_->stacked.empty()) lay_out(index);
    copy_point(source, index, open_->stacked);
    added_[index] = true;
  });
}

// The groups of the output, shaped like those of source `index` with a point axis.
void SweepFileWriter::lay_out(std::size_t index) {
  const File source = File::open_read(sources_[index].file);
  const Group source_root = source.root();
  const bool is_sweep = sources_[index].row.has_value();
  const Group root = open_->file.root();
  for (const char* group : kStackedGroups)
    if (source_root.contains(group))
      lay_out_group(root, source_root, is_sweep, group, points_, open_->stacked);
}

void SweepFileWriter::finish() {
  guarded([&] {
    for (std::size_t i = 0; i < sources_.size(); ++i)
      if (!added_[i]) add(i);
    // The fund tables go last: their rows follow each other in point order, so every
    // point's count must be known before the first is written.
    std::vector<std::size_t> counts;
    for (const auto& s : sources_) counts.push_back(fund_count(s));
    std::vector<FundColumn> funds;
    {
      const File first = File::open_read(sources_.front().file);
      funds = lay_out_funds(open_->file.root(), first.root(),
                            std::accumulate(counts.begin(), counts.end(), std::size_t{0}));
    }
    for (std::size_t i = 0; i < sources_.size(); ++i)
      copy_funds(OpenSource(sources_[i]), sources_[i].point, counts[i], funds);
    for (FundColumn& c : funds) std::visit([](auto& out) { out.finish(); }, c.out);
    funds.clear();
    open_->stacked.clear();
    open_->file.close();
    open_.reset();
    rename_durably(temporary_, path_);
    finished_ = true;
  });
}

template <typename F>
void SweepFileWriter::guarded(F&& f) {
  try {
    f();
  } catch (const Hdf5Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Hdf5Error(path_ + ": writing the sweep file: " + e.what());
  }
}

void write_sweep_file(const std::string& path, const SweepHeader& header,
                      const std::vector<PointSource>& sources) {
  SweepFileWriter writer(path, header, sources);
  writer.finish();
}

SweepHeader read_sweep_header(const std::string& path) {
  try {
    const File file = File::open_read(path);
    const Group root = file.root();
    const auto kind = has_attribute(root, "file_kind")
                          ? read_attribute<std::string>(root, "file_kind")
                          : std::string("none");
    if (kind != kSweepFileKind)
      throw SweepError(path + ": expected a sweep file (file_kind " + kSweepFileKind + "), got " +
                       kind);
    const auto version = read_attribute<std::vector<int>>(root, "format_version");
    if (version.empty() || version[0] != kSweepFormatMajor)
      throw SweepError(path + ": sweep format major version " +
                       (version.empty() ? std::string("?") : std::to_string(version[0])) +
                       ", this vcsim reads " + std::to_string(kSweepFormatMajor));
    SweepHeader h;
    auto text = [&](const char* name) { return read_attribute<std::string>(root, name); };
    auto integer = [&](const char* name) { return read_attribute<std::int64_t>(root, name); };
    h.scenario_name = text("scenario_name");
    h.scenario_path = text("scenario_path");
    h.scenario_text = text("scenario");
    h.engine_version = text("engine_version");
    h.git_revision = text("git_revision");
    h.design = text("design");
    h.shard = has_attribute(root, "shard") ? text("shard") : "";
    h.seed = integer("seed");
    h.design_seed = integer("design_seed");
    h.replications = integer("replications");
    h.points_total = integer("points_total");
    h.base_points = integer("base_points");
    h.start_year = integer("start_year");
    h.end_year = integer("end_year");
    h.parameters = read_dataset<std::string>(root.open_group("design"), "parameter").data();
    return h;
  } catch (const Hdf5Error& e) {
    throw SweepError(std::string("expected a readable sweep file: ") + e.what());
  }
}

std::vector<PointSource> sweep_file_sources(const std::string& path) {
  const File file = File::open_read(path);
  const Group design = file.root().open_group("design");
  const auto points = read_dataset<std::int32_t>(design, "point").data();
  const auto values = read_dataset<double>(design, "values");
  const std::size_t k = values.shape().at(1);
  std::vector<std::int32_t> role, sample;
  if (design.contains("role")) {
    role = read_dataset<std::int32_t>(design, "role").data();
    sample = read_dataset<std::int32_t>(design, "sample").data();
  }
  // The funds of a point are consecutive rows, written point after point.
  std::map<std::int32_t, std::pair<std::size_t, std::size_t>> funds;  // point -> first, count
  const auto fund_points =
      read_dataset<std::int32_t>(file.root().open_group("funds"), "point").data();
  for (std::size_t i = 0; i < fund_points.size(); ++i) {
    auto [it, fresh] = funds.try_emplace(fund_points[i], i, 0);
    if (!fresh && it->second.first + it->second.second != i)
      throw Hdf5Error(path + ": /funds/point: the funds of point " +
                      std::to_string(fund_points[i]) + " are not consecutive rows");
    ++it->second.second;
  }
  std::vector<PointSource> sources;
  for (std::size_t row = 0; row < points.size(); ++row) {
    PointSource s;
    s.point = static_cast<std::size_t>(points[row]);
    s.file = path;
    s.row = row;
    s.design_values.assign(values.data().begin() + static_cast<std::ptrdiff_t>(row * k),
                           values.data().begin() + static_cast<std::ptrdiff_t>((row + 1) * k));
    if (!role.empty()) {
      s.role = role[row];
      s.sample = sample[row];
    }
    const auto found = funds.find(points[row]);
    s.fund_first = found == funds.end() ? 0 : found->second.first;
    s.fund_count = found == funds.end() ? 0 : found->second.second;
    sources.push_back(std::move(s));
  }
  return sources;
}

}  // namespace vcsim
