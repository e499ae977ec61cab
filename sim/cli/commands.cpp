// The vcsim program's entry: each command adds itself, the one given runs, and errors
// become exit codes (sim/cli/commands.hpp).
#include "cli/commands.hpp"

#include <csignal>
#include <iostream>
#include <string_view>
#include <vector>

#include "io/hdf5.hpp"
#include "run/interrupt.hpp"
#include "scenario/reader.hpp"
#include "version.hpp"

namespace vcsim::cli {

int main(int argc, char** argv) {
  CLI::App app{"vcsim: agent-based simulation of state-guided venture capital"};
  app.set_version_flag("--version",
                       std::string("vcsim ") + kEngineVersion + " (" + kGitRevision + ")");
  app.require_subcommand(1);
  // One command a line, so that adding one is a one-line change (clang-format would
  // pack five or more into columns).
  // clang-format off
  const std::vector<Command> commands{
      add_run_command(app),
      add_validate_command(app),
      add_plan_command(app),
      add_info_command(app),
      add_serve_command(app),
      add_compare_command(app),
      add_calibrate_command(app),
      add_sweep_command(app),
      add_merge_command(app),
  };
  // clang-format on

  // Past a file-size limit (ulimit -f) a write then fails with EFBIG and is reported,
  // instead of SIGXFSZ killing the program with its temporary file on disk.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    for (const Command& c : commands)
      if (c.subcommand->parsed()) return c.run();
  } catch (const Interrupted& e) {
    std::cerr << "vcsim: " << e.what() << "; nothing was written\n";
    return interrupt_exit_code(e.signal());
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << (std::string_view(e.what()).ends_with('\n') ? "" : "\n");
    return kExitBadInput;
  } catch (const Hdf5Error& e) {
    std::cerr << "vcsim: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "vcsim: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace vcsim::cli
