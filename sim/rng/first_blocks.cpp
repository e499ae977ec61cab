#include "rng/first_blocks.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>

#include "rng/philox_batch.hpp"

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define VCSIM_FIRST_BLOCKS_AVX512 1
#include <immintrin.h>
#endif

namespace vcsim {

namespace {

// Puts counters[0, n) into lanes [first, first + n), word by word.
void scalar_load_counters(const StreamCounter* counters, std::size_t first, std::size_t n,
                          PhiloxLanes& lanes) {
  for (std::size_t w = 0; w < 4; ++w)
    for (std::size_t lane = 0; lane < n; ++lane) lanes.counter[w][first + lane] = counters[lane][w];
}

#if defined(VCSIM_FIRST_BLOCKS_AVX512)
// The same, sixteen counters at a time: four registers hold their 64 words, and each
// word of the sixteen is picked from them by two permutes and a blend.
__attribute__((target("avx512f"))) void avx512_load_counters(const StreamCounter* counters,
                                                             std::size_t n, PhiloxLanes& lanes) {
  std::size_t lane = 0;
  for (; lane + 16 <= n; lane += 16) {
    const auto* words = reinterpret_cast<const std::uint32_t*>(counters + lane);
    const __m512i a = _mm512_loadu_si512(words), b = _mm512_loadu_si512(words + 16);
    const __m512i c = _mm512_loadu_si512(words + 32), d = _mm512_loadu_si512(words + 48);
    for (int w = 0; w < 4; ++w) {
      // Word w of counter j is word 4j + w of the sixteen; a and b hold counters 0-7, c
      // and d counters 8-15.
      const __m512i first_eight = _mm512_setr_epi32(w, 4 + w, 8 + w, 12 + w, 16 + w, 20 + w, 24 + w,
                                                    28 + w, 0, 0, 0, 0, 0, 0, 0, 0);
      const __m512i last_eight = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, w, 4 + w, 8 + w, 12 + w,
                                                   16 + w, 20 + w, 24 + w, 28 + w);
      const __m512i low = _mm512_permutex2var_epi32(a, first_eight, b);
      const __m512i high = _mm512_permutex2var_epi32(c, last_eight, d);
      _mm512_storeu_si512(&lanes.counter[w][lane], _mm512_mask_blend_epi32(0xFF00, low, high));
    }
  }
  scalar_load_counters(counters + lane, lane, n - lane, lanes);
}
#endif

#if defined(VCSIM_FIRST_BLOCKS_AVX512)
// Whether the processor runs the AVX-512 paths of this file, asked once.
bool has_avx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}
#endif

void load_counters(const StreamCounter* counters, std::size_t n, PhiloxLanes& lanes) {
#if defined(VCSIM_FIRST_BLOCKS_AVX512)
  if (has_avx512()) {
    avx512_load_counters(counters, n, lanes);
    return;
  }
#endif
  scalar_load_counters(counters, 0, n, lanes);
}

// Calls use(begin, n, lanes) with the first blocks of counters [begin, begin + n) in
// lanes.word, a batch of lanes at a time.
template <typename Use>
void for_each_batch(const StreamKey& key, std::span<const StreamCounter> counters, Use&& use) {
  thread_local PhiloxLanes lanes;
  for (std::size_t begin = 0; begin < counters.size(); begin += PhiloxLanes::kCapacity) {
    const std::size_t n = std::min(PhiloxLanes::kCapacity, counters.size() - begin);
    load_counters(&counters[begin], n, lanes);
    philox_blocks(key.seed, key.replication, lanes, n);
    use(begin, n, lanes);
  }
}

StreamBlock block_of_lane(const PhiloxLanes& lanes, std::size_t lane) {
  return {lanes.word[0][lane], lanes.word[1][lane], lanes.word[2][lane], lanes.word[3][lane]};
}

// Stream::normal() from the stream's first block when the ziggurat's first try is
// accepted (about 99 % of draws), false otherwise. The arithmetic is Boost's own
// (boost::random::normal_distribution on 32-bit words, Boost 1.74): the first word gives
// the layer and sign in its low 8 bits and the top 24 bits of the uniform, the second
// word's low 29 bits the rest, and the result is scaled by sigma 1 and shifted by mean 0
// as the distribution does, so the double is the same bit for bit
// (tests/rng/test_first_blocks.cpp compares every draw with the stream's).
bool ziggurat_first_try(const StreamBlock& block, double& out) {
  const double* const x = boost::random::detail::normal_table<double>::table_x;
  const int layer_and_sign = static_cast<int>(block[0] & 0xFFu);
  double u = static_cast<double>(block[0] >> 8) * 0x1p-24;
  u += static_cast<double>(block[1] & 0x1FFFFFFFu);
  u *= 0x1p-29;
  const int sign = (layer_and_sign & 1) * 2 - 1;
  const int layer = layer_and_sign >> 1;
  const double value = u * x[layer];
  if (!(value < x[layer + 1])) return false;
  out = value * sign * 1.0 + 0.0;
  return true;
}

#if defined(VCSIM_FIRST_BLOCKS_AVX512)
// GCC 12 warns that its own AVX-512 intrinsics read an uninitialised pass-through
// operand (GCC bug 105593, fixed in GCC 13); the operand is unused.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// ziggurat_first_try of lanes [0, n), eight at a time: the accepted draws are stored in
// out[0, n), and the lanes whose first try is rejected are set in `rejected` (one bit a
// lane), for the caller to draw from their streams. Every operation is the scalar
// one's, in the same order and rounding (this file is compiled without fused
// multiply-adds), so each draw is the same double. The last group may read lanes past n,
// words of an earlier batch (the lanes are never uninitialised): their layers still
// index the table, and nothing of theirs is stored.
__attribute__((target("avx512f"))) void avx512_first_tries(const PhiloxLanes& lanes, std::size_t n,
                                                           double* out, std::uint8_t* rejected) {
  const double* const x = boost::random::detail::normal_table<double>::table_x;
  const __m256i low_byte = _mm256_set1_epi32(0xFF), low_29 = _mm256_set1_epi32(0x1FFFFFFF);
  const __m256i one = _mm256_set1_epi32(1);
  for (std::size_t begin = 0; begin < n; begin += 8) {
    const std::size_t count = std::min<std::size_t>(n - begin, 8);
    const auto live = static_cast<__mmask8>((1u << count) - 1);
    const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(&lanes.word[0][begin]));
    const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(&lanes.word[1][begin]));
    const __m256i layer_and_sign = _mm256_and_si256(w0, low_byte);
    __m512d u =
        _mm512_mul_pd(_mm512_cvtepu32_pd(_mm256_srli_epi32(w0, 8)), _mm512_set1_pd(0x1p-24));
    u = _mm512_add_pd(u, _mm512_cvtepu32_pd(_mm256_and_si256(w1, low_29)));
    u = _mm512_mul_pd(u, _mm512_set1_pd(0x1p-29));
    const __m256i sign =
        _mm256_sub_epi32(_mm256_slli_epi32(_mm256_and_si256(layer_and_sign, one), 1), one);
    const __m256i layer = _mm256_srli_epi32(layer_and_sign, 1);
    const __m512d edge = _mm512_i32gather_pd(layer, x, 8);
    const __m512d next_edge = _mm512_i32gather_pd(_mm256_add_epi32(layer, one), x, 8);
    const __m512d value = _mm512_mul_pd(u, edge);
    const __mmask8 accepted = _mm512_cmp_pd_mask(value, next_edge, _CMP_LT_OQ);
    const __m512d signed_value = _mm512_add_pd(
        _mm512_mul_pd(_mm512_mul_pd(value, _mm512_cvtepi32_pd(sign)), _mm512_set1_pd(1.0)),
        _mm512_setzero_pd());
    _mm512_mask_storeu_pd(out + begin, static_cast<__mmask8>(live & accepted), signed_value);
    rejected[begin / 8] = static_cast<std::uint8_t>(live & ~accepted);
  }
}
#pragma GCC diagnostic pop
#endif

// The first normals of a batch's lanes, lane by lane.
void scalar_first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                          std::size_t begin, std::size_t n, const PhiloxLanes& lanes,
                          std::span<double> out) {
  for (std::size_t lane = 0; lane < n; ++lane) {
    const std::size_t k = begin + lane;
    const StreamBlock block = block_of_lane(lanes, lane);
    if (!ziggurat_first_try(block, out[k]))
      out[k] = Stream(key.seed, key.replication, counters[k], block).normal();
  }
}

#if defined(VCSIM_FIRST_BLOCKS_AVX512)
// The same, the first tries eight lanes at a time; the rejected lanes' draws from their
// streams.
void avx512_first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                          std::size_t begin, std::size_t n, const PhiloxLanes& lanes,
                          std::span<double> out) {
  std::uint8_t rejected[PhiloxLanes::kCapacity / 8];
  avx512_first_tries(lanes, n, &out[begin], rejected);
  for (std::size_t group = 0; group < (n + 7) / 8; ++group)
    for (unsigned bits = rejected[group]; bits != 0; bits &= bits - 1) {
      const std::size_t lane = group * 8 + static_cast<std::size_t>(__builtin_ctz(bits));
      out[begin + lane] =
          Stream(key.seed, key.replication, counters[begin + lane], block_of_lane(lanes, lane))
              .normal();
    }
}
#endif

}  // namespace

void first_blocks(const StreamKey& key, std::span<const StreamCounter> counters,
                  std::span<StreamBlock> out) {
  for_each_batch(key, counters, [&](std::size_t begin, std::size_t n, const PhiloxLanes& lanes) {
    for (std::size_t lane = 0; lane < n; ++lane) out[begin + lane] = block_of_lane(lanes, lane);
  });
}

// The ziggurat's first tries run across SIMD lanes where the processor has AVX-512, as
// the counters' loading into lanes does (bench_random_streams' BM_ScreeningNormals, one
// thread: 2.8e8-3.1e8 normals a second lane by lane, 4.2e8-4.5e8 with both).
void first_normals(const StreamKey& key, std::span<const StreamCounter> counters,
                   std::span<double> out) {
#if defined(VCSIM_FIRST_BLOCKS_AVX512)
  if (has_avx512()) {
    for_each_batch(key, counters, [&](std::size_t begin, std::size_t n, const PhiloxLanes& lanes) {
      avx512_first_normals(key, counters, begin, n, lanes, out);
    });
    return;
  }
#endif
  for_each_batch(key, counters, [&](std::size_t begin, std::size_t n, const PhiloxLanes& lanes) {
    scalar_first_normals(key, counters, begin, n, lanes, out);
  });
}

}  // namespace vcsim
