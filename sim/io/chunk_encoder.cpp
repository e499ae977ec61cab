#include "io/chunk_encoder.hpp"

#include <zlib.h>

#include <stdexcept>
#include <string>

namespace vcsim {

namespace {

// Byte b of element i goes to position b x count + i: bytes of like significance lie
// together, where deflate finds the runs that a column of similar numbers makes.
std::vector<unsigned char> shuffled(const void* elements, std::size_t element_size,
                                    std::size_t count) {
  const auto* in = static_cast<const unsigned char*>(elements);
  std::vector<unsigned char> out(element_size * count);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t b = 0; b < element_size; ++b) out[b * count + i] = in[i * element_size + b];
  return out;
}

}  // namespace

std::vector<unsigned char> encode_chunk(const void* elements, std::size_t element_size,
                                        std::size_t count) {
  const std::vector<unsigned char> bytes = shuffled(elements, element_size, count);
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::vector<unsigned char> out(size);
  const int status =
      compress2(out.data(), &size, bytes.data(), static_cast<uLong>(bytes.size()), kDeflateLevel);
  if (status != Z_OK)
    throw std::runtime_error("deflate failed on a chunk of " + std::to_string(bytes.size()) +
                             " bytes (zlib status " + std::to_string(status) + ")");
  out.resize(size);
  return out;
}

}  // namespace vcsim
