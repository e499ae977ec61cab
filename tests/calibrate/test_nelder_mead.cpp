// Nelder-Mead over the unit cube: finds interior and boundary minima of known
// functions, keeps to its evaluation budget, and repeats itself exactly.
#include <catch2/catch.hpp>
#include <vector>

#include "calibrate/nelder_mead.hpp"

using vcsim::nelder_mead;
using vcsim::NelderMeadSettings;

namespace {

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v(i++) = x;
  return v;
}

// A tilted bowl: its axes are scaled unequally, so the simplex must adapt its shape.
double bowl(const Eigen::VectorXd& x, const Eigen::VectorXd& centre) {
  double sum = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    sum += static_cast<double>(i + 1) * (x(i) - centre(i)) * (x(i) - centre(i));
  return sum;
}

}  // namespace

TEST_CASE("Nelder-Mead finds an interior minimum of a bowl", "[calibrate][nelder_mead]") {
  const Eigen::VectorXd centre = vec({0.3, 0.6, 0.8});
  NelderMeadSettings s;
  s.max_evaluations = 2000;
  s.f_tolerance = 1e-12;
  s.x_tolerance = 1e-7;
  const auto r = nelder_mead([&](const Eigen::VectorXd& x) { return bowl(x, centre); },
                             vec({0.9, 0.1, 0.2}), s);
  CHECK(r.converged);
  CHECK((r.best - centre).lpNorm<Eigen::Infinity>() < 1e-5);
  CHECK(r.value < 1e-10);
}

TEST_CASE("Nelder-Mead stops on a face of the cube when the minimum lies outside",
          "[calibrate][nelder_mead]") {
  const Eigen::VectorXd centre = vec({1.4, 0.25});
  NelderMeadSettings s;
  s.max_evaluations = 2000;
  s.f_tolerance = 1e-12;
  s.x_tolerance = 1e-7;
  std::vector<Eigen::VectorXd> asked;
  const auto r = nelder_mead(
      [&](const Eigen::VectorXd& x) {
        asked.push_back(x);
        return bowl(x, centre);
      },
      vec({0.5, 0.5}), s);
  CHECK(r.best(0) == 1.0);
  CHECK(r.best(1) == Approx(0.25).margin(1e-5));
  for (const auto& x : asked) CHECK(((x.array() >= 0.0).all() && (x.array() <= 1.0).all()));
}

TEST_CASE("Nelder-Mead keeps to its evaluation budget", "[calibrate][nelder_mead]") {
  int calls = 0;
  NelderMeadSettings s;
  s.max_evaluations = 13;
  s.f_tolerance = 0;
  s.x_tolerance = 0;
  const auto r = nelder_mead(
      [&](const Eigen::VectorXd& x) {
        ++calls;
        return bowl(x, vec({0.2, 0.7, 0.4, 0.9}));
      },
      vec({0.5, 0.5, 0.5, 0.5}), s);
  CHECK(calls == 13);
  CHECK(r.evaluations == 13);
  CHECK_FALSE(r.converged);
}

TEST_CASE("Nelder-Mead asks for the same points in the same order every time",
          "[calibrate][nelder_mead]") {
  auto trace = [] {
    std::vector<double> points;
    NelderMeadSettings s;
    s.max_evaluations = 60;
    nelder_mead(
        [&](const Eigen::VectorXd& x) {
          points.insert(points.end(), x.begin(), x.end());
          return bowl(x, vec({0.1, 0.2, 0.3}));
        },
        vec({0.5, 0.5, 0.5}), s);
    return points;
  };
  const auto first = trace();
  CHECK(first.size() > 30);
  CHECK(first == trace());
}

TEST_CASE("Nelder-Mead in one dimension reaches the minimum", "[calibrate][nelder_mead]") {
  NelderMeadSettings s;
  s.max_evaluations = 500;
  s.f_tolerance = 1e-12;
  s.x_tolerance = 1e-7;
  const auto r = nelder_mead([](const Eigen::VectorXd& x) { return (x(0) - 0.37) * (x(0) - 0.37); },
                             vec({0.95}), s);
  CHECK(r.converged);
  CHECK(r.best(0) == Approx(0.37).margin(1e-5));
}
