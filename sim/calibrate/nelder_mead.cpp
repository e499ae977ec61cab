#include "calibrate/nelder_mead.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace vcsim {
namespace {

struct Vertex {
  Eigen::VectorXd x;
  double f = 0;
};

// Counts evaluations and refuses to go past the budget.
class Budget {
 public:
  Budget(const UnitObjective& f, int max) : f_(f), max_(max) {}
  bool spent() const { return used_ >= max_; }
  int used() const { return used_; }
  Vertex evaluate(const Eigen::VectorXd& x) {
    ++used_;
    Eigen::VectorXd inside = x.cwiseMax(0.0).cwiseMin(1.0);
    const double value = f_(inside);
    return {std::move(inside), value};
  }

 private:
  const UnitObjective& f_;
  int max_;
  int used_ = 0;
};

// Best first; ties keep their order, so the run does not depend on the sort's internals.
void order(std::vector<Vertex>& simplex) {
  std::stable_sort(simplex.begin(), simplex.end(),
                   [](const Vertex& a, const Vertex& b) { return a.f < b.f; });
}

// Either test ends the search. A simulated objective is rough at small scales even with
// common random numbers (a fund's choices flip with tiny changes), so its values across
// a small simplex need not agree: once the simplex is smaller than x_tolerance, going on
// only chases that roughness.
bool converged(const std::vector<Vertex>& simplex, const NelderMeadSettings& s) {
  double f_spread = 0, x_spread = 0;
  for (const Vertex& v : simplex) {
    f_spread = std::max(f_spread, std::abs(v.f - simplex.front().f));
    x_spread = std::max(x_spread, (v.x - simplex.front().x).lpNorm<Eigen::Infinity>());
  }
  return f_spread <= s.f_tolerance || x_spread <= s.x_tolerance;
}

}  // namespace

NelderMeadResult nelder_mead(const UnitObjective& objective, const Eigen::VectorXd& start,
                             const NelderMeadSettings& settings) {
  const auto n = start.size();
  const double dim = static_cast<double>(n);
  // Gao and Han's coefficients; below two dimensions they would not shrink at all, so one
  // parameter takes the two-dimensional (classic) ones.
  const double a = std::max(dim, 2.0);
  const double reflect = 1.0, expand = 1.0 + 2.0 / a;
  const double contract = 0.75 - 1.0 / (2.0 * a), shrink = 1.0 - 1.0 / a;
  Budget budget(objective, settings.max_evaluations);
  std::vector<Vertex> simplex{budget.evaluate(start)};
  const Eigen::VectorXd origin = simplex.front().x;
  for (Eigen::Index i = 0; i < n && !budget.spent(); ++i) {
    Eigen::VectorXd x = origin;
    // Step inwards from an upper face, so the simplex does not collapse onto it.
    x(i) += x(i) + settings.initial_step <= 1.0 ? settings.initial_step : -settings.initial_step;
    simplex.push_back(budget.evaluate(x));
  }
  order(simplex);
  bool done = simplex.size() == static_cast<std::size_t>(n + 1) && converged(simplex, settings);
  while (!done && !budget.spent() && simplex.size() == static_cast<std::size_t>(n + 1)) {
    Eigen::VectorXd centroid = Eigen::VectorXd::Zero(n);
    for (std::size_t k = 0; k + 1 < simplex.size(); ++k) centroid += simplex[k].x;
    centroid /= dim;
    Vertex& worst = simplex.back();
    const Vertex r = budget.evaluate(centroid + reflect * (centroid - worst.x));
    if (r.f < simplex.front().f) {
      const Vertex e = budget.spent() ? r : budget.evaluate(centroid + expand * (r.x - centroid));
      worst = e.f < r.f ? e : r;
    } else if (r.f < simplex[simplex.size() - 2].f) {
      worst = r;
    } else if (!budget.spent()) {
      // Contract towards the better of the reflected point and the worst vertex.
      const bool outside = r.f < worst.f;
      const Eigen::VectorXd toward = outside ? r.x : worst.x;
      const Vertex c = budget.evaluate(centroid + contract * (toward - centroid));
      if (c.f < std::min(r.f, worst.f)) {
        worst = c;
      } else {
        for (std::size_t k = 1; k < simplex.size() && !budget.spent(); ++k)
          simplex[k] =
              budget.evaluate(simplex.front().x + shrink * (simplex[k].x - simplex.front().x));
      }
    }
    order(simplex);
    done = converged(simplex, settings);
  }
  order(simplex);
  return {simplex.front().x, simplex.front().f, budget.used(), done};
}

}  // namespace vcsim
