// `vcsim validate`: check a scenario file without running it.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "scenario/reader.hpp"

namespace vcsim::cli {

Command add_validate_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* validate = app.add_subcommand("validate", "check a scenario file without running it");
  validate->add_option("scenario", *path, "scenario file (TOML)")->required();
  return {validate, [path] {
            const Scenario scenario = read_scenario(*path);
            std::printf("%s: valid: %zu regions, %zu sectors, %d-%d, seed %u, %d replications\n",
                        path->c_str(), scenario.regions.size(), scenario.sectors.size(),
                        scenario.start_year, scenario.end_year, scenario.seed,
                        scenario.replications);
            return kExitOk;
          }};
}

}  // namespace vcsim::cli
