#pragma once
// The paired comparison of a policy run with its counterfactual, read from two output
// files: for each headline figure, the difference policy - base in each replication
// (the two runs share seed and replications, so each pair shares its startups' draws:
// common random numbers), its mean and 90 % t interval. The same figures, names and
// numbers as the Python `analysis.compare` (docs/analysis.md).
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace vcsim {

// Two files that cannot be paired (another seed, replication count or calendar).
class ComparisonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One headline figure, one value per replication; `note` says why `values` is empty
// when the file lacks what it needs ("not in file (...)").
struct HeadlineFigure {
  std::string name, units;
  std::vector<double> values;
  std::string note;
};

struct PairedInterval {
  double mean, low, high;  // NaN where there is nothing to compute them from
  std::size_t n;           // pairs where both values exist (not NaN)
};

// Mean of policy - base over the pairs where both exist, and its two-sided t interval
// at `level`: mean +- t((1 + level) / 2, n - 1) sd / sqrt(n). One pair: no interval.
PairedInterval paired_interval(const std::vector<double>& base, const std::vector<double>& policy,
                               double level = 0.9);

struct ComparisonRow {
  std::string figure, units;
  double base, policy;  // means over replications
  PairedInterval difference;
  std::string note;  // non-empty: the figure could not be compared, and why
};

// The headline figures of the run file `path` in the order of the comparison table;
// `years` for the unicorn counts (empty: the last year). Throws Hdf5Error for a file
// that is not a vcsim output or has an unknown major version, std::invalid_argument for
// a year outside the run.
std::vector<HeadlineFigure> headline_figures(const std::string& path,
                                             const std::vector<int>& years);

// Compares the runs `base_path` and `policy_path`; throws ComparisonError when they do
// not share seed, replications and years.
std::vector<ComparisonRow> compare_runs(const std::string& base_path,
                                        const std::string& policy_path,
                                        const std::vector<int>& years);

// The rows as an aligned text table, and as CSV (full precision, for other tools).
std::string comparison_table(const std::vector<ComparisonRow>& rows);
std::string comparison_csv(const std::vector<ComparisonRow>& rows);

}  // namespace vcsim
