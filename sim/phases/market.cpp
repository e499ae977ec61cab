#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <span>
#include <utility>

#include "model/fund_accounting.hpp"
#include "phases/candidate_pool.hpp"
#include "phases/guidance_rules.hpp"
#include "phases/list_kept_slots.hpp"
#include "phases/monthly_probability.hpp"
#include "phases/phases.hpp"
#include "phases/pool_stages.hpp"
#include "phases/uniform_key_sort.hpp"
#include "rng/first_blocks.hpp"

namespace vcsim {

namespace {

using Owners = std::vector<std::pair<std::int32_t, double>>;
using OwnersView = std::span<const std::pair<std::int32_t, double>>;

// Each fund's ownership of the startup, summed over its rounds.
void fund_owners(const CapTable& table, Owners& owners) {
  owners.clear();
  for (const CapEntry& e : table) {
    if (e.kind != HolderKind::fund) continue;
    auto it = std::find_if(owners.begin(), owners.end(),
                           [&e](const auto& o) { return o.first == e.holder; });
    if (it == owners.end())
      owners.emplace_back(e.holder, e.shares);
    else
      it->second += e.shares;
  }
}

struct Commitment {
  std::int32_t fund;  // fund slot, or guidance fund index for a direct stake
  double amount;
  bool follow_on;
  bool direct = false;  // a guidance fund investing directly (MODEL.md 3.4)
};

// A seeker's round as the first pass of the market saw it: everything about the round
// that does not depend on the rounds settled before it in the market's order. Its
// owners that may follow on and the candidates that passed screening are kept in its
// block's lists.
struct Offer {
  std::uint32_t slot = 0;
  std::uint32_t owners_begin = 0, passed_begin = 0;
  std::uint16_t owners_count = 0, passed_count = 0;
  std::uint16_t locality = 0;
  std::uint8_t sector = 0;
  std::uint8_t stage = 0;  // the round's stage s'
  // Whether the follow-ons, at most each owner's share of the round, could bring it to
  // min_fill with the co-investors' share on top (follow_ons_may_fill).
  bool follow_ons_may_fill = false;
  double pre = 0;
  // The round asked for, and its target size, whose min_fill closes it: the same but
  // for a D+ round asking a share of its pre-money (docs/model.md D35).
  double round = 0, target = 0;
};

// The lists of kOfferBlock seekers consecutive in slot order, written by one task of the
// first pass.
constexpr std::size_t kOfferBlock = 256;

// Guidance funds take direct stakes in rounds of stage B and later (MODEL.md 3.4).
constexpr int kStageB = 3;
struct OfferBlock {
  Owners owners;
  std::vector<std::int32_t> passed;
  // The offers that may close (may_close), each as its key in the market's order (the
  // first word of its order stream, then its identity) and its index among the offers
  // (key_offers_that_may_close).
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
};

// A fund that may write new checks this month, as the pools need it.
struct PoolFund {
  double budget;  // its new-deal budget, the weight of its draws
  Candidate candidate;
  // The guidance fund whose target sectors alone it may enter (its sector quota binds),
  // or null for every sector.
  const GuidanceFundSpec* targets_only;
  Focus focus;
  std::int8_t sector;  // specialist sector, -1 for generalists
};

// What one closed round adds to the totals every region shares: the co-investors' flow
// into the startup's sector (the flow matrix's co-investor row is not split by region)
// and the ledger's sums. Everything else a round writes belongs to its own region.
struct SharedTotals {
  std::uint8_t sector;
  double from_funds, coinvest;
};

// A region market's working memory, kept from one month's market to the next on the
// thread that runs the markets: the US pools of a long run hold hundreds of thousands of
// entries, and allocating them afresh every month cost more in page faults than building
// them. Their contents are rebuilt every month, so which thread ran which market before
// changes no result.
struct MarketMemory {
  std::vector<CandidatePool> pools;
  std::vector<PoolFund> pool_funds;    // the funds that may write new checks
  std::vector<std::uint32_t> seekers;  // slots of the alive startups needing funding
  // This month's offers, one per seeker in slot order, in the first seekers.size() places.
  std::vector<Offer> offers;
  std::vector<std::uint8_t> direct_sectors;  // per sector, 1 if a direct stake may come
  // The failure tolerance of funds by guidance fund: 0 for private funds (first), then
  // each guidance fund's, so that screening reads it without a branch.
  std::vector<double> tolerances;
  // The offers that may close with their order keys, in slot order, then sorted: the
  // offers the second pass settles, in the market's order.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed_offers, settled;
  std::vector<OfferBlock> blocks;
  std::vector<SharedTotals> shared_totals;  // one per closed round, in the market's order
};

// One memory per region. A month's markets take them out (swap) and put them back, so a
// market that TBB runs on the same thread while this one waits (another replication's)
// finds memory of its own.
std::vector<MarketMemory>& spare_memories() {
  thread_local std::vector<MarketMemory> spare;
  return spare;
}

// Scratch lists of the first pass, one set per thread.
struct OfferScratch {
  Owners owners;
  std::vector<double> draws;  // deal_flow uniforms scaled to a pool's total
  // The blocks of the block's candidate-draw streams: every block a stream's deal_flow
  // words need, draw_blocks_per_offer() of them per offer.
  std::vector<StreamCounter> draw_counters;
  std::vector<StreamBlock> draw_blocks;
  // The candidates of a block's offers, and where each offer's end: every draw's fund
  // but the startup's owners, repeats included (screen keeps the first that passes).
  std::vector<Candidate> all_candidates;
  std::vector<std::size_t> candidates_end;
  // The counters of the block's screening streams and their first normals: one shared
  // view per offer with candidates, one own view per candidate.
  std::vector<StreamCounter> shared_counters, own_counters;
  std::vector<double> shared_views, own_views;
  // The order streams of the block's offers that may close, and their first blocks.
  std::vector<StreamCounter> order_counters;
  std::vector<StreamBlock> order_blocks;
};

OfferScratch& offer_scratch() {
  thread_local OfferScratch scratch;
  return scratch;
}

// The market of one region in two passes (MODEL.md 3.4). The first, in parallel over
// the seekers, works out each round's size, its owners and which of its candidate funds
// pass screening: all of it pure functions of the state at the start of the market and
// of counter-based draws, so it cannot depend on the order or the thread. The second
// settles the rounds one by one in the market's random order, where budgets, reserves
// and guidance rules change as rounds close.
//
// A region's market reads and writes only its own startups and funds (funds invest only
// at home) and its own cells of the recorder, so regions' markets run side by side
// (financing_market). The few totals every region shares are kept aside (SharedTotals)
// and added after every market, in region order (add_shared_totals): the same additions
// in the same order as markets run one after another.
class RegionMarket {
 public:
  RegionMarket(World& world, int region, MarketMemory& memory)
      : w_(world), region_(region), m_(memory) {}
  RegionMarket(const RegionMarket&) = delete;
  RegionMarket& operator=(const RegionMarket&) = delete;

  // The first pass, with the pools it needs, and the order of the offers it found may
  // close.
  void evaluate() {
    build_pools();
    evaluate_offers();
    order_offers();
  }

  // The second pass, over the offers whose rounds may close, in the market's order.
  // Most may not (nothing passed screening and the follow-ons cannot fill them), and
  // settling them would move nothing, so only those that may are put in order. The
  // offers are read in the market's order, which jumps about in memory: each one is
  // asked for a few rounds ahead.
  void settle_in_order() {
    m_.shared_totals.clear();
    constexpr std::size_t kAhead = 8;
    const auto& settled = m_.settled;
    for (std::size_t p = 0; p < settled.size(); ++p) {
      if (p + kAhead < settled.size()) __builtin_prefetch(&m_.offers[settled[p + kAhead].second]);
      const std::size_t k = settled[p].second;
      settle(m_.offers[k], m_.blocks[k / kOfferBlock]);
    }
  }

  // The shared totals of the rounds settle_in_order closed, in the order it closed them.
  void add_shared_totals() {
    for (const SharedTotals& round : m_.shared_totals) {
      if (round.coinvest > 0)
        w_.recorder.flow(w_.month, w_.recorder.nodes().coinvestors(),
                         w_.recorder.nodes().startups(round.sector), round.coinvest);
      w_.ledger.startup_money_from_funds += round.from_funds;
      w_.ledger.coinvestor_money += round.coinvest;
    }
  }

 private:
  // A round of stage s' draws from the pools of the first stage whose rounds admit the
  // same focuses, which would be identical to its own (phases/pool_stages.hpp).
  const CandidatePool& pool(int stage, int sector) const {
    return m_.pools[pool_index(kPoolStage[static_cast<std::size_t>(stage)], sector)];
  }
  CandidatePool& pool(int stage, int sector) {
    return m_.pools[pool_index(kPoolStage[static_cast<std::size_t>(stage)], sector)];
  }
  std::size_t pool_index(int stage, int sector) const {
    return static_cast<std::size_t>((stage - 1) * w_.sector_count() + sector);
  }

  // The pools of this month. One pass lists the funds that may write new checks with
  // what the pools need of each; then the pools of every stage that has its own
  // (kPoolStage) are filled from the list in parallel. A pool's entries come in the
  // order of the region's funds, each cumulative weight the previous one plus the
  // fund's budget.
  void build_pools() {
    m_.pools.resize(static_cast<std::size_t>(kRoundStages * w_.sector_count()));
    list_pool_funds();
    tbb::parallel_for(1, kRoundStages + 1, [this](int stage) {
      if (kPoolStage[static_cast<std::size_t>(stage)] == stage) fill_stage_pools(stage);
    });
  }

  void list_pool_funds() {
    const Funds& f = w_.funds;
    m_.pool_funds.clear();
    for (std::int32_t fund : w_.region_funds[static_cast<std::size_t>(region_)]) {
      const auto j = static_cast<std::size_t>(fund);
      if (!f.inside_investment_period(j, w_.month) || f.new_deal_budget[j] <= 0) continue;
      const GuidanceFundSpec* spec = guidance_of(w_, j);
      const bool targets_only = spec != nullptr && sector_quota_binds(w_, j);
      m_.pool_funds.push_back({.budget = f.new_deal_budget[j],
                               .candidate = {fund, firm_viewer(j)},
                               .targets_only = targets_only ? spec : nullptr,
                               .focus = f.focus[j],
                               .sector = f.sector[j]});
    }
  }

  // The pools of one stage. A fund is a candidate in the stages of its focus, for its
  // sector or every sector; a sub-fund below its sector quota for target sectors only.
  void fill_stage_pools(int stage) {
    const int sectors = w_.sector_count();
    const std::span<CandidatePool> pools(&pool(stage, 0), static_cast<std::size_t>(sectors));
    for (CandidatePool& p : pools) p.clear();
    for (const PoolFund& fund : m_.pool_funds) {
      if (!focus_admits_stage(fund.focus, stage)) continue;
      const int first_sector = fund.sector >= 0 ? fund.sector : 0;
      const int end_sector = fund.sector >= 0 ? fund.sector + 1 : sectors;
      for (int sector = first_sector; sector < end_sector; ++sector) {
        if (fund.targets_only != nullptr && !is_target(*fund.targets_only, sector)) continue;
        pools[static_cast<std::size_t>(sector)].add(fund.candidate, fund.budget);
      }
    }
    for (CandidatePool& p : pools) p.build_guide();
  }

  // Startups that need funding are taken in a random order from the region's market
  // stream: each gets a uniform key from its identity and the month, ties broken by
  // identity. That uniform is the stream's first 32-bit word times 2^-32
  // (Stream::uniform), so sorting by the word and then the identity, packed in one
  // integer, gives the same order with a cheaper comparison. Keys the offers of a block
  // that may close (the others' place in the order changes nothing); begin: the block's
  // first offer.
  void key_offers_that_may_close(std::span<const Offer> offers, std::size_t begin,
                                 OfferBlock& block, OfferScratch& scratch) const {
    block.keyed.clear();
    scratch.order_counters.clear();
    for (std::size_t k = 0; k < offers.size(); ++k) {
      if (!may_close(offers[k])) continue;
      scratch.order_counters.push_back(order_counter(offers[k].slot));
      block.keyed.emplace_back(w_.startups.id[offers[k].slot],
                               static_cast<std::uint32_t>(begin + k));
    }
    scratch.order_blocks.resize(scratch.order_counters.size());
    first_blocks(w_.key, scratch.order_counters, scratch.order_blocks);
    for (std::size_t n = 0; n < block.keyed.size(); ++n) {
      const std::uint64_t word = scratch.order_blocks[n][0];  // the stream's first word
      block.keyed[n].first |= word << 32;
    }
  }

  // The offers that may close, in the market's order, from the blocks' keys.
  void order_offers() {
    m_.keyed_offers.clear();
    const std::size_t block_count = (m_.seekers.size() + kOfferBlock - 1) / kOfferBlock;
    for (std::size_t b = 0; b < block_count; ++b)
      m_.keyed_offers.insert(m_.keyed_offers.end(), m_.blocks[b].keyed.begin(),
                             m_.blocks[b].keyed.end());
    sort_by_uniform_key(m_.keyed_offers, m_.settled);
  }

  // The first pass, over blocks of seekers in slot order, in parallel: their columns and
  // cap tables are read in the order they lie in memory. Each block's lists are its own.
  // One offer per seeker, in slot order, each written by its block: the list of offers
  // only grows, so that no serial pass writes them all first.
  void evaluate_offers() {
    const std::size_t count = m_.seekers.size();
    const std::size_t block_count = (count + kOfferBlock - 1) / kOfferBlock;
    if (m_.offers.size() < count) m_.offers.resize(count);
    if (m_.blocks.size() < block_count) m_.blocks.resize(block_count);
    list_direct_sectors();
    list_tolerances();
    tbb::parallel_for(std::size_t{0}, block_count, [&](std::size_t b) {
      const std::size_t begin = b * kOfferBlock;
      const std::size_t end = std::min(count, begin + kOfferBlock);
      const std::span<Offer> offers = std::span<Offer>(m_.offers).subspan(begin, end - begin);
      OfferBlock& block = m_.blocks[b];
      OfferScratch& scratch = offer_scratch();
      block.owners.clear();
      scratch.all_candidates.clear();
      scratch.candidates_end.clear();
      const std::uint32_t blocks_per_offer = draw_blocks_per_offer();
      scratch.draw_counters.resize(offers.size() * blocks_per_offer);  // written in place
      for (std::size_t k = 0; k < offers.size(); ++k) {
        offers[k] = Offer{.slot = m_.seekers[begin + k]};
        const StreamCounter first = draws_counter(offers[k].slot);
        for (std::uint32_t n = 0; n < blocks_per_offer; ++n)
          scratch.draw_counters[k * blocks_per_offer + n] = nth_block_counter(first, n);
      }
      scratch.draw_blocks.resize(scratch.draw_counters.size());
      first_blocks(w_.key, scratch.draw_counters, scratch.draw_blocks);
      for (std::size_t k = 0; k < offers.size(); ++k) {
        // Seekers are a third of the slots, in no pattern the hardware's prefetcher
        // follows across many columns: the columns of a seeker further on are asked
        // for ahead of it (about 4 % off the January 2025 market). A cap table's
        // entries lie wherever the heap put them: asked for a few seekers ahead, once
        // the table's header has arrived. A seeker still at stage 0, most of them, has
        // closed no round and so has an empty cap table: its header is not read.
        constexpr std::size_t kAhead = 4;
        constexpr std::size_t kHeaderAhead = 16;
        if (k + kHeaderAhead < offers.size()) {
          const std::size_t ahead = offers[k + kHeaderAhead].slot;
          if (w_.startups.stage[ahead] > 0) __builtin_prefetch(&w_.startups.cap_table[ahead]);
          __builtin_prefetch(&w_.startups.log_f[ahead]);
          __builtin_prefetch(&w_.startups.post_money[ahead]);
          __builtin_prefetch(&w_.startups.log_q[ahead]);
        }
        if (k + kAhead < offers.size() && w_.startups.stage[offers[k + kAhead].slot] > 0) {
          const CapTable& table = w_.startups.cap_table[offers[k + kAhead].slot];
          if (!table.empty()) __builtin_prefetch(table.data());
        }
        gather(offers[k], k, block, scratch);
      }
      screen(offers, block, scratch);
      key_offers_that_may_close(offers, begin, block, scratch);
    });
  }

  // Whether settle() could close the offer's round, judged from the state at the start
  // of the market; false only where it surely cannot, so that skipping it changes
  // nothing. A round closes at min_fill of its target. With no candidate passed and no
  // guidance fund that may take a direct stake, its money is the follow-ons, each at
  // most the owner's share of the round, and the co-investors' share on top. (Reserves,
  // budgets and direct budgets only fall during the market.) A relative margin of 1e-9
  // keeps rounding from ever skipping a round that closes.
  bool may_close(const Offer& offer) const {
    if (!(offer.round > 0)) return false;
    return offer.passed_count > 0 || offer.follow_ons_may_fill ||
           (offer.stage >= kStageB && m_.direct_sectors[offer.sector] != 0);
  }

  // owned: the shares of the owners that may follow on.
  bool follow_ons_may_fill(const Offer& offer, double owned) const {
    const double most_raised =
        owned * offer.round * (1 + std::max(0.0, coinvest_share(offer.stage))) * (1 + 1e-9);
    return most_raised > 0 && !(most_raised < w_.scenario.market.min_fill * offer.target);
  }

  void list_tolerances() {
    m_.tolerances.assign(1, 0.0);
    for (const GuidanceFundSpec& spec : w_.scenario.guidance_funds)
      m_.tolerances.push_back(spec.failure_tolerance);
  }

  // Per sector, whether a guidance fund of the region may take a direct stake in its
  // rounds this month (add_direct_state): the sector is its target and it has a budget.
  void list_direct_sectors() {
    m_.direct_sectors.assign(static_cast<std::size_t>(w_.sector_count()), 0);
    for (std::size_t g = 0; g < w_.scenario.guidance_funds.size(); ++g)
      for (int sector = 0; sector < w_.sector_count(); ++sector)
        if (may_stake_directly(g, sector)) m_.direct_sectors[static_cast<std::size_t>(sector)] = 1;
  }

  // Whether guidance fund g may take a direct stake in a round of the sector now: it is
  // of this region (read first: other regions' markets may be writing their own
  // budgets), has a direct budget left, and the sector is one of its targets.
  bool may_stake_directly(std::size_t g, int sector) const {
    const GuidanceFundSpec& spec = w_.scenario.guidance_funds[g];
    return spec.region == region_ && w_.guidance.direct_budget[g] > 0 && is_target(spec, sector);
  }

  // The round's size, its owners that may follow on (into the block's list) and its
  // candidates (appended to the scratch list, unscreened).
  // k: the offer's place in its block.
  void gather(Offer& offer, std::size_t k, OfferBlock& block, OfferScratch& scratch) const {
    const Startups& s = w_.startups;
    const std::size_t i = offer.slot;
    offer.stage = static_cast<std::uint8_t>(std::min(s.stage[i] + 1, kRoundStages));
    offer.sector = s.sector[i];
    offer.locality = s.locality[i];
    const CellMonth& cell = w_.params.cell(region_, offer.sector);
    offer.pre = std::exp(s.log_f[i]) * w_.params.sentiment(region_, offer.sector);
    offer.target = offer.round = 0;  // a unicorn waiting out a down round is offered none
    if (!defers_down_round(i, offer.pre)) {
      offer.target = target_size(offer.stage, offer.pre, cell);
      offer.round = asked_size(offer.stage, offer.pre, offer.target);
    }
    offer.owners_begin = static_cast<std::uint32_t>(block.owners.size());
    offer.owners_count = 0;
    if (offer.round > 0) {
      if (s.stage[i] > 0)  // only a closed round writes a cap table (close_round)
        fund_owners(s.cap_table[i], scratch.owners);
      else
        scratch.owners.clear();
      // The owners that may follow on: whether a fund may is fixed for the month (its
      // phase changes only in the funds' phase, 3.6), so the second pass need not ask.
      double owned = 0;
      for (const auto& owner : scratch.owners) {
        if (!w_.funds.can_follow_on(static_cast<std::size_t>(owner.first), w_.month)) continue;
        block.owners.push_back(owner);
        owned += owner.second;
      }
      offer.owners_count = static_cast<std::uint16_t>(block.owners.size() - offer.owners_begin);
      offer.follow_ons_may_fill = follow_ons_may_fill(offer, owned);
      draw_candidates(k, offer.stage, offer.sector, scratch.owners, scratch);
    }
    scratch.candidates_end.push_back(scratch.all_candidates.size());
  }

  // Screens the candidates of a block's offers and keeps, in draw order, those whose
  // signal reaches the stage's threshold (less the failure tolerance of
  // guidance-backed funds). The views' normals of the whole block are drawn together
  // (rng/first_blocks.hpp).
  //
  // MODEL.md drops repeated draws of a fund before screening; here a repeat is screened
  // and dropped if it passes again. A fund's signal is the same at every draw (its
  // firm's view of this startup at this stage), so the funds kept are the same, in the
  // same order, and only the few that pass are looked for among those kept so far.
  void screen(std::span<Offer> offers, OfferBlock& block, OfferScratch& scratch) const {
    const Startups& s = w_.startups;
    // Counters are written in place, at most one shared view per offer and one own view
    // per candidate: appended, each was put together on the stack and read back whole
    // before its parts had been stored.
    scratch.shared_counters.resize(offers.size());
    scratch.own_counters.resize(scratch.all_candidates.size());
    std::size_t c = 0, with_candidates = 0;
    for (std::size_t k = 0; k < offers.size(); ++k) {
      const Offer& offer = offers[k];
      if (c == scratch.candidates_end[k]) continue;
      const std::uint32_t startup = s.id[offer.slot];
      scratch.shared_counters[with_candidates++] = shared_view_counter_of(startup, offer.stage);
      for (; c < scratch.candidates_end[k]; ++c)
        scratch.own_counters[c] =
            own_view_counter_of(startup, offer.stage, scratch.all_candidates[c].viewer);
    }
    scratch.shared_counters.resize(with_candidates);
    scratch.shared_views.resize(scratch.shared_counters.size());
    scratch.own_views.resize(scratch.own_counters.size());
    first_normals(w_.key, scratch.shared_counters, scratch.shared_views);
    first_normals(w_.key, scratch.own_counters, scratch.own_views);

    block.passed.clear();
    const ViewWeights weights = view_weights();
    // Spans held here, where appending to the passed list cannot move them: the loop
    // would otherwise read every vector's address again for each candidate.
    const std::span<const Candidate> candidates(scratch.all_candidates);
    const std::span<const double> own_views(scratch.own_views);
    const std::span<const double> sigma_skill(w_.funds.sigma_skill);
    const std::span<const std::int16_t> guidance(w_.funds.guidance);
    const std::span<const double> tolerances(m_.tolerances);
    c = 0;
    std::size_t shared = 0;
    for (std::size_t k = 0; k < offers.size(); ++k) {
      Offer& offer = offers[k];
      offer.passed_begin = static_cast<std::uint32_t>(block.passed.size());
      if (c < scratch.candidates_end[k]) {
        const double shared_view = scratch.shared_views[shared++];
        const CellMonth& cell = w_.params.cell(region_, offer.sector);
        const double weighted_traction = traction(offer.stage, offer.pre, cell);
        const double threshold = w_.scenario.market.threshold[offer.stage - 1u];
        const double log_q = s.log_q[offer.slot];
        for (; c < scratch.candidates_end[k]; ++c) {
          const std::int32_t fund = candidates[c].fund;
          const auto j = static_cast<std::size_t>(fund);
          const double tolerance = tolerances[static_cast<std::size_t>(guidance[j] + 1)];
          const double value =
              signal(log_q, weighted_traction, sigma_skill[j], shared_view, own_views[c], weights);
          if (value < threshold - tolerance) continue;
          const auto kept = block.passed.begin() + offer.passed_begin;
          if (std::find(kept, block.passed.end(), fund) != block.passed.end()) continue;
          block.passed.push_back(fund);
        }
      }
      offer.passed_count = static_cast<std::uint16_t>(block.passed.size() - offer.passed_begin);
    }
  }

  // The second pass: offers one seeker its round; the round closes if commitments
  // reach min_fill of it. A seeker whose round does not close is stalled after the
  // market (stall).
  void settle(const Offer& offer, const OfferBlock& block) {
    if (!(offer.round > 0)) return;
    const Scenario& sc = w_.scenario;
    std::vector<Commitment>& commitments = commitments_;
    commitments.clear();
    double committed = 0;
    const OwnersView owners(block.owners.data() + offer.owners_begin, offer.owners_count);
    const std::span<const std::int32_t> passed(block.passed.data() + offer.passed_begin,
                                               offer.passed_count);
    add_follow_ons(owners, offer.round, commitments, committed);
    add_new_money(offer, passed, commitments, committed);
    add_direct_state(offer, commitments, committed);
    const double coinvest =
        std::min(coinvest_share(offer.stage) * committed, offer.round - committed);
    const double raised = committed + std::max(0.0, coinvest);
    if (raised <= 0 || raised < sc.market.min_fill * offer.target) return;
    close_round(offer.slot, offer.stage, offer.pre, commitments, std::max(0.0, coinvest));
  }

  // Co-investors' money per fund dollar in a round of the stage this month: the region's
  // coinvest_share times its coinvest_index (docs/model.md D38), 1 in MODEL.md.
  double coinvest_share(int stage) const {
    const auto r = static_cast<std::size_t>(region_);
    return w_.scenario.regions[r].coinvest_share[static_cast<std::size_t>(stage - 1)] *
           w_.params.regions[r].coinvest_index;
  }

  // A unicorn that can pay another month's burn declines a round priced below
  // unicorn_down_round_floor of its last post-money, which would cost it the count at
  // USD 1 bn and its late investors' price: it waits, stalled (stall), for its value or
  // the market to recover, and takes the round once its cash runs short (docs/model.md
  // D34). A floor of 0 declines nothing.
  bool defers_down_round(std::size_t i, double pre) const {
    const MarketParams& market = w_.scenario.market;
    const Startups& s = w_.startups;
    return s.post_money[i] >= market.unicorn_value &&
           pre < market.unicorn_down_round_floor * s.post_money[i] && s.cash[i] > s.burn[i];
  }

  // MODEL.md's round: the stage's size in dollars, within the dilution cap.
  double target_size(int stage, double pre, const CellMonth& cell) const {
    const Scenario& sc = w_.scenario;
    const RegionMonth& rp = w_.params.regions[static_cast<std::size_t>(region_)];
    const double target = sc.market.round_size[static_cast<std::size_t>(stage - 1)] *
                          cell.capital_intensity * rp.round_scale * rp.round_index;
    return std::min(target, dilution_cap(pre));
  }

  // A D+ round asks for late_round_share of the pre-money when that is more than its
  // target, within the dilution cap: late rounds grow with the company's value, as the
  // record's growth rounds did (docs/model.md D35).
  double asked_size(int stage, double pre, double target) const {
    if (stage < kRoundStages) return target;
    return std::max(target, std::min(w_.scenario.market.late_round_share * pre, dilution_cap(pre)));
  }

  double dilution_cap(double pre) const {
    const double max_dilution = w_.scenario.market.max_dilution;
    return pre * max_dilution / (1 - max_dilution);
  }

  void add_follow_ons(OwnersView owners, double round, std::vector<Commitment>& out,
                      double& committed) {
    Funds& f = w_.funds;
    for (const auto& [fund, ownership] : owners) {  // those that may follow on (gather)
      const auto j = static_cast<std::size_t>(fund);
      const double amount =
          std::min({ownership * round, f.reserves[j], f.uncalled(j), round - committed});
      if (amount <= 0) continue;
      out.push_back({fund, amount, true});
      committed += amount;
    }
  }

  // Draws deal_flow candidates with replacement, weighted by budgets, and appends them
  // to the block's candidates, in draw order, less the funds already holding the
  // startup (owners: all its fund holders); repeats are left to screen. The draws are
  // the stream's words in order (Stream::uniform), from its blocks computed for the
  // whole block of offers. k: the offer's place in its block.
  void draw_candidates(std::size_t k, int stage, int sector, const Owners& owners,
                       OfferScratch& scratch) const {
    const CandidatePool& p = pool(stage, sector);
    if (p.total() <= 0) return;
    const StreamBlock* blocks = &scratch.draw_blocks[k * draw_blocks_per_offer()];
    const auto n = static_cast<std::size_t>(w_.scenario.market.deal_flow);
    scratch.draws.resize(n);
    for (std::size_t d = 0; d < n; ++d)
      scratch.draws[d] = uniform_of_word(blocks[d / 4][d % 4]) * p.total();
    std::vector<Candidate>& out = scratch.all_candidates;
    const std::size_t first = out.size();
    out.resize(first + n);
    p.pick_many(scratch.draws.data(), n, &out[first]);
    if (owners.empty()) return;
    const auto owns = [&owners](Candidate c) {
      return std::any_of(owners.begin(), owners.end(),
                         [&c](const auto& o) { return o.first == c.fund; });
    };
    out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), owns),
              out.end());
  }

  // The weights of the shared and the own view in the noise: rho and sqrt(1 - rho^2),
  // taken once for all the candidates a block screens.
  struct ViewWeights {
    double shared, own;
  };
  ViewWeights view_weights() const {
    const double rho = w_.scenario.market.rho;
    return {rho, std::sqrt(1 - rho * rho)};
  }

  // The screening signal of MODEL.md 3.4: quality, traction against the stage's
  // benchmark, and noise from a shared view of the startup and the viewer's own view,
  // each drawn once per (startup, stage) and (viewer, startup, stage): the first normals
  // of the streams of shared_view_counter and own_view_counter.
  // `traction` is the signal's term for traction (traction()), the same for every viewer.
  double signal(double log_q, double traction, double sigma, double shared_view, double own_view,
                ViewWeights weights) const {
    const double noise = weights.shared * shared_view + weights.own * own_view;
    return log_q + traction + sigma * noise;
  }

  // The seeker's order key: the first word of its market stream this month (D5).
  StreamCounter order_counter(std::size_t i) const {
    return stream_counter(Purpose::market_order, static_cast<std::uint32_t>(region_),
                          w_.startups.id[i], 0, static_cast<std::uint32_t>(w_.month));
  }

  // The blocks of a draws_counter stream that deal_flow words take.
  std::uint32_t draw_blocks_per_offer() const {
    return (static_cast<std::uint32_t>(w_.scenario.market.deal_flow) + 3) / 4;
  }

  // The stream of the seeker's deal_flow candidate draws this month (D5).
  StreamCounter draws_counter(std::size_t i) const {
    return stream_counter(Purpose::market_order, static_cast<std::uint32_t>(region_),
                          w_.startups.id[i], 1, static_cast<std::uint32_t>(w_.month));
  }

  StreamCounter shared_view_counter(std::size_t i, int stage) const {
    return shared_view_counter_of(w_.startups.id[i], stage);
  }

  // The same, from the startup's identity (screen reads it once for all its views).
  StreamCounter shared_view_counter_of(std::uint32_t startup, int stage) const {
    return stream_counter(Purpose::screening_shared, static_cast<std::uint32_t>(region_), startup,
                          0, static_cast<std::uint32_t>(stage));
  }

  StreamCounter own_view_counter(std::size_t i, int stage, std::uint32_t viewer) const {
    return own_view_counter_of(w_.startups.id[i], stage, viewer);
  }

  // The same, from the startup's identity: screening reads it once for all its candidates.
  StreamCounter own_view_counter_of(std::uint32_t startup, int stage, std::uint32_t viewer) const {
    return stream_counter(Purpose::screening_firm, static_cast<std::uint32_t>(region_), viewer,
                          startup, static_cast<std::uint32_t>(stage));
  }

  double first_normal(const StreamCounter& counter) const {
    return Stream(w_.key.seed, w_.key.replication, counter).normal();
  }

  // Traction against the stage's benchmark, weighted: computed once per round offered.
  double traction(int stage, double pre, const CellMonth& cell) const {
    const Scenario& sc = w_.scenario;
    const RegionMonth& rp = w_.params.regions[static_cast<std::size_t>(region_)];
    const double benchmark = sc.market.benchmark_pre[static_cast<std::size_t>(stage - 1)] *
                             cell.capital_intensity * rp.round_scale;
    return sc.market.traction_weight * std::log(pre / benchmark);
  }

  // The fund's firm is the viewer: a firm's funds judge a startup alike.
  std::uint32_t firm_viewer(std::size_t fund) const {
    const auto firm = static_cast<std::size_t>(w_.funds.firm[fund]);
    return pack_identity(w_.firms.entry_month[firm],
                         static_cast<std::uint32_t>(w_.firms.index[firm]));
  }

  // New money from the candidates that passed screening, in draw order. Whether a
  // sub-fund's home-locality and sector rules admit the deal is checked against its
  // totals as they stand now.
  void add_new_money(const Offer& offer, std::span<const std::int32_t> passed,
                     std::vector<Commitment>& out, double& committed) {
    const Funds& f = w_.funds;
    for (std::int32_t fund : passed) {
      if (committed >= offer.round) break;
      const auto j = static_cast<std::size_t>(fund);
      if (!guidance_admits(w_, j, offer.sector, offer.locality)) continue;
      const double amount =
          std::min({offer.round - committed, w_.scenario.market.max_check_share * f.size[j],
                    f.new_deal_budget[j], f.uncalled(j)});
      if (amount <= 0) continue;
      out.push_back({fund, amount, false});
      committed += amount;
    }
  }

  // Guidance funds with a direct share join rounds of stage B and later in their target
  // sectors directly, screening with sigma_direct (MODEL.md 3.4).
  void add_direct_state(const Offer& offer, std::vector<Commitment>& out, double& committed) {
    const Scenario& sc = w_.scenario;
    const std::size_t i = offer.slot;
    const int stage = offer.stage;
    const double round = offer.round;
    if (stage < kStageB || committed >= round) return;
    const CellMonth& cell = w_.params.cell(region_, offer.sector);
    for (std::size_t g = 0; g < sc.guidance_funds.size(); ++g) {
      const GuidanceFundSpec& spec = sc.guidance_funds[g];
      if (!may_stake_directly(g, offer.sector)) continue;
      double& budget = w_.guidance.direct_budget[g];
      if (committed >= round) return;
      // The guidance fund is the viewer, under an identity no firm can have.
      const std::uint32_t viewer = 0xFFFF0000u | static_cast<std::uint32_t>(g);
      const double signal_value =
          signal(w_.startups.log_q[i], traction(stage, offer.pre, cell), spec.sigma_direct,
                 first_normal(shared_view_counter(i, stage)),
                 first_normal(own_view_counter(i, stage, viewer)), view_weights());
      const double threshold =
          sc.market.threshold[static_cast<std::size_t>(stage - 1)] - spec.failure_tolerance;
      if (signal_value < threshold) continue;
      const double amount =
          std::min({round - committed, spec.max_direct_check * spec.size, budget});
      if (amount <= 0) continue;
      out.push_back({static_cast<std::int32_t>(g), amount, false, true});
      committed += amount;
    }
  }

  void close_round(std::size_t i, int stage, double pre, const std::vector<Commitment>& commitments,
                   double coinvest) {
    Startups& s = w_.startups;
    Funds& f = w_.funds;
    FundAccounts accounts(f, w_.recorder, w_.month, &w_.guidance);
    double from_funds = 0, state_money = 0, state_from_funds = 0;
    double by_source[4] = {0, 0, 0, 0};
    for (const Commitment& c : commitments) {
      if (c.direct) {
        by_source[static_cast<int>(Source::direct_state)] += c.amount;
        state_money += c.amount;
        continue;
      }
      const auto j = static_cast<std::size_t>(c.fund);
      from_funds += c.amount;
      const auto source =
          f.kind[j] == FundKind::private_fund ? Source::private_funds : Source::guidance_funds;
      by_source[static_cast<int>(source)] += c.amount;
      state_from_funds += c.amount * f.state_share(j);
    }
    state_money += state_from_funds;
    by_source[static_cast<int>(Source::other)] = coinvest;
    const double raised = from_funds + by_source[static_cast<int>(Source::direct_state)] + coinvest;
    const double post = pre + raised;
    CapTable& table = s.cap_table[i];
    for (CapEntry& e : table) e.shares *= pre / post;  // dilution of earlier holders
    const auto round_number = static_cast<std::uint8_t>(stage);
    const auto month = static_cast<std::int16_t>(w_.month);
    for (const Commitment& c : commitments) {
      if (c.direct) {
        add_direct_stake(i, c, round_number, month, post);
        continue;
      }
      const auto j = static_cast<std::size_t>(c.fund);
      count_for_rules(w_, j, s.sector[i], s.locality[i], c.amount);
      if (f.guidance[j] >= 0)
        w_.recorder.guidance_investment(w_.month, f.guidance[j], s.sector[i], stage,
                                        c.amount * f.state_share(j));
      table.push_back({c.fund, HolderKind::fund, round_number, month, c.amount / post, c.amount});
      (c.follow_on ? f.reserves[j] : f.new_deal_budget[j]) -= c.amount;
      accounts.invest(j, c.amount, s.sector[i]);
      ++f.holdings[j];
      if (!c.follow_on) ++f.deals[j];
    }
    if (coinvest > 0)
      table.push_back({-1, HolderKind::coinvestor, round_number, month, coinvest / post, coinvest});
    const bool first_time = s.stage_month[static_cast<std::size_t>(stage)][i] == kNever;
    s.stage[i] = static_cast<std::uint8_t>(stage);
    s.cash[i] += raised;
    s.burn[i] = w_.scenario.startup.burn[static_cast<std::size_t>(stage)] *
                w_.params.cell(region_, s.sector[i]).capital_intensity;
    s.post_money[i] = post;
    s.raised_fund[i] += by_source[0] + by_source[1];
    s.raised_state[i] += state_money;
    s.raised_other[i] += coinvest;
    s.raised_private[i] += from_funds - state_from_funds + coinvest;
    s.needs_funding[i] = kFunded;
    m_.shared_totals.push_back({s.sector[i], from_funds, coinvest});
    w_.recorder.round(w_.month, region_, s.sector[i], stage, by_source);
    if (first_time) {
      s.stage_month[static_cast<std::size_t>(stage)][i] = static_cast<std::int16_t>(w_.month);
      w_.recorder.stage_reached(s, i, stage, w_.month);
    }
  }

  void add_direct_stake(std::size_t i, const Commitment& c, std::uint8_t round_number,
                        std::int16_t month, double post) {
    const auto g = static_cast<std::size_t>(c.fund);
    Startups& s = w_.startups;
    s.cap_table[i].push_back(
        {c.fund, HolderKind::state_direct, round_number, month, c.amount / post, c.amount});
    w_.guidance.direct_budget[g] -= c.amount;
    w_.guidance.direct_invested[g] += c.amount;
    w_.guidance.flow(g, w_.month, -c.amount);
    w_.recorder.guidance_investment(w_.month, c.fund, s.sector[i], round_number, c.amount);
    w_.recorder.flow(w_.month, w_.recorder.nodes().guidance_fund(c.fund),
                     w_.recorder.nodes().startups(s.sector[i]), c.amount);
  }

  World& w_;
  int region_;
  MarketMemory& m_;
  std::vector<Commitment> commitments_;  // the round being settled
};

// A seeker that still has MODEL.md's runway of cash sought early, in a hot market
// (docs/model.md D36): if its round does not close it carries on as it was, and seeks
// again next month while the market stays hot. A stalled startup stays stalled.
bool raised_early(const World& world, std::size_t i) {
  const Startups& s = world.startups;
  return s.needs_funding[i] == kSeeking &&
         s.cash[i] >= world.scenario.startup.runway_months * s.burn[i];
}

// Whether a stalled startup with cash left reaches break-even this month, with
// probability p_break_even, monthly_probability(break_even_rate) (docs/model.md D39).
bool reaches_break_even(const World& world, std::size_t i, double p_break_even) {
  const Startups& s = world.startups;
  if (p_break_even <= 0 || s.cash[i] <= 0) return false;
  return world
             .key(Purpose::break_even, s.region[i], s.id[i], 0,
                  static_cast<std::uint32_t>(world.month))
             .uniform() < p_break_even;
}

// A funded startup whose round did not close this month cuts its burn to
// stall_burn_factor of its stage's burn and keeps seeking every month; its next close
// restores the stage's burn (docs/model.md D29). Founders who never raised a round have
// no insiders to back a stall. A factor of 1 is MODEL.md's constant burn: nothing
// changes. After the market the seekers whose round did not close are exactly the alive
// startups still needing funding. A stalled startup may instead reach break-even: it
// burns nothing from then on and stops seeking (D39).
void stall(World& world, std::size_t i, double p_break_even) {
  const double factor = world.scenario.startup.stall_burn_factor;
  Startups& s = world.startups;
  if (factor >= 1.0 || s.stage[i] == 0 || s.needs_funding[i] == kFunded) return;
  if (raised_early(world, i)) return;
  if (reaches_break_even(world, i, p_break_even)) {
    s.burn[i] = 0;
    s.needs_funding[i] = kFunded;
    return;
  }
  const double stage_burn = world.scenario.startup.burn[s.stage[i]] *
                            world.params.cell(s.region[i], s.sector[i]).capital_intensity;
  s.burn[i] = std::min(s.burn[i], factor * stage_burn);
  s.needs_funding[i] = kStalled;
}

// A startup with no cash left after the market fails. With soft_landing_share > 0 a
// funded one is instead bought for its team and technology with that probability, an
// acquisition paid in 3.5 like any other (docs/model.md D32): the acqui-hires that make
// many of the record's exits of seed cohorts. Founders who never raised have no
// investors to broker a sale.
void end_without_cash(World& world, std::size_t i) {
  Startups& s = world.startups;
  const double share = world.scenario.startup.soft_landing_share;
  const bool bought = share > 0 && s.stage[i] > 0 &&
                      world.key(Purpose::soft_landing, s.region[i], s.id[i], 0,
                                static_cast<std::uint32_t>(world.month))
                              .uniform() < share;
  s.status[i] = bought ? Status::acquired : Status::failed;
  s.outcome[i] = bought ? Outcome::acquired : Outcome::failed;
  s.end_month[i] = static_cast<std::int16_t>(world.month);
}

// Whether slot i holds an alive startup that needs funding, as 0 or 1.
std::size_t is_seeker(const Startups& s, std::size_t i) {
  return static_cast<std::size_t>(s.status[i] == Status::alive) &
         static_cast<std::size_t>(s.needs_funding[i] != kFunded);
}

// Each region's alive startups that need funding, in slot order: chunks of the startups
// scanned in parallel, their lists joined in chunk order. About a third of the startups
// seek, in no order a branch could predict, so a chunk first counts its seekers by
// region, then writes every slot at its region's list end and moves the end on only for
// a seeker (each list one entry longer than its seekers, for the last such write).
void list_seekers(const Startups& s, std::vector<MarketMemory>& memory) {
  constexpr std::size_t kChunk = 16384;
  const std::size_t regions = memory.size();
  const std::size_t chunks = (s.size() + kChunk - 1) / kChunk;
  std::vector<std::vector<std::uint32_t>> found(chunks * regions);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    const std::size_t begin = c * kChunk, end = std::min(s.size(), begin + kChunk);
    const std::span<std::vector<std::uint32_t>> lists(&found[c * regions], regions);
    std::vector<std::size_t> ends(regions, 0);
    for (std::size_t i = begin; i < end; ++i) ends[s.region[i]] += is_seeker(s, i);
    for (std::size_t r = 0; r < regions; ++r) lists[r].resize(ends[r] + 1);
    std::fill(ends.begin(), ends.end(), 0);
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t r = s.region[i];
      lists[r][ends[r]] = static_cast<std::uint32_t>(i);
      ends[r] += is_seeker(s, i);
    }
    for (std::size_t r = 0; r < regions; ++r) lists[r].pop_back();
  });
  for (std::size_t r = 0; r < regions; ++r) {
    std::vector<std::uint32_t>& seekers = memory[r].seekers;
    seekers.clear();
    for (std::size_t c = 0; c < chunks; ++c)
      seekers.insert(seekers.end(), found[c * regions + r].begin(), found[c * regions + r].end());
  }
}

// The regions in the order their markets' first passes run: most seekers first, ties in
// region order. Which order they run in changes no result (each region's market is its
// own), only how soon the largest serial pass can start.
std::vector<std::size_t> largest_first(const std::vector<MarketMemory>& memory) {
  std::vector<std::size_t> order(memory.size());
  for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
  std::stable_sort(order.begin(), order.end(), [&memory](std::size_t a, std::size_t b) {
    return memory[a].seekers.size() > memory[b].seekers.size();
  });
  return order;
}

// Whether slot i may stall or end after the market, as 0 or 1: an alive startup that
// still needs funding past its first round (stall) or has no cash left
// (end_without_cash).
std::size_t may_stall_or_end(const Startups& s, std::size_t i) {
  const bool funded_seeker = s.stage[i] > 0 && s.needs_funding[i] != kFunded;
  return static_cast<std::size_t>(s.status[i] == Status::alive) &
         (static_cast<std::size_t>(funded_seeker) | static_cast<std::size_t>(s.cash[i] <= 0));
}

// The stalls and ends without cash of slots [begin, end), at most kStallBatch of them.
// The slots that may stall or end (a fifth of the slots, in no pattern) are listed
// first without a branch (list_kept_slots), then settled alone.
constexpr std::size_t kStallBatch = 4096;
void stall_or_end(World& world, std::size_t begin, std::size_t end, double p_break_even) {
  const Startups& s = world.startups;
  std::array<std::uint32_t, kStallBatch> listed;
  const std::size_t count = list_kept_slots(
      begin, end, [&s](std::size_t i) { return may_stall_or_end(s, i); }, listed.data());
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t i = listed[k];
    stall(world, i, p_break_even);
    if (s.cash[i] <= 0) end_without_cash(world, i);
  }
}

// The month's stalls (stall) and ends without cash (end_without_cash), which touch
// only each startup's own columns: in parallel over batches of the startups.
void after_the_market(World& world) {
  const double p_break_even = monthly_probability(world.scenario.startup.break_even_rate);
  const std::size_t slots = world.startups.size();
  tbb::parallel_for(std::size_t{0}, (slots + kStallBatch - 1) / kStallBatch, [&](std::size_t b) {
    stall_or_end(world, b * kStallBatch, std::min(slots, (b + 1) * kStallBatch), p_break_even);
  });
}

}  // namespace

// MODEL.md 3.4. Regions are independent markets in v1 (funds invest only at home), and
// the totals they share are added after them in region order. After the market, a
// startup with no cash left ends.
//
// The largest region's market (most seekers) is the month's critical path: its pools
// and order are made mostly on one thread, and its second pass runs on one. So the
// thread that calls runs it, while the smaller regions' markets run as tasks other
// threads take: all but the smallest beside its first pass, and the smallest started
// only once that pass ends, to run beside its second. Which thread runs which market
// changes no result, since each region's market is its own.
void financing_market(World& world) {
  const auto regions = static_cast<std::size_t>(world.region_count());
  std::vector<MarketMemory>& spare = spare_memories();
  if (spare.size() < regions) spare.resize(regions);
  std::vector<MarketMemory> memory(regions);
  for (std::size_t r = 0; r < regions; ++r) std::swap(memory[r], spare[r]);
  list_seekers(world.startups, memory);
  std::deque<RegionMarket> markets;
  for (std::size_t r = 0; r < regions; ++r)
    markets.emplace_back(world, static_cast<int>(r), memory[r]);
  // The regions' funds record their calls side by side in this year's flows.
  world.funds.yearly_lp_flows.prepare_year(static_cast<std::size_t>(world.month / 12));
  const std::vector<std::size_t> order = largest_first(memory);
  tbb::task_group smaller;
  auto run_whole = [&smaller, &markets](std::size_t r) {
    smaller.run([&market = markets[r]] {
      market.evaluate();
      market.settle_in_order();
    });
  };
  for (std::size_t k = 1; k + 1 < order.size(); ++k) run_whole(order[k]);
  markets[order[0]].evaluate();
  if (order.size() > 1) run_whole(order.back());
  markets[order[0]].settle_in_order();
  smaller.wait();
  for (RegionMarket& market : markets) market.add_shared_totals();
  for (std::size_t r = 0; r < regions; ++r) std::swap(memory[r], spare[r]);
  after_the_market(world);
}

}  // namespace vcsim
