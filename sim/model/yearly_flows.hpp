#pragma once
// Net cash flows to each fund's LPs by calendar year of the run, for the funds' IRR.
//
// Stored year by year: every month the fees and checks of all open funds land in the
// same year, so the monthly loop over the funds writes along one contiguous row rather
// than into a separate list per fund (a cache miss each). A year's row is made when the
// year is first written and holds the funds that existed then, growing as later funds
// are written to it: no fund has a flow before its vintage, so rows hold no years
// before a fund's, and adding a fund copies no row.
#include <cstddef>
#include <vector>

namespace vcsim {

class YearlyFlows {
 public:
  // Adds a fund with no flows in any of the run's years.
  void add_fund(std::size_t run_years) {
    if (rows_.size() < run_years) rows_.resize(run_years);
    ++funds_;
  }

  // The fund's flow in the year (below the run's years), growing the year's row if the
  // fund is new to it: writers on several threads must call prepare_year first, so that
  // none grows it.
  double& at(std::size_t fund, std::size_t year) {
    std::vector<double>& row = rows_[year];
    if (fund >= row.size()) row.resize(funds_, 0.0);
    return row[fund];
  }

  // Makes the year's row hold every fund added so far.
  void prepare_year(std::size_t year) {
    if (year < rows_.size() && rows_[year].size() < funds_) rows_[year].resize(funds_, 0.0);
  }

  // The fund's flows, year by year from the run's first.
  std::vector<double> of_fund(std::size_t fund) const {
    std::vector<double> flows(rows_.size(), 0.0);
    for (std::size_t year = 0; year < rows_.size(); ++year)
      if (fund < rows_[year].size()) flows[year] = rows_[year][fund];
    return flows;
  }

 private:
  std::vector<std::vector<double>> rows_;  // [year][fund], each row as long as it needs
  std::size_t funds_ = 0;
};

}  // namespace vcsim
