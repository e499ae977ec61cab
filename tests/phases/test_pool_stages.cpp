// The stages whose rounds share candidate pools (phases/pool_stages.hpp).
#include <catch2/catch.hpp>

#include "phases/pool_stages.hpp"

using namespace vcsim;

TEST_CASE("market: stages share pools exactly when the same focuses write their rounds",
          "[market]") {
  for (int stage = 1; stage <= kRoundStages; ++stage) {
    const int shared = kPoolStage[static_cast<std::size_t>(stage)];
    REQUIRE(shared >= 1);
    REQUIRE(shared <= stage);
    for (const Focus focus : {Focus::seed, Focus::early, Focus::growth})
      CHECK(focus_admits_stage(focus, shared) == focus_admits_stage(focus, stage));
    // No earlier stage with the same focuses was passed over.
    for (int earlier = 1; earlier < shared; ++earlier)
      CHECK(focuses_admitting(earlier) != focuses_admitting(stage));
  }
  // MODEL.md section 2's focuses: seed {seed, A}, early {seed, A, B}, growth {B, C, D+}.
  CHECK(kPoolStage[1] == 1);
  CHECK(kPoolStage[2] == 1);
  CHECK(kPoolStage[3] == 3);
  CHECK(kPoolStage[4] == 4);
  CHECK(kPoolStage[5] == 4);
}
