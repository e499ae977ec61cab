#include "io/chunk_encoder.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace vcsim;

namespace {

// Inflates a zlib stream of `bytes` bytes and undoes the shuffle: the decoding HDF5's
// filter pipeline applies on reading.
template <typename T>
std::vector<T> decoded(const std::vector<unsigned char>& encoded, std::size_t count) {
  std::vector<unsigned char> shuffled(count * sizeof(T));
  uLongf size = static_cast<uLongf>(shuffled.size());
  REQUIRE(uncompress(shuffled.data(), &size, encoded.data(), static_cast<uLong>(encoded.size())) ==
          Z_OK);
  REQUIRE(size == shuffled.size());
  std::vector<unsigned char> bytes(shuffled.size());
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t b = 0; b < sizeof(T); ++b) bytes[i * sizeof(T) + b] = shuffled[b * count + i];
  std::vector<T> out(count);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace

TEST_CASE("io: an encoded chunk is the shuffled values deflated", "[io][chunk]") {
  std::vector<double> values(4096);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = std::exp(static_cast<double>(i) * 1e-3);
  const auto encoded = encode_chunk(values.data(), sizeof(double), values.size());
  CHECK(decoded<double>(encoded, values.size()) == values);

  std::vector<std::int32_t> months(65536, 7);
  months[100] = -1;
  const auto small = encode_chunk(months.data(), sizeof(std::int32_t), months.size());
  CHECK(decoded<std::int32_t>(small, months.size()) == months);
  // Like values compress to a sliver of their 256 KiB.
  CHECK(small.size() < 2048);
  // The same values give the same bytes.
  CHECK(encode_chunk(months.data(), sizeof(std::int32_t), months.size()) == small);
}
