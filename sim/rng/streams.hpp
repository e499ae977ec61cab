#pragma once
// Named random streams on Random123's Philox4x32-10 (MODEL.md section 4).
//
// Every draw is a pure function of (seed, replication, purpose, region, agent ids,
// month or stage): the key is (seed, replication) and the counter
// (purpose | region | block, id_a, id_b, month_or_stage). A Stream hands out the
// 32-bit words of consecutive 128-bit blocks, so Boost.Random distributions that
// consume a variable number of words (normal, Poisson) read them in sequence without
// colliding with any other stream. No state is shared between streams: agents can be
// simulated in any order, on any thread, with identical results.
#include <Random123/philox.h>

#include <array>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <limits>

namespace vcsim {

enum class Purpose : std::uint32_t {
  births = 1,
  milestone = 2,
  startup_month = 3,  // a startup's value step, failure, IPO and acquisition draws
  // 4 and 5 were separate failure and exit streams before engine version 0.2.
  screening_shared = 6,
  screening_firm = 7,
  market_order = 8,
  grants = 9,
  fundraising = 10,
  entry = 11,
  sweep_design = 12,  // Latin hypercube designs of `vcsim sweep`
  soft_landing = 13,  // whether a funded startup out of cash is bought (D32)
  break_even = 14,    // whether a stalled startup reaches break-even (D39)
};

// Packs an agent's identity (month of birth, vintage or entry, and index within that
// month) into 32 bits. Months are offset by one so the initial fundraising (month -1)
// has an identity too.
inline std::uint32_t pack_identity(int month, std::uint32_t index) {
  return (static_cast<std::uint32_t>(month + 1) << 20) | (index & 0xFFFFFu);
}

// The first word of a stream's counter, before its block index: the purpose and the
// region. Shared with the batched blocks of rng/philox_batch.hpp, which must give the
// very blocks a Stream gives.
inline std::uint32_t counter_head(Purpose purpose, std::uint32_t region) {
  return (static_cast<std::uint32_t>(purpose) << 24) | ((region & 0xFFu) << 16);
}

// The uniform in [0, 1) of one 32-bit word: word / 2^32, exact.
inline double uniform_of_word(std::uint32_t word) { return word * 0x1p-32; }

// The counter of a stream's first block (block index 0).
using StreamCounter = std::array<std::uint32_t, 4>;

inline StreamCounter stream_counter(Purpose purpose, std::uint32_t region, std::uint32_t id_a,
                                    std::uint32_t id_b, std::uint32_t month_or_stage) {
  return {counter_head(purpose, region), id_a, id_b, month_or_stage};
}

// The counter of block `block` of the stream whose first block has `first`: the block's
// index sits in the low 16 bits of the first word, where stream_counter leaves zeros.
inline StreamCounter nth_block_counter(StreamCounter first, std::uint32_t block) {
  first[0] |= block & 0xFFFFu;
  return first;
}

class Stream {
 public:
  using result_type = std::uint32_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  Stream(std::uint32_t seed, std::uint32_t replication, Purpose purpose, std::uint32_t region,
         std::uint32_t id_a, std::uint32_t id_b, std::uint32_t month_or_stage)
      : Stream(seed, replication, stream_counter(purpose, region, id_a, id_b, month_or_stage)) {}

  // The stream whose first block has the given counter (block index 0).
  Stream(std::uint32_t seed, std::uint32_t replication, const StreamCounter& counter)
      : key_{{seed, replication}}, counter_(counter) {}

  // The same stream, its first block already computed elsewhere (rng/philox_batch.hpp):
  // it reads those words first and computes its later blocks itself.
  Stream(std::uint32_t seed, std::uint32_t replication, const StreamCounter& counter,
         const std::array<std::uint32_t, 4>& first_block)
      : Stream(seed, replication, counter) {
    block_ = {{first_block[0], first_block[1], first_block[2], first_block[3]}};
    block_index_ = 1;
    word_ = 0;
  }

  result_type operator()() {
    if (word_ == 4) refill();
    return block_[word_++];
  }

  // Uniform in [0, 1): the next word / 2^32.
  double uniform() { return uniform_of_word((*this)()); }
  double normal() { return boost::random::normal_distribution<double>()(*this); }
  bool bernoulli(double p) { return uniform() < p; }

 private:
  using Philox = r123::Philox4x32;
  void refill() {
    const StreamCounter ctr = nth_block_counter(counter_, block_index_++);
    block_ = Philox()({{ctr[0], ctr[1], ctr[2], ctr[3]}}, key_);
    word_ = 0;
  }

  Philox::key_type key_;
  StreamCounter counter_;
  Philox::ctr_type block_{};
  std::uint32_t block_index_ = 0;
  int word_ = 4;
};

// The replication-wide part of every key.
struct StreamKey {
  std::uint32_t seed = 0;
  std::uint32_t replication = 0;

  Stream operator()(Purpose purpose, std::uint32_t region, std::uint32_t id_a, std::uint32_t id_b,
                    std::uint32_t month_or_stage) const {
    return Stream(seed, replication, purpose, region, id_a, id_b, month_or_stage);
  }
};

}  // namespace vcsim
