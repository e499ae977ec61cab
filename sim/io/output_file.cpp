#include "io/output_file.hpp"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>

#include "io/durable_rename.hpp"
#include "io/hdf5.hpp"
#include "io/run_spool.hpp"
#include "io/timestamp.hpp"
#include "version.hpp"

namespace vcsim {
namespace {

// Round stages 1..5 (scenario.hpp), as the headline tables name them.
const std::vector<std::string> kStageLabels{"seed", "A", "B", "C", "D+"};

// A dataset's meaning, stored as its `units` and `description` attributes.
struct Meta {
  const char* units;
  const char* description;
};

void describe(const Object& object, const Meta& meta) {
  write_attribute(object, "units", meta.units);
  write_attribute(object, "description", meta.description);
}

template <typename Names>
std::vector<std::string> to_strings(const Names& names) {
  return {names.begin(), names.end()};
}

std::vector<std::int32_t> counting(std::size_t n, std::int32_t first) {
  std::vector<std::int32_t> values(n);
  std::iota(values.begin(), values.end(), first);
  return values;
}

// The values of every dimension the output file uses, written into a group the first
// time one of its datasets needs them.
class Coordinates {
 public:
  explicit Coordinates(const RunLabels& labels) : labels_(labels) {}

  void ensure(const Group& group, const std::string& dim, std::size_t n) const {
    if (group.contains(dim)) return;  // create_dataset checks the length
    if (dim == "year" || dim == "seed_year") {
      auto d = write_coordinate(group, dim, counting(n, labels_.start_year));
      describe(d, {"year", "calendar year"});
    } else if (dim == "month") {
      auto d = write_coordinate(group, dim, counting(n, 0));
      std::string origin = "months since January " + std::to_string(labels_.start_year);
      describe(d, {"months", origin.c_str()});
    } else if (auto names = labels(dim); !names.empty()) {
      if (names.size() != n)
        throw Hdf5Error(group.file_path() + ": " + group.child_path(dim) + ": " +
                        std::to_string(names.size()) + " labels for a dimension of length " +
                        std::to_string(n));
      write_coordinate(group, dim, names);
    } else {
      // replication, fund, and any dimension without labels: positions.
      write_coordinate(group, dim, counting(n, 0));
    }
  }

 private:
  std::vector<std::string> labels(const std::string& dim) const {
    if (dim == "region") return labels_.regions;
    if (dim == "sector") return labels_.sectors;
    if (dim == "source_node" || dim == "target_node") return labels_.flow_nodes;
    if (dim == "stage") return kStageLabels;
    if (dim == "source") return to_strings(kSourceNames);
    if (dim == "outcome") return to_strings(kCohortOutcomeNames);
    if (dim == "duration") return to_strings(kCohortDurationNames);
    if (dim == "class") return to_strings(kStartupClassNames);
    if (dim == "money") return to_strings(kMoneyNames);
    if (dim == "definition") return to_strings(kUnicornDefinitionNames);
    if (dim == "guidance_fund") return labels_.guidance_funds;
    if (dim == "measure") return to_strings(kGuidanceMeasureNames);
    return {};
  }

  const RunLabels& labels_;
};

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ")";
}

// One replication's array of a stacked dataset.
template <typename T>
using Slab = std::function<const NdArray<T>&(std::size_t replication)>;

// Writes (replication, dims of the slabs...), one replication at a time so that a run's
// arrays are never copied whole.
template <Hdf5Number T>
void write_stacked(const Group& group, const Coordinates& coords, const std::string& name,
                   std::size_t replications, const Slab<T>& slab, const Meta& meta) {
  const NdArray<T>& first = slab(0);
  std::vector<std::string> dims{"replication"};
  dims.insert(dims.end(), first.dims().begin(), first.dims().end());
  std::vector<std::size_t> shape{replications};
  shape.insert(shape.end(), first.shape().begin(), first.shape().end());
  for (std::size_t d = 0; d < dims.size(); ++d) coords.ensure(group, dims[d], shape[d]);
  RowAppender<T> dataset(create_dataset<T>(group, name, dims, shape));
  for (std::size_t r = 0; r < replications; ++r) {
    const NdArray<T>& a = slab(r);
    if (a.dims() != first.dims() || a.shape() != first.shape())
      throw Hdf5Error(group.file_path() + ": " + dataset.dataset().path() + ": replication " +
                      std::to_string(r) + " has shape " + shape_text(a.shape()) +
                      ", replication 0 " + shape_text(first.shape()));
    dataset.append(a.data());
  }
  dataset.finish();
  describe(dataset.dataset(), meta);
}

template <Hdf5Element T>
void write_per_replication(const Group& group, const Coordinates& coords, const std::string& name,
                           const std::vector<T>& values, const Meta& meta) {
  coords.ensure(group, "replication", values.size());
  describe(write_dataset(group, name, values, "replication"), meta);
}

using Replications = std::vector<ReplicationResult>;

// --- /timeseries -------------------------------------------------------------------------

struct CountSeries {
  const char* name;
  NdArray<std::int32_t> ReplicationResult::*member;
  Meta meta;
};

const CountSeries kStartupCounts[] = {
    {"births", &ReplicationResult::births, {"startups", "startups founded in the month"}},
    {"startups_alive",
     &ReplicationResult::startups_alive,
     {"startups", "startups alive at the end of the month"}},
    {"ipos", &ReplicationResult::ipos, {"startups", "startups listed in the month"}},
    {"acquisitions", &ReplicationResult::acquisitions, {"startups", "startups acquired"}},
    {"failures_unfunded",
     &ReplicationResult::failures_unfunded,
     {"startups", "failures before any round (stage 0)"}},
    {"failures_funded",
     &ReplicationResult::failures_funded,
     {"startups", "failures after at least one round (stage >= 1)"}},
    {"grants", &ReplicationResult::grants, {"grants", "non-dilutive state grants paid"}},
};

struct UnicornFlow {
  const char* name;
  NdArray<std::int32_t> UnicornSeries::*member;
  const char* description;
};

const UnicornFlow kUnicornFlows[] = {
    {"unicorns_active", &UnicornSeries::active, "unicorns at the end of the month"},
    {"unicorns_new", &UnicornSeries::new_, "startups first reaching USD 1 bn"},
    {"unicorns_reminted", &UnicornSeries::reminted, "former unicorns back above USD 1 bn"},
    {"unicorns_ipo", &UnicornSeries::ipo, "unicorns leaving the stock by IPO"},
    {"unicorns_acquired", &UnicornSeries::acquired, "unicorns leaving the stock by acquisition"},
    {"unicorns_failed", &UnicornSeries::failed, "unicorns leaving the stock by failure"},
    {"unicorns_demoted", &UnicornSeries::demoted, "unicorns valued below USD 1 bn at a round"},
    {"unicorns_aged_out", &UnicornSeries::aged_out, "unicorns passing the age cap"},
};

struct MoneySeries {
  const char* name;
  NdArray<double> ReplicationResult::*member;
  Meta meta;
};

const MoneySeries kFundCash[] = {
    {"fees", &ReplicationResult::fees, {"USD m", "management fees paid to GPs"}},
    {"calls", &ReplicationResult::calls, {"USD m", "capital called from LPs"}},
    {"distributions", &ReplicationResult::distributions, {"USD m", "distributions to LPs"}},
    {"carry", &ReplicationResult::carry, {"USD m", "carried interest paid to GPs"}},
    {"exit_proceeds_to_funds",
     &ReplicationResult::exit_proceeds_to_funds,
     {"USD m", "exit proceeds received by funds"}},
    {"secondary_sales",
     &ReplicationResult::secondary_sales,
     {"USD m", "proceeds of stakes sold to secondary buyers"}},
};

void write_timeseries(const Group& root, const Coordinates& coords, const Replications& reps) {
  Group group = root.create_group("timeseries");
  const std::size_t n = reps.size();
  for (const auto& s : kStartupCounts)
    write_stacked<std::int32_t>(
        group, coords, s.name, n, [&](std::size_t r) -> auto& { return reps[r].*s.member; },
        s.meta);
  for (std::size_t def = 0; def < kUnicornDefinitionNames.size(); ++def) {
    const std::string suffix = def == 0 ? "" : std::string("_") + kUnicornDefinitionNames[def];
    for (const auto& f : kUnicornFlows) {
      std::string description =
          std::string(f.description) + " (" + kUnicornDefinitionNames[def] + " definition)";
      write_stacked<std::int32_t>(
          group, coords, f.name + suffix,
          n, [&](std::size_t r) -> auto& { return reps[r].unicorns[def].*f.member; },
          {"startups", description.c_str()});
    }
  }
  write_stacked<std::int32_t>(group, coords, "rounds",
                              n, [&](std::size_t r) -> auto& { return reps[r].rounds; },
                              {"rounds", "rounds closed, by the stage they lead to"});
  write_stacked<double>(group, coords, "capital_invested",
                        n, [&](std::size_t r) -> auto& { return reps[r].capital_invested; },
                        {"USD m", "capital invested in rounds, by stage and source"});
  write_stacked<std::int32_t>(
      group, coords, "unicorns_active_state_backed",
      n, [&](std::size_t r) -> auto& { return reps[r].unicorns_state_backed; },
      {"startups", "unicorns (all definition) that have taken state money"});
  write_stacked<double>(group, coords, "grant_money",
                        n, [&](std::size_t r) -> auto& { return reps[r].grant_money; },
                        {"USD m", "non-dilutive state grants paid (grant events)"});
  for (const auto& s : kFundCash)
    write_stacked<double>(
        group, coords, s.name, n, [&](std::size_t r) -> auto& { return reps[r].*s.member; },
        s.meta);
}

// --- /yearly -----------------------------------------------------------------------------

const MoneySeries kYearlyMoney[] = {
    {"lp_pool",
     &ReplicationResult::lp_pool,
     {"USD m",
      "private LP pool offered in the year's January fundraising (year 0 adds the initial pool)"}},
    {"lp_unplaced",
     &ReplicationResult::lp_unplaced,
     {"USD m", "LP money of the year's pool that no fund took"}},
    {"capital_raised", &ReplicationResult::capital_raised, {"USD m", "fund capital closed"}},
};

const CountSeries kYearlyCounts[] = {
    {"funds_closed", &ReplicationResult::funds_closed, {"funds", "funds closed in the year"}},
    {"firms_entered", &ReplicationResult::firms_entered, {"firms", "new VC firms"}},
    {"firms_exited", &ReplicationResult::firms_exited, {"firms", "VC firms that stopped raising"}},
};

void write_yearly(const Group& root, const Coordinates& coords, const Replications& reps) {
  Group group = root.create_group("yearly");
  const std::size_t n = reps.size();
  for (const auto& s : kYearlyMoney)
    write_stacked<double>(
        group, coords, s.name, n, [&](std::size_t r) -> auto& { return reps[r].*s.member; },
        s.meta);
  for (const auto& s : kYearlyCounts)
    write_stacked<std::int32_t>(
        group, coords, s.name, n, [&](std::size_t r) -> auto& { return reps[r].*s.member; },
        s.meta);
  write_stacked<double>(group, coords, "capital_flows",
                        n, [&](std::size_t r) -> auto& { return reps[r].capital_flows; },
                        {"USD m", "money moved from source_node to target_node in the year"});
}

// --- /funds ------------------------------------------------------------------------------

struct FundIntField {
  const char* name;
  std::int32_t FundRecord::*member;
  Meta meta;
};

struct FundMoneyField {
  const char* name;
  double FundRecord::*member;
  Meta meta;
};

const FundIntField kFundIntFields[] = {
    {"region",
     &FundRecord::region,
     {"index", "region of the fund (position in /timeseries/region)"}},
    {"kind", &FundRecord::kind, {"code", "0 private, 1 guidance-backed"}},
    {"vintage_month",
     &FundRecord::vintage_month,
     {"months", "month of the close since January of start_year; -1 initial pool"}},
    {"index", &FundRecord::index, {"index", "index among funds of its vintage and region"}},
    {"firm", &FundRecord::firm, {"index", "firm's slot among all firms of the replication"}},
    {"focus", &FundRecord::focus, {"code", "0 seed, 1 early, 2 growth"}},
    {"sector", &FundRecord::sector, {"index", "specialist sector, -1 generalist"}},
    {"life", &FundRecord::life, {"months", "fund life"}},
    {"liquidated_month",
     &FundRecord::liquidated_month,
     {"months", "month of liquidation; -1 still running at the end"}},
    {"deals", &FundRecord::deals, {"deals", "investments made"}},
};

const FundMoneyField kFundMoneyFields[] = {
    {"size", &FundRecord::size, {"USD m", "committed capital"}},
    {"state_share", &FundRecord::state_share, {"share", "share of commitments from the state"}},
    {"paid_in", &FundRecord::paid_in, {"USD m", "capital called"}},
    {"invested", &FundRecord::invested, {"USD m", "capital invested in startups"}},
    {"fees", &FundRecord::fees, {"USD m", "management fees"}},
    {"gross_proceeds", &FundRecord::gross_proceeds, {"USD m", "exit proceeds before carry"}},
    {"carry", &FundRecord::carry, {"USD m", "carried interest"}},
    {"distributions", &FundRecord::distributions, {"USD m", "distributions to LPs"}},
    {"nav", &FundRecord::nav, {"USD m", "net asset value at the end of the run"}},
    {"tvpi",
     &FundRecord::tvpi,
     {"multiple", "net TVPI: (distributions + nav x (1 - carry_rate)) / paid_in"}},
    {"dpi", &FundRecord::dpi, {"multiple", "net DPI: distributions / paid_in"}},
    {"irr", &FundRecord::irr, {"1/year", "net IRR"}},
};

// One table of every replication (its funds, or a micro table): held in its result, or
// spooled to disk as the run went (io/run_spool.hpp). Read one replication at a time,
// so writing holds one replication's rows.
template <typename Row>
class ReplicationRows {
 public:
  ReplicationRows(const Replications& reps, const std::vector<Row> ReplicationResult::*member,
                  RecordSpool<Row>* spool)
      : reps_(reps), member_(member), spool_(spool) {}

  std::size_t replications() const { return reps_.size(); }
  std::size_t count(std::size_t r) const {
    return spool_ != nullptr ? spool_->count(r) : (reps_[r].*member_).size();
  }
  std::size_t total() const {
    std::size_t n = 0;
    for (std::size_t r = 0; r < replications(); ++r) n += count(r);
    return n;
  }
  // Valid until the next call.
  const std::vector<Row>& load(std::size_t r) const {
    return spool_ != nullptr ? spool_->load(r) : reps_[r].*member_;
  }

 private:
  const Replications& reps_;
  const std::vector<Row> ReplicationResult::*member_;
  RecordSpool<Row>* spool_;
};

// A table of every replication's rows (its funds, or a micro table): a set of 1-D
// columns along one row dimension, with a `replication` column, filled one
// replication's rows at a time.
template <typename Row>
class RowTable {
 public:
  RowTable(const Group& parent, const Coordinates& coords, const ReplicationRows<Row>& rows,
           const std::string& name, const std::string& dim, const char* replication_meta)
      : rows_(rows),
        dim_(dim),
        group_(parent.create_group(name)),
        replication_(replication_column(group_, coords, dim, rows.total(), replication_meta)) {}

  // Declares a column; write() fills them all.
  template <Hdf5Number T, typename Get>
  void column(const char* name, Get get, const Meta& meta) {
    auto appender =
        std::make_shared<RowAppender<T>>(create_dataset<T>(group_, name, {dim_}, {rows_.total()}));
    describe(appender->dataset(), meta);
    auto append = [appender, get](const std::vector<Row>& rows) {
      std::vector<T> values;
      values.reserve(rows.size());
      for (const Row& row : rows) values.push_back(static_cast<T>(get(row)));
      appender->append(values);
    };
    columns_.push_back({append, [appender] { appender->finish(); }});
  }

  // Writes every column, one replication's rows at a time, and shows each replication's
  // rows, empty or not, to visit(rows) in replication order.
  template <typename Visit>
  void write(Visit&& visit) {
    for (std::size_t r = 0; r < rows_.replications(); ++r) {
      const std::vector<Row>& rows = rows_.load(r);
      visit(rows);
      if (rows.empty()) continue;
      replication_.append(std::vector<std::int32_t>(rows.size(), static_cast<int>(r)));
      for (const Column& c : columns_) c.append(rows);
    }
    replication_.finish();
    for (const Column& c : columns_) c.finish();
  }
  void write() {
    write([](const std::vector<Row>&) {});
  }

 private:
  struct Column {
    std::function<void(const std::vector<Row>&)> append;
    std::function<void()> finish;
  };

  static RowAppender<std::int32_t> replication_column(const Group& group, const Coordinates& coords,
                                                      const std::string& dim, std::size_t n,
                                                      const char* meta) {
    coords.ensure(group, dim, n);
    RowAppender<std::int32_t> column(
        create_dataset<std::int32_t>(group, "replication", {dim}, {n}));
    describe(column.dataset(), {"index", meta});
    return column;
  }

  const ReplicationRows<Row>& rows_;
  std::string dim_;
  Group group_;
  RowAppender<std::int32_t> replication_;
  std::vector<Column> columns_;
};

double mean_liquidated_tvpi(const std::vector<FundRecord>& funds) {
  double sum = 0;
  int n = 0;
  for (const auto& f : funds)
    if (f.liquidated_month >= 0) {
      sum += f.tvpi;
      ++n;
    }
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

// Mean net TVPI of the funds liquidated by the end, by vintage year (MODEL.md section 2:
// the headline mean is by vintage). Funds of the initial pool (month -1) count in the
// first year. NaN where a vintage has no liquidated fund.
NdArray<double> liquidated_tvpi_by_vintage(const std::vector<FundRecord>& funds, int years) {
  const auto n = static_cast<std::size_t>(years);
  NdArray<double> out({"year"}, {n});
  std::vector<int> count(n, 0);
  for (const auto& f : funds) {
    if (f.liquidated_month < 0) continue;
    const auto y = static_cast<std::size_t>(std::max(0, f.vintage_month) / 12);
    if (y >= n) continue;
    out(y) += f.tvpi;
    ++count[y];
  }
  for (std::size_t y = 0; y < n; ++y)
    out(y) = count[y] > 0 ? out(y) / count[y] : std::numeric_limits<double>::quiet_NaN();
  return out;
}

// What the summary needs of each replication's funds, gathered while they are written.
struct FundSummaries {
  std::vector<double> mean_tvpi;
  std::vector<NdArray<double>> tvpi_by_vintage;
};

// Every replication's funds in one table along `fund`.
FundSummaries write_funds(const Group& root, const Coordinates& coords,
                          const ReplicationRows<FundRecord>& tables, int years) {
  RowTable<FundRecord> table(root, coords, tables, "funds", "fund",
                             "replication the fund belongs to");
  for (const FundIntField& f : kFundIntFields)
    table.column<std::int32_t>(
        f.name, [m = f.member](const FundRecord& r) { return r.*m; }, f.meta);
  for (const FundMoneyField& f : kFundMoneyFields)
    table.column<double>(
        f.name, [m = f.member](const FundRecord& r) { return r.*m; }, f.meta);
  FundSummaries summaries;
  table.write([&](const std::vector<FundRecord>& funds) {
    summaries.mean_tvpi.push_back(mean_liquidated_tvpi(funds));
    summaries.tvpi_by_vintage.push_back(liquidated_tvpi_by_vintage(funds, years));
  });
  return summaries;
}

// --- /micro -----------------------------------------------------------------------------
// Micro data, written only when some replication kept it: one table of startups and one
// of fund investments.

void write_micro_startups(const Group& micro, const Coordinates& coords,
                          const ReplicationRows<StartupRecord>& rows) {
  RowTable<StartupRecord> t(micro, coords, rows, "startups", "startup",
                            "replication the row belongs to");
  using R = StartupRecord;
  t.column<std::uint64_t>(
      "id", [](const R& r) { return r.id; },
      {"identity", "(birth month + 1) << 20 | index among that month's births"});
  t.column<std::int32_t>("region", [](const R& r) { return r.region; }, {"index", "region"});
  t.column<std::int32_t>("sector", [](const R& r) { return r.sector; }, {"index", "sector"});
  t.column<std::int32_t>("locality", [](const R& r) { return r.locality; },
                         {"index", "locality within the region, in the scenario's order"});
  t.column<double>("log_q", [](const R& r) { return r.log_q; }, {"log", "founder quality"});
  t.column<std::int32_t>("birth_month", [](const R& r) { return r.birth_month; },
                         {"months", "month of founding"});
  const char* stage_names[] = {"month_seed", "month_a", "month_b", "month_c", "month_d"};
  for (std::size_t k = 0; k < 5; ++k)
    t.column<std::int32_t>(stage_names[k], [k](const R& r) { return r.stage_month[k]; },
                           {"months", "month the stage was first reached; -1 never"});
  t.column<std::int32_t>("unicorn_month", [](const R& r) { return r.unicorn_month; },
                         {"months", "first month valued at 1bn or more; -1 never"});
  t.column<std::int32_t>("end_month", [](const R& r) { return r.end_month; },
                         {"months", "month of failure or exit; -1 alive at the end"});
  t.column<std::int32_t>("status", [](const R& r) { return r.status; },
                         {"code", "0 alive, 1 failed, 2 ipo, 3 acquired"});
  t.column<std::int32_t>("stage", [](const R& r) { return r.stage; },
                         {"stage", "last stage: 0 unfunded .. 5 D+"});
  t.column<double>("raised_funds", [](const R& r) { return r.raised_funds; },
                   {"USD m", "raised in checks of VC funds, private and guidance-backed"});
  t.column<double>(
      "raised_state", [](const R& r) { return r.raised_state; },
      {"USD m", "state money: direct stakes, the state share of guidance-backed checks, grants"});
  t.column<double>("raised_other", [](const R& r) { return r.raised_other; },
                   {"USD m", "raised from co-investors"});
  t.column<double>("raised_private", [](const R& r) { return r.raised_private; },
                   {"USD m", "private money: the LPs' share of fund checks, and co-investors"});
  t.column<double>("raised_grants", [](const R& r) { return r.raised_grants; },
                   {"USD m", "grants received (part of raised_state)"});
  t.column<std::int32_t>("state_money", [](const R& r) { return r.state_money; },
                         {"flag", "1 if raised_state > 0"});
  t.write();
}

void write_micro_investments(const Group& micro, const Coordinates& coords,
                             const ReplicationRows<InvestmentRecord>& rows) {
  RowTable<InvestmentRecord> t(micro, coords, rows, "investments", "investment",
                               "replication the row belongs to");
  using R = InvestmentRecord;
  t.column<std::int32_t>("fund", [](const R& r) { return r.fund; },
                         {"index", "the fund's row among /funds rows of the same replication"});
  t.column<std::uint64_t>("startup", [](const R& r) { return r.startup; },
                          {"identity", "the startup's id in /micro/startups"});
  t.column<std::int32_t>("round", [](const R& r) { return r.round; },
                         {"stage", "stage of the round: 1 seed .. 5 D+"});
  t.column<std::int32_t>("month", [](const R& r) { return r.month; },
                         {"months", "month of the round"});
  t.column<double>("amount", [](const R& r) { return r.amount; }, {"USD m", "invested"});
  t.column<double>("proceeds", [](const R& r) { return r.proceeds; },
                   {"USD m", "received for the stake so far"});
  t.column<double>("multiple", [](const R& r) { return r.multiple; },
                   {"multiple", "proceeds / amount"});
  t.column<std::int32_t>("realised", [](const R& r) { return r.realised; },
                         {"flag", "1 once the stake ended (exit, failure or sale)"});
  t.write();
}

void write_micro(const Group& root, const Coordinates& coords, const Replications& reps,
                 RunSpool* spool) {
  const ReplicationRows<StartupRecord> startups(reps, &ReplicationResult::startups,
                                                spool != nullptr ? &spool->startups : nullptr);
  if (startups.total() == 0) return;
  Group micro = root.create_group("micro");
  write_micro_startups(micro, coords, startups);
  write_micro_investments(
      micro, coords,
      ReplicationRows<InvestmentRecord>(reps, &ReplicationResult::investments,
                                        spool != nullptr ? &spool->investments : nullptr));
}

// --- /guidance ---------------------------------------------------------------------------

void write_guidance(const Group& root, const Coordinates& coords, const Replications& reps) {
  if (reps.front().guidance.size() == 0) return;
  Group group = root.create_group("guidance");
  write_stacked<double>(group, coords, "accounts",
                        reps.size(), [&](std::size_t r) -> auto& { return reps[r].guidance; },
                        {"USD m (tvpi, private_per_state_dollar: ratios)",
                         "each guidance fund's cumulative accounts at December"});
  write_stacked<double>(
      group, coords, "invested",
      reps.size(), [&](std::size_t r) -> auto& { return reps[r].guidance_invested; },
      {"USD m",
       "the state's money invested through each guidance fund (its share of "
       "sub-fund checks, and direct stakes), by year, sector and round stage"});
}

// --- /cohorts ----------------------------------------------------------------------------

void write_cohorts(const Group& root, const Coordinates& coords, const Replications& reps) {
  Group group = root.create_group("cohorts");
  const std::size_t n = reps.size();
  write_stacked<std::int32_t>(group, coords, "counts",
                              n, [&](std::size_t r) -> auto& { return reps[r].cohort_counts; },
                              {"startups", "startups of each seed cohort reaching each outcome"});
  write_stacked<double>(group, coords, "median_months",
                        n, [&](std::size_t r) -> auto& { return reps[r].cohort_median_months; },
                        {"months", "median duration observed in each seed cohort; NaN where none"});
  write_stacked<std::int32_t>(
      group, coords, "counts_by_class",
      n, [&](std::size_t r) -> auto& { return reps[r].cohort_counts_by_class; },
      {"startups",
       "startups of each seed cohort reaching each outcome, by the class of "
       "the money they raised"});
  write_stacked<double>(
      group, coords, "capital_by_class",
      n, [&](std::size_t r) -> auto& { return reps[r].cohort_capital_by_class; },
      {"USD m", "private and state money raised by each seed cohort's startups, by class"});
}

// --- /summary ----------------------------------------------------------------------------

template <typename T>
std::size_t axis_of(const NdArray<T>& a, const std::string& dim, const char* what) {
  for (std::size_t d = 0; d < a.dims().size(); ++d)
    if (a.dims()[d] == dim) return d;
  throw Hdf5Error(std::string(what) + " has no '" + dim + "' dimension");
}

// Calls f(index, value) for every element, index holding one position per axis.
template <typename T, typename F>
void for_each_element(const NdArray<T>& a, F&& f) {
  std::vector<std::size_t> index(a.shape().size(), 0);
  for (std::size_t flat = 0; flat < a.size(); ++flat) {
    f(index, a.data()[flat]);
    for (std::size_t d = index.size(); d-- > 0;) {
      if (++index[d] < a.shape()[d]) break;
      index[d] = 0;
    }
  }
}

// Unicorns at one month of each year (11: December), summed over sectors.
NdArray<std::int32_t> unicorns_at(const NdArray<std::int32_t>& active, std::size_t month_of_year) {
  const std::size_t m = axis_of(active, "month", "unicorns_active");
  const std::size_t g = axis_of(active, "region", "unicorns_active");
  const std::size_t years = active.shape()[m] / 12;
  NdArray<std::int32_t> out({"year", "region"}, {years, active.shape()[g]});
  for_each_element(active, [&](const auto& i, std::int32_t v) {
    if (i[m] % 12 == month_of_year && i[m] / 12 < years) out(i[m] / 12, i[g]) += v;
  });
  return out;
}

NdArray<double> capital_by_year(const NdArray<double>& invested) {
  const std::size_t m = axis_of(invested, "month", "capital_invested");
  const std::size_t g = axis_of(invested, "region", "capital_invested");
  const std::size_t s = axis_of(invested, "source", "capital_invested");
  const std::size_t years = invested.shape()[m] / 12;
  NdArray<double> out({"year", "region", "source"},
                      {years, invested.shape()[g], invested.shape()[s]});
  for_each_element(invested, [&](const auto& i, double v) {
    if (i[m] / 12 < years) out(i[m] / 12, i[g], i[s]) += v;
  });
  return out;
}

// Seed cohorts old enough for their outcomes to have played out.
struct CohortRange {
  std::size_t first = 0, last = 0;  // positions along seed_year, inclusive
};

CohortRange mature_cohorts(std::size_t seed_years, int start_year, int end_year) {
  constexpr int kMatureYears = 10;
  CohortRange range{0, seed_years == 0 ? 0 : seed_years - 1};
  int last_mature = end_year - kMatureYears - start_year;
  if (last_mature >= 0 && seed_years > 0)
    range.last = std::min(range.last, static_cast<std::size_t>(last_mature));
  return range;  // no mature cohort: all of them
}

NdArray<std::int32_t> funnel(const NdArray<std::int32_t>& counts, const CohortRange& range) {
  const std::size_t y = axis_of(counts, "seed_year", "cohort_counts");
  const std::size_t g = axis_of(counts, "region", "cohort_counts");
  const std::size_t o = axis_of(counts, "outcome", "cohort_counts");
  NdArray<std::int32_t> out({"region", "outcome"}, {counts.shape()[g], counts.shape()[o]});
  for_each_element(counts, [&](const auto& i, std::int32_t v) {
    if (i[y] >= range.first && i[y] <= range.last) out(i[g], i[o]) += v;
  });
  return out;
}

// (seed_year, region, class, X) summed over the seed years of `range`: (region, class, X).
template <typename T>
NdArray<T> by_class(const NdArray<T>& a, const CohortRange& range, const std::string& last_dim) {
  const auto& shape = a.shape();
  NdArray<T> out({"region", "class", last_dim}, {shape[1], shape[2], shape[3]});
  for_each_element(a, [&](const auto& i, T v) {
    if (i[0] >= range.first && i[0] <= range.last) out(i[1], i[2], i[3]) += v;
  });
  return out;
}

template <typename T, typename F>
std::vector<NdArray<T>> per_replication(const Replications& reps, F f) {
  std::vector<NdArray<T>> out;
  out.reserve(reps.size());
  for (const auto& rep : reps) out.push_back(f(rep));
  return out;
}

template <Hdf5Element T>
void write_computed(const Group& group, const Coordinates& coords, const std::string& name,
                    const std::vector<NdArray<T>>& slabs, const Meta& meta) {
  write_stacked<T>(
      group, coords, name, slabs.size(), [&](std::size_t r) -> auto& { return slabs[r]; }, meta);
}

void write_summary(const Group& root, const Coordinates& coords, const Replications& reps,
                   const FundSummaries& funds, int start_year, int end_year) {
  Group group = root.create_group("summary");
  std::vector<std::uint64_t> agent_months;
  for (const auto& rep : reps) agent_months.push_back(rep.agent_months);
  write_per_replication(group, coords, "agent_months", agent_months,
                        {"startup-months", "alive startups summed over months"});
  write_computed(group, coords, "unicorns_december",
                 per_replication<std::int32_t>(
                     reps, [](const auto& r) { return unicorns_at(r.unicorns[0].active, 11); }),
                 {"startups", "unicorns (all definition) in December, summed over sectors"});
  write_computed(group, coords, "unicorns_june",
                 per_replication<std::int32_t>(
                     reps, [](const auto& r) { return unicorns_at(r.unicorns[0].active, 5); }),
                 {"startups", "unicorns (all definition) in June, summed over sectors"});
  write_computed(group, coords, "unicorns_december_age_capped",
                 per_replication<std::int32_t>(
                     reps, [](const auto& r) { return unicorns_at(r.unicorns[1].active, 11); }),
                 {"startups", "unicorns (age-capped definition) in December"});
  write_computed(group, coords, "capital_invested_yearly",
                 per_replication<double>(
                     reps, [](const auto& r) { return capital_by_year(r.capital_invested); }),
                 {"USD m", "deal value invested in the year, by source"});
  write_per_replication(group, coords, "mean_fund_tvpi", funds.mean_tvpi,
                        {"multiple", "mean net TVPI of funds liquidated by the end; NaN if none"});
  write_computed(
      group, coords, "mean_fund_tvpi_by_vintage", funds.tvpi_by_vintage,
      {"multiple", "mean net TVPI of funds liquidated by the end, by vintage year; NaN if none"});
  const auto range =
      mature_cohorts(reps[0].cohort_counts.shape().empty() ? 0 : reps[0].cohort_counts.shape()[0],
                     start_year, end_year);
  write_computed(group, coords, "funnel",
                 per_replication<std::int32_t>(
                     reps, [&](const auto& r) { return funnel(r.cohort_counts, range); }),
                 {"startups", "seed cohorts' outcomes, summed over the seed years given"});
  write_computed(
      group, coords, "funnel_by_class",
      per_replication<std::int32_t>(
          reps,
          [&](const auto& r) { return by_class(r.cohort_counts_by_class, range, "outcome"); }),
      {"startups", "the funnel split by the class of the money raised"});
  write_computed(
      group, coords, "capital_by_class",
      per_replication<double>(
          reps, [&](const auto& r) { return by_class(r.cohort_capital_by_class, range, "money"); }),
      {"USD m", "private and state money raised by the funnel's startups, by class"});
  for (const char* name : {"funnel", "funnel_by_class", "capital_by_class"}) {
    Dataset d = group.open_dataset(name);
    write_attribute(d, "first_seed_year", start_year + static_cast<std::int64_t>(range.first));
    write_attribute(d, "last_seed_year", start_year + static_cast<std::int64_t>(range.last));
  }
}

// --- root --------------------------------------------------------------------------------

void write_root_attributes(const Group& root, const Scenario& scenario, const RunLabels& labels,
                           std::size_t replications) {
  write_attribute(root, "file_kind", kRunFileKind);
  write_attribute(root, "format_version", std::vector<int>{kFormatMajor, kFormatMinor});
  write_attribute(root, "engine_version", kEngineVersion);
  write_attribute(root, "git_revision", kGitRevision);
  write_attribute(root, "seed", scenario.seed);
  write_attribute(root, "replications", replications);
  write_attribute(root, "start_year", labels.start_year);
  write_attribute(root, "end_year", scenario.end_year);
  write_attribute(root, "created", utc_timestamp());
  write_attribute(root, "scenario_name", scenario.name);
  write_attribute(root, "scenario_path", scenario.source_path);
  write_attribute(root, "scenario", scenario.resolved_text);
}

void write_file(const std::string& path, const Scenario& scenario, const RunLabels& labels,
                const Replications& reps, RunSpool* spool) {
  File file = File::create(path);
  {
    Group root = file.root();
    Coordinates coords(labels);
    write_root_attributes(root, scenario, labels, reps.size());
    write_timeseries(root, coords, reps);
    write_yearly(root, coords, reps);
    const ReplicationRows<FundRecord> funds(reps, &ReplicationResult::funds,
                                            spool != nullptr ? &spool->funds : nullptr);
    const FundSummaries fund_summaries =
        write_funds(root, coords, funds, scenario.end_year - labels.start_year + 1);
    write_micro(root, coords, reps, spool);
    write_guidance(root, coords, reps);
    write_cohorts(root, coords, reps);
    write_summary(root, coords, reps, fund_summaries, labels.start_year, scenario.end_year);
  }
  file.close();
}

// The operating system's reason inside an HDF5 message ("error message = 'File too
// large'"), as " (File too large)" to lead the error; empty if there is none.
std::string system_reason(const std::string& message) {
  const std::string tag = "error message = '";
  const auto start = message.find(tag);
  if (start == std::string::npos) return "";
  const auto end = message.find('\'', start + tag.size());
  if (end == std::string::npos) return "";
  return ": " + message.substr(start + tag.size(), end - start - tag.size());
}

void write_output(const std::string& path, const Scenario& scenario, const RunLabels& labels,
                  const Replications& replications, RunSpool* spool) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  try {
    if (replications.empty()) throw Hdf5Error(path + ": no replications to write");
    write_file(temporary, scenario, labels, replications, spool);
    rename_durably(temporary, path);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Hdf5Error(path + ": cannot write the run output" + system_reason(e.what()) +
                    "; nothing was written under this name (" + e.what() + ")");
  }
}

}  // namespace

void write_run_output(const std::string& path, const Scenario& scenario, const RunLabels& labels,
                      const std::vector<ReplicationResult>& replications) {
  write_output(path, scenario, labels, replications, nullptr);
}

void write_run_output(const std::string& path, const Scenario& scenario, const RunLabels& labels,
                      const std::vector<ReplicationResult>& replications, RunSpool& spool) {
  write_output(path, scenario, labels, replications, &spool);
}

}  // namespace vcsim
