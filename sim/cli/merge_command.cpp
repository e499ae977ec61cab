// `vcsim merge SHARD... -o SWEEP.h5`: join the files of a sharded sweep.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "sweep/merge.hpp"

namespace vcsim::cli {

namespace {

struct MergeArgs {
  std::vector<std::string> shards;
  std::string output;
  bool quiet = false;
};

}  // namespace

Command add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  auto* merge = app.add_subcommand("merge", "join the shard files of a sweep into one file");
  merge->add_option("shards", args->shards, "shard files of vcsim sweep --shard K/N")
      ->required()
      ->check(CLI::ExistingFile);
  merge->add_option("-o,--output", args->output, "the sweep file to write")->required();
  merge->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  return {merge, [args] {
            merge_shards(args->shards, args->output);
            if (!args->quiet)
              std::cout << "merged " << args->shards.size() << " shards into " << args->output
                        << "\n";
            return kExitOk;
          }};
}

}  // namespace vcsim::cli
