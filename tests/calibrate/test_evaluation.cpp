// An evaluation takes each replication's moments as the replication finishes and lets its
// result go; the statistics must be exactly those of the same replications held whole.
#include <catch2/catch.hpp>
#include <string>

#include "calibrate/calibration.hpp"
#include "calibrate/moments.hpp"
#include "calibrate/targets.hpp"
#include "run/replication.hpp"

namespace {

const std::string kTargets = R"(
[calibration]
replications = 3

[parameters.quality]
path = "regions.US.mu_q"
lower = -1.0
upper = 1.0

[targets.us_unicorns]
moment = "unicorns"
region = "US"
year = 2012
observed = 20
tolerance = 0.15

[targets.us_deal_value]
moment = "deal_value"
region = "world"
year = 2010
observed = 5
tolerance = 0.25

[targets.us_funnel]
moment = "funnel"
region = "US"
outcome = "reached_a"
seed_years = [2001, 2005]
observed = 0.4
se = 0.05

[targets.tvpi]
moment = "fund_tvpi"
observed = 1.75
se = 0.25
)";

void check_same(const vcsim::MomentStats& a, const vcsim::MomentStats& b) {
  CHECK(a.n == b.n);
  CHECK(a.mean == b.mean);
  CHECK(a.sd == b.sd);
  CHECK(a.min == b.min);
  CHECK(a.max == b.max);
}

}  // namespace

TEST_CASE("An evaluation's moments equal those of its replications held whole",
          "[calibrate][evaluation]") {
  auto targets = vcsim::read_targets_text(kTargets, "t.toml");
  const auto settings = targets.settings;
  const vcsim::Calibration calibration(std::string(VCSIM_SOURCE_DIR) + "/scenarios/small.toml",
                                       std::move(targets), settings);
  const std::vector<double> start = calibration.space().start();
  const vcsim::Evaluation e = calibration.evaluate(start);

  const vcsim::Scenario s = calibration.scenario_at(start);
  const auto held = vcsim::run_replications(s, s.replications);
  REQUIRE(held.size() == 3);
  REQUIRE(e.moments.size() == calibration.targets().targets.size());
  for (std::size_t k = 0; k < e.moments.size(); ++k) {
    INFO("target " << calibration.targets().targets[k].name);
    const auto whole =
        vcsim::moment_stats(calibration.targets().targets[k].moment, held, s.start_year);
    CHECK(whole.n > 0);
    check_same(e.moments[k], whole);
  }
  CHECK(e.objective == vcsim::objective(calibration.targets().targets, e.moments));
}
