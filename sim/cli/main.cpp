// The vcsim program: parses the command line and dispatches (sim/cli/commands.cpp).
#include "cli/commands.hpp"

int main(int argc, char** argv) { return vcsim::cli::main(argc, argv); }
