// A run's spool gives back each replication's tables as they were added, whatever the
// order, frees the memory they took, refuses misuse by name, and leaves no file behind.
#include "io/run_spool.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "../support/temp_dir.hpp"

using namespace vcsim;
using testing::TempDir;

namespace {

// A table of `n` funds whose fields all depend on the replication and the fund.
std::vector<FundRecord> table(std::size_t replication, std::size_t n) {
  std::vector<FundRecord> funds(n);
  for (std::size_t k = 0; k < n; ++k) {
    FundRecord& f = funds[k];
    f.region = static_cast<std::int32_t>(replication);
    f.index = static_cast<std::int32_t>(k);
    f.liquidated_month = static_cast<std::int32_t>(k % 7) - 1;
    f.deals = static_cast<std::int32_t>(replication * 1000 + k);
    f.size = 0.1 * static_cast<double>(replication) + static_cast<double>(k);
    f.irr = -0.25 / static_cast<double>(k + 1);
  }
  return funds;
}

bool same(const std::vector<FundRecord>& a, const std::vector<FundRecord>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](const FundRecord& x, const FundRecord& y) {
           return x.region == y.region && x.index == y.index &&
                  x.liquidated_month == y.liquidated_month && x.deals == y.deals &&
                  x.size == y.size && x.irr == y.irr;
         });
}

}  // namespace

TEST_CASE("run spool: tables come back whole, in any order of adding", "[io][spool]") {
  TempDir dir;
  const std::string path = dir.file("funds.tmp");
  {
    RecordSpool<FundRecord> spool(path, 4);
    CHECK(std::filesystem::exists(path));
    // Replications finish out of order, and one has no funds at all.
    const std::size_t sizes[] = {3000, 0, 17, 5};
    for (std::size_t r : {2u, 0u, 3u, 1u}) {
      CHECK_FALSE(spool.has(r));
      auto funds = table(r, sizes[r]);
      spool.add(r, funds);
      CHECK(funds.empty());
      CHECK(funds.capacity() == 0);  // the memory is given back
      CHECK(spool.has(r));
      CHECK(spool.count(r) == sizes[r]);
    }
    for (std::size_t r : {0u, 1u, 2u, 3u, 2u}) {
      INFO("replication " << r);
      CHECK(same(spool.load(r), table(r, sizes[r])));
    }
    CHECK(std::filesystem::file_size(path) == 3022 * sizeof(FundRecord));
  }
  CHECK_FALSE(std::filesystem::exists(path));  // removed with the spool
}

TEST_CASE("run spool: replications added from many threads", "[io][spool]") {
  TempDir dir;
  RecordSpool<FundRecord> spool(dir.file("funds.tmp"), 64);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&spool, t] {
      for (std::size_t r = t; r < 64; r += 4) {
        auto funds = table(r, 100 + r);
        spool.add(r, funds);
      }
    });
  for (auto& thread : threads) thread.join();
  for (std::size_t r = 0; r < 64; ++r) {
    INFO("replication " << r);
    CHECK(same(spool.load(r), table(r, 100 + r)));
  }
}

TEST_CASE("run spool: misuse and unusable paths are refused by name", "[io][spool]") {
  TempDir dir;
  const std::string path = dir.file("funds.tmp");
  RecordSpool<FundRecord> spool(path, 2);
  auto funds = table(0, 3);
  spool.add(0, funds);
  auto again = table(0, 3);
  CHECK_THROWS_WITH(spool.add(0, again), Catch::Contains("replication 0 spooled twice"));
  CHECK_THROWS_WITH(spool.load(1), Catch::Contains("replication 1 was never spooled"));
  CHECK_THROWS_AS(spool.add(2, again), std::out_of_range);
  // An existing file is never truncated, and a missing folder is named.
  CHECK_THROWS_WITH(RecordSpool<FundRecord>(path, 1),
                    Catch::Contains(path) && Catch::Contains("cannot create"));
  const std::string nowhere = dir.file("no_such_folder/funds.tmp");
  CHECK_THROWS_WITH(RecordSpool<FundRecord>(nowhere, 1), Catch::Contains(nowhere));
}

TEST_CASE("run spool: funds and micro data leave the result for files beside the output",
          "[io][spool]") {
  TempDir dir;
  const std::string output = dir.file("run.h5");
  ReplicationResult result;
  result.funds = table(1, 10);
  result.startups.resize(7);
  result.startups[3].id = 12345;
  result.investments.resize(2);
  result.investments[1].amount = 2.5;
  {
    RunSpool spool(output, 2);
    const std::string pid = std::to_string(::getpid());
    CHECK(dir.listing() == std::vector<std::string>{"run.h5.funds.tmp." + pid,
                                                    "run.h5.investments.tmp." + pid,
                                                    "run.h5.startups.tmp." + pid});
    spool.add(1, result);
    CHECK(result.funds.empty());
    CHECK(result.startups.empty());
    CHECK(result.investments.empty());
    CHECK(same(spool.funds.load(1), table(1, 10)));
    CHECK(spool.startups.load(1).at(3).id == 12345);
    CHECK(spool.investments.load(1).at(1).amount == 2.5);
    CHECK_FALSE(spool.funds.has(0));
  }
  CHECK(dir.listing().empty());
}
