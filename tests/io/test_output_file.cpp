#include "io/output_file.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

#include "../support/temp_dir.hpp"
#include "io/hdf5.hpp"
#include "io/headline.hpp"

namespace fs = std::filesystem;
using namespace vcsim;

namespace {

using testing::TempDir;

constexpr std::size_t kMonths = 24, kYears = 2, kRegions = 2, kSectors = 2, kNodes = 3;

// Distinct values: each array and replication gets its own range.
template <typename T>
NdArray<T> distinct(std::vector<std::string> dims, std::vector<std::size_t> shape, int array,
                    int replication) {
  NdArray<T> a(std::move(dims), std::move(shape));
  for (std::size_t i = 0; i < a.size(); ++i)
    a.data()[i] = static_cast<T>(replication * 100000 + array * 1000 + static_cast<int>(i % 997));
  return a;
}

// Flows of small distinct values; the stock follows the identity from zero.
UnicornSeries unicorn_series(int seed) {
  const std::vector<std::string> dims{"month", "region", "sector"};
  const std::vector<std::size_t> shape{kMonths, kRegions, kSectors};
  UnicornSeries u;
  int k = 0;
  for (auto* flow :
       {&u.new_, &u.reminted, &u.ipo, &u.acquired, &u.failed, &u.demoted, &u.aged_out}) {
    *flow = NdArray<std::int32_t>(dims, shape);
    for (std::size_t i = 0; i < flow->size(); ++i)
      flow->data()[i] = static_cast<std::int32_t>((static_cast<int>(i) * (k + 3) + seed) % 4);
    ++k;
  }
  u.active = NdArray<std::int32_t>(dims, shape);
  for (std::size_t m = 0; m < kMonths; ++m)
    for (std::size_t g = 0; g < kRegions; ++g)
      for (std::size_t s = 0; s < kSectors; ++s)
        u.active(m, g, s) = (m ? u.active(m - 1, g, s) : 0) + u.new_(m, g, s) +
                            u.reminted(m, g, s) - u.ipo(m, g, s) - u.acquired(m, g, s) -
                            u.failed(m, g, s) - u.demoted(m, g, s) - u.aged_out(m, g, s);
  return u;
}

ReplicationResult synthetic(int rep) {
  ReplicationResult r;
  const std::vector<std::string> mrs{"month", "region", "sector"};
  const std::vector<std::size_t> mrs_shape{kMonths, kRegions, kSectors};
  int id = 0;
  for (auto* a : {&r.births, &r.startups_alive, &r.ipos, &r.acquisitions, &r.failures_unfunded,
                  &r.failures_funded})
    *a = distinct<std::int32_t>(mrs, mrs_shape, ++id, rep);
  r.unicorns[0] = unicorn_series(rep);
  r.unicorns[1] = unicorn_series(rep + 7);
  r.rounds = distinct<std::int32_t>({"month", "region", "sector", "stage"},
                                    {kMonths, kRegions, kSectors, 5}, ++id, rep);
  r.capital_invested = distinct<double>({"month", "region", "sector", "stage", "source"},
                                        {kMonths, kRegions, kSectors, 5, 4}, ++id, rep);
  r.capital_invested.data()[3] = 0.1;  // a fraction survives exactly
  for (auto* a : {&r.fees, &r.calls, &r.distributions, &r.carry, &r.exit_proceeds_to_funds,
                  &r.secondary_sales})
    *a = distinct<double>({"month", "region"}, {kMonths, kRegions}, ++id, rep);
  for (auto* a : {&r.lp_pool, &r.lp_unplaced, &r.capital_raised})
    *a = distinct<double>({"year", "region"}, {kYears, kRegions}, ++id, rep);
  for (auto* a : {&r.funds_closed, &r.firms_entered, &r.firms_exited})
    *a = distinct<std::int32_t>({"year", "region"}, {kYears, kRegions}, ++id, rep);
  r.capital_flows =
      distinct<double>({"year", "source_node", "target_node"}, {kYears, kNodes, kNodes}, ++id, rep);
  r.cohort_counts =
      distinct<std::int32_t>({"seed_year", "region", "sector", "outcome"},
                             {kYears, kRegions, kSectors, kCohortOutcomeNames.size()}, ++id, rep);
  r.cohort_median_months =
      distinct<double>({"seed_year", "region", "sector", "duration"},
                       {kYears, kRegions, kSectors, kCohortDurationNames.size()}, ++id, rep);
  r.cohort_median_months.data()[1] = std::numeric_limits<double>::quiet_NaN();
  r.cohort_counts_by_class = distinct<std::int32_t>(
      {"seed_year", "region", "class", "outcome"},
      {kYears, kRegions, kStartupClassNames.size(), kCohortOutcomeNames.size()}, ++id, rep);
  r.cohort_capital_by_class = distinct<double>(
      {"seed_year", "region", "class", "money"},
      {kYears, kRegions, kStartupClassNames.size(), kMoneyNames.size()}, ++id, rep);
  for (int f = 0; f < 3 - rep; ++f) {
    FundRecord fund;
    fund.region = f % 2;
    fund.vintage_month = f - 1;
    fund.size = 100.0 * (f + 1) + rep;
    fund.tvpi = 1.0 + 0.5 * f + rep;
    fund.liquidated_month = f == 0 ? -1 : 20 + f;
    fund.deals = 10 * f + rep;
    r.funds.push_back(fund);
  }
  r.agent_months = 1000u + static_cast<std::uint64_t>(rep);
  return r;
}

Scenario scenario() {
  Scenario s;
  s.name = "synthetic";
  s.source_path = "scenarios/synthetic.toml";
  s.resolved_text = "name = \"synthetic\"\nstart_year = 2020\nend_year = 2021\n";
  s.start_year = 2020;
  s.end_year = 2021;
  s.seed = 42;
  s.replications = 2;
  return s;
}

RunLabels labels() {
  return {2020,
          {"US", "China"},
          {"ai", "biotech"},
          {"private_lps:US", "private_lps:China", "startups:ai"},
          {}};
}

std::vector<ReplicationResult> two_replications() { return {synthetic(0), synthetic(1)}; }

template <typename T>
std::vector<T> slab(const NdArray<T>& stacked, std::size_t replication) {
  const std::size_t n = stacked.size() / stacked.shape()[0];
  auto first = stacked.data().begin() + static_cast<std::ptrdiff_t>(replication * n);
  return {first, first + static_cast<std::ptrdiff_t>(n)};
}

// NaN-aware equality, since NaN marks cohorts with nothing observed.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

template <typename T>
void check_stacked(const Group& g, const std::string& name,
                   const std::vector<ReplicationResult>& reps,
                   const std::function<const NdArray<T>&(const ReplicationResult&)>& get) {
  INFO(name);
  auto stacked = read_dataset<T>(g, name);
  std::vector<std::string> dims{"replication"};
  dims.insert(dims.end(), get(reps[0]).dims().begin(), get(reps[0]).dims().end());
  CHECK(stacked.dims() == dims);
  REQUIRE(stacked.shape()[0] == reps.size());
  for (std::size_t r = 0; r < reps.size(); ++r) {
    if constexpr (std::is_same_v<T, double>)
      CHECK(same(slab(stacked, r), get(reps[r]).data()));
    else
      CHECK(slab(stacked, r) == get(reps[r]).data());
  }
}

int run_check(const std::string& file) {
  const std::string command = "/usr/bin/python3 " + std::string(VCSIM_SOURCE_DIR) +
                              "/analysis/vcsim_output.py check '" + file + "' > /dev/null 2>&1";
  return std::system(command.c_str());
}

}  // namespace

TEST_CASE("io: run output round trips every replication exactly", "[io][output]") {
  TempDir dir;
  const auto reps = two_replications();
  const std::string path = dir.file("run.h5");
  write_run_output(path, scenario(), labels(), reps);

  File file = File::open_read(path);
  Group root = file.root();
  Group ts = root.open_group("timeseries");
  check_stacked<std::int32_t>(
      ts, "births", reps, [](auto& r) -> auto& { return r.births; });
  check_stacked<std::int32_t>(
      ts, "failures_funded", reps, [](auto& r) -> auto& { return r.failures_funded; });
  check_stacked<std::int32_t>(
      ts, "unicorns_active", reps, [](auto& r) -> auto& { return r.unicorns[0].active; });
  check_stacked<std::int32_t>(
      ts, "unicorns_aged_out_age_capped", reps,
      [](auto& r) -> auto& { return r.unicorns[1].aged_out; });
  check_stacked<std::int32_t>(
      ts, "unicorns_new", reps, [](auto& r) -> auto& { return r.unicorns[0].new_; });
  check_stacked<std::int32_t>(
      ts, "rounds", reps, [](auto& r) -> auto& { return r.rounds; });
  check_stacked<double>(
      ts, "capital_invested", reps, [](auto& r) -> auto& { return r.capital_invested; });
  check_stacked<double>(
      ts, "secondary_sales", reps, [](auto& r) -> auto& { return r.secondary_sales; });
  Group yearly = root.open_group("yearly");
  check_stacked<double>(
      yearly, "lp_pool", reps, [](auto& r) -> auto& { return r.lp_pool; });
  check_stacked<std::int32_t>(
      yearly, "firms_exited", reps, [](auto& r) -> auto& { return r.firms_exited; });
  check_stacked<double>(
      yearly, "capital_flows", reps, [](auto& r) -> auto& { return r.capital_flows; });
  Group cohorts = root.open_group("cohorts");
  check_stacked<std::int32_t>(
      cohorts, "counts", reps, [](auto& r) -> auto& { return r.cohort_counts; });
  check_stacked<double>(
      cohorts, "median_months", reps, [](auto& r) -> auto& { return r.cohort_median_months; });
  check_stacked<std::int32_t>(
      cohorts, "counts_by_class", reps, [](auto& r) -> auto& { return r.cohort_counts_by_class; });
  check_stacked<double>(
      cohorts, "capital_by_class", reps,
      [](auto& r) -> auto& { return r.cohort_capital_by_class; });

  Group funds = root.open_group("funds");
  CHECK(read_dataset<std::int32_t>(funds, "replication").data() ==
        std::vector<std::int32_t>{0, 0, 0, 1, 1});
  CHECK(read_dataset<double>(funds, "size").data() == std::vector<double>{100, 200, 300, 101, 201});
  CHECK(read_dataset<std::int32_t>(funds, "vintage_month").data() ==
        std::vector<std::int32_t>{-1, 0, 1, -1, 0});
  CHECK(read_dataset<std::int32_t>(funds, "deals").dims() == std::vector<std::string>{"fund"});
  CHECK(funds.contains("irr"));
  CHECK(funds.contains("liquidated_month"));
}

TEST_CASE("io: run output datasets carry dimension scales", "[io][output]") {
  TempDir dir;
  const std::string path = dir.file("run.h5");
  write_run_output(path, scenario(), labels(), two_replications());
  File file = File::open_read(path);
  Group ts = file.root().open_group("timeseries");
  Dataset capital = ts.open_dataset("capital_invested");
  const std::vector<std::string> dims{"replication", "month", "region",
                                      "sector",      "stage", "source"};
  CHECK(capital.dims() == dims);
  for (unsigned axis = 0; axis < dims.size(); ++axis)
    CHECK(capital.scale_attached(ts.open_dataset(dims[axis]), axis));
  CHECK(read_dataset<std::int32_t>(ts, "month").data().back() == 23);
  CHECK(read_dataset<std::string>(ts, "stage").data() ==
        std::vector<std::string>{"seed", "A", "B", "C", "D+"});
  CHECK(read_dataset<std::string>(ts, "region").data() == std::vector<std::string>{"US", "China"});
  CHECK(read_dataset<std::string>(ts, "source").data().front() == "private_funds");
  CHECK(read_attribute<std::string>(capital, "units") == "USD m");

  Group yearly = file.root().open_group("yearly");
  CHECK(yearly.open_dataset("capital_flows").dims() ==
        std::vector<std::string>{"replication", "year", "source_node", "target_node"});
  CHECK(read_dataset<std::string>(yearly, "target_node").data() == labels().flow_nodes);
  CHECK(read_dataset<std::int32_t>(yearly, "year").data() == std::vector<std::int32_t>{2020, 2021});
  Group cohorts = file.root().open_group("cohorts");
  CHECK(read_dataset<std::int32_t>(cohorts, "seed_year").data() ==
        std::vector<std::int32_t>{2020, 2021});
  CHECK(read_dataset<std::string>(cohorts, "outcome").size() == kCohortOutcomeNames.size());
  CHECK(read_dataset<std::string>(cohorts, "duration").data().front() == "founding_to_seed");
}

TEST_CASE("io: run output root attributes describe the run", "[io][output]") {
  TempDir dir;
  const std::string path = dir.file("run.h5");
  write_run_output(path, scenario(), labels(), two_replications());
  File file = File::open_read(path);
  Group root = file.root();
  CHECK(read_attribute<std::string>(root, "file_kind") == "vcsim.run");
  CHECK(read_attribute<std::vector<int>>(root, "format_version") ==
        std::vector<int>{kFormatMajor, kFormatMinor});
  CHECK_FALSE(read_attribute<std::string>(root, "engine_version").empty());
  CHECK_FALSE(read_attribute<std::string>(root, "git_revision").empty());
  CHECK(read_attribute<std::int64_t>(root, "seed") == 42);
  CHECK(read_attribute<std::int64_t>(root, "replications") == 2);
  CHECK(read_attribute<std::int64_t>(root, "start_year") == 2020);
  CHECK(read_attribute<std::int64_t>(root, "end_year") == 2021);
  const auto created = read_attribute<std::string>(root, "created");
  CHECK(created.size() == 20);
  CHECK(created.back() == 'Z');
  CHECK(read_attribute<std::string>(root, "scenario_name") == "synthetic");
  CHECK(read_attribute<std::string>(root, "scenario_path") == "scenarios/synthetic.toml");
  CHECK(read_attribute<std::string>(root, "scenario") == scenario().resolved_text);
}

TEST_CASE("io: run output summary", "[io][output]") {
  TempDir dir;
  const auto reps = two_replications();
  const std::string path = dir.file("run.h5");
  write_run_output(path, scenario(), labels(), reps);
  File file = File::open_read(path);
  Group summary = file.root().open_group("summary");

  CHECK(read_dataset<std::uint64_t>(summary, "agent_months").data() ==
        std::vector<std::uint64_t>{1000, 1001});
  auto december = read_dataset<std::int32_t>(summary, "unicorns_december");
  CHECK(december.dims() == std::vector<std::string>{"replication", "year", "region"});
  auto june = read_dataset<std::int32_t>(summary, "unicorns_june");
  auto capped = read_dataset<std::int32_t>(summary, "unicorns_december_age_capped");
  auto capital = read_dataset<double>(summary, "capital_invested_yearly");
  CHECK(capital.dims() == std::vector<std::string>{"replication", "year", "region", "source"});
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t y = 0; y < kYears; ++y)
      for (std::size_t g = 0; g < kRegions; ++g) {
        const auto& all = reps[r].unicorns[0].active;
        CHECK(december(r, y, g) == all(y * 12 + 11, g, 0) + all(y * 12 + 11, g, 1));
        CHECK(june(r, y, g) == all(y * 12 + 5, g, 0) + all(y * 12 + 5, g, 1));
        const auto& age_capped = reps[r].unicorns[1].active;
        CHECK(capped(r, y, g) == age_capped(y * 12 + 11, g, 0) + age_capped(y * 12 + 11, g, 1));
        for (std::size_t s = 0; s < 4; ++s) {
          double expected = 0;
          for (std::size_t m = y * 12; m < y * 12 + 12; ++m)
            for (std::size_t k = 0; k < kSectors; ++k)
              for (std::size_t st = 0; st < 5; ++st)
                expected += reps[r].capital_invested(m, g, k, st, s);
          CHECK(capital(r, y, g, s) == Approx(expected));
        }
      }
  // Funds 1 and 2 are liquidated: TVPI 1.5 and 2.0, plus the replication.
  auto tvpi = read_dataset<double>(summary, "mean_fund_tvpi").data();
  CHECK(tvpi[0] == Approx(1.75));
  CHECK(tvpi[1] == Approx(2.5));  // one liquidated fund, TVPI 1.5 + 1
  // No cohort is 10 years old in a two-year run: the funnel takes all of them.
  auto funnel = read_dataset<std::int32_t>(summary, "funnel");
  CHECK(funnel.dims() == std::vector<std::string>{"replication", "region", "outcome"});
  const auto& counts = reps[1].cohort_counts;
  CHECK(funnel(1, 1, 5) ==
        counts(0, 1, 0, 5) + counts(0, 1, 1, 5) + counts(1, 1, 0, 5) + counts(1, 1, 1, 5));
  Dataset funnel_dataset = summary.open_dataset("funnel");
  CHECK(read_attribute<std::int64_t>(funnel_dataset, "first_seed_year") == 2020);
  CHECK(read_attribute<std::int64_t>(funnel_dataset, "last_seed_year") == 2021);
  // The class split sums the same seed years, keeping the class.
  auto by_class = read_dataset<std::int32_t>(summary, "funnel_by_class");
  CHECK(by_class.dims() == std::vector<std::string>{"replication", "region", "class", "outcome"});
  CHECK(read_dataset<std::string>(summary, "class").data() ==
        std::vector<std::string>{"pure_private", "mixed", "pure_state"});
  const auto& split = reps[1].cohort_counts_by_class;
  CHECK(by_class(1, 1, 2, 5) == split(0, 1, 2, 5) + split(1, 1, 2, 5));
  auto money = read_dataset<double>(summary, "capital_by_class");
  const auto& raised = reps[0].cohort_capital_by_class;
  CHECK(money(0, 0, 1, 2) == Approx(raised(0, 0, 1, 2) + raised(1, 0, 1, 2)));
}

TEST_CASE("io: run output is written whole or not at all", "[io][output]") {
  TempDir dir;
  write_run_output(dir.file("run.h5"), scenario(), labels(), two_replications());
  CHECK(dir.listing() == std::vector<std::string>{"run.h5"});

  const std::string nowhere = (dir.path() / "no" / "such" / "run.h5").string();
  CHECK_THROWS_AS(write_run_output(nowhere, scenario(), labels(), two_replications()), Hdf5Error);
  CHECK_FALSE(fs::exists(dir.path() / "no"));

  auto reps = two_replications();
  reps[1].births = NdArray<std::int32_t>({"month", "region", "sector"}, {12, 2, 2});
  CHECK_THROWS_WITH(write_run_output(dir.file("bad.h5"), scenario(), labels(), reps),
                    Catch::Contains("births") && Catch::Contains("replication 1"));
  CHECK_THROWS_AS(write_run_output(dir.file("empty.h5"), scenario(), labels(), {}), Hdf5Error);
  RunLabels short_labels = labels();
  short_labels.regions.pop_back();
  CHECK_THROWS_WITH(
      write_run_output(dir.file("labels.h5"), scenario(), short_labels, two_replications()),
      Catch::Contains("region"));
  CHECK(dir.listing() == std::vector<std::string>{"run.h5"});
}

TEST_CASE("io: headline table summarises a run", "[io][headline]") {
  TempDir dir;
  const std::string path = dir.file("run.h5");
  write_run_output(path, scenario(), labels(), two_replications());
  const std::string table = headline_table(path, {});
  INFO(table);
  CHECK_THAT(table, Catch::Contains("synthetic") && Catch::Contains("seed 42") &&
                        Catch::Contains("2 replications") && Catch::Contains("World") &&
                        Catch::Contains("China") && Catch::Contains("2020") &&
                        Catch::Contains("2021") && Catch::Contains("age-capped") &&
                        Catch::Contains("Seed cohorts 2020-2021") &&
                        Catch::Contains("failed   alive") && Catch::Contains("guidance_funds") &&
                        Catch::Contains("TVPI"));
  CHECK_THAT(headline_table(path, {2021}), !Catch::Contains("\n  2020 "));
  CHECK_THROWS_AS(headline_table(path, {2030}), std::invalid_argument);
}

TEST_CASE("io: headline table refuses foreign and damaged files", "[io][headline]") {
  TempDir dir;
  {
    File file = File::create(dir.file("foreign.h5"));
    write_attribute(file.root(), "title", "someone else's data");
    file.close();
  }
  CHECK_THROWS_WITH(headline_table(dir.file("foreign.h5"), {}),
                    Catch::Contains("not a vcsim output file"));
  {
    std::ofstream text(dir.file("text.h5"));
    text << "name = \"not hdf5\"\n";
  }
  CHECK_THROWS_WITH(headline_table(dir.file("text.h5"), {}),
                    Catch::Contains("not a vcsim output file, or damaged"));

  CHECK_THROWS_WITH(headline_table(dir.file("absent.h5"), {}), Catch::Contains("no such file"));

  write_run_output(dir.file("run.h5"), scenario(), labels(), two_replications());
  const auto size = fs::file_size(dir.file("run.h5"));
  fs::copy_file(dir.file("run.h5"), dir.file("truncated.h5"));
  fs::resize_file(dir.file("truncated.h5"), size / 2);
  CHECK_THROWS_WITH(headline_table(dir.file("truncated.h5"), {}), Catch::Contains("damaged"));

  {
    File file = File::create(dir.file("future.h5"));
    write_attribute(file.root(), "file_kind", kRunFileKind);
    write_attribute(file.root(), "format_version", std::vector<int>{kFormatMajor + 1, 0});
    file.close();
  }
  CHECK_THROWS_WITH(headline_table(dir.file("future.h5"), {}),
                    Catch::Contains("format 2.0 is not supported"));
  {
    File file = File::create(dir.file("hollow.h5"));
    write_attribute(file.root(), "file_kind", kRunFileKind);
    write_attribute(file.root(), "format_version", std::vector<int>{kFormatMajor, 0});
    file.close();
  }
  CHECK_THROWS_WITH(headline_table(dir.file("hollow.h5"), {}), Catch::Contains("damaged"));
}

TEST_CASE("io: the Python reader checks the unicorn flow identity", "[io][python]") {
  if (!fs::exists("/usr/bin/python3")) {
    WARN("no /usr/bin/python3: skipped");
    return;
  }
  TempDir dir;
  write_run_output(dir.file("run.h5"), scenario(), labels(), two_replications());
  CHECK(run_check(dir.file("run.h5")) == 0);

  auto reps = two_replications();
  reps[1].unicorns[1].active(13, 1, 0) += 1;
  write_run_output(dir.file("broken.h5"), scenario(), labels(), reps);
  CHECK(run_check(dir.file("broken.h5")) != 0);
}

TEST_CASE("io: run output with no funds has an empty fund table", "[io][output]") {
  TempDir dir;
  auto reps = two_replications();
  for (auto& r : reps) r.funds.clear();
  write_run_output(dir.file("run.h5"), scenario(), labels(), reps);
  File file = File::open_read(dir.file("run.h5"));
  auto size = read_dataset<double>(file.root().open_group("funds"), "size");
  CHECK(size.shape() == std::vector<std::size_t>{0});
  CHECK(size.dims() == std::vector<std::string>{"fund"});
  auto tvpi = read_dataset<double>(file.root().open_group("summary"), "mean_fund_tvpi").data();
  CHECK(std::isnan(tvpi[0]));
  CHECK_THAT(headline_table(dir.file("run.h5"), {}), Catch::Contains("no fund liquidated"));
}

TEST_CASE("io: tables spooled during a run are written as if held", "[io][output][spool]") {
  TempDir dir;
  // Micro rows in replication 1 only, as with --micro-data first but the other way round.
  auto with_micro = [] {
    auto reps = two_replications();
    reps[1].startups.resize(3);
    reps[1].startups[2].id = 777;
    reps[1].startups[1].raised_state = 4.5;
    reps[1].investments.resize(2);
    reps[1].investments[0].amount = 1.25;
    return reps;
  };
  const auto held = with_micro();
  write_run_output(dir.file("held.h5"), scenario(), labels(), held);

  auto spooled = with_micro();
  {
    RunSpool spool(dir.file("spooled.h5"), spooled.size());
    for (std::size_t r : {1u, 0u}) spool.add(r, spooled[r]);
    write_run_output(dir.file("spooled.h5"), scenario(), labels(), spooled, spool);
  }
  CHECK(dir.listing() == std::vector<std::string>{"held.h5", "spooled.h5"});

  File a = File::open_read(dir.file("held.h5"));
  File b = File::open_read(dir.file("spooled.h5"));
  for (const char* path : {"funds", "micro/startups", "micro/investments"}) {
    Group ga = a.root().open_group("funds"), gb = b.root().open_group("funds");
    if (std::string(path) != "funds") {
      ga = a.root().open_group("micro").open_group(std::string(path).substr(6));
      gb = b.root().open_group("micro").open_group(std::string(path).substr(6));
    }
    CHECK(ga.members() == gb.members());
    for (const std::string& name : ga.members()) {
      INFO(path << "/" << name);
      const ElementKind kind = element_kind(ga.open_dataset(name));
      if (kind == ElementKind::int32)
        CHECK(read_dataset<std::int32_t>(ga, name).data() ==
              read_dataset<std::int32_t>(gb, name).data());
      else if (kind == ElementKind::uint64)
        CHECK(read_dataset<std::uint64_t>(ga, name).data() ==
              read_dataset<std::uint64_t>(gb, name).data());
      else
        CHECK(same(read_dataset<double>(ga, name).data(), read_dataset<double>(gb, name).data()));
    }
  }
  const Group startups = b.root().open_group("micro").open_group("startups");
  CHECK(read_dataset<std::int32_t>(startups, "replication").data() ==
        std::vector<std::int32_t>{1, 1, 1});
  CHECK(read_dataset<std::uint64_t>(startups, "id").data().back() == 777);
  const Group sa = a.root().open_group("summary"), sb = b.root().open_group("summary");
  for (const char* name : {"mean_fund_tvpi", "mean_fund_tvpi_by_vintage"})
    CHECK(same(read_dataset<double>(sa, name).data(), read_dataset<double>(sb, name).data()));
  CHECK(read_dataset<double>(sb, "mean_fund_tvpi").data()[0] == Approx(1.75));
}
