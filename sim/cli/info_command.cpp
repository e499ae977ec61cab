// `vcsim info`: print the headline table of an output file.
#include <iostream>
#include <memory>
#include <vector>

#include "cli/commands.hpp"
#include "io/headline.hpp"

namespace vcsim::cli {

Command add_info_command(CLI::App& app) {
  struct Args {
    std::string path;
    std::vector<int> years;
  };
  auto args = std::make_shared<Args>();
  auto* info = app.add_subcommand("info", "print the headline table of an output file");
  info->add_option("file", args->path, "vcsim output file (HDF5)")->required();
  info->add_option("--years", args->years, "years to show (December values)")->delimiter(',');
  return {info, [args] {
            std::cout << headline_table(args->path, args->years);
            return kExitOk;
          }};
}

}  // namespace vcsim::cli
