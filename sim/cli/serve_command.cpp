// `vcsim serve`: the teaching page (sim/serve/teaching_server.hpp).
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "serve/teaching_server.hpp"

namespace vcsim::cli {

Command add_serve_command(CLI::App& app) {
  auto options = std::make_shared<serve::ServeOptions>();
  auto* serve =
      app.add_subcommand("serve", "serve the teaching page: presets, levers, live charts");
  serve->add_option("--port", options->port, "TCP port (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", options->host, "address to listen on (loopback by default)")
      ->capture_default_str();
  serve->add_option("--presets", options->presets, "folder of teaching presets (*.toml)")
      ->capture_default_str();
  serve->add_option("--max-runs", options->max_runs, "runs simulating at once; more are refused")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  return {serve, [options] {
            // A page that goes away mid-stream must fail a write, not end the program.
            std::signal(SIGPIPE, SIG_IGN);
            serve::TeachingServer server(*options);
            int port = 0;
            try {
              port = server.bind();
            } catch (const std::runtime_error& e) {
              std::cerr << "vcsim serve: " << e.what() << "\n";
              return kExitFailure;
            }
            std::printf("vcsim serve: http://%s:%d/ (presets from %s; Ctrl-C stops)\n",
                        options->host.c_str(), port, options->presets.c_str());
            std::fflush(stdout);
            return server.listen() ? kExitOk : kExitFailure;
          }};
}

}  // namespace vcsim::cli
