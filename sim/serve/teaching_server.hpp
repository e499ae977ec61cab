#pragma once
// `vcsim serve`: the teaching page and its JSON API over HTTP (cpp-httplib).
//   GET /                 the page (and its scripts, styles and vendored chart library)
//   GET /api/presets      the presets, each with its lever values, and the levers' ranges
//   GET /api/run?preset=NAME&LEVER=VALUE...
//                         a run of the preset with the levers, and its counterfactual,
//                         streamed as server-sent events (serve/run_events.hpp);
//                         400 {"error": ...} naming the parameter for a bad request,
//                         503 {"error": ...} when max_runs runs are already simulating
//   GET /api/status       runs simulating, completed and stopped (cancelled or failed)
// The server writes no files; a request names a preset, never a path.
#include <memory>
#include <string>

namespace vcsim::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";  // loopback: a class reaches it through the lecturer's screen
  int port = 8080;                 // 0: any free port
  std::string presets = "scenarios/teaching";
  int max_runs = 2;  // one per core of a teaching laptop; each run uses two threads
};

class TeachingServer {
 public:
  // Reads and validates every preset: throws ScenarioError or std::runtime_error.
  explicit TeachingServer(const ServeOptions& options);
  ~TeachingServer();

  // Binds the port; returns the port bound, or throws std::runtime_error saying why not.
  int bind();
  // Serves until stop(); returns false if the server failed.
  bool listen();
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vcsim::serve
