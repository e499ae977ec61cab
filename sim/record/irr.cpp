#include "record/irr.hpp"

#include <cmath>
#include <limits>

namespace vcsim {

namespace {

double npv(const std::vector<double>& flows, double rate) {
  double value = 0, discount = 1;
  for (double flow : flows) {
    value += flow / discount;
    discount *= 1 + rate;
  }
  return value;
}

// Bisection on a bracket [lo, hi] whose ends have NPVs of opposite signs.
double bisect(const std::vector<double>& flows, double lo, double hi) {
  double f_lo = npv(flows, lo);
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double f_mid = npv(flows, mid);
    if ((f_mid < 0) == (f_lo < 0)) {
      lo = mid;
      f_lo = f_mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double net_irr(const std::vector<double>& flows) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  bool invested = false, returned = false;
  for (double flow : flows) {
    invested = invested || flow < 0;
    returned = returned || flow > 0;
  }
  if (!invested) return nan;
  if (!returned) return -1.0;
  const double at_zero = npv(flows, 0.0);
  if (at_zero == 0) return 0.0;
  // Walk away from zero on a grid that is fine near zero and coarse far away, and
  // refine the first bracket where the NPV changes sign.
  const double direction = at_zero > 0 ? 1.0 : -1.0;
  double previous = 0.0;
  for (int step = 1; step <= 400; ++step) {
    const double rate =
        direction > 0 ? 0.01 * step * (1 + step / 40.0) : -0.99 * (1 - std::pow(0.98, step));
    if (rate > 10.0) break;
    if ((npv(flows, rate) > 0) != (at_zero > 0))
      return direction > 0 ? bisect(flows, previous, rate) : bisect(flows, rate, previous);
    previous = rate;
  }
  return nan;
}

}  // namespace vcsim
