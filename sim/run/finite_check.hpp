#pragma once
// A guard that no NaN or infinity enters the simulated state, where it would spread
// silently into every later month and the output. Between phases (sim/run/replication)
// every floating-point column of the startups, funds and guidance funds is scanned;
// the first bad value stops the run with the phase, month, column and agent named.
//
// The scan costs one pass over the structure-of-arrays per phase, so it runs only in
// builds that ask for it: Debug builds (no NDEBUG), which the sanitizer presets are, or
// any build configured with -DVCSIM_CHECK_FINITE=ON.
#include <string>
#include <string_view>

namespace vcsim {

struct World;

#if defined(VCSIM_CHECK_FINITE) || !defined(NDEBUG)
inline constexpr bool kCheckFiniteEachPhase = true;
#else
inline constexpr bool kCheckFiniteEachPhase = false;
#endif

// Where the first NaN or infinity of the world's state is ("startups column 7 = nan at
// slot 12 (id 4096)"), or an empty string when every value is finite.
std::string first_non_finite(World& world);

// Throws std::logic_error naming `after_phase` and the month if first_non_finite finds one.
void check_finite(World& world, std::string_view after_phase);

}  // namespace vcsim
