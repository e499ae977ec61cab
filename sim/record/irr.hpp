#pragma once
// The internal rate of return of a fund's yearly net cash flows to its LPs.
#include <vector>

namespace vcsim {

// The annual rate r at which the flows' net present value is zero, flows[t] falling at
// the end of year t. Fund flows often change sign more than twice (calls, then
// distributions, then late fees), so the root is searched from r = 0 towards the side
// where the answer lies: upwards when the undiscounted sum is positive, downwards when
// it is negative. Returns -1 (a total loss) when nothing was ever returned, and NaN when
// there is no investment or no root in [-0.99, 10].
double net_irr(const std::vector<double>& flows);

}  // namespace vcsim
