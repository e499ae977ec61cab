#pragma once
// A parameter that may vary by year: a plain number or a year table
// {2000 = a, 2015 = b}, read linearly between years at month resolution and held
// flat outside (MODEL.md section 0).
#include <utility>
#include <vector>

namespace vcsim {

class TimeSeries {
 public:
  TimeSeries() = default;
  explicit TimeSeries(double constant) : points_{{0, constant}}, constant_(true) {}
  // Points as (year, value), strictly increasing in year; at least one.
  explicit TimeSeries(std::vector<std::pair<int, double>> points)
      : points_(std::move(points)), constant_(points_.size() == 1) {}

  bool is_constant() const { return constant_; }
  const std::vector<std::pair<int, double>>& points() const { return points_; }

  // Value in the month `month` counted from January of `start_year`. A year's value
  // holds at its January; months in between are read linearly.
  double at_month(int month, int start_year) const {
    if (constant_) return points_.front().second;
    const double year = start_year + month / 12.0;
    if (year <= points_.front().first) return points_.front().second;
    if (year >= points_.back().first) return points_.back().second;
    for (std::size_t i = 1; i < points_.size(); ++i) {
      if (year <= points_[i].first) {
        const auto [y0, v0] = points_[i - 1];
        const auto [y1, v1] = points_[i];
        const double w = (year - y0) / static_cast<double>(y1 - y0);
        return v0 + w * (v1 - v0);
      }
    }
    return points_.back().second;
  }

  double max_value() const {
    double m = points_.front().second;
    for (const auto& p : points_) m = p.second > m ? p.second : m;
    return m;
  }
  double min_value() const {
    double m = points_.front().second;
    for (const auto& p : points_) m = p.second < m ? p.second : m;
    return m;
  }

 private:
  std::vector<std::pair<int, double>> points_{{0, 0.0}};
  bool constant_ = true;
};

}  // namespace vcsim
