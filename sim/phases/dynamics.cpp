#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "phases/monthly_probability.hpp"
#include "phases/phases.hpp"
#include "rng/normal_quantile.hpp"
#include "rng/philox_batch.hpp"
#include "rng/streams.hpp"

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define VCSIM_KERNEL_AVX512 1
#include <immintrin.h>
#endif

namespace vcsim {

namespace {

// This month's constants of one (region, sector) cell, computed once rather than per
// startup.
struct CellConstants {
  bool deep_tech = false;
  double p_milestone = 0;
  // The value step per month (MODEL.md 3.3 b), divided by 12 once here:
  // log F += jump + step_drift + step_quality x log q x fade - cut + step_sigma x z,
  // where jump and cut are indexed by whether the startup reaches its milestone this
  // month and whether it is still before it (0 where not): an index, where a choice
  // between two values would be a branch the processor mispredicts half the time.
  double milestone_jump[2] = {0, 0}, step_cut[2] = {0, 0};
  double step_drift = 0, step_quality = 0, step_sigma = 0;
  // By the stage reached (D33), then [1]: before the milestone, with the technology hazard.
  double p_fail[kStageCount][2] = {};
  // The same for a unicorn, whose base hazard is scaled by unicorn_hazard_factor (D37):
  // never above p_fail, so only a startup whose draw is below p_fail needs its value.
  double p_fail_unicorn[kStageCount][2] = {};
  double sentiment = 1, ipo_bar = 0, p_ipo = 0, p_acquisition = 0;
  double runway_months = 0;  // months of burn left at which a startup seeks (D36)
};

// The cells' constants that the value step reads, one array per field indexed by cell,
// as the SIMD step looks them up (avx512::lookup, avx512_step_values).
struct CellTables {
  std::vector<std::uint8_t> deep_tech;  // by sector
  // Bit s: sector s is deep tech (sectors beyond 32 are left to the portable step).
  std::uint32_t deep_sectors = 0;
  std::vector<double> p_milestone, step_quality, step_cut;
  // The value step's first sum, milestone_jump[reaches] + step_drift, for each case: the
  // same addition the portable step makes, so the same double.
  std::vector<double> drift_without_jump, drift_with_jump;
  std::vector<double> step_sigma, runway_months, p_ipo, p_acquisition;
  std::vector<double> p_fail;  // at (cell x kStageCount + stage) x 2 + before the milestone

  // A world of at most kFewCells cells has every table but p_fail padded to kFewCells
  // entries, which the SIMD step holds in four registers (avx512::lookup).
  static constexpr std::size_t kFewCells = 32;
  void pad() {
    if (p_milestone.size() > kFewCells) return;
    for (auto* table : {&p_milestone, &step_quality, &step_cut, &drift_without_jump,
                        &drift_with_jump, &step_sigma, &runway_months, &p_ipo, &p_acquisition})
      table->resize(kFewCells, 0.0);
  }

  void add(const CellConstants& c, int sector) {
    if (deep_tech.size() <= static_cast<std::size_t>(sector)) deep_tech.push_back(c.deep_tech);
    if (c.deep_tech && sector < 32) deep_sectors |= std::uint32_t{1} << sector;
    p_milestone.push_back(c.p_milestone);
    drift_without_jump.push_back(c.milestone_jump[0] + c.step_drift);
    drift_with_jump.push_back(c.milestone_jump[1] + c.step_drift);
    step_quality.push_back(c.step_quality);
    step_cut.push_back(c.step_cut[1]);
    step_sigma.push_back(c.step_sigma);
    runway_months.push_back(c.runway_months);
    p_ipo.push_back(c.p_ipo);
    p_acquisition.push_back(c.p_acquisition);
    for (const auto& by_milestone : c.p_fail)
      p_fail.insert(p_fail.end(), by_milestone, by_milestone + 2);
  }
};

struct MonthConstants {
  std::vector<CellConstants> cells;  // indexed by region x sectors + sector
  CellTables tables;                 // the same, field by field
  double unicorn_value = 0;          // D37: the last post-money that makes a unicorn
  double acquisition_elasticity = 0, acquisition_reference = 0;  // D30
};

// The runway at which a startup seeks its next round: MODEL.md's runway_months, longer
// when prices are above fundamentals (m > 1), since founders then raise before they must
// and investors pre-empt rounds (docs/model.md D36). A cold market does not shorten it.
double runway_months(const StartupParams& p, double sentiment) {
  if (p.runway_sentiment_elasticity <= 0) return p.runway_months;
  return p.runway_months * std::pow(std::max(1.0, sentiment), p.runway_sentiment_elasticity);
}

MonthConstants month_constants(const World& world) {
  const Scenario& sc = world.scenario;
  MonthConstants out;
  for (int r = 0; r < world.region_count(); ++r) {
    const RegionMonth& rp = world.params.regions[static_cast<std::size_t>(r)];
    for (int s = 0; s < world.sector_count(); ++s) {
      const CellMonth& c = world.params.cell(r, s);
      CellConstants k;
      k.deep_tech = sc.sectors[static_cast<std::size_t>(s)].deep_tech;
      k.p_milestone = c.gestation_months > 0 ? 1.0 / c.gestation_months : 1.0;
      k.milestone_jump[1] = c.milestone_jump;
      const double drift = c.drift + c.event_drift, sigma = c.volatility;
      k.step_drift = (drift - 0.5 * sigma * sigma) / 12.0;
      k.step_quality = c.quality_loading / 12.0;
      k.step_cut[1] = sc.startup.premilestone_drift_cut / 12.0;
      k.step_sigma = sigma / std::sqrt(12.0);
      for (std::size_t stage = 0; stage < kStageCount; ++stage) {
        const double base = c.base_hazard * sc.startup.hazard_stage_factor[stage];
        k.p_fail[stage][0] = monthly_probability(base + c.event_hazard);
        k.p_fail[stage][1] = monthly_probability(base + c.tech_hazard + c.event_hazard);
        const double unicorn_base = base * sc.startup.unicorn_hazard_factor;
        k.p_fail_unicorn[stage][0] = monthly_probability(unicorn_base + c.event_hazard);
        k.p_fail_unicorn[stage][1] =
            monthly_probability(unicorn_base + c.tech_hazard + c.event_hazard);
      }
      k.sentiment = world.params.sentiment(r, s);
      k.runway_months = runway_months(sc.startup, k.sentiment);
      k.ipo_bar = rp.ipo_threshold * c.ipo_threshold_factor;
      k.p_ipo = monthly_probability(rp.ipo_rate * world.params.ipo_rate_factor(r, s));
      k.p_acquisition = monthly_probability(c.ma_rate * rp.ma_factor);
      out.cells.push_back(k);
      out.tables.add(k, s);
    }
  }
  out.tables.pad();
  out.unicorn_value = sc.market.unicorn_value;
  out.acquisition_elasticity = sc.market.acquisition_value_elasticity;
  out.acquisition_reference = sc.market.acquisition_reference_value;
  return out;
}

constexpr int kStageA = 2, kStageC = 4;

// Whether a startup is acquired, given its uniform draw, the cell's probability and its
// value F x m (a function, called only when needed): MODEL.md's probability, lowered
// above the reference value when the elasticity is positive (D30).
template <typename Value>
bool acquired(double u, double p_acquisition, Value value, const MonthConstants& k) {
  if (!(u < p_acquisition)) return false;
  if (k.acquisition_elasticity <= 0) return true;
  const double v = value();
  return v <= k.acquisition_reference ||
         u < p_acquisition * std::pow(k.acquisition_reference / v, k.acquisition_elasticity);
}

// Whether a startup fails, given its uniform draw and the failure probabilities of its
// cell and stage for a startup and for a unicorn (D37). The unicorn's is never the
// larger, so the last post-money is read only for the few whose draw falls below the
// startup's: the kernel's bytes per agent-month stay as they were.
bool fails(const double* post_money, std::size_t i, double u, double p_fail, double p_fail_unicorn,
           const MonthConstants& k) {
  if (!(u < p_fail)) return false;
  return post_money[i] < k.unicorn_value || u < p_fail_unicorn;
}

// exp(-age / tau_q) for every age up to this month: the fading quality premium of
// MODEL.md 3.3 b. Ages are whole months, so a table computed once per month gives every
// startup the very value it would compute itself, for one exp per age instead of one per
// startup.
std::vector<double> quality_fade_by_age(const World& world) {
  const double tau_q = world.scenario.startup.tau_q;
  std::vector<double> fade(static_cast<std::size_t>(world.month) + 1);
  for (std::size_t months = 0; months < fade.size(); ++months)
    fade[months] = std::exp(-static_cast<double>(months) / tau_q);
  return fade;
}

// The columns the kernel reads and writes, as plain pointers taken once per range of
// slots. Through the Startups object, every store to a byte column (milestone, status,
// needs_funding) could alias the columns' own pointers, so the compiler would load each
// column's pointer again for every startup; local copies stay in registers.
struct KernelColumns {
  explicit KernelColumns(Startups& s)
      : id(s.id.data()),
        birth_month(s.birth_month.data()),
        end_month(s.end_month.data()),
        region(s.region.data()),
        sector(s.sector.data()),
        stage(s.stage.data()),
        milestone(s.milestone.data()),
        needs_funding(s.needs_funding.data()),
        status(s.status.data()),
        outcome(s.outcome.data()),
        log_q(s.log_q.data()),
        log_f(s.log_f.data()),
        post_money(s.post_money.data()),
        cash(s.cash.data()),
        burn(s.burn.data()) {}
  const std::uint32_t* id;
  const std::int16_t* birth_month;
  std::int16_t* end_month;
  const std::uint8_t *region, *sector, *stage;
  std::uint8_t *milestone, *needs_funding;
  Status* status;
  Outcome* outcome;
  const double* log_q;
  double* log_f;
  const double* post_money;
  double* cash;
  const double* burn;
};

// The draws of a chunk of consecutive slots. Every slot's lane draws one Philox block of
// its startup-month stream, whose four words give the value step's normal and the
// uniforms of failure, IPO and acquisition; a deep-tech startup before its milestone
// also draws the first word of its milestone stream. Both are keyed by the startup's
// identity and the month, so the result does not depend on which thread or in which
// order startups are simulated. The blocks are computed for the whole chunk across SIMD
// lanes; the lanes of ended startups (a few in a hundred, until compaction) are drawn
// and left unused, so that every lane is its slot and the step reads columns in order.
struct ChunkDraws {
  static constexpr std::size_t kSize = PhiloxLanes::kCapacity;
  PhiloxLanes month_blocks;
  PhiloxLanes milestone_blocks{};  // zeroed: lanes past the chunk's draws are read, unused
  std::array<std::uint32_t, kSize> milestone_lane;  // the lane's place among milestone draws
  std::array<double, kSize> z;
  std::array<std::uint8_t, kSize> rare;              // 1 where a failure or exit draw may succeed
  std::array<std::uint8_t, kSize> before_milestone;  // 1 where still before it this month
};

// The counter Stream gives the first block of a startup's stream for `purpose` this
// month (rng/streams.hpp) is (purpose << 24 | region << 16, id, 0, month). The last two
// words are the same for every startup of a month: set once for every lane here, and
// set_counter sets the first two for each startup.
void set_month(PhiloxLanes& lanes, std::uint32_t month) {
  for (std::size_t lane = 0; lane < PhiloxLanes::kCapacity; ++lane) {
    lanes.counter[2][lane] = 0;
    lanes.counter[3][lane] = month;
  }
}

void set_counter(PhiloxLanes& lanes, std::size_t lane, Purpose purpose, std::uint32_t region,
                 std::uint32_t id) {
  lanes.counter[0][lane] = counter_head(purpose, region);
  lanes.counter[1][lane] = id;
}

// Draws slots [first, first + n), n at most ChunkDraws::kSize. The month's counters are
// set in a loop of their own, which the compiler runs across SIMD lanes; the milestone
// draws are listed in a second.
void draw_chunk(const World& world, const KernelColumns& s, const MonthConstants& k,
                std::size_t first, std::size_t n, ChunkDraws& d) {
  for (std::size_t lane = 0; lane < n; ++lane)
    set_counter(d.month_blocks, lane, Purpose::startup_month, s.region[first + lane],
                s.id[first + lane]);
  const std::uint8_t* const deep_tech = k.tables.deep_tech.data();
  std::uint32_t milestones = 0;
  for (std::size_t lane = 0; lane < n; ++lane) {
    const std::size_t i = first + lane;
    // Written for every slot and kept only for those that draw (no branch).
    set_counter(d.milestone_blocks, milestones, Purpose::milestone, s.region[i], s.id[i]);
    d.milestone_lane[lane] = milestones;
    milestones += (s.status[i] == Status::alive) & deep_tech[s.sector[i]] & !s.milestone[i];
  }
  philox_blocks(world.key.seed, world.key.replication, d.month_blocks, n);
  if (milestones > 0)
    philox_blocks(world.key.seed, world.key.replication, d.milestone_blocks, milestones);
  normals_of_words(d.month_blocks.word[0], d.z.data(), n);
}

// MODEL.md 3.3 a-c and g for the alive startups among lanes [from, n) of the chunk
// starting at slot `first`, given their draws: milestone, value step, burn and the
// needs-funding flag, as if no startup ended. Marks in d.rare the lanes whose failure or
// exit draw may succeed: step_rare decides those. Conditions that go either way at
// random are selected rather than branched on; ended startups' lanes select their old
// values.
void step_values(const KernelColumns& s, const MonthConstants& k, const double* quality_fade,
                 int month, std::size_t sectors, std::size_t first, std::size_t from, std::size_t n,
                 ChunkDraws& d) {
  const std::uint32_t* const milestone_words = d.milestone_blocks.word[0];
  for (std::size_t lane = from; lane < n; ++lane) {
    const std::size_t i = first + lane;
    const bool alive = s.status[i] == Status::alive;
    const CellConstants& c = k.cells[s.region[i] * sectors + s.sector[i]];
    const bool awaits = alive & c.deep_tech & !s.milestone[i];
    const double u_milestone = uniform_of_word(milestone_words[d.milestone_lane[lane]]);
    const bool reaches_milestone = awaits & (u_milestone < c.p_milestone);
    const bool before_milestone = awaits & !reaches_milestone;
    d.before_milestone[lane] = before_milestone;
    s.milestone[i] = static_cast<std::uint8_t>(s.milestone[i] | reaches_milestone);
    const auto age = static_cast<std::size_t>(month - s.birth_month[i]);
    const double log_f = s.log_f[i] + (c.milestone_jump[reaches_milestone] + c.step_drift +
                                       c.step_quality * s.log_q[i] * quality_fade[age] -
                                       c.step_cut[before_milestone] + c.step_sigma * d.z[lane]);
    const double cash = s.cash[i] - s.burn[i];
    s.log_f[i] = alive ? log_f : s.log_f[i];
    s.cash[i] = alive ? cash : s.cash[i];

    const int stage = s.stage[i];
    const double u_fail = uniform_of_word(d.month_blocks.word[1][lane]);
    const double u_ipo = uniform_of_word(d.month_blocks.word[2][lane]);
    const double u_acquisition = uniform_of_word(d.month_blocks.word[3][lane]);
    // Before series A a startup can neither list nor be acquired.
    const bool exit_drawn =
        (stage >= kStageA) & ((u_ipo < c.p_ipo) | (u_acquisition < c.p_acquisition));
    d.rare[lane] = alive & (exit_drawn | (u_fail < c.p_fail[stage][before_milestone]));
    // A stalled startup keeps seeking whatever its runway (D29).
    const bool stalled = s.needs_funding[i] == kStalled;
    const bool short_of_cash = cash < c.runway_months * s.burn[i];
    const int need = stalled ? kStalled : short_of_cash * kSeeking;
    s.needs_funding[i] = alive ? static_cast<std::uint8_t>(need) : s.needs_funding[i];
    s.outcome[i] = alive ? Outcome::none : s.outcome[i];
  }
}

#if defined(VCSIM_KERNEL_AVX512)
// GCC 12 warns that its own AVX-512 intrinsics read an uninitialised pass-through
// operand (GCC bug 105593, fixed in GCC 13); the operand is unused.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace avx512 {

// Eight consecutive bytes, each widened to a 32-bit lane.
__attribute__((target("avx512f,avx512vl"))) inline __m256i bytes(const void* p) {
  return _mm256_cvtepu8_epi32(_mm_loadl_epi64(static_cast<const __m128i*>(p)));
}

// The uniforms of eight 32-bit words, as uniform_of_word computes them.
__attribute__((target("avx512f,avx512vl"))) inline __m512d uniforms(const std::uint32_t* words) {
  const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(words));
  return _mm512_mul_pd(_mm512_cvtepu32_pd(w), _mm512_set1_pd(0x1p-32));
}

__attribute__((target("avx512f,avx512vl"))) inline __m512d gather(const std::vector<double>& table,
                                                                  __m256i index) {
  return _mm512_i32gather_pd(index, table.data(), 8);
}

// The cells of eight lanes, for lookup().
struct Cells {
  __m256i index;
  __m512i index64;  // the same, 64 bits a lane, as permutes take them
  __mmask8 upper;   // lanes whose cell is 16 or more
  bool few;         // at most CellTables::kFewCells cells in the world
};

__attribute__((target("avx512f,avx512vl"))) inline Cells cells_of(__m256i index, bool few) {
  return {index, _mm512_cvtepu32_epi64(index),
          _mm256_cmpge_epi32_mask(index, _mm256_set1_epi32(16)), few};
}

// A cell constant of eight lanes. In a world of few cells, two permutes of the padded
// table (16 entries each) and a blend, several times faster than a gather.
__attribute__((target("avx512f,avx512vl"))) inline __m512d lookup(const std::vector<double>& table,
                                                                  const Cells& cells) {
  if (!cells.few) return gather(table, cells.index);
  const double* t = table.data();
  const __m512d lower =
      _mm512_permutex2var_pd(_mm512_loadu_pd(t), cells.index64, _mm512_loadu_pd(t + 8));
  const __m512d upper =
      _mm512_permutex2var_pd(_mm512_loadu_pd(t + 16), cells.index64, _mm512_loadu_pd(t + 24));
  return _mm512_mask_blend_pd(cells.upper, lower, upper);
}

__attribute__((target("avx512f,avx512vl"))) inline __mmask8 less(__m512d a, __m512d b) {
  return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ);
}

// Writes eight lanes of 0 or 1 as bytes.
__attribute__((target("avx512f,avx512vl"))) inline void store_flags(std::uint8_t* p, __mmask8 m) {
  _mm256_mask_cvtepi32_storeu_epi8(p, 0xFF, _mm256_maskz_mov_epi32(m, _mm256_set1_epi32(1)));
}

}  // namespace avx512

// step_values eight lanes at a time in AVX-512 registers: the same operations on each
// lane in the same order, without fused multiply-adds (dynamics.cpp is compiled with
// -ffp-contract=off), so every value is the portable step's bit for bit
// (tests/phases/test_dynamics.cpp compares them). Columns are read in slot order and
// the cells' constants looked up in their tables (lookup); an ended startup's lanes are
// masked out of every store to its columns. Returns the lanes it stepped, a multiple of
// 8, or none in a world of more than 32 sectors.
__attribute__((target("avx512f,avx512vl"))) std::size_t avx512_step_values(
    const KernelColumns& s, const MonthConstants& k, const double* quality_fade, int month,
    std::size_t sectors, std::size_t first, std::size_t n, ChunkDraws& d) {
  using namespace avx512;
  if (sectors > 32) return 0;  // CellTables::deep_sectors holds 32
  const CellTables& t = k.tables;
  const bool few_cells = t.p_milestone.size() == CellTables::kFewCells;
  const __m256i deep_sectors = _mm256_set1_epi32(static_cast<int>(t.deep_sectors));
  const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);
  const __m256i two = _mm256_set1_epi32(2), stage_a = _mm256_set1_epi32(kStageA);
  const __m256i sector_count = _mm256_set1_epi32(static_cast<int>(sectors));
  const __m256i stage_count = _mm256_set1_epi32(static_cast<int>(kStageCount));
  const __m256i this_month = _mm256_set1_epi32(month);
  const auto* const milestone_words = reinterpret_cast<const int*>(d.milestone_blocks.word[0]);
  const std::size_t lanes = n / 8 * 8;
  for (std::size_t lane = 0; lane < lanes; lane += 8) {
    const std::size_t i = first + lane;
    const __mmask8 alive = _mm256_cmpeq_epi32_mask(bytes(s.status + i), zero);
    const __m256i sector = bytes(s.sector + i);
    const __m256i cell =
        _mm256_add_epi32(_mm256_mullo_epi32(bytes(s.region + i), sector_count), sector);
    const Cells cells = cells_of(cell, few_cells);
    const __m256i deep_tech = _mm256_and_si256(_mm256_srlv_epi32(deep_sectors, sector), one);
    const __mmask8 awaits = alive & _mm256_cmpneq_epi32_mask(deep_tech, zero) &
                            _mm256_cmpeq_epi32_mask(bytes(s.milestone + i), zero);
    // Gathers are the dear part of this loop: those whose lanes may all be unused (no
    // startup awaiting its milestone, reaching it, before it, or past series A) are
    // skipped when they are.
    __mmask8 reaches = 0;
    if (awaits != 0) {
      const __m256i milestone_lane =
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(&d.milestone_lane[lane]));
      const __m256i milestone_word = _mm256_i32gather_epi32(milestone_words, milestone_lane, 4);
      const __m512d u_milestone =
          _mm512_mul_pd(_mm512_cvtepu32_pd(milestone_word), _mm512_set1_pd(0x1p-32));
      reaches = awaits & less(u_milestone, lookup(t.p_milestone, cells));
    }
    const __mmask8 before = awaits & static_cast<__mmask8>(~reaches);
    store_flags(&d.before_milestone[lane], before);
    _mm256_mask_cvtepi32_storeu_epi8(s.milestone + i, reaches, one);

    const __m256i birth =
        _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.birth_month + i)));
    const __m512d fade = _mm512_i32gather_pd(_mm256_sub_epi32(this_month, birth), quality_fade, 8);
    __m512d drift = lookup(t.drift_without_jump, cells);
    if (reaches != 0)
      drift = _mm512_mask_blend_pd(reaches, drift, lookup(t.drift_with_jump, cells));
    __m512d cut = _mm512_setzero_pd();
    if (before != 0) cut = _mm512_maskz_mov_pd(before, lookup(t.step_cut, cells));
    const __m512d quality_term = _mm512_mul_pd(
        _mm512_mul_pd(lookup(t.step_quality, cells), _mm512_loadu_pd(s.log_q + i)), fade);
    const __m512d step =
        _mm512_add_pd(_mm512_sub_pd(_mm512_add_pd(drift, quality_term), cut),
                      _mm512_mul_pd(lookup(t.step_sigma, cells), _mm512_loadu_pd(&d.z[lane])));
    _mm512_mask_storeu_pd(s.log_f + i, alive, _mm512_add_pd(_mm512_loadu_pd(s.log_f + i), step));
    const __m512d burn = _mm512_loadu_pd(s.burn + i);
    const __m512d cash = _mm512_sub_pd(_mm512_loadu_pd(s.cash + i), burn);
    _mm512_mask_storeu_pd(s.cash + i, alive, cash);

    const __m256i stage = bytes(s.stage + i);
    const __mmask8 past_seed = _mm256_cmpge_epi32_mask(stage, stage_a);
    __mmask8 exit_drawn = 0;
    if (past_seed != 0)
      exit_drawn = past_seed &
                   (less(uniforms(&d.month_blocks.word[2][lane]), lookup(t.p_ipo, cells)) |
                    less(uniforms(&d.month_blocks.word[3][lane]), lookup(t.p_acquisition, cells)));
    const __m256i fail_index = _mm256_add_epi32(
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_mullo_epi32(cell, stage_count), stage), 1),
        _mm256_maskz_mov_epi32(before, one));
    const __mmask8 fail_drawn =
        less(uniforms(&d.month_blocks.word[1][lane]), gather(t.p_fail, fail_index));
    store_flags(&d.rare[lane], alive & (exit_drawn | fail_drawn));

    const __mmask8 stalled = _mm256_cmpeq_epi32_mask(bytes(s.needs_funding + i), two);
    const __mmask8 short_of_cash = less(cash, _mm512_mul_pd(lookup(t.runway_months, cells), burn));
    const __m256i need =
        _mm256_mask_mov_epi32(_mm256_maskz_mov_epi32(short_of_cash, one), stalled, two);
    _mm256_mask_cvtepi32_storeu_epi8(s.needs_funding + i, alive, need);
    _mm256_mask_cvtepi32_storeu_epi8(s.outcome + i, alive, zero);
  }
  return lanes;
}
#pragma GCC diagnostic pop
#endif

// step_values for a whole chunk: AVX-512 where the processor has it (the lanes that
// fill groups of eight), the portable loop for the rest and elsewhere.
void step_chunk_values(const KernelColumns& s, const MonthConstants& k, const double* quality_fade,
                       int month, std::size_t sectors, std::size_t first, std::size_t n,
                       ChunkDraws& d, [[maybe_unused]] KernelPath path) {
  std::size_t done = 0;
#if defined(VCSIM_KERNEL_AVX512)
  static const bool has_avx512 =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  if (has_avx512 && path == KernelPath::fastest)
    done = avx512_step_values(s, k, quality_fade, month, sectors, first, n, d);
#endif
  step_values(s, k, quality_fade, month, sectors, first, done, n, d);
}

// MODEL.md 3.3 d-f for a startup whose failure or exit draw may succeed (step_values
// has stepped its value): whether it fails, lists or is acquired.
void step_rare(const KernelColumns& s, std::size_t i, const CellConstants& c,
               const MonthConstants& k, const PhiloxLanes& blocks, std::size_t lane,
               bool before_milestone, int month) {
  Outcome outcome = Outcome::none;
  const double u_fail = uniform_of_word(blocks.word[1][lane]);
  const double u_ipo = uniform_of_word(blocks.word[2][lane]);
  const double u_acquisition = uniform_of_word(blocks.word[3][lane]);
  const int stage = s.stage[i];
  const bool exit_drawn =
      (stage >= kStageA) & ((u_ipo < c.p_ipo) | (u_acquisition < c.p_acquisition));
  if (fails(s.post_money, i, u_fail, c.p_fail[stage][before_milestone],
            c.p_fail_unicorn[stage][before_milestone], k)) {
    outcome = Outcome::failed;
  } else if (exit_drawn) {
    // F x m, computed only for a draw that could use it: exp is dear in this loop.
    const auto worth = [&] { return std::exp(s.log_f[i]) * c.sentiment; };
    if (stage >= kStageC && u_ipo < c.p_ipo && worth() >= c.ipo_bar)
      outcome = Outcome::ipo;
    else if (acquired(u_acquisition, c.p_acquisition, worth, k))
      outcome = Outcome::acquired;
  }
  if (outcome == Outcome::none) return;
  s.outcome[i] = outcome;
  s.status[i] = static_cast<Status>(outcome);
  s.end_month[i] = static_cast<std::int16_t>(month);
  s.needs_funding[i] = kFunded;
}

// Steps the alive startups of slots [begin, end) a chunk at a time: the chunk's draws,
// then every lane's value step, then the few lanes whose failure or exit draw may
// succeed.
void step_slots(std::size_t begin, std::size_t end, const MonthConstants& k,
                const std::vector<double>& quality_fade, World& world, KernelPath path) {
  const KernelColumns s(world.startups);
  const std::size_t sectors = static_cast<std::size_t>(world.sector_count());
  ChunkDraws d;
  set_month(d.month_blocks, static_cast<std::uint32_t>(world.month));
  set_month(d.milestone_blocks, static_cast<std::uint32_t>(world.month));
  for (std::size_t first = begin; first < end; first += ChunkDraws::kSize) {
    const std::size_t n = std::min(ChunkDraws::kSize, end - first);
    draw_chunk(world, s, k, first, n, d);
    step_chunk_values(s, k, quality_fade.data(), world.month, sectors, first, n, d, path);
    for (std::size_t lane = 0; lane < n; ++lane) {
      if (d.rare[lane] == 0) continue;
      const std::size_t i = first + lane;
      step_rare(s, i, k.cells[s.region[i] * sectors + s.sector[i]], k, d.month_blocks, lane,
                d.before_milestone[lane] != 0, world.month);
    }
  }
}

}  // namespace

void startup_dynamics(World& world) { startup_dynamics(world, KernelPath::fastest); }

void startup_dynamics(World& world, KernelPath path) {
  const MonthConstants constants = month_constants(world);
  const std::vector<double> quality_fade = quality_fade_by_age(world);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, world.startups.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      step_slots(range.begin(), range.end(), constants, quality_fade, world, path);
                    });
}

}  // namespace vcsim
