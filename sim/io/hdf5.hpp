#pragma once
// The typed HDF5 layer: the only code in vcsim that calls the HDF5 C API (STYLE.md 9).
// Files, groups and datasets are move-only RAII handles; every failure becomes an
// Hdf5Error naming the file and the object, never a crash or a message on stderr.
//
// Datasets carry named dimensions as HDF5 dimension scales: each axis is attached to a
// 1-D coordinate dataset of the same group named for the dimension (write_coordinate),
// the convention netCDF-4 uses, so xarray (h5netcdf) opens a group with named dims.
//
// Thread safety: none. The HDF5 build vcsim links is serial (not thread-safe), so a
// program must keep all calls into this layer on one thread at a time.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "record/nd_array.hpp"

namespace vcsim {

class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace hdf5 {

// An HDF5 identifier (hid_t, a 64-bit integer since HDF5 1.10), kept opaque here so
// that callers never include hdf5.h.
using Id = std::int64_t;

// Owns one reference to an HDF5 identifier and drops it on destruction.
class Handle {
 public:
  Handle() = default;
  explicit Handle(Id id) : id_(id) {}
  Handle(Handle&& other) noexcept : id_(other.release()) {}
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  Id get() const { return id_; }
  Id release() noexcept;
  void reset() noexcept;

 private:
  Id id_ = -1;
};

}  // namespace hdf5

// Element types the layer stores: integers, doubles, and UTF-8 strings.
template <typename T>
concept Hdf5Element = std::same_as<T, std::int32_t> || std::same_as<T, std::uint64_t> ||
    std::same_as<T, double> || std::same_as<T, std::string>;

template <typename T>
concept Hdf5Number =
    std::same_as<T, std::int32_t> || std::same_as<T, std::uint64_t> || std::same_as<T, double>;

// An open group or dataset: what attributes hang on.
class Object {
 public:
  const std::string& file_path() const { return file_; }
  const std::string& path() const { return path_; }  // inside the file, e.g. "/timeseries"
  hdf5::Id id() const { return handle_.get(); }

 protected:
  Object(hdf5::Handle handle, std::string file, std::string path)
      : handle_(std::move(handle)), file_(std::move(file)), path_(std::move(path)) {}

 private:
  hdf5::Handle handle_;
  std::string file_, path_;
};

class Dataset : public Object {
 public:
  Dataset(hdf5::Handle handle, std::string file, std::string path)
      : Object(std::move(handle), std::move(file), std::move(path)) {}

  std::vector<std::size_t> shape() const;
  // The dimension names: those of the attached scales ("dim_<i>" for a bare axis); a
  // coordinate dataset's one dimension is its own name.
  std::vector<std::string> dims() const;
  bool is_scale() const;
  // Whether axis `axis` is attached to the dimension scale `scale`.
  bool scale_attached(const Dataset& scale, unsigned axis) const;
};

class Group : public Object {
 public:
  Group(hdf5::Handle handle, std::string file, std::string path)
      : Object(std::move(handle), std::move(file), std::move(path)) {}

  Group create_group(const std::string& name) const;
  Group open_group(const std::string& name) const;
  Dataset open_dataset(const std::string& name) const;
  bool contains(const std::string& name) const;
  // Names of the links in this group, in name order.
  std::vector<std::string> members() const;
  // The path of the member `name`, for messages.
  std::string child_path(const std::string& name) const;
};

class File {
 public:
  // Creates `path`, replacing any file of that name.
  static File create(const std::string& path);
  static File open_read(const std::string& path);

  const std::string& path() const { return path_; }
  Group root() const;
  // Flushes and closes, reporting failures (a full disk) that a destructor would lose.
  // Groups and datasets opened from the file should be closed first.
  void close();

 private:
  File(hdf5::Handle handle, std::string path)
      : handle_(std::move(handle)), path_(std::move(path)) {}

  hdf5::Handle handle_;
  std::string path_;
};

// Variable-length strings suit labels of any length; fixed-length ones read back as
// plain numpy byte arrays in tools that do not handle variable-length data.
enum class StringStorage { variable, fixed };

struct WriteOptions {
  StringStorage strings = StringStorage::variable;
  // Bytes per fixed-length string; 0 takes the longest value written (create_dataset,
  // which sees no values, needs it set).
  std::size_t fixed_length = 0;
};

// Arrays of at least this many elements are chunked and compressed (shuffle, then
// deflate at kDeflateLevel, io/chunk_encoder.hpp); smaller ones are stored contiguously,
// where the filter overhead would outweigh the gain.
inline constexpr std::size_t kCompressThreshold = 4096;

// A 1-D coordinate dataset `dim` in `group`, made a dimension scale named `dim`.
template <Hdf5Element T>
Dataset write_coordinate(const Group& group, const std::string& dim, const std::vector<T>& values,
                         const WriteOptions& options = {});

// An unwritten dataset whose axes are attached to the coordinates `dims` of `group`,
// which must exist with the lengths in `shape`.
template <Hdf5Element T>
Dataset create_dataset(const Group& group, const std::string& name,
                       const std::vector<std::string>& dims, const std::vector<std::size_t>& shape,
                       const WriteOptions& options = {});

// Writes `values` (row-major) into rows [first, first + n) of the leading axis, where n
// is values.size() over the size of one row. Stacks replications one at a time.
template <Hdf5Element T>
void write_rows(const Dataset& dataset, std::size_t first, const std::vector<T>& values);

// Fills a dataset's rows in order from the first, a batch of whole rows at a time: the
// writer of the output file's large tables, stacked a replication at a time. Where the
// dataset is compressed with chunks of whole rows, full chunks are encoded on every
// thread (io/chunk_encoder.hpp) and handed to HDF5 in order, so the file holds the same
// data whatever the thread count; otherwise each batch goes through write_rows. The
// calls into HDF5 stay on the calling thread.
template <Hdf5Number T>
class RowAppender {
 public:
  using value_type = T;

  explicit RowAppender(Dataset dataset);
  RowAppender(RowAppender&&) noexcept = default;
  RowAppender& operator=(RowAppender&&) noexcept = default;

  const Dataset& dataset() const { return dataset_; }
  // Appends whole rows (values.size() a multiple of the row's size), row-major.
  void append(const std::vector<T>& values);
  // Writes what is held back; throws if the rows appended, if any, do not fill the
  // dataset. A dataset given no rows is left to its fill value, zero.
  void finish();

 private:
  // Encodes the full chunks held back, and the last, partial one too if `with_partial`,
  // and writes them.
  void write_pending(bool with_partial);

  Dataset dataset_;
  std::size_t rank_ = 1;
  std::size_t rows_ = 0;          // the dataset's leading axis
  std::size_t row_elements_ = 1;  // elements per row
  std::size_t chunk_rows_ = 0;    // rows per chunk, 0 where batches go through write_rows
  std::size_t appended_ = 0;      // rows appended so far
  std::size_t written_ = 0;       // rows handed to HDF5 so far
  std::vector<T> pending_;        // rows appended and not yet written
};

template <Hdf5Element T>
Dataset write_dataset(const Group& group, const std::string& name, const NdArray<T>& array,
                      const WriteOptions& options = {});

// A 1-D dataset along the coordinate `dim`.
template <Hdf5Element T>
Dataset write_dataset(const Group& group, const std::string& name, const std::vector<T>& values,
                      const std::string& dim, const WriteOptions& options = {});

// Reads `count` rows of the leading axis from row `first`, row-major; sweeps read one
// point's slab of a stacked dataset this way.
template <Hdf5Element T>
std::vector<T> read_rows(const Dataset& dataset, std::size_t first, std::size_t count);

// How a dataset's elements are stored, so that code copying datasets between files keeps
// their types: the four element types of this layer, or `other`.
enum class ElementKind { int32, uint64, float64, string, other };
ElementKind element_kind(const Dataset& dataset);

// Reads a dataset whole, fixed- or variable-length strings alike, with its dimension
// names recovered from the attached scales.
template <Hdf5Element T>
NdArray<T> read_dataset(const Dataset& dataset);
template <Hdf5Element T>
NdArray<T> read_dataset(const Group& group, const std::string& name);

// Attributes: strings (variable-length UTF-8, so of any length), 64-bit integers,
// doubles and integer arrays. Writing replaces an attribute of the same name.
void write_attribute(const Object& object, const std::string& name, std::string_view value);
void write_attribute(const Object& object, const std::string& name, std::int64_t value);
void write_attribute(const Object& object, const std::string& name, double value);
void write_attribute(const Object& object, const std::string& name, const std::vector<int>& value);
// Any other integer goes in as int64, so that `write_attribute(g, "n", 3)` is not
// ambiguous between int64 and double.
template <std::integral I>
requires(!std::same_as<I, bool> &&
         !std::same_as<I, std::int64_t>) void write_attribute(const Object& object,
                                                              const std::string& name, I value) {
  write_attribute(object, name, static_cast<std::int64_t>(value));
}

bool has_attribute(const Object& object, const std::string& name);

// T is std::string, std::int64_t, double or std::vector<int>; a missing attribute or
// one of another kind is an Hdf5Error.
template <typename T>
T read_attribute(const Object& object, const std::string& name);

}  // namespace vcsim
