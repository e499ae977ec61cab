#pragma once
// Net cash flows to each fund's LPs by calendar year of the run, for the funds' IRR.
//
// Stored year by year: every month the fees and checks of all open funds land in the
// same year, so the monthly loop over the funds writes along one contiguous row rather
// than into a separate list per fund (a cache miss each).
#include <cstddef>
#include <vector>

namespace vcsim {

class YearlyFlows {
 public:
  // Adds a fund with no flows in any of the run's years.
  void add_fund(std::size_t run_years) {
    if (rows_.size() < run_years) rows_.resize(run_years, std::vector<double>(funds_, 0.0));
    for (std::vector<double>& row : rows_) row.push_back(0.0);
    ++funds_;
  }

  double& at(std::size_t fund, std::size_t year) { return rows_[year][fund]; }

  // The fund's flows, year by year from the run's first.
  std::vector<double> of_fund(std::size_t fund) const {
    std::vector<double> flows(rows_.size());
    for (std::size_t year = 0; year < rows_.size(); ++year) flows[year] = rows_[year][fund];
    return flows;
  }

 private:
  std::vector<std::vector<double>> rows_;  // [year][fund]
  std::size_t funds_ = 0;
};

}  // namespace vcsim
