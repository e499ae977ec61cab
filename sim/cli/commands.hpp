#pragma once
// The vcsim program's commands, one file each (sim/cli/<name>_command.cpp). Each adds
// its subcommand and options to the program and returns how to run it once parsed.
// Exit codes: 0 success, 1 a failure while running (I/O, output), 2 bad input (a
// scenario that does not validate, a bad argument).
#include <CLI/CLI.hpp>
#include <functional>

namespace vcsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> run;  // called only when the subcommand was given
};

Command add_run_command(CLI::App& app);
Command add_validate_command(CLI::App& app);
Command add_plan_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_serve_command(CLI::App& app);
Command add_compare_command(CLI::App& app);
Command add_calibrate_command(CLI::App& app);
Command add_sweep_command(CLI::App& app);
Command add_merge_command(CLI::App& app);

// Parses the command line and runs the chosen command; returns the exit code.
int main(int argc, char** argv);

}  // namespace vcsim::cli
