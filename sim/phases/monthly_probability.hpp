#pragma once
// An annual rate (MODEL.md section 0's hazards, and the model's other rates a year) as
// the probability of its event in one month.
#include <cmath>

namespace vcsim {

inline double monthly_probability(double annual_rate) {
  return 1.0 - std::exp(-annual_rate / 12.0);
}

}  // namespace vcsim
