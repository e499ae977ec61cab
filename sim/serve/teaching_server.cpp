#include "serve/teaching_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "scenario/reader.hpp"
#include "serve/levers.hpp"
#include "serve/presets.hpp"
#include "serve/run_manager.hpp"
#include "serve/web_assets.hpp"

namespace vcsim::serve {

namespace {

using nlohmann::json;

// How long the stream waits for the next event before it sends a comment line: a
// write to a page that went away fails, and the run is cancelled within this time.
constexpr std::chrono::milliseconds kHeartbeat{250};

std::string_view content_type(std::string_view path) {
  if (path == "/" || path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".png")) return "image/png";
  return "text/plain; charset=utf-8";
}

void reply_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  reply_json(res, status, {{"error", message}});
}

// The levers' values in a preset, as the page should set its controls.
json preset_levers(const Preset& preset) {
  const Scenario as_written = read_scenario(preset.path);
  // A preset may switch its fund off (no state capital): its terms still fill the
  // controls, so read it once more with the fund on.
  const Scenario with_fund = read_scenario(
      preset.path, {{std::string(kPolicyFund) + ".enabled", "true", preset.path + ": preset"}});
  bool enabled = false;
  for (const auto& g : as_written.guidance_funds) enabled = enabled || g.name == "policy";
  const GuidanceFundSpec* fund = nullptr;
  for (const auto& g : with_fund.guidance_funds)
    if (g.name == "policy") fund = &g;
  if (fund == nullptr)
    throw std::runtime_error(preset.path + ": expected a [guidance_funds.policy] table");
  json sectors = json::array();
  for (std::size_t i = 0; i < with_fund.sectors.size(); ++i)
    if (fund->sector_weights[i] > 0) sectors.push_back(with_fund.sectors[i].name);
  bool export_controls = false;
  for (const auto& e : as_written.events)
    export_controls = export_controls || e.name == "us_chip_export_controls";
  return {{"fund_size", enabled ? fund->size : 0.0},
          {"state_share", fund->state_share_max},
          {"subfund_life", fund->subfund_life},
          {"failure_tolerance", fund->failure_tolerance},
          {"reinvest_ratio", fund->reinvest_ratio},
          {"return_cap", fund->return_cap},
          {"target_sectors", sectors},
          {"export_controls", export_controls},
          {"seed", as_written.seed},
          {"reinvest_applies", fund->level != GuidanceLevel::national}};
}

// The reader names an override's origin as its file and line 1 ("request parameter
// state_share:1: guidance_funds..."); the page needs only the parameter and the key.
std::string request_message(std::string message) {
  constexpr std::string_view kOrigin = "request parameter ";
  if (!message.starts_with(kOrigin)) return message;
  message.erase(0, kOrigin.size());
  const std::size_t line = message.find(":1:");
  if (line != std::string::npos) message.erase(line, 2);
  return message;
}

json lever_ranges() {
  json out = json::array();
  constexpr const char* kKinds[] = {"number", "integer", "boolean", "sector_list"};
  for (const Lever& l : levers())
    out.push_back({{"name", l.name},
                   {"key", l.scenario_key},
                   {"kind", kKinds[static_cast<int>(l.kind)]},
                   {"min", l.page_min},
                   {"max", l.page_max},
                   {"step", l.page_step},
                   {"label", l.label}});
  return out;
}

}  // namespace

constexpr std::size_t kMaxRequestBody = 4096;

struct TeachingServer::State {
  ServeOptions options;
  std::vector<Preset> presets;
  json catalogue;  // the answer to /api/presets
  RunManager runs;
  httplib::Server http;

  explicit State(const ServeOptions& o)
      : options(o), presets(find_presets(o.presets)), runs(o.max_runs) {}

  void routes();
  void start_run(const httplib::Request& req, httplib::Response& res);
};

void TeachingServer::State::routes() {
  // httplib's default adds SO_REUSEPORT, which lets a second server bind a port that is
  // in use; SO_REUSEADDR alone restarts on a port left in TIME_WAIT and refuses a busy one.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Every request this server answers is a GET with a short query; a body is refused
  // (413) past a few kilobytes rather than read into memory. httplib itself refuses
  // request lines over CPPHTTPLIB_REQUEST_URI_MAX_LENGTH (8 KiB) with 414.
  http.set_payload_max_length(kMaxRequestBody);
  http.set_read_timeout(10, 0);
  for (const WebAsset& asset : web_assets()) {
    http.Get(std::string(asset.path), [asset](const httplib::Request&, httplib::Response& res) {
      res.set_content(asset.body.data(), asset.body.size(),
                      std::string(content_type(asset.path)).c_str());
    });
  }
  http.Get("/api/presets", [this](const httplib::Request&, httplib::Response& res) {
    reply_json(res, 200, catalogue);
  });
  http.Get("/api/status", [this](const httplib::Request&, httplib::Response& res) {
    const RunManager::Counts c = runs.counts();
    reply_json(res, 200,
               {{"simulating", c.simulating},
                {"completed", c.completed},
                {"stopped", c.stopped},
                {"max_runs", runs.max_runs()}});
  });
  http.Get("/api/run",
           [this](const httplib::Request& req, httplib::Response& res) { start_run(req, res); });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) reply_error(res, res.status, "not found");
  });
}

void TeachingServer::State::start_run(const httplib::Request& req, httplib::Response& res) {
  std::map<std::string, std::string> params;
  for (const auto& [name, value] : req.params) {
    if (params.contains(name)) return reply_error(res, 400, name + ": given more than once");
    params[name] = value;
  }
  const auto preset_param = params.find("preset");
  if (preset_param == params.end())
    return reply_error(res, 400, "preset: missing; expected the name of a teaching preset");
  const Preset* preset = find_preset(presets, preset_param->second);
  if (preset == nullptr) {
    std::string names;
    for (const Preset& p : presets) names += (names.empty() ? "" : ", ") + p.name;
    return reply_error(
        res, 400,
        "preset: unknown preset \"" + preset_param->second + "\"; expected one of " + names);
  }
  std::shared_ptr<Run> run;
  try {
    const std::vector<Override> overrides = lever_overrides(params);
    Scenario policy = read_scenario(preset->path, overrides);
    Scenario counterfactual = read_scenario(preset->path, counterfactual_overrides(overrides));
    run = runs.try_start(std::move(policy), std::move(counterfactual), preset->name);
  } catch (const LeverError& e) {
    return reply_error(res, 400, e.what());
  } catch (const ScenarioError& e) {
    return reply_error(res, 400, request_message(e.what()));
  }
  if (run == nullptr) {
    res.set_header("Retry-After", "5");
    return reply_error(res, 503,
                       "busy: " + std::to_string(runs.max_runs()) +
                           " runs are simulating, the most this server runs at once; try "
                           "again in a few seconds");
  }
  res.set_header("Cache-Control", "no-store");
  res.set_chunked_content_provider(
      "text/event-stream",
      [run](std::size_t, httplib::DataSink& sink) {
        std::string event;
        switch (run->next_event(kHeartbeat, event)) {
          case Run::Next::event:
            return sink.write(event.data(), event.size());
          case Run::Next::timeout:
            return sink.write(": simulating\n\n", 14);
          case Run::Next::end:
            sink.done();
            return true;
        }
        return false;
      },
      // Called when the response ends: after the last event, or when the page went away.
      [run](bool) { run->cancel(); });
}

TeachingServer::TeachingServer(const ServeOptions& options)
    : state_(std::make_unique<State>(options)) {
  json presets = json::array();
  for (const Preset& p : state_->presets)
    presets.push_back({{"name", p.name},
                       {"title", p.title},
                       {"description", p.description},
                       {"levers", preset_levers(p)}});
  const Scenario first = read_scenario(state_->presets.front().path);
  json sectors = json::array();
  for (const auto& s : first.sectors) sectors.push_back(s.name);
  state_->catalogue = {{"presets", presets}, {"levers", lever_ranges()}, {"sectors", sectors}};
  state_->routes();
}

TeachingServer::~TeachingServer() = default;

int TeachingServer::bind() {
  const ServeOptions& o = state_->options;
  if (o.port == 0) {
    const int port = state_->http.bind_to_any_port(o.host);
    if (port > 0) return port;
  } else if (state_->http.bind_to_port(o.host, o.port)) {
    return o.port;
  }
  throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                           ": the port is in use, or the address is not this machine's; "
                           "choose another with --port or --host");
}

bool TeachingServer::listen() { return state_->http.listen_after_bind(); }

void TeachingServer::stop() { state_->http.stop(); }

}  // namespace vcsim::serve
