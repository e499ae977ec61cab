// `vcsim compare BASE POLICY`: the paired headline comparison of two output files.
#include <iostream>
#include <memory>
#include <vector>

#include "cli/commands.hpp"
#include "io/comparison.hpp"
#include "io/hdf5.hpp"

namespace vcsim::cli {

Command add_compare_command(CLI::App& app) {
  struct Args {
    std::string base, policy;
    std::vector<int> years;
    bool csv = false;
  };
  auto args = std::make_shared<Args>();
  auto* compare = app.add_subcommand(
      "compare", "compare a policy run with its base, replication by replication");
  compare->add_option("base", args->base, "the counterfactual's output file (HDF5)")->required();
  compare
      ->add_option("policy", args->policy, "the policy's output file, same seed and replications")
      ->required();
  compare->add_option("--years", args->years, "years of the unicorn counts (default: the last)")
      ->delimiter(',');
  compare->add_flag("--csv", args->csv, "print CSV with full precision instead of a table");
  return {compare, [args] {
            std::vector<ComparisonRow> rows;
            try {
              rows = compare_runs(args->base, args->policy, args->years);
            } catch (const ComparisonError& e) {
              std::cerr << "vcsim compare: " << e.what() << "\n";
              return kExitBadInput;
            } catch (const Hdf5Error& e) {  // a file that is missing, foreign or too new
              std::cerr << "vcsim compare: " << e.what() << "\n";
              return kExitBadInput;
            } catch (const std::invalid_argument& e) {  // a year outside the runs
              std::cerr << "vcsim compare: " << e.what() << "\n";
              return kExitBadInput;
            }
            if (args->csv) {
              std::cout << comparison_csv(rows);
              return kExitOk;
            }
            std::cout << "Paired differences policy - base per replication (" << args->policy
                      << " minus " << args->base << "): mean and 90% t interval\n"
                      << comparison_table(rows);
            return kExitOk;
          }};
}

}  // namespace vcsim::cli
