#pragma once
// Whether two columns hold the same bits: doubles compared as bytes, so that -0.0 and
// +0.0, or two NaNs, are told apart as a determinism test must.
#include <cstring>
#include <vector>

namespace vcsim::testing {

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

}  // namespace vcsim::testing
