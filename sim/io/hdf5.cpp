#include "io/hdf5.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <numeric>
#include <type_traits>

#include "io/chunk_encoder.hpp"

namespace vcsim {

static_assert(std::is_same_v<hid_t, hdf5::Id>, "hdf5::Id must be hid_t");

namespace hdf5 {

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.release();
  }
  return *this;
}

Id Handle::release() noexcept {
  Id id = id_;
  id_ = -1;
  return id;
}

// H5Idec_ref closes any kind of identifier once its last reference goes, so one handle
// type serves files, groups, datasets, types, spaces, attributes and property lists.
void Handle::reset() noexcept {
  if (id_ >= 0 && H5Iis_valid(id_) > 0) H5Idec_ref(id_);
  id_ = -1;
}

}  // namespace hdf5

namespace {

using hdf5::Handle;

// HDF5 prints its error stack to stderr by default; vcsim reports errors as exceptions
// instead. The setting is per thread in thread-safe builds, so it is applied on every
// entry point that opens a file rather than once.
// Called before a file is created or opened, so before any other call into HDF5.
void silence_error_stack() {
  // HDF5 1.10 tries again at exit to close objects whose close failed (a write that hit
  // a full disk or a file-size limit) and crashes doing so. vcsim closes every file it
  // keeps explicitly (File::close) before renaming it, so skipping that clean-up loses
  // nothing; H5dont_atexit must come before the library initialises.
  static const bool no_cleanup_at_exit = H5dont_atexit() >= 0;
  (void)no_cleanup_at_exit;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

herr_t innermost_error(unsigned n, const H5E_error2_t* error, void* out) {
  if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(out) = error->desc;
  return 0;
}

// The HDF5 library's own account of the last failure, read before any other call
// clears the error stack.
std::string hdf5_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost_error, &detail);
  return detail;
}

[[noreturn]] void fail(const std::string& file, const std::string& object, const std::string& what,
                       bool with_detail = true) {
  std::string message = file + ": " + object + ": " + what;
  if (with_detail) {
    std::string detail = hdf5_detail();
    if (!detail.empty()) message += " (" + detail + ")";
  }
  throw Hdf5Error(message);
}

[[noreturn]] void fail(const Object& object, const std::string& what, bool with_detail = true) {
  fail(object.file_path(), object.path(), what, with_detail);
}

// Wraps an identifier returned by the C API, failing if it is negative.
Handle checked(hid_t id, const std::string& file, const std::string& object,
               const std::string& what) {
  if (id < 0) fail(file, object, what);
  return Handle(id);
}

void check(herr_t status, const Object& object, const std::string& what) {
  if (status < 0) fail(object, what);
}

std::string join_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ")";
}

std::size_t element_count(const std::vector<std::size_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

std::vector<hsize_t> to_hsize(const std::vector<std::size_t>& shape) {
  return {shape.begin(), shape.end()};
}

// --- types -----------------------------------------------------------------------------

Handle string_type(std::size_t size, const Object& where) {
  Handle type = checked(H5Tcopy(H5T_C_S1), where.file_path(), where.path(), "copying string type");
  check(H5Tset_size(type.get(), size), where, "sizing string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), where, "setting string encoding");
  return type;
}

Handle variable_string_type(const Object& where) { return string_type(H5T_VARIABLE, where); }

template <typename T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, int>) return H5T_NATIVE_INT;
}

// The type a dataset is stored as in the file.
template <typename T>
Handle file_type(const WriteOptions& options, const Object& where) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (options.strings == StringStorage::variable) return variable_string_type(where);
    if (options.fixed_length == 0)
      fail(where, "fixed-length strings need WriteOptions::fixed_length", false);
    return string_type(options.fixed_length, where);
  } else {
    (void)options;
    return checked(H5Tcopy(native_type<T>()), where.file_path(), where.path(), "copying type");
  }
}

// Options with the fixed string length taken from `values` when left open.
template <typename T>
WriteOptions fitted(WriteOptions options, const std::vector<T>& values) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (options.strings == StringStorage::fixed && options.fixed_length == 0) {
      options.fixed_length = 1;  // HDF5 has no zero-length fixed strings
      for (const auto& v : values) options.fixed_length = std::max(options.fixed_length, v.size());
    }
  } else {
    (void)values;
  }
  return options;
}

// --- spaces and layout -----------------------------------------------------------------

Handle simple_space(const std::vector<std::size_t>& shape, const Object& where) {
  auto dims = to_hsize(shape);
  return checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                 where.file_path(), where.path(), "creating dataspace " + shape_text(shape));
}

std::vector<std::size_t> space_shape(hid_t space, const Object& where) {
  int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail(where, "reading dataspace rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0) fail(where, "reading shape");
  return {dims.begin(), dims.end()};
}

// Chunks of about 256 KiB, filled from the trailing axes: a chunk holds whole
// replications (the leading axis) or a run of months of one, never pieces of several,
// so reading one replication inflates little else.
std::vector<hsize_t> chunk_shape(const std::vector<std::size_t>& shape, std::size_t element_size) {
  std::size_t budget = std::max<std::size_t>(1, (256 * 1024) / element_size);
  std::vector<hsize_t> chunk(shape.size(), 1);
  for (std::size_t d = shape.size(); d-- > 0;) {
    std::size_t take = std::clamp<std::size_t>(budget, 1, shape[d]);
    chunk[d] = take;
    budget = std::max<std::size_t>(1, budget / take);
  }
  return chunk;
}

bool deflate_available() { return H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0; }

template <typename T>
Handle creation_properties(const std::vector<std::size_t>& shape, const WriteOptions& options,
                           const Object& where) {
  Handle dcpl = checked(H5Pcreate(H5P_DATASET_CREATE), where.file_path(), where.path(),
                        "creating dataset properties");
  // Filters on variable-length strings would compress only heap references.
  bool variable_strings =
      std::is_same_v<T, std::string> && options.strings == StringStorage::variable;
  std::size_t n = element_count(shape);
  if (variable_strings || n < kCompressThreshold || !deflate_available()) return dcpl;
  std::size_t element_size = std::is_same_v<T, std::string> ? 16 : sizeof(T);
  auto chunk = chunk_shape(shape, element_size);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), where,
        "setting chunk shape");
  check(H5Pset_shuffle(dcpl.get()), where, "setting shuffle filter");
  check(H5Pset_deflate(dcpl.get(), kDeflateLevel), where, "setting deflate filter");
  return dcpl;
}

// --- dimension scales ------------------------------------------------------------------

herr_t first_scale_name(hid_t /*dataset*/, unsigned /*dim*/, hid_t scale, void* out) {
  std::vector<char> buffer(256);
  ssize_t n = H5DSget_scale_name(scale, buffer.data(), buffer.size());
  if (n > 0) *static_cast<std::string*>(out) = std::string(buffer.data());
  return 1;  // stop at the first scale
}

std::string attached_name(const Dataset& dataset, unsigned axis) {
  if (H5DSget_num_scales(dataset.id(), axis) <= 0) return "dim_" + std::to_string(axis);
  std::string name;
  if (H5DSiterate_scales(dataset.id(), axis, nullptr, first_scale_name, &name) < 0)
    fail(dataset, "reading the scale of axis " + std::to_string(axis));
  return name.empty() ? "dim_" + std::to_string(axis) : name;
}

void attach_scales(const Group& group, const Dataset& dataset, const std::vector<std::string>& dims,
                   const std::vector<std::size_t>& shape) {
  for (unsigned axis = 0; axis < dims.size(); ++axis) {
    const std::string& dim = dims[axis];
    if (!group.contains(dim))
      fail(dataset,
           "no coordinate '" + dim + "' in " + group.path() + " for axis " + std::to_string(axis),
           false);
    Dataset scale = group.open_dataset(dim);
    if (!scale.is_scale()) fail(dataset, scale.path() + " is not a dimension scale", false);
    auto length = scale.shape();
    if (length.size() != 1 || length[0] != shape[axis])
      fail(dataset,
           "axis " + std::to_string(axis) + " has length " + std::to_string(shape[axis]) +
               " but coordinate " + scale.path() + " has shape " + shape_text(length),
           false);
    check(H5DSattach_scale(dataset.id(), scale.id(), axis), dataset, "attaching scale " + dim);
    check(H5DSset_label(dataset.id(), axis, dim.c_str()), dataset, "labelling axis " + dim);
  }
}

// --- raw writes and reads --------------------------------------------------------------

// A transfer property list whose type-conversion buffer fits `n` variable-length strings.
// HDF5's default buffer is 1 MiB, allocated and cleared on every string write: with the
// many small coordinate datasets of an output file, that clearing and the page faults of
// the freshly allocated memory cost more than the whole simulation of a small world.
Handle small_conversion_buffer(std::size_t n, const Object& where) {
  constexpr std::size_t kBytesPerString = 64;  // above any string type's in-memory size
  Handle transfer = checked(H5Pcreate(H5P_DATASET_XFER), where.file_path(), where.path(),
                            "creating a transfer property list");
  check(H5Pset_buffer(transfer.get(), std::max<std::size_t>(n, 1) * kBytesPerString, nullptr,
                      nullptr),
        where, "sizing the conversion buffer");
  return transfer;
}

// Writes `values` to the selection `file_space` of `dataset`, whose memory layout is
// `memory_space`.
template <typename T>
void write_selection(const Dataset& dataset, hid_t memory_space, hid_t file_space,
                     const std::vector<T>& values) {
  if constexpr (std::is_same_v<T, std::string>) {
    Handle type =
        checked(H5Dget_type(dataset.id()), dataset.file_path(), dataset.path(), "reading type");
    if (H5Tis_variable_str(type.get()) > 0) {
      std::vector<const char*> pointers;
      pointers.reserve(values.size());
      for (const auto& v : values) pointers.push_back(v.c_str());
      Handle memory_type = variable_string_type(dataset);
      Handle transfer = small_conversion_buffer(values.size(), dataset);
      check(H5Dwrite(dataset.id(), memory_type.get(), memory_space, file_space, transfer.get(),
                     pointers.data()),
            dataset, "writing strings");
      return;
    }
    std::size_t size = H5Tget_size(type.get());
    std::vector<char> buffer(values.size() * size, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (values[i].size() > size)
        fail(dataset,
             "string '" + values[i] + "' longer than the fixed length " + std::to_string(size),
             false);
      std::memcpy(buffer.data() + i * size, values[i].data(), values[i].size());
    }
    check(H5Dwrite(dataset.id(), type.get(), memory_space, file_space, H5P_DEFAULT, buffer.data()),
          dataset, "writing strings");
  } else {
    check(H5Dwrite(dataset.id(), native_type<T>(), memory_space, file_space, H5P_DEFAULT,
                   values.data()),
          dataset, "writing data");
  }
}

// HDF5 1.12 renamed H5Dvlen_reclaim to H5Treclaim; Debian 12 ships 1.10, which
// declares the new name without exporting it.
void reclaim_strings(hid_t type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

std::vector<std::string> read_strings(const Object& where, hid_t stored_type, std::size_t n,
                                      const std::function<herr_t(hid_t, void*)>& read) {
  std::vector<std::string> out(n);
  if (H5Tget_class(stored_type) != H5T_STRING) fail(where, "not a string", false);
  if (H5Tis_variable_str(stored_type) > 0) {
    Handle memory_type = variable_string_type(where);
    std::vector<char*> pointers(n, nullptr);
    if (read(memory_type.get(), pointers.data()) < 0) fail(where, "reading strings");
    for (std::size_t i = 0; i < n; ++i)
      if (pointers[i] != nullptr) out[i] = pointers[i];
    hsize_t count = n;
    Handle space = checked(H5Screate_simple(1, &count, nullptr), where.file_path(), where.path(),
                           "creating dataspace");
    reclaim_strings(memory_type.get(), space.get(), pointers.data());
    return out;
  }
  std::size_t size = H5Tget_size(stored_type);
  Handle memory_type = string_type(size, where);
  std::vector<char> buffer(n * size, '\0');
  if (read(memory_type.get(), buffer.data()) < 0) fail(where, "reading strings");
  for (std::size_t i = 0; i < n; ++i) {
    const char* begin = buffer.data() + i * size;
    out[i] = std::string(begin, strnlen(begin, size));
  }
  return out;
}

template <typename T>
void require_class(const Object& where, hid_t stored_type) {
  H5T_class_t stored = H5Tget_class(stored_type);
  bool ok = std::is_floating_point_v<T> ? (stored == H5T_FLOAT || stored == H5T_INTEGER)
                                        : stored == H5T_INTEGER;
  if (!ok) fail(where, "stored type is not numeric of the requested kind", false);
}

}  // namespace

// --- Dataset ---------------------------------------------------------------------------

std::vector<std::size_t> Dataset::shape() const {
  Handle space = checked(H5Dget_space(id()), file_path(), path(), "reading dataspace");
  return space_shape(space.get(), *this);
}

bool Dataset::is_scale() const { return H5DSis_scale(id()) > 0; }

std::vector<std::string> Dataset::dims() const {
  if (is_scale()) {
    std::vector<char> buffer(256);
    ssize_t n = H5DSget_scale_name(id(), buffer.data(), buffer.size());
    if (n > 0) return {std::string(buffer.data())};
  }
  std::size_t rank = shape().size();
  std::vector<std::string> names;
  for (unsigned axis = 0; axis < rank; ++axis) names.push_back(attached_name(*this, axis));
  return names;
}

bool Dataset::scale_attached(const Dataset& scale, unsigned axis) const {
  htri_t attached = H5DSis_attached(id(), scale.id(), axis);
  if (attached < 0) fail(*this, "checking the scale of axis " + std::to_string(axis));
  return attached > 0;
}

// --- Group -----------------------------------------------------------------------------

std::string Group::child_path(const std::string& name) const { return join_path(path(), name); }

Group Group::create_group(const std::string& name) const {
  Handle id = checked(H5Gcreate2(this->id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      file_path(), child_path(name), "creating group");
  return Group(std::move(id), file_path(), child_path(name));
}

Group Group::open_group(const std::string& name) const {
  if (!contains(name)) fail(file_path(), child_path(name), "no such group", false);
  Handle id = checked(H5Gopen2(this->id(), name.c_str(), H5P_DEFAULT), file_path(),
                      child_path(name), "opening group");
  return Group(std::move(id), file_path(), child_path(name));
}

Dataset Group::open_dataset(const std::string& name) const {
  if (!contains(name)) fail(file_path(), child_path(name), "no such dataset", false);
  Handle id = checked(H5Dopen2(this->id(), name.c_str(), H5P_DEFAULT), file_path(),
                      child_path(name), "opening dataset");
  return Dataset(std::move(id), file_path(), child_path(name));
}

bool Group::contains(const std::string& name) const {
  htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  if (exists < 0) fail(file_path(), child_path(name), "looking up link");
  return exists > 0;
}

namespace {
herr_t collect_name(hid_t, const char* name, const H5L_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> Group::members() const {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &names) < 0)
    fail(*this, "listing members");
  return names;
}

// --- File ------------------------------------------------------------------------------

File File::create(const std::string& path) {
  silence_error_stack();
  Handle id = checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), path, "/",
                      "cannot create file");
  return File(std::move(id), path);
}

File File::open_read(const std::string& path) {
  silence_error_stack();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) fail(path, "/", "no such file", false);
  Handle id = checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path, "/",
                      "cannot open: not an HDF5 file, or damaged");
  return File(std::move(id), path);
}

Group File::root() const {
  if (handle_.get() < 0) fail(path_, "/", "file is closed", false);
  Handle id = checked(H5Gopen2(handle_.get(), "/", H5P_DEFAULT), path_, "/", "opening root group");
  return Group(std::move(id), path_, "/");
}

void File::close() {
  if (handle_.get() < 0) return;
  Handle handle = std::move(handle_);
  if (H5Fflush(handle.get(), H5F_SCOPE_GLOBAL) < 0) fail(path_, "/", "flushing file");
  if (H5Fclose(handle.release()) < 0) fail(path_, "/", "closing file");
}

// --- datasets --------------------------------------------------------------------------

template <Hdf5Element T>
Dataset write_coordinate(const Group& group, const std::string& dim, const std::vector<T>& values,
                         const WriteOptions& options) {
  std::vector<std::size_t> shape{values.size()};
  WriteOptions fit = fitted(options, values);
  Handle type = file_type<T>(fit, group);
  Handle space = simple_space(shape, group);
  Handle dcpl = creation_properties<T>(shape, fit, group);
  Handle id = checked(H5Dcreate2(group.id(), dim.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                 dcpl.get(), H5P_DEFAULT),
                      group.file_path(), group.child_path(dim), "creating coordinate");
  Dataset dataset(std::move(id), group.file_path(), group.child_path(dim));
  check(H5DSset_scale(dataset.id(), dim.c_str()), dataset, "making a dimension scale");
  write_rows(dataset, 0, values);
  return dataset;
}

template <Hdf5Element T>
Dataset create_dataset(const Group& group, const std::string& name,
                       const std::vector<std::string>& dims, const std::vector<std::size_t>& shape,
                       const WriteOptions& options) {
  if (dims.size() != shape.size() || dims.empty())
    fail(group.file_path(), group.child_path(name),
         std::to_string(dims.size()) + " dimension names for shape " + shape_text(shape), false);
  Handle type = file_type<T>(options, group);
  Handle space = simple_space(shape, group);
  Handle dcpl = creation_properties<T>(shape, options, group);
  Handle id = checked(H5Dcreate2(group.id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                 dcpl.get(), H5P_DEFAULT),
                      group.file_path(), group.child_path(name), "creating dataset");
  Dataset dataset(std::move(id), group.file_path(), group.child_path(name));
  attach_scales(group, dataset, dims, shape);
  return dataset;
}

template <Hdf5Element T>
void write_rows(const Dataset& dataset, std::size_t first, const std::vector<T>& values) {
  if (values.empty()) return;
  auto shape = dataset.shape();
  std::size_t row = shape.empty() || shape[0] == 0 ? 0 : element_count(shape) / shape[0];
  if (row == 0 || values.size() % row != 0 || first + values.size() / row > shape[0])
    fail(dataset,
         std::to_string(values.size()) + " values do not fit as rows from " +
             std::to_string(first) + " into shape " + shape_text(shape),
         false);
  std::vector<std::size_t> block = shape;
  block[0] = values.size() / row;
  Handle memory_space = simple_space(block, dataset);
  Handle file_space =
      checked(H5Dget_space(dataset.id()), dataset.file_path(), dataset.path(), "reading dataspace");
  std::vector<hsize_t> start(shape.size(), 0), count = to_hsize(block);
  start[0] = first;
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        dataset, "selecting rows");
  write_selection(dataset, memory_space.get(), file_space.get(), values);
}

template <Hdf5Element T>
Dataset write_dataset(const Group& group, const std::string& name, const NdArray<T>& array,
                      const WriteOptions& options) {
  Dataset dataset =
      create_dataset<T>(group, name, array.dims(), array.shape(), fitted(options, array.data()));
  write_rows(dataset, 0, array.data());
  return dataset;
}

template <Hdf5Element T>
Dataset write_dataset(const Group& group, const std::string& name, const std::vector<T>& values,
                      const std::string& dim, const WriteOptions& options) {
  Dataset dataset = create_dataset<T>(group, name, {dim}, {values.size()}, fitted(options, values));
  write_rows(dataset, 0, values);
  return dataset;
}

namespace {

// Rows per chunk of a dataset whose chunks hold whole rows and pass through the shuffle
// filter, then deflate, as creation_properties makes them; 0 for any other layout.
std::size_t whole_row_chunk(const Dataset& dataset, const std::vector<std::size_t>& shape) {
  Handle dcpl = checked(H5Dget_create_plist(dataset.id()), dataset.file_path(), dataset.path(),
                        "reading creation properties");
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return 0;
  std::vector<hsize_t> chunk(shape.size());
  if (H5Pget_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()) !=
      static_cast<int>(chunk.size()))
    return 0;
  for (std::size_t d = 1; d < shape.size(); ++d)
    if (chunk[d] != shape[d]) return 0;
  const H5Z_filter_t pipeline[] = {H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE};
  if (H5Pget_nfilters(dcpl.get()) != 2) return 0;
  for (unsigned k = 0; k < 2; ++k) {
    unsigned flags = 0;
    std::size_t values = 0;
    if (H5Pget_filter2(dcpl.get(), k, &flags, &values, nullptr, 0, nullptr, nullptr) != pipeline[k])
      return 0;
  }
  return static_cast<std::size_t>(chunk[0]);
}

// Chunks are encoded and written once a chunk per thread is full (two at least): enough
// to keep every thread busy, few enough that the rows a table holds back stay near the
// 1 MiB per dataset that HDF5's own chunk cache would hold.
std::size_t chunks_per_batch() {
  return std::max<std::size_t>(2,
                               static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()));
}

}  // namespace

template <Hdf5Number T>
RowAppender<T>::RowAppender(Dataset dataset) : dataset_(std::move(dataset)) {
  const std::vector<std::size_t> shape = dataset_.shape();
  if (shape.empty()) fail(dataset_, "a scalar dataset has no rows to append", false);
  rank_ = shape.size();
  rows_ = shape[0];
  row_elements_ = element_count(std::vector<std::size_t>(shape.begin() + 1, shape.end()));
  chunk_rows_ = row_elements_ > 0 ? whole_row_chunk(dataset_, shape) : 0;
}

template <Hdf5Number T>
void RowAppender<T>::append(const std::vector<T>& values) {
  if (values.empty()) return;
  if (row_elements_ == 0 || values.size() % row_elements_ != 0 ||
      appended_ + values.size() / row_elements_ > rows_)
    fail(dataset_,
         std::to_string(values.size()) + " values do not fit as rows from " +
             std::to_string(appended_) + " into shape " + shape_text(dataset_.shape()),
         false);
  if (chunk_rows_ == 0) {
    write_rows(dataset_, appended_, values);
    appended_ += values.size() / row_elements_;
    written_ = appended_;
    return;
  }
  pending_.insert(pending_.end(), values.begin(), values.end());
  appended_ += values.size() / row_elements_;
  if ((appended_ - written_) / chunk_rows_ >= chunks_per_batch()) write_pending(false);
}

template <Hdf5Number T>
void RowAppender<T>::finish() {
  // A dataset given no rows at all is left to its fill value, zero, as write_rows
  // leaves it when given no values.
  if (appended_ > 0 && appended_ != rows_)
    fail(dataset_,
         std::to_string(appended_) + " rows appended of the " + std::to_string(rows_) + " it holds",
         false);
  if (chunk_rows_ > 0) write_pending(true);
}

// The last chunk may reach past the dataset's end; HDF5 stores such a chunk whole, so
// it is encoded whole, its rows past the end zero.
template <Hdf5Number T>
void RowAppender<T>::write_pending(bool with_partial) {
  const std::size_t held = appended_ - written_;
  const std::size_t chunks =
      with_partial ? (held + chunk_rows_ - 1) / chunk_rows_ : held / chunk_rows_;
  if (chunks == 0) return;
  const std::size_t chunk_elements = chunk_rows_ * row_elements_;
  std::vector<std::vector<unsigned char>> encoded(chunks);
  try {
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t k) {
      const T* first = pending_.data() + k * chunk_elements;
      const std::size_t valid = std::min(chunk_elements, pending_.size() - k * chunk_elements);
      if (valid == chunk_elements) {
        encoded[k] = encode_chunk(first, sizeof(T), chunk_elements);
        return;
      }
      std::vector<T> padded(chunk_elements, T{});
      std::copy_n(first, valid, padded.begin());
      encoded[k] = encode_chunk(padded.data(), sizeof(T), chunk_elements);
    });
  } catch (const std::runtime_error& e) {
    fail(dataset_, e.what(), false);
  }
  std::vector<hsize_t> offset(rank_, 0);
  for (std::size_t k = 0; k < chunks; ++k) {
    offset[0] = written_ + k * chunk_rows_;
    check(H5Dwrite_chunk(dataset_.id(), H5P_DEFAULT, 0, offset.data(), encoded[k].size(),
                         encoded[k].data()),
          dataset_, "writing the chunk at row " + std::to_string(offset[0]));
  }
  const std::size_t rows = std::min(held, chunks * chunk_rows_);
  written_ += rows;
  pending_.erase(pending_.begin(),
                 pending_.begin() + static_cast<std::ptrdiff_t>(rows * row_elements_));
}

template class RowAppender<std::int32_t>;
template class RowAppender<std::uint64_t>;
template class RowAppender<double>;

template <Hdf5Element T>
NdArray<T> read_dataset(const Dataset& dataset) {
  NdArray<T> array(dataset.dims(), dataset.shape());
  if (array.size() == 0) return array;
  Handle type =
      checked(H5Dget_type(dataset.id()), dataset.file_path(), dataset.path(), "reading type");
  if constexpr (std::is_same_v<T, std::string>) {
    array.data() = read_strings(dataset, type.get(), array.size(), [&](hid_t memory, void* out) {
      return H5Dread(dataset.id(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
    });
  } else {
    require_class<T>(dataset, type.get());
    check(
        H5Dread(dataset.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, array.data().data()),
        dataset, "reading data");
  }
  return array;
}

template <Hdf5Element T>
NdArray<T> read_dataset(const Group& group, const std::string& name) {
  return read_dataset<T>(group.open_dataset(name));
}

template <Hdf5Element T>
std::vector<T> read_rows(const Dataset& dataset, std::size_t first, std::size_t count) {
  auto shape = dataset.shape();
  if (shape.empty() || first + count > shape[0])
    fail(dataset,
         "rows [" + std::to_string(first) + ", " + std::to_string(first + count) +
             ") lie outside shape " + shape_text(shape),
         false);
  std::vector<std::size_t> block = shape;
  block[0] = count;
  const std::size_t n = element_count(block);
  if (n == 0) return {};
  Handle memory_space = simple_space(block, dataset);
  Handle file_space =
      checked(H5Dget_space(dataset.id()), dataset.file_path(), dataset.path(), "reading dataspace");
  std::vector<hsize_t> start(shape.size(), 0), counts = to_hsize(block);
  start[0] = first;
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, counts.data(),
                            nullptr),
        dataset, "selecting rows");
  Handle type =
      checked(H5Dget_type(dataset.id()), dataset.file_path(), dataset.path(), "reading type");
  if constexpr (std::is_same_v<T, std::string>) {
    return read_strings(dataset, type.get(), n, [&](hid_t memory, void* out) {
      return H5Dread(dataset.id(), memory, memory_space.get(), file_space.get(), H5P_DEFAULT, out);
    });
  } else {
    require_class<T>(dataset, type.get());
    std::vector<T> values(n);
    check(H5Dread(dataset.id(), native_type<T>(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                  values.data()),
          dataset, "reading rows");
    return values;
  }
}

ElementKind element_kind(const Dataset& dataset) {
  Handle type =
      checked(H5Dget_type(dataset.id()), dataset.file_path(), dataset.path(), "reading type");
  const H5T_class_t kind = H5Tget_class(type.get());
  const std::size_t size = H5Tget_size(type.get());
  if (kind == H5T_STRING) return ElementKind::string;
  if (kind == H5T_FLOAT) return size == 8 ? ElementKind::float64 : ElementKind::other;
  if (kind != H5T_INTEGER) return ElementKind::other;
  const bool is_signed = H5Tget_sign(type.get()) == H5T_SGN_2;
  if (size == 4 && is_signed) return ElementKind::int32;
  if (size == 8 && !is_signed) return ElementKind::uint64;
  return ElementKind::other;
}

#define VCSIM_HDF5_INSTANTIATE(T)                                                               \
  template Dataset write_coordinate<T>(const Group&, const std::string&, const std::vector<T>&, \
                                       const WriteOptions&);                                    \
  template Dataset create_dataset<T>(const Group&, const std::string&,                          \
                                     const std::vector<std::string>&,                           \
                                     const std::vector<std::size_t>&, const WriteOptions&);     \
  template void write_rows<T>(const Dataset&, std::size_t, const std::vector<T>&);              \
  template Dataset write_dataset<T>(const Group&, const std::string&, const NdArray<T>&,        \
                                    const WriteOptions&);                                       \
  template Dataset write_dataset<T>(const Group&, const std::string&, const std::vector<T>&,    \
                                    const std::string&, const WriteOptions&);                   \
  template NdArray<T> read_dataset<T>(const Dataset&);                                          \
  template NdArray<T> read_dataset<T>(const Group&, const std::string&);                        \
  template std::vector<T> read_rows<T>(const Dataset&, std::size_t, std::size_t);

VCSIM_HDF5_INSTANTIATE(std::int32_t)
VCSIM_HDF5_INSTANTIATE(std::uint64_t)
VCSIM_HDF5_INSTANTIATE(double)
VCSIM_HDF5_INSTANTIATE(std::string)
#undef VCSIM_HDF5_INSTANTIATE

// --- attributes ------------------------------------------------------------------------

namespace {

std::string attribute_path(const Object& object, const std::string& name) {
  return object.path() + "@" + name;
}

// Creates attribute `name` of `type` and `space`, replacing one of that name.
Handle create_attribute(const Object& object, const std::string& name, hid_t type, hid_t space) {
  htri_t exists = H5Aexists(object.id(), name.c_str());
  if (exists < 0) fail(object.file_path(), attribute_path(object, name), "looking up attribute");
  if (exists > 0 && H5Adelete(object.id(), name.c_str()) < 0)
    fail(object.file_path(), attribute_path(object, name), "replacing attribute");
  return checked(H5Acreate2(object.id(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                 object.file_path(), attribute_path(object, name), "creating attribute");
}

void write_attribute_raw(const Object& object, const std::string& name, hid_t type,
                         const std::vector<std::size_t>& shape, hid_t memory_type,
                         const void* data) {
  Handle space = shape.empty() ? checked(H5Screate(H5S_SCALAR), object.file_path(), object.path(),
                                         "creating dataspace")
                               : simple_space(shape, object);
  Handle attribute = create_attribute(object, name, type, space.get());
  if (H5Awrite(attribute.get(), memory_type, data) < 0)
    fail(object.file_path(), attribute_path(object, name), "writing attribute");
}

Handle open_attribute(const Object& object, const std::string& name) {
  if (!has_attribute(object, name))
    fail(object.file_path(), attribute_path(object, name), "no such attribute", false);
  return checked(H5Aopen(object.id(), name.c_str(), H5P_DEFAULT), object.file_path(),
                 attribute_path(object, name), "opening attribute");
}

std::size_t attribute_size(const Object& object, const std::string& name, hid_t attribute) {
  Handle space = checked(H5Aget_space(attribute), object.file_path(), attribute_path(object, name),
                         "reading dataspace");
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) fail(object.file_path(), attribute_path(object, name), "reading size");
  return static_cast<std::size_t>(n);
}

// Reads a numeric attribute of any stored integer or float type as `T`.
template <typename T>
std::vector<T> read_numbers(const Object& object, const std::string& name) {
  Handle attribute = open_attribute(object, name);
  Handle type = checked(H5Aget_type(attribute.get()), object.file_path(),
                        attribute_path(object, name), "reading type");
  H5T_class_t stored = H5Tget_class(type.get());
  bool ok = stored == H5T_INTEGER || (std::is_floating_point_v<T> && stored == H5T_FLOAT);
  if (!ok)
    fail(object.file_path(), attribute_path(object, name),
         std::string("not ") + (std::is_floating_point_v<T> ? "a number" : "an integer"), false);
  std::vector<T> values(attribute_size(object, name, attribute.get()));
  if (!values.empty() && H5Aread(attribute.get(), native_type<T>(), values.data()) < 0)
    fail(object.file_path(), attribute_path(object, name), "reading attribute");
  return values;
}

template <typename T>
T read_scalar(const Object& object, const std::string& name) {
  auto values = read_numbers<T>(object, name);
  if (values.size() != 1)
    fail(object.file_path(), attribute_path(object, name),
         "holds " + std::to_string(values.size()) + " values, not one", false);
  return values[0];
}

}  // namespace

void write_attribute(const Object& object, const std::string& name, std::string_view value) {
  Handle type = variable_string_type(object);
  std::string text(value);
  const char* pointer = text.c_str();
  write_attribute_raw(object, name, type.get(), {}, type.get(), &pointer);
}

void write_attribute(const Object& object, const std::string& name, std::int64_t value) {
  write_attribute_raw(object, name, H5T_NATIVE_INT64, {}, H5T_NATIVE_INT64, &value);
}

void write_attribute(const Object& object, const std::string& name, double value) {
  write_attribute_raw(object, name, H5T_NATIVE_DOUBLE, {}, H5T_NATIVE_DOUBLE, &value);
}

void write_attribute(const Object& object, const std::string& name, const std::vector<int>& value) {
  write_attribute_raw(object, name, H5T_NATIVE_INT, {value.size()}, H5T_NATIVE_INT, value.data());
}

bool has_attribute(const Object& object, const std::string& name) {
  htri_t exists = H5Aexists(object.id(), name.c_str());
  if (exists < 0) fail(object.file_path(), attribute_path(object, name), "looking up attribute");
  return exists > 0;
}

template <typename T>
T read_attribute(const Object& object, const std::string& name) {
  if constexpr (std::is_same_v<T, std::string>) {
    Handle attribute = open_attribute(object, name);
    Handle type = checked(H5Aget_type(attribute.get()), object.file_path(),
                          attribute_path(object, name), "reading type");
    if (H5Tget_class(type.get()) != H5T_STRING)
      fail(object.file_path(), attribute_path(object, name), "not a string", false);
    std::size_t n = attribute_size(object, name, attribute.get());
    auto values = read_strings(object, type.get(), n, [&](hid_t memory, void* out) {
      return H5Aread(attribute.get(), memory, out);
    });
    if (values.size() != 1)
      fail(object.file_path(), attribute_path(object, name), "not a single string", false);
    return values[0];
  } else if constexpr (std::is_same_v<T, std::vector<int>>) {
    return read_numbers<int>(object, name);
  } else {
    return read_scalar<T>(object, name);
  }
}

template std::string read_attribute<std::string>(const Object&, const std::string&);
template std::int64_t read_attribute<std::int64_t>(const Object&, const std::string&);
template double read_attribute<double>(const Object&, const std::string&);
template std::vector<int> read_attribute<std::vector<int>>(const Object&, const std::string&);

}  // namespace vcsim
