// The teaching server's API, in process on a free loopback port: bad parameters get 400
// naming the parameter, runs past the limit get 503, an abandoned run is cancelled, a
// full run streams every year of both sides, and the server keeps answering.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "model/world.hpp"
#include "run/replication.hpp"
#include "scenario/reader.hpp"
#include "serve/teaching_server.hpp"

using nlohmann::json;

namespace {

const std::string kPresets = std::string(VCSIM_SOURCE_DIR) + "/scenarios/teaching";

// A server on a free port, serving from a background thread while the test runs.
struct RunningServer {
  vcsim::serve::TeachingServer server;
  int port;
  std::thread thread;

  explicit RunningServer(int max_runs)
      : server(vcsim::serve::ServeOptions{"127.0.0.1", 0, kPresets, max_runs}),
        port(server.bind()),
        thread([this] { server.listen(); }) {}
  ~RunningServer() {
    server.stop();
    thread.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    return c;
  }
};

json status(const RunningServer& s) {
  auto c = s.client();
  const auto res = c.Get("/api/status");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

// The events of a whole run.
std::vector<json> run_events(const RunningServer& s, const std::string& query) {
  auto c = s.client();
  std::string body;
  const auto res = c.Get(("/api/run?" + query).c_str(), [&](const char* data, std::size_t n) {
    body.append(data, n);
    return true;
  });
  REQUIRE(res);
  REQUIRE(res->status == 200);
  std::vector<json> events;
  std::size_t begin = 0, end = 0;
  while ((end = body.find("\n\n", begin)) != std::string::npos) {
    const std::string block = body.substr(begin, end - begin);
    if (block.starts_with("data: ")) events.push_back(json::parse(block.substr(6)));
    begin = end + 2;
  }
  return events;
}

}  // namespace

TEST_CASE("every lever out of range is refused with 400 naming it", "[serve]") {
  RunningServer s(1);
  auto c = s.client();
  const std::vector<std::pair<std::string, std::string>> bad{
      {"preset=national_fund_2025&fund_size=-5", "fund_size"},
      {"preset=national_fund_2025&fund_size=1e9", "fund_size"},
      {"preset=national_fund_2025&state_share=0", "state_share"},
      {"preset=national_fund_2025&state_share=1.5", "state_share"},
      {"preset=national_fund_2025&subfund_life=6", "subfund_life"},
      {"preset=national_fund_2025&subfund_life=601", "subfund_life"},
      {"preset=national_fund_2025&failure_tolerance=-0.1", "failure_tolerance"},
      {"preset=national_fund_2025&failure_tolerance=6", "failure_tolerance"},
      {"preset=local_reinvestment&reinvest_ratio=-1", "reinvest_ratio"},
      {"preset=local_reinvestment&reinvest_ratio=11", "reinvest_ratio"},
      {"preset=national_fund_2025&reinvest_ratio=1", "reinvest_ratio"},  // a national fund
      {"preset=national_fund_2025&return_cap=-0.01", "return_cap"},
      {"preset=national_fund_2025&return_cap=1.5", "return_cap"},
      {"preset=national_fund_2025&target_sectors=crypto", "target_sectors"},
      {"preset=national_fund_2025&target_sectors=ai%3D2", "target_sectors"},
      {"preset=national_fund_2025&export_controls=2", "export_controls"},
      {"preset=national_fund_2025&seed=-1", "seed"},
      {"preset=national_fund_2025&seed=4294967296", "seed"},
      {"preset=national_fund_2025&state_share=lots", "state_share"},
      {"preset=national_fund_2025&size=5", "size: unknown parameter"},
      {"preset=national_fund_2025&seed=1&seed=2", "seed: given more than once"},
      {"preset=..%2Fbaseline", "preset: unknown preset"},
      {"preset=%2Fetc%2Fpasswd", "preset: unknown preset"},
      {"fund_size=5", "preset: missing"},
  };
  for (const auto& [query, named] : bad) {
    INFO(query);
    const auto res = c.Get(("/api/run?" + query).c_str());
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK_THAT(json::parse(res->body).at("error").get<std::string>(), Catch::Contains(named));
  }
  CHECK(status(s).at("simulating") == 0);
  CHECK(status(s).at("completed") == 0);
}

TEST_CASE("runs past the limit are busy, and an abandoned run is cancelled", "[serve]") {
  RunningServer s(1);
  std::atomic<bool> streaming = false, leave = false;
  std::thread page([&] {
    auto c = s.client();
    c.Get("/api/run?preset=no_state_capital", [&](const char*, std::size_t) {
      streaming = true;
      while (!leave) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return false;  // the page goes away
    });
  });
  while (!streaming) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  {
    auto c = s.client();
    const auto busy = c.Get("/api/run?preset=yozma_style");
    REQUIRE(busy);
    CHECK(busy->status == 503);
    CHECK_THAT(json::parse(busy->body).at("error").get<std::string>(), Catch::Contains("busy"));
    CHECK(status(s).at("simulating") == 1);
  }
  leave = true;
  page.join();
  // The run stops at the end of a simulated month, well before its 46 years are done.
  json st = status(s);
  for (int tries = 0; tries < 1000 && st.at("simulating") != 0; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    st = status(s);
  }
  CHECK(st.at("simulating") == 0);
  CHECK(st.at("stopped") == 1);
  CHECK(st.at("completed") == 0);
  // The server still answers, and the slot is free again.
  auto c = s.client();
  const auto page_res = c.Get("/");
  REQUIRE(page_res);
  CHECK(page_res->status == 200);
  CHECK_THAT(page_res->body, Catch::Contains("<canvas id=\"chart-regions\">"));
  const auto events = run_events(s, "preset=no_state_capital&seed=3");
  CHECK(events.back().at("type") == "done");
}

TEST_CASE("a run streams both sides year by year, as the engine records them", "[serve]") {
  RunningServer s(2);
  const auto events = run_events(s, "preset=national_fund_2025&fund_size=2000");
  REQUIRE(events.size() == 1 + 2 * 46 + 1);
  CHECK(events.front().at("type") == "start");
  const json& done = events.back();
  REQUIRE(done.at("type") == "done");

  std::map<std::string, std::vector<json>> years;
  for (const json& e : events)
    if (e.at("type") == "year") years[e.at("side")].push_back(e);
  for (const char* side : {"policy", "counterfactual"}) {
    INFO(side);
    REQUIRE(years[side].size() == 46);
    for (int k = 0; k < 46; ++k)
      CHECK(years[side][static_cast<std::size_t>(k)].at("year") == 2000 + k);
    CHECK(done.at(side).at("unicorns_by_region") == years[side].back().at("unicorns_by_region"));
  }
  // Same seeds: the worlds are identical until the fund starts in 2026.
  for (int k = 0; k < 26; ++k) {
    const auto i = static_cast<std::size_t>(k);
    CHECK(years["policy"][i].at("unicorns_by_sector") ==
          years["counterfactual"][i].at("unicorns_by_sector"));
    CHECK(years["policy"][i].at("flows") == years["counterfactual"][i].at("flows"));
  }
  CHECK(years["policy"].back().at("flows") != years["counterfactual"].back().at("flows"));
  // The fund draws its money once it starts; the counterfactual has no fund.
  CHECK(years["policy"][25].at("policy_fund").at("drawn") == 0.0);
  CHECK(years["policy"].back().at("policy_fund").at("drawn") > 0.0);
  CHECK(years["counterfactual"].back().at("policy_fund").is_null());

  // The numbers are the engine's: replication 0 of the same scenario and overrides.
  const vcsim::Scenario scenario = vcsim::read_scenario(
      kPresets + "/national_fund_2025.toml", {{"guidance_funds.policy.size", "2000", "test"}});
  const vcsim::ReplicationResult r = vcsim::run_replication(scenario, 0);
  const auto& active = r.unicorns[0].active;
  const std::size_t last = active.shape()[0] - 1;
  for (std::size_t region = 0; region < active.shape()[1]; ++region) {
    int total = 0;
    for (std::size_t sector = 0; sector < active.shape()[2]; ++sector)
      total += active(last, region, sector);
    CHECK(done.at("policy").at("unicorns_by_region").at(region) == total);
  }
}

TEST_CASE("the page and its vendored chart library are served from the program", "[serve]") {
  RunningServer s(1);
  auto c = s.client();
  for (const char* path : {"/", "/app.js", "/style.css", "/vendor/chart.umd.min.js",
                           "/vendor/chartjs-chart-sankey.min.js"}) {
    INFO(path);
    const auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.size() > 1000);
  }
  const auto presets = c.Get("/api/presets");
  REQUIRE(presets);
  const json catalogue = json::parse(presets->body);
  std::vector<std::string> names;
  for (const json& p : catalogue.at("presets")) names.push_back(p.at("name"));
  CHECK(names == std::vector<std::string>{"fund_life_10_vs_20", "local_reinvestment",
                                          "national_fund_2025", "no_state_capital", "yozma_style"});
  for (const json& p : catalogue.at("presets")) {
    INFO(p.at("name"));
    CHECK(!p.at("title").get<std::string>().empty());
    CHECK(p.at("levers").at("reinvest_applies") == (p.at("name") == "local_reinvestment"));
  }
  CHECK(catalogue.at("presets")[3].at("levers").at("fund_size") == 0.0);  // no state capital
  for (const char* path : {"/../CMakeLists.txt", "/%2e%2e/scenarios/baseline.toml", "/nothing"}) {
    INFO(path);
    const auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
  }
}

TEST_CASE("a presets folder without presets stops the server before it starts", "[serve]") {
  CHECK_THROWS_WITH(vcsim::serve::TeachingServer({"127.0.0.1", 0, "/nonexistent/teaching", 1}),
                    Catch::Contains("/nonexistent/teaching"));
}
