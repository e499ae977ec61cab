#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/fund_accounting.hpp"
#include "phases/guidance_rules.hpp"
#include "phases/phases.hpp"

namespace vcsim {

namespace {

// Funds that may write a new check for a round of a given stage and sector, with
// cumulative weights: their new-deal budgets at the start of this month's market. A
// guide table maps equal slices of the total weight to the first fund whose cumulative
// weight could hold a draw, so a draw costs a step or two instead of a binary search
// (the fund chosen is exactly the one the search would find).
struct CandidatePool {
  std::vector<std::int32_t> funds;
  std::vector<double> cumulative;
  std::vector<std::uint32_t> guide;

  double total() const { return cumulative.empty() ? 0.0 : cumulative.back(); }

  // Slices per fund: with budgets as uneven as funds' are, one slice a fund would leave
  // long runs of small funds inside one slice for a draw to step through.
  static constexpr std::size_t kSlicesPerFund = 4;

  void build_guide() {
    const std::size_t slices = funds.size() * kSlicesPerFund;
    guide.clear();
    guide.reserve(slices);
    std::size_t k = 0;
    for (std::size_t b = 0; b < slices; ++b) {
      const double slice_start = total() * static_cast<double>(b) / static_cast<double>(slices);
      while (k + 1 < cumulative.size() && cumulative[k] <= slice_start) ++k;
      guide.push_back(static_cast<std::uint32_t>(k));
    }
  }

  // The fund whose cumulative weight first exceeds x, for x uniform in [0, total).
  std::int32_t pick(double x) const {
    auto slice = static_cast<std::size_t>(x / total() * static_cast<double>(guide.size()));
    std::size_t k = guide[std::min(slice, guide.size() - 1)];
    while (k + 1 < cumulative.size() && cumulative[k] <= x) ++k;
    return funds[k];
  }
};

struct Commitment {
  std::int32_t fund;  // fund slot, or guidance fund index for a direct stake
  double amount;
  bool follow_on;
  bool direct = false;  // a guidance fund investing directly (MODEL.md 3.4)
};

// The candidate pools' memory, kept from one month's market to the next on each thread:
// the US pools of a long run hold hundreds of thousands of entries, and allocating them
// afresh every month cost more in page faults than building them. Their contents are
// rebuilt every month, so which thread ran which market before changes no result, and
// a market runs start to finish on one thread (it starts no parallel work).
std::vector<CandidatePool>& spare_pools() {
  thread_local std::vector<CandidatePool> spare;
  return spare;
}

class RegionMarket {
 public:
  RegionMarket(World& world, int region) : w_(world), region_(region) {
    pools_.swap(spare_pools());
    build_pools();
  }
  ~RegionMarket() { pools_.swap(spare_pools()); }
  RegionMarket(const RegionMarket&) = delete;
  RegionMarket& operator=(const RegionMarket&) = delete;

  void run() {
    for (std::size_t slot : order_of_needers())
      if (!offer_round(slot)) stall(slot);
  }

 private:
  CandidatePool& pool(int stage, int sector) {
    return pools_[static_cast<std::size_t>((stage - 1) * w_.sector_count() + sector)];
  }

  void build_pools() {
    pools_.resize(static_cast<std::size_t>(kRoundStages * w_.sector_count()));
    for (CandidatePool& p : pools_) p.funds.clear(), p.cumulative.clear();
    const Funds& f = w_.funds;
    for (std::int32_t fund : w_.region_funds[static_cast<std::size_t>(region_)]) {
      const auto j = static_cast<std::size_t>(fund);
      if (!f.inside_investment_period(j, w_.month) || f.new_deal_budget[j] <= 0) continue;
      for (int stage = 1; stage <= kRoundStages; ++stage) {
        if (!focus_admits_stage(f.focus[j], stage)) continue;
        for (int sector = 0; sector < w_.sector_count(); ++sector) {
          if (f.sector[j] >= 0 && f.sector[j] != sector) continue;
          // A sub-fund below its sector quota is a candidate for target sectors only.
          const GuidanceFundSpec* spec = guidance_of(w_, j);
          if (spec != nullptr && sector_quota_binds(w_, j) && !is_target(*spec, sector)) continue;
          CandidatePool& p = pool(stage, sector);
          p.funds.push_back(fund);
          p.cumulative.push_back(p.total() + f.new_deal_budget[j]);
        }
      }
    }
    for (CandidatePool& p : pools_) p.build_guide();
  }

  // Startups that need funding, in a random order from the region's market stream:
  // each gets a uniform key from its identity and the month, ties broken by identity.
  // That uniform is the stream's first 32-bit word times 2^-32 (Stream::uniform), so
  // sorting by the word and then the identity, packed in one integer, gives the same
  // order with a cheaper comparison.
  std::vector<std::size_t> order_of_needers() const {
    const Startups& s = w_.startups;
    struct Keyed {
      std::uint64_t key;  // first word of the stream, then the identity
      std::size_t slot;
    };
    std::vector<Keyed> keyed;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.region[i] != region_ || s.status[i] != Status::alive || !s.needs_funding[i]) continue;
      Stream order = w_.key(Purpose::market_order, static_cast<std::uint32_t>(region_), s.id[i], 0,
                            static_cast<std::uint32_t>(w_.month));
      const std::uint64_t word = order();
      keyed.push_back({word << 32 | s.id[i], i});
    }
    std::sort(keyed.begin(), keyed.end(),
              [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
    std::vector<std::size_t> out;
    out.reserve(keyed.size());
    for (const Keyed& k : keyed) out.push_back(k.slot);
    return out;
  }

  using Owners = std::vector<std::pair<std::int32_t, double>>;

  // Each fund's ownership of the startup, summed over its rounds.
  static void fund_owners(const CapTable& table, Owners& owners) {
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

  double round_size(int stage, double pre, const CellMonth& cell) const {
    const Scenario& sc = w_.scenario;
    const RegionMonth& rp = w_.params.regions[static_cast<std::size_t>(region_)];
    const double target = sc.market.round_size[static_cast<std::size_t>(stage - 1)] *
                          cell.capital_intensity * rp.round_scale * rp.round_index;
    const double dilution_cap = pre * sc.market.max_dilution / (1 - sc.market.max_dilution);
    return std::min(target, dilution_cap);
  }

  void add_follow_ons(const Owners& owners, double round, std::vector<Commitment>& out,
                      double& committed) {
    Funds& f = w_.funds;
    for (const auto& [fund, ownership] : owners) {
      const auto j = static_cast<std::size_t>(fund);
      if (!f.can_follow_on(j, w_.month)) continue;
      const double amount =
          std::min({ownership * round, f.reserves[j], f.uncalled(j), round - committed});
      if (amount <= 0) continue;
      out.push_back({fund, amount, true});
      committed += amount;
    }
  }

  // Draws deal_flow candidates with replacement, weighted by budgets; keeps the first
  // appearance of each fund and drops funds already holding the startup.
  void draw_candidates(std::size_t i, int stage, const Owners& owners,
                       std::vector<std::int32_t>& out) {
    const Startups& s = w_.startups;
    CandidatePool& p = pool(stage, s.sector[i]);
    out.clear();
    if (p.total() <= 0) return;
    Stream draws = w_.key(Purpose::market_order, static_cast<std::uint32_t>(region_), s.id[i], 1,
                          static_cast<std::uint32_t>(w_.month));
    for (int d = 0; d < w_.scenario.market.deal_flow; ++d) {
      const std::int32_t fund = p.pick(draws.uniform() * p.total());
      const bool seen = std::find(out.begin(), out.end(), fund) != out.end() ||
                        std::any_of(owners.begin(), owners.end(),
                                    [fund](const auto& o) { return o.first == fund; });
      if (!seen) out.push_back(fund);
    }
  }

  // The screening signal of MODEL.md 3.4: quality, traction against the stage's
  // benchmark, and noise from a shared view of the startup and the firm's own view,
  // each drawn once per (startup, stage) and (firm, startup, stage).
  // `traction` is the signal's term for traction (traction()), the same for every viewer.
  double signal(std::size_t i, int stage, double traction, std::uint32_t viewer, double sigma,
                double shared_view) const {
    const Scenario& sc = w_.scenario;
    const Startups& s = w_.startups;
    Stream own = w_.key(Purpose::screening_firm, static_cast<std::uint32_t>(region_), viewer,
                        s.id[i], static_cast<std::uint32_t>(stage));
    const double rho = sc.market.rho;
    const double noise = rho * shared_view + std::sqrt(1 - rho * rho) * own.normal();
    return s.log_q[i] + traction + sigma * noise;
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
  double fund_signal(std::size_t i, int stage, double traction, std::size_t fund,
                     double shared_view) const {
    const auto firm = static_cast<std::size_t>(w_.funds.firm[fund]);
    const std::uint32_t firm_id =
        pack_identity(w_.firms.entry_month[firm], static_cast<std::uint32_t>(w_.firms.index[firm]));
    return signal(i, stage, traction, firm_id, w_.funds.sigma_skill[fund], shared_view);
  }

  double shared_view(std::size_t i, int stage) const {
    Stream shared = w_.key(Purpose::screening_shared, static_cast<std::uint32_t>(region_),
                           w_.startups.id[i], 0, static_cast<std::uint32_t>(stage));
    return shared.normal();
  }

  void add_new_money(std::size_t i, int stage, double pre, double round, const CellMonth& cell,
                     const Owners& owners, std::vector<Commitment>& out, double& committed) {
    const Scenario& sc = w_.scenario;
    Funds& f = w_.funds;
    std::vector<std::int32_t>& candidates = candidates_;
    draw_candidates(i, stage, owners, candidates);
    if (candidates.empty()) return;
    const double shared = shared_view(i, stage);
    const double weighted_traction = traction(stage, pre, cell);
    const double threshold = sc.market.threshold[static_cast<std::size_t>(stage - 1)];
    const Startups& s = w_.startups;
    for (std::int32_t fund : candidates) {
      if (committed >= round) break;
      const auto j = static_cast<std::size_t>(fund);
      // The home-locality rule of a sub-fund is checked against its current totals.
      if (!guidance_admits(w_, j, s.sector[i], s.locality[i])) continue;
      const GuidanceFundSpec* spec = guidance_of(w_, j);
      const double tolerance = spec != nullptr ? spec->failure_tolerance : 0.0;
      if (fund_signal(i, stage, weighted_traction, j, shared) < threshold - tolerance) continue;
      const double amount = std::min({round - committed, sc.market.max_check_share * f.size[j],
                                      f.new_deal_budget[j], f.uncalled(j)});
      if (amount <= 0) continue;
      out.push_back({fund, amount, false});
      committed += amount;
    }
  }

  // Guidance funds with a direct share join rounds of stage B and later in their target
  // sectors directly, screening with sigma_direct (MODEL.md 3.4).
  void add_direct_state(std::size_t i, int stage, double pre, double round, const CellMonth& cell,
                        std::vector<Commitment>& out, double& committed) {
    constexpr int kStageB = 3;
    const Scenario& sc = w_.scenario;
    const Startups& s = w_.startups;
    if (stage < kStageB || committed >= round) return;
    for (std::size_t g = 0; g < sc.guidance_funds.size(); ++g) {
      const GuidanceFundSpec& spec = sc.guidance_funds[g];
      double& budget = w_.guidance.direct_budget[g];
      if (spec.region != region_ || budget <= 0 || !is_target(spec, s.sector[i])) continue;
      if (committed >= round) return;
      // The guidance fund is the viewer, under an identity no firm can have.
      const std::uint32_t viewer = 0xFFFF0000u | static_cast<std::uint32_t>(g);
      const double signal_value = signal(i, stage, traction(stage, pre, cell), viewer,
                                         spec.sigma_direct, shared_view(i, stage));
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

  // Offers startup i its next round; returns whether the round closed.
  bool offer_round(std::size_t i) {
    const Scenario& sc = w_.scenario;
    Startups& s = w_.startups;
    const int stage = std::min(s.stage[i] + 1, kRoundStages);
    const CellMonth& cell = w_.params.cell(region_, s.sector[i]);
    const double pre = std::exp(s.log_f[i]) * w_.params.sentiment(region_, s.sector[i]);
    const double round = round_size(stage, pre, cell);
    if (!(round > 0)) return false;
    std::vector<Commitment>& commitments = commitments_;
    commitments.clear();
    double committed = 0;
    Owners& owners = owners_;
    fund_owners(s.cap_table[i], owners);
    add_follow_ons(owners, round, commitments, committed);
    add_new_money(i, stage, pre, round, cell, owners, commitments, committed);
    add_direct_state(i, stage, pre, round, cell, commitments, committed);
    const auto& coinvest_share = sc.regions[static_cast<std::size_t>(region_)].coinvest_share;
    const double coinvest = std::min(
        coinvest_share[static_cast<std::size_t>(stage - 1)] * committed, round - committed);
    const double raised = committed + std::max(0.0, coinvest);
    if (raised <= 0 || raised < sc.market.min_fill * round) return false;
    close_round(i, stage, pre, commitments, std::max(0.0, coinvest));
    return true;
  }

  // A funded startup whose round did not close cuts its burn to stall_burn_factor of
  // its stage's burn and keeps seeking every month; its next close restores the stage's
  // burn (docs/model.md D29). Founders who never raised a round have no insiders to
  // back a stall. A factor of 1 is MODEL.md's constant burn: nothing changes.
  void stall(std::size_t i) {
    const double factor = w_.scenario.startup.stall_burn_factor;
    Startups& s = w_.startups;
    if (factor >= 1.0 || s.stage[i] == 0) return;
    const double stage_burn = w_.scenario.startup.burn[s.stage[i]] *
                              w_.params.cell(region_, s.sector[i]).capital_intensity;
    s.burn[i] = std::min(s.burn[i], factor * stage_burn);
    s.needs_funding[i] = kStalled;
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
    if (coinvest > 0) {
      table.push_back({-1, HolderKind::coinvestor, round_number, month, coinvest / post, coinvest});
      w_.recorder.flow(w_.month, w_.recorder.nodes().coinvestors(),
                       w_.recorder.nodes().startups(s.sector[i]), coinvest);
    }
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
    w_.ledger.startup_money_from_funds += from_funds;
    w_.ledger.coinvestor_money += coinvest;
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
  std::vector<CandidatePool> pools_;
  // The round being offered: kept across rounds so a round allocates nothing.
  Owners owners_;
  std::vector<std::int32_t> candidates_;
  std::vector<Commitment> commitments_;
};

}  // namespace

// MODEL.md 3.4. Regions are independent markets in v1 (funds invest only at home).
// After the market, a startup with no cash left fails.
void financing_market(World& world) {
  for (int r = 0; r < world.region_count(); ++r) RegionMarket(world, r).run();
  Startups& s = world.startups;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != Status::alive || s.cash[i] > 0) continue;
    s.status[i] = Status::failed;
    s.outcome[i] = Outcome::failed;
    s.end_month[i] = static_cast<std::int16_t>(world.month);
  }
}

}  // namespace vcsim
