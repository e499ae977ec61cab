#pragma once
// A dense row-major array with named dimensions: what the recorder fills and the
// HDF5 writer stores as one dataset with dimension scales.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

namespace vcsim {

template <typename T>
class NdArray {
 public:
  NdArray() = default;
  NdArray(std::vector<std::string> dims, std::vector<std::size_t> shape)
      : dims_(std::move(dims)), shape_(std::move(shape)) {
    std::size_t n = 1;
    for (auto s : shape_) n *= s;
    data_.assign(n, T{});
  }

  const std::vector<std::string>& dims() const { return dims_; }
  const std::vector<std::size_t>& shape() const { return shape_; }
  std::vector<T>& data() { return data_; }
  const std::vector<T>& data() const { return data_; }
  std::size_t size() const { return data_.size(); }

  template <typename... I>
  T& operator()(I... index) {
    return data_[offset({static_cast<std::size_t>(index)...})];
  }
  template <typename... I>
  const T& operator()(I... index) const {
    return data_[offset({static_cast<std::size_t>(index)...})];
  }

 private:
  std::size_t offset(std::initializer_list<std::size_t> index) const {
    std::size_t off = 0;
    std::size_t d = 0;
    for (auto i : index) off = off * shape_[d++] + i;
    return off;
  }

  std::vector<std::string> dims_;
  std::vector<std::size_t> shape_;
  std::vector<T> data_;
};

}  // namespace vcsim
